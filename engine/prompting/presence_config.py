"""The word classes the people finder reads from config/presence.json, validated at load.

`depiction_nouns`: things that show someone without anyone being there; a person after
"<depiction> of" is a likeness ("posters of footballers", "a portrait of an admiral"). Each
must be a lower-case WordNet noun in its base form. `record_nouns_lexfiles`: WordNet noun
lexicographer files of written records (communication, possession): "figures in the ledger"
are numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from engine import paths
from engine.errors import ConfigError
from engine.json_files import read_json_object
from engine.prompting import wordnet

PRESENCE_FILE = "presence.json"


@dataclass(frozen=True)
class PresenceWords:
    depiction_nouns: frozenset[str]
    record_lexfiles: frozenset[int]


@lru_cache(maxsize=4)
def _load(folder: str) -> PresenceWords:
    path = f"{folder}/{PRESENCE_FILE}"
    data = read_json_object(path)
    unknown = set(data) - {"depiction_nouns", "record_nouns_lexfiles"}
    if unknown:
        raise ConfigError(f"{path}: unknown key {sorted(unknown)[0]!r}")
    nouns = data.get("depiction_nouns")
    if not isinstance(nouns, list) or not nouns:
        raise ConfigError(f"{path}: key 'depiction_nouns' must be a non-empty list of nouns")
    for k, word in enumerate(nouns):
        if not isinstance(word, str) or word != word.lower() or not wordnet.is_noun(word):
            raise ConfigError(f"{path}: key 'depiction_nouns' item {k} ({word!r}) is not a lower-case WordNet noun")
    files = data.get("record_nouns_lexfiles")
    if not isinstance(files, list) or not all(isinstance(f, int) and 3 <= f <= 28 for f in files):
        raise ConfigError(f"{path}: key 'record_nouns_lexfiles' must be a list of WordNet noun file numbers (3-28)")
    return PresenceWords(frozenset(nouns), frozenset(files))


def presence_words() -> PresenceWords:
    return _load(str(paths.config_dir()))
