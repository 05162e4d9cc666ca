"""Finding and replacing names in text and JSON: whole words, any case, one pass.

All the names of one backfill are compiled into a single pattern (a trie of the lower-cased
names, so the regex engine rejects a position after one or two characters instead of trying
every name in turn). A match must not touch a letter, digit or underscore on either side, so
renaming Mist never touches Mistlight. Each occurrence keeps its own case style (mist, Mist,
MIST). JSON is parsed and rewritten as JSON: object keys and string values, nothing else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

_WORD_CHAR = r"A-Za-z0-9_"
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _trie_pattern(words: list[str]) -> str:
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        if list(node) == [""]:
            return ""
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def restyle(found: str, new: str) -> str:
    """`new` in the case style of the occurrence `found`."""
    if len(found) > 1 and found.isupper():
        return new.upper()
    if found.islower():
        return new.lower()
    return new


class Renamer:
    """Replaces every whole-word, case-insensitive occurrence of the old names."""

    def __init__(self, renames: Mapping[str, str]):
        self.map = {old.lower(): new for old, new in renames.items()}
        self.exact = dict(renames)
        names = sorted(self.map, key=len, reverse=True)
        if names:
            body = _trie_pattern(names)
            self.pattern = re.compile(
                rf"(?<![{_WORD_CHAR}])(?:{body})(?![{_WORD_CHAR}])", re.IGNORECASE
            )
        else:
            self.pattern = re.compile(r"(?!x)x")
        self._seen: set[str] = set()
        # A name holding a quote or backslash cannot be matched inside raw JSON text safely.
        self._unsafe = any('"' in n or "\\" in n for n in renames)

    def _sub(self, m: re.Match) -> str:
        found = m.group(0)
        self._seen.add(found.lower())
        if found in self.exact:
            return self.exact[found]
        return restyle(found, self.map[found.lower()])

    def rewrite(self, value: str | None, is_json: bool) -> tuple[str | None, set[str]]:
        """(new value, old names found, lower-cased) in one pass; unchanged text is returned
        as the same object."""
        if not value or not self.pattern.search(value):
            return value, set()
        self._seen = set()
        new = self.json_text(value) if is_json else self.pattern.sub(self._sub, value)
        return new, self._seen

    def found_in(self, text: str | None) -> list[str]:
        """The old names (lower-cased) that occur in `text`."""
        if not text:
            return []
        return [m.group(0).lower() for m in self.pattern.finditer(text)]

    def text(self, value: str | None) -> str | None:
        if not value:
            return value
        return self.pattern.sub(self._sub, value)

    def _walk(self, obj):
        if isinstance(obj, str):
            return self.pattern.sub(self._sub, obj)
        if isinstance(obj, list):
            return [self._walk(v) for v in obj]
        if isinstance(obj, dict):
            return {self.pattern.sub(self._sub, k): self._walk(v) for k, v in obj.items()}
        return obj

    def _json_string(self, m: re.Match) -> str:
        token = m.group(0)
        if not self.pattern.search(token):
            return token
        if "\\" in token or self._unsafe:
            inner = json.loads(token)
            new = self.pattern.sub(self._sub, inner)
            return token if new == inner else json.dumps(new, ensure_ascii=False)
        return self.pattern.sub(self._sub, token)

    def json_text(self, value: str | None) -> str | None:
        """A JSON document with names replaced in keys and string values only (numbers,
        literals and structure untouched); text that is not JSON is treated as plain text.

        The document is checked with the JSON parser, then each string token is rewritten in
        place; a token holding escapes is decoded, rewritten and encoded again."""
        if not value or not self.pattern.search(value):
            return value
        try:
            json.loads(value)
        except ValueError:
            return self.pattern.sub(self._sub, value)
        return _JSON_STRING.sub(self._json_string, value)
