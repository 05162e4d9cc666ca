"""The takes half: prompts built and enriched, takes generated and recorded, reviews reported."""
