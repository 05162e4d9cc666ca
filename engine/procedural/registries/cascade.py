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
from collections.abc import Iterable, Mapping

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

    def __init__(self, renames: Mapping[str, str], as_written: Iterable[str] = ()):
        """`as_written`: old names matched only in their own capitalisation (real words,
        which are also words of users' prompts); the others match in any case."""
        exact_only = set(as_written)
        self.map = {old.lower(): new for old, new in renames.items() if old not in exact_only}
        self.exact = dict(renames)
        loose = sorted(self.map, key=len, reverse=True)
        strict = sorted((o for o in renames if o in exact_only), key=len, reverse=True)
        self.pattern = self._compile(loose, strict)
        self.loose_pattern = self._compile(loose, [])
        self._active = self.pattern
        self._seen: set[str] = set()
        # A name holding a quote or backslash cannot be matched inside raw JSON text safely.
        self._unsafe = any('"' in n or "\\" in n for n in renames)

    @staticmethod
    def _compile(loose: list[str], strict: list[str]) -> re.Pattern:
        branches = ([f"(?i:{_trie_pattern(loose)})"] if loose else []) + ([_trie_pattern(strict)] if strict else [])
        if not branches:
            return re.compile(r"(?!x)x")
        return re.compile(rf"(?<![{_WORD_CHAR}])(?:{'|'.join(branches)})(?![{_WORD_CHAR}])")

    def _sub(self, m: re.Match) -> str:
        found = m.group(0)
        self._seen.add(found.lower())
        if found in self.exact:
            return self.exact[found]
        return restyle(found, self.map[found.lower()])

    def rewrite(self, value: str | None, is_json: bool, *, words: bool = True) -> tuple[str | None, set[str]]:
        """(new value, old names found, lower-cased) in one pass; unchanged text is returned
        as the same object. `words=False` leaves the as-written (real word) names alone."""
        self._active = self.pattern if words else self.loose_pattern
        try:
            if not value or not self._active.search(value):
                return value, set()
            self._seen = set()
            new = self.json_text(value) if is_json else self._active.sub(self._sub, value)
            return new, self._seen
        finally:
            self._active = self.pattern

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
            return self._active.sub(self._sub, obj)
        if isinstance(obj, list):
            return [self._walk(v) for v in obj]
        if isinstance(obj, dict):
            return {self._active.sub(self._sub, k): self._walk(v) for k, v in obj.items()}
        return obj

    def _json_string(self, m: re.Match) -> str:
        token = m.group(0)
        if not self._active.search(token):
            return token
        if "\\" in token or self._unsafe:
            inner = json.loads(token)
            new = self._active.sub(self._sub, inner)
            return token if new == inner else json.dumps(new, ensure_ascii=False)
        return self._active.sub(self._sub, token)

    def json_text(self, value: str | None) -> str | None:
        """A JSON document with names replaced in keys and string values only (numbers,
        literals and structure untouched); text that is not JSON is treated as plain text.

        The document is checked with the JSON parser, then each string token is rewritten in
        place; a token holding escapes is decoded, rewritten and encoded again."""
        if not value or not self._active.search(value):
            return value
        try:
            json.loads(value)
        except ValueError:
            return self._active.sub(self._sub, value)
        return _JSON_STRING.sub(self._json_string, value)
