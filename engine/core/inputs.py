"""Checks every entrance applies to what it is given: text, whole numbers, money, shot codes.

Each check raises a DailiesError-derived error whose message names what is wrong and where,
before anything is stored, so bad input is one line for the user and the store is unchanged
(on SQLite as on PostgreSQL: limits are enforced here, not left to the database).
"""

from __future__ import annotations

import math
import re
import string
from operator import itemgetter

from engine.core.errors import DailiesError, StoreError

# A shot code names a folder under the store's media folder, so it may hold only letters,
# digits, '_', '-' and '.', must start with a letter or digit, and never holds '..'.
SHOT_CODE_PATTERN = r"[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.))*"
SHOT_CODE_MAX = 128
_SHOT_CODE = re.compile(SHOT_CODE_PATTERN)
# The same rule for many codes at once (plain_shot_codes), each part at C speed over all of them.
_SHOT_CODE_CHARACTERS = re.compile(r"[A-Za-z0-9_.\n-]*")
_SHOT_CODE_FIRSTS = frozenset(string.ascii_letters + string.digits)

BIGINT_MAX = 2**63 - 1  # the store's seeds are 64-bit signed integers
INT_MAX = 2**31 - 1  # take numbers, positions, token counts
MONEY_MAX = 1e12  # no single pass costs a trillion
TEXT_MAX = 1_000_000  # characters of one prompt, note or reason
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(value: object, what: str, *, limit: int = TEXT_MAX, error: type[DailiesError] = StoreError,
               optional: bool = True) -> str | None:
    """`value` as text that can be stored: no NUL, valid Unicode (no undecodable bytes), at
    most `limit` characters. None passes when `optional`."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise error(f"{what} must be text, found {type(value).__name__}")
    if "\x00" in value:
        raise error(f"{what} holds a NUL character (at character {value.index(chr(0)) + 1})")
    bad = _SURROGATE.search(value)
    if bad is not None:
        raise error(f"{what} is not valid UTF-8 text (undecodable byte at character {bad.start() + 1})")
    if len(value) > limit:
        raise error(f"{what} is {len(value):,} characters long; at most {limit:,} are kept")
    return value


def check_shot_code(code: object, where: str = "shot code") -> str:
    """A shot code that is safe as a folder name (see SHOT_CODE_PATTERN)."""
    if not isinstance(code, str):
        raise StoreError(f"{where}: a shot code must be text, found {type(code).__name__}")
    check_text(code, f"{where} {code[:40]!r}", limit=SHOT_CODE_MAX)
    if not code.strip():
        raise StoreError(f"{where}: a shot code cannot be empty or only spaces")
    if not _SHOT_CODE.fullmatch(code):
        raise StoreError(
            f"{where}: shot code {code[:80]!r} may hold only letters, digits, '_', '-' and '.', "
            "must start with a letter or digit, and cannot hold '..' or a path separator"
        )
    return code


def plain_shot_code(code: object) -> bool:
    """True when check_shot_code is sure to accept `code` (the pattern alone admits no NUL,
    no undecodable byte and no blank code); False only means "check it"."""
    return type(code) is str and len(code) <= SHOT_CODE_MAX and _SHOT_CODE.fullmatch(code) is not None


def plain_shot_codes(codes: list) -> bool:
    """plain_shot_code for every code at once; False only means "check them one by one"."""
    if not codes or set(map(type, codes)) != {str}:
        return False
    joined = "\n".join(codes)
    try:
        firsts = set(map(itemgetter(0), codes))
    except IndexError:  # an empty code
        return False
    return (firsts <= _SHOT_CODE_FIRSTS and max(map(len, codes)) <= SHOT_CODE_MAX and ".." not in joined
            and joined.count("\n") == len(codes) - 1 and _SHOT_CODE_CHARACTERS.fullmatch(joined) is not None)


def check_whole(value: object, what: str, *, low: int = 0, high: int = INT_MAX,
                error: type[DailiesError] = StoreError) -> int:
    """A whole number in [low, high] (True/False are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(f"{what} must be a whole number, found {show_value(value)}")
    if not low <= value <= high:
        raise error(f"{what} {show_value(value)} is out of range ({low} to {high:,})")
    return value


def check_money(value: object, what: str, *, error: type[DailiesError] = StoreError) -> float:
    """An amount of money: a finite number, not negative, below MONEY_MAX."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise error(f"{what} must be a number, found {show_value(value)}")
    if isinstance(value, int) and abs(value) > MONEY_MAX:
        raise error(f"{what} {show_value(value)} is out of range (0 to {MONEY_MAX:g})")
    number = float(value)
    if not math.isfinite(number):
        raise error(f"{what} must be a finite number, found {number}")
    if number < 0:
        raise error(f"{what} {number:g} is negative")
    if number > MONEY_MAX:
        raise error(f"{what} {number:g} is out of range (0 to {MONEY_MAX:g})")
    return number


def show_value(value: object) -> str:
    """A short rendering of a bad value (a 400-digit number is not printed whole)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > 80:  # never str() it: Python refuses ints over 4300 digits
            return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
        return str(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
