"""The CLI's one error path: bad input becomes one line on stderr and exit 2.

Arguments are checked as text before any command runs (a shell passes undecodable bytes
through as lone surrogates, which no store can keep); input errors the engine did not name
itself (undecodable text, numbers too large for the store, nesting too deep to read) still
end as one line, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from engine.core.errors import DailiesError
from engine.core.inputs import check_text

BAD_INPUT = (UnicodeError, RecursionError, OverflowError)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (with the command it concerns), exit 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse any argument that is not storable text (undecodable bytes, NUL)."""
    for name, value in vars(args).items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if isinstance(item, str):
                flag = f"--{name.replace('_', '-')}"
                check_text(item, f"argument {flag}", limit=sys.maxsize, error=DailiesError)


def bad_input_message(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"a file is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
    if isinstance(exc, UnicodeError):
        return f"text that is not valid UTF-8 was given ({one_line(exc)[:160]})"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read"
    return f"a number is too large to store ({one_line(exc)[:160]})"
