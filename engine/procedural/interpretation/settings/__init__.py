"""The shapes and rules of interpretation.json and its word tables (slang, idioms, senses, grammar)."""
