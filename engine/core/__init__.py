"""What every room of the engine reads: errors, paths, input checks, config files, the plan format, the review taxonomy and the Gemini client."""
