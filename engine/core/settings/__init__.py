"""How every config file is checked: pydantic models, and one line naming file, key and what was expected."""
