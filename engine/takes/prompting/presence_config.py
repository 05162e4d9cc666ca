"""The word classes the people finder reads from presence.json, validated at load
(engine.takes.prompting.settings.presence).

`depiction_nouns`: things that show someone without anyone being there; a person after
"<depiction> of" is a likeness ("posters of footballers", "a portrait of an admiral"). Each
must be a lower-case WordNet noun in its base form. `record_nouns_lexfiles`: WordNet noun
lexicographer files of written records (communication, possession): "figures in the ledger"
are numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engine.core import paths
from engine.core.settings.loading import load
from engine.takes.prompting.settings.presence import PresenceFile

PRESENCE_FILE = "presence.json"


@dataclass(frozen=True)
class PresenceWords:
    depiction_nouns: frozenset[str]
    record_lexfiles: frozenset[int]


@lru_cache(maxsize=4)
def _load(folder: str) -> PresenceWords:
    data = load(PresenceFile, Path(folder) / PRESENCE_FILE)
    return PresenceWords(frozenset(data.depiction_nouns), frozenset(data.record_nouns_lexfiles))


def presence_words() -> PresenceWords:
    return _load(str(paths.config_dir()))
