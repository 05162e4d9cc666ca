"""The shapes of the config files people edit, as pydantic models, and one way to load them.

Each config file has its model in a small module here; `loading.load` reads a file, checks
it against its model and turns the first problem into one line naming the file, the key
path, what was expected and what was found.
"""
