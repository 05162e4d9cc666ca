"""Durations in a prompt: "for 5 seconds", "10s", "two and a half minutes", "half a minute",
"a 30-second spot", "2 min 30 s" (parts add up). "a" counts as one only before a minute or an
hour, or after "for" ("a second take" is no duration); "the 90s" and "1990s" are decades."""

from __future__ import annotations

from dataclasses import dataclass

from engine.procedural.interpretation.tokens import Token

UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
ARTICLE_UNITS = ("minute", "minutes", "hour", "hours", "min")


@dataclass(frozen=True)
class Duration:
    start: int
    end: int  # exclusive token index
    seconds: float
    rule: str


def _number(tokens: list[Token], i: int, words: dict[str, float]) -> tuple[float, int] | None:
    """(value, index after the number) of a number starting at token i."""
    t = tokens[i].norm
    if t.replace(".", "", 1).isdigit():
        value, j = float(t), i + 1
    elif t == "half" and i + 1 < len(tokens) and tokens[i + 1].norm in ("a", "an"):
        return 0.5, i + 2
    elif t in TENS:
        value, j = float(TENS[t]), i + 1
        if j < len(tokens) and tokens[j].norm in UNITS:
            value, j = value + UNITS[tokens[j].norm], j + 1
    elif t in words and t not in ("a", "an", "half a"):
        value, j = float(words[t]), i + 1
    elif t in ("a", "an"):
        value, j = 1.0, i + 1
    else:
        return None
    if [x.norm for x in tokens[j:j + 3]] == ["and", "a", "half"]:
        value, j = value + 0.5, j + 3
    return value, j


def find_durations(tokens: list[Token], numbers: dict[str, float], units: dict[str, float]) -> list[Duration]:
    out: list[Duration] = []
    i = 0
    while i < len(tokens):
        parsed = _number(tokens, i, numbers)
        if parsed is None:
            i += 1
            continue
        value, j = parsed
        if j >= len(tokens) or tokens[j].norm not in units:
            i += 1
            continue
        unit = tokens[j].norm
        prev = tokens[i - 1].norm if i > 0 else ""
        if tokens[i].norm in ("a", "an") and unit not in ARTICLE_UNITS and prev != "for":
            i += 1
            continue
        if unit == "s" and (value >= 1000 or prev == "the"):  # the 90s, 1990s: decades
            i += 1
            continue
        start = i - 1 if prev == "for" else i
        end = j + 1
        if end < len(tokens) and tokens[end].norm == "long":
            end += 1
        rule = f"duration: {value:g} x {unit} ({units[unit]:g} s)"
        out.append(Duration(start, end, value * units[unit], rule))
        i = end
    return out
