"""The shapes and rules of the prompt config files: prompt_constants, lexicon, models, presence and the prompt manifest."""
