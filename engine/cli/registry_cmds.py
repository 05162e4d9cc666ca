"""Commands of this area are added here."""


def register(subparsers) -> None:
    pass
