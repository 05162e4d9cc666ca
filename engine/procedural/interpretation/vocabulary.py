"""What the interpreter can recognise: config tables, registry names and learned mappings,
merged into one phrase table (phrase -> domain -> meaning).

Priority per (phrase, domain): config keywords, then registry names, then slang, dialect
words and jargon, then the linguistic registry (its most frequent canonical value, and only a
value its domain knows). Words of several senses and idioms are not phrases: the interpreter
reads them in context (engine.procedural.interpretation.senses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.procedural.interpretation.config import InterpretationConfig
from engine.procedural.registries.keys import sound_parts
from engine.procedural.registries.models import RegistryEntry
from engine.procedural.registries.query import linguistic

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
    rule: str = ""  # why the phrase means this, for --explain


@dataclass
class Vocabulary:
    config: InterpretationConfig
    phrases: dict[str, dict[str, Meaning]] = field(default_factory=dict)
    colour_keys: dict[str, str] = field(default_factory=dict)  # colour name (lower) -> key
    longest: int = 1
    trie: dict = field(default_factory=dict)  # word -> {word -> ..., "": phrase}
    idiom_index: dict | None = None  # first word -> idioms (built on first use)
    grammar_index: dict | None = None  # first word -> grammar phrases (built on first use)

    def add(self, phrase: str, domain: str | None, meaning: Meaning | None) -> None:
        """Add a phrase; with no domain it is known but means nothing ("no cap")."""
        words = self.config.spell(phrase)
        if not words:
            return
        p = " ".join(words)
        slot = self.phrases.setdefault(p, {})
        if domain is not None and domain not in slot:
            slot[domain] = meaning
        self.longest = max(self.longest, len(words))
        node = self.trie
        for w in words:
            node = node.setdefault(w, {})
        node[""] = p


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
    names = registry_names(session)
    for reg, aspect, key, name in names:  # a colour's own name beats a keyword's colour family
        if ASPECT_DOMAINS[(reg, aspect)] == "palette":
            v.colour_keys.setdefault(name.lower(), key)
            family = config.keywords["palette"].get(name.lower())  # "Amber": an orange, its own key
            v.add(name, "palette", Meaning(family or name.lower(), "synonym" if family else "exact", "registry", key,
                                           rule=f"registry name: {reg} {aspect} {key}"))
    for domain, table in config.keywords.items():
        for span, canonical in table.items():
            variant = "exact" if normalise_phrase(span) == canonical else "synonym"
            v.add(span, domain, Meaning(canonical, variant, "keyword", rule=f"keyword: {domain}"))
    for reg, aspect, key, name in names:
        domain = ASPECT_DOMAINS[(reg, aspect)]
        canonical = _registry_canonical(reg, aspect, key, name)
        v.add(name, domain, Meaning(canonical, "exact", "registry", key, rule=f"registry name: {reg} {aspect} {key}"))
    for span, e in (config.slang_entries or {}).items():
        variant = "dialect" if e.kind == "dialect" else "slang"
        rule = f"{e.kind} ({e.note}; {e.source})"
        if not e.means:
            v.add(span, None, None)
        for domain, canonical in e.means.items():
            v.add(span, domain, Meaning(canonical, variant, variant, rule=rule))
    known = {d: config.known_canonical(d) for d in config.keywords}
    for rec in linguistic(session):
        if rec.domain not in known or " ".join(config.spell(rec.span)) in v.phrases or rec.span in config.sense_words:
            continue  # a word the tables already read is not given the other domains it was once mapped to
        if rec.canonical not in known[rec.domain] and not (
                rec.domain == "palette" and rec.canonical in v.colour_keys):
            continue  # a learned value no domain knows ("rain" -> palette "ocean") is not trusted
        v.add(rec.span, rec.domain, Meaning(rec.canonical, rec.variant_type, "learned",
                                            rule=f"learned: the linguistic registry ({rec.count} uses)"))
    return v
