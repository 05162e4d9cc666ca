"""Negation with scope, and intensity (config/grammar.json).

A negating word ("no", "not", "without", "avoid", "zero", "never", "except", "free of"...)
reaches past stop words and verbs ("don't use", "I never want to see") to the first thing it
can negate, and on through "or"/"nor", through "and" when the next thing is of the same kind
("without thunder and rain"), and through commas that make a list ("no red, blue or green").
It ends at a new clause, at a word that turns the sentence ("not red but orange", "just",
"only"), and at anything that follows without a joining word ("no people, red sky").
"but" after "anything", "everything", "any colour"... is "except"; "nothing but" is "only".
"less"/"fewer" negate as a reduction; "red-free" and "red banned" negate what precedes them.

Intensity: "very", "slightly", "a bit"... shift a value by config ("a bit dark": dim, "very
dark": noir); "not too bright" and "not very fast" ask for the moderate value and negate the
extreme one; "too bright" and "overly saturated" negate what is too much.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.procedural.interpretation.matching import Item
from engine.procedural.interpretation.tokens import CLAUSE_ENDS, Token
from engine.procedural.interpretation.vocabulary import Meaning, Vocabulary

LIST_FILLERS = frozenset({"a", "an", "the", "any", "some", "no", "nor", "or", "and"})


@dataclass
class _Scope:
    rule: str
    started: bool = False
    continuing: bool = False
    domains: set[str] = field(default_factory=set)
    single: bool = False  # reaches one thing only ("instead of")


def _domains(it: Item) -> set[str]:
    return set(it.meanings) or {"other"}


def _is_modifier(it: Item) -> bool:
    """A word read as a modifier of the next one (a shade), which negation passes over."""
    return it.kind == "sense" and not it.meanings


def _contents_after(items: list[Item], k: int, tokens: list[Token]) -> list[Item]:
    out = []
    for it in items[k + 1:]:
        if it.kind == "punct" and it.span in CLAUSE_ENDS:
            break
        if it.content and not _is_modifier(it):
            out.append(it)
    return out


def _list_continues(items: list[Item], k: int, scope: _Scope, tokens: list[Token], g) -> bool:
    """After a comma: does a list of the negated kind go on ("no red, blue or green")?"""
    j = k + 1
    while j < len(items) and (_is_modifier(items[j]) or (items[j].kind == "grammar" and items[j].role == "intensity")
                              or (items[j].kind == "stop" and tokens[items[j].start].norm in LIST_FILLERS)):
        j += 1
    if scope.single or j >= len(items) or not items[j].content or not (_domains(items[j]) & scope.domains):
        return False
    j += 1
    while j < len(items) and (_is_modifier(items[j]) or items[j].kind == "duration"):
        j += 1
    if j >= len(items) or (items[j].kind == "punct" and items[j].span in CLAUSE_ENDS):
        return True  # the list ends the clause: "everything except blue, green"
    return items[j].text_is(",") or (items[j].kind == "stop" and tokens[items[j].start].norm in g.continuers)


def _quantified(items: list[Item], k: int, tokens: list[Token], g) -> bool:
    """Is this "but" an "except" ("anything but red", "any colour but yellow")?"""
    start = items[k].start
    for t in reversed(tokens[max(0, start - 3):start]):
        if t.text in CLAUSE_ENDS or t.text == ",":
            return False
        if t.norm in g.but_after:
            return True
    return False


def _shift(it: Item, level: str, g) -> None:
    for domain, meaning in list(it.meanings.items()):
        new = g.shifts.get(domain, {}).get(meaning.canonical, {}).get(level)
        if new:
            rule = f"{meaning.rule}; intensity {level}: {meaning.canonical} -> {new}"
            it.meanings[domain] = Meaning(new, meaning.variant_type, meaning.source, meaning.key, rule)
    it.level = level


def _moderate(it: Item, span: str, g, extra: list[dict]) -> None:
    if not set(it.meanings) & set(g.moderate):  # no moderate value: "not overly dramatic" is not dramatic
        it.negated, it.neg_rule = True, f"'{span} {it.span}': not the extreme"
        return
    for domain, meaning in list(it.meanings.items()):
        if domain in g.moderate:
            extra.append({"domain": domain, "value": meaning.canonical, "span": f"{span} {it.span}",
                          "rule": f"'{span}': not the extreme, the moderate value"})
            it.meanings[domain] = Meaning(g.moderate[domain], meaning.variant_type, meaning.source, None,
                                          f"{meaning.rule}; '{span}': {meaning.canonical} -> {g.moderate[domain]}")
    it.level = "moderate"


def _negate_back(items: list[Item], k: int, tokens: list[Token], g) -> None:
    """"red-free", "red and blue are out": negate what precedes, back over a list of its kind."""
    domains: set[str] | None = None
    for it in reversed(items[:k]):
        if it.kind == "stop" and tokens[it.start].norm not in g.continuers or _is_modifier(it):
            continue
        if it.text_is(",") or (it.kind == "stop" and tokens[it.start].norm in g.continuers):
            if domains is None:
                return
            continue
        if not it.content or (domains is not None and not (_domains(it) & domains)):
            return
        if not it.negated:
            it.negated, it.neg_rule = True, f"'{it.span} ... {items[k].span}'"
        domains = _domains(it)


def _after_negated_all(items: list[Item], k: int, tokens: list[Token], g) -> bool:
    """Does "except" follow a negation of everything ("no colours", "nothing") with nothing between?"""
    for it in reversed(items[:k]):
        if it.kind == "grammar":
            return it.span in g.negated_all
        if it.kind != "stop":
            return False
    return False


def apply_scope(items: list[Item], tokens: list[Token], vocab: Vocabulary) -> list[dict]:
    """Mark negated items and apply intensity; returns the negations that moderating adds."""
    g = vocab.config.grammar
    extra: list[dict] = []
    scope: _Scope | None = None
    level: str | None = None
    pending: tuple[str, str] | None = None  # (moderating | excess, the words)
    for k, it in enumerate(items):
        norm = tokens[it.start].norm
        if it.kind == "grammar":
            if it.span in g.except_words and _after_negated_all(items, k, tokens, g):
                scope = None  # "no colours except black and white": only black and white
                continue
            if it.role in ("negate_before", "reduce"):
                scope = _Scope(f"'{it.span}'" + (" (reduce)" if it.role == "reduce" else ""),
                               single=it.span in g.single_scope)
            elif it.role == "but":
                scope = _Scope("'but' after a word for all: except") if _quantified(items, k, tokens, g) else None
            elif it.role == "breaker":
                scope, level, pending = None, None, None
            elif it.role in ("moderating", "excess"):
                pending = (it.role, it.span)
            elif it.role == "intensity":
                level = it.level
            elif it.role == "negate_after":
                _negate_back(items, k, tokens, g)
            continue
        if it.kind == "punct":
            if it.span in CLAUSE_ENDS:
                scope = None
            elif scope and scope.started:
                if _list_continues(items, k, scope, tokens, g):
                    scope.continuing = True
                else:
                    scope = None
            level = pending = None
            continue
        if it.kind == "stop":
            if scope and scope.started and norm in g.continuers:
                nxt = _contents_after(items, k, tokens)
                same = bool(nxt) and (bool(_domains(nxt[0]) & scope.domains) or scope.domains == {"other"})
                if norm == "and" and not same:
                    scope = None
                else:
                    scope.continuing = True
            continue
        if not it.content or _is_modifier(it):
            continue
        if it.kind == "unknown" and k + 1 < len(items) and items[k + 1].kind in ("phrase", "sense") \
                and items[k + 1].meanings and scope and not scope.started:
            continue  # "no flashy neon": the unknown word describes what is negated
        if level and it.meanings:
            _shift(it, level, g)
        if pending and it.meanings:
            role, span = pending
            if role == "moderating":
                _moderate(it, span, g, extra)
            else:
                it.negated, it.neg_rule = True, f"'{span} {it.span}': too much of it"
        level = pending = None
        if scope is not None:
            if not scope.started or scope.continuing:
                if not it.negated:
                    it.negated, it.neg_rule = True, scope.rule
                scope.started, scope.continuing, scope.domains = True, False, _domains(it)
            else:
                scope = None
    return extra
