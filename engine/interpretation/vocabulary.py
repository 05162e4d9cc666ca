"""What the interpreter can recognise: config tables, registry names and learned mappings,
merged into one phrase table (phrase -> domain -> meaning).

Priority per (phrase, domain): config keywords, then registry names, then slang, then the
words with several senses, then the linguistic registry (its most frequent canonical value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.interpretation.config import InterpretationConfig
from engine.registries.keys import sound_parts
from engine.registries.models import RegistryEntry
from engine.registries.query import linguistic

# registry aspect -> interpretation domain
ASPECT_DOMAINS: dict[tuple[str, str], str] = {
    ("pure", "colour"): "palette",
    ("pure", "sound"): "sound",
    ("blended", "motion"): "motion",
    ("blended", "camera"): "camera",
    ("blended", "lighting"): "lighting",
    ("blended", "gradient"): "gradient",
    ("semantic", "mood"): "mood",
}
_NON_WORD = re.compile(r"[^a-z0-9'.,]+")


def normalise_phrase(text: str) -> str:
    """Lower case, curly quotes straightened, hyphens and other marks as spaces."""
    t = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    t = _NON_WORD.sub(" ", t.replace(",", " , "))
    return " ".join(t.split())


@dataclass(frozen=True)
class Meaning:
    canonical: str
    variant_type: str  # exact | synonym | slang | dialect | paraphrase
    source: str  # keyword | registry | slang | sense | learned
    key: str | None = None  # the registry entry's key when the phrase is a registry name


@dataclass
class Vocabulary:
    config: InterpretationConfig
    phrases: dict[str, dict[str, Meaning]] = field(default_factory=dict)
    colour_keys: dict[str, str] = field(default_factory=dict)  # colour name (lower) -> key
    longest: int = 1

    def add(self, phrase: str, domain: str, meaning: Meaning) -> None:
        p = normalise_phrase(phrase)
        if not p:
            return
        slot = self.phrases.setdefault(p, {})
        if domain not in slot:
            slot[domain] = meaning
            self.longest = max(self.longest, len(p.split()))


def registry_names(session: Session) -> list[tuple[str, str, str, str]]:
    """(registry, aspect, key, name) of every entry of the aspects the interpreter reads."""
    regs = {r for r, _ in ASPECT_DOMAINS}
    rows = session.execute(
        select(RegistryEntry.reg, RegistryEntry.aspect, RegistryEntry.key, RegistryEntry.name)
        .where(RegistryEntry.reg.in_(regs)).order_by(RegistryEntry.id)
    )
    return [tuple(r) for r in rows if (r[0], r[1]) in ASPECT_DOMAINS]


def _registry_canonical(reg: str, aspect: str, key: str, name: str) -> str:
    if (reg, aspect) == ("pure", "colour"):
        return name.lower()
    if (reg, aspect) == ("pure", "sound"):
        if "_" not in key:
            return key  # an origin's key is its timbre
        return sound_parts(key)[0][2]  # the timbre of the loudest part of a composite
    return key


def build_vocabulary(session: Session, config: InterpretationConfig) -> Vocabulary:
    v = Vocabulary(config)
    for domain, table in config.keywords.items():
        for span, canonical in table.items():
            variant = "exact" if normalise_phrase(span) == canonical else "synonym"
            v.add(span, domain, Meaning(canonical, variant, "keyword"))
    for reg, aspect, key, name in registry_names(session):
        domain = ASPECT_DOMAINS[(reg, aspect)]
        canonical = _registry_canonical(reg, aspect, key, name)
        if domain == "palette":
            v.colour_keys.setdefault(name.lower(), key)
        v.add(name, domain, Meaning(canonical, "exact", "registry", key))
    for span, senses in config.slang.items():
        for domain, canonical in senses.items():
            v.add(span, domain, Meaning(canonical, "slang", "slang"))
    for span, senses in config.senses.items():
        for domain, canonical in senses.items():
            v.add(span, domain, Meaning(canonical, "synonym", "sense"))
    for rec in linguistic(session):
        if rec.domain in config.keywords:
            v.add(rec.span, rec.domain, Meaning(rec.canonical, rec.variant_type, "learned"))
    return v
