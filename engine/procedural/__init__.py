"""The registries half: named values, their discovery from frames and sounds, data-driven creation, and the interpreter."""
