"""`dailies demo`: build the demo episode."""


def register(subparsers) -> None:
    pass
