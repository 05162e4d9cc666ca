"""Errors a user can act on.

Every error the engine raises on bad input is a DailiesError whose message names what is
wrong and where (file, key, line, shot). The CLI prints it as one line and exits non-zero.
"""


class DailiesError(Exception):
    """Bad input or a state the user can fix; the message says what and where."""


class StoreError(DailiesError):
    """The store cannot be opened, is not a store, or refused a write."""


class PlanError(DailiesError):
    """A shot plan is missing a field or has a value of the wrong kind."""


class ConfigError(DailiesError):
    """A config file is missing, malformed, or has a missing, unknown or wrong-typed key."""


class MediaError(DailiesError):
    """A take's output file is missing, unreadable, or not an image or clip."""
