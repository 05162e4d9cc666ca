"""The first reading of a prompt: its tokens grouped into items, left to right, longest first.

An item is an idiom (one unit: "saw red", "green with envy"), a phrase the vocabulary knows
(keyword, registry name, slang, dialect word, learned mapping), a grammar word (negation,
intensity, a word that ends a negation's scope), a word of several senses (read later in its
context), a duration, a stop word, a mark, or a word nothing knows. Words match by their
spelling or any of their lemmas, so "hums" finds "hum" and "saw red" finds "see red"; an exact
spelling beats a lemma.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.procedural.interpretation.durations import find_durations
from engine.procedural.interpretation.lexicon import Idiom
from engine.procedural.interpretation.tokens import PUNCT, Token
from engine.procedural.interpretation.vocabulary import Meaning, Vocabulary

GAP = 3  # words a "*" in an idiom may stand for


@dataclass
class Item:
    start: int
    end: int  # exclusive token index
    kind: str  # phrase | sense | idiom | grammar | duration | stop | punct | unknown
    span: str  # the user's words
    meanings: dict[str, Meaning] = field(default_factory=dict)
    rule: str = ""
    role: str = ""  # grammar: negate_before | negate_after | reduce | breaker | but | moderating | excess | intensity
    level: str = ""  # intensity of a grammar intensity word, or the one applied to a phrase
    negated: bool = False
    neg_rule: str = ""
    note: str = ""  # what became of a word that maps to nothing
    seconds: float = 0.0
    word: str = ""  # a word of several senses: its entry in senses.json

    def text_is(self, mark: str) -> bool:
        return self.kind == "punct" and self.span == mark

    @property
    def content(self) -> bool:
        return self.kind in ("phrase", "sense", "unknown")

    def domains(self) -> set[str]:
        return set(self.meanings)


def _trie_match(tokens: list[Token], i: int, trie: dict) -> tuple[int, int, str] | None:
    """(length, exact words, phrase) of the longest phrase at token i."""
    best = None

    def walk(node: dict, j: int, exact: int):
        nonlocal best
        if "" in node and j > i:
            cand = (j - i, exact, node[""])
            if best is None or cand[:2] > best[:2]:
                best = cand
        if j >= len(tokens) or tokens[j].punct:
            return
        tok = tokens[j]
        for form in tok.forms:
            if form in node:
                walk(node[form], j + 1, exact + (form in (tok.norm, tok.text)))

    walk(trie, i, 0)
    return best


def _by_first_word(vocab: Vocabulary) -> dict[str, list[Idiom]]:
    if vocab.idiom_index is None:
        vocab.idiom_index = {}
        for idiom in vocab.config.idioms:
            vocab.idiom_index.setdefault(idiom.pattern[0], []).append(idiom)
    return vocab.idiom_index


def _idiom_at(tokens: list[Token], i: int, vocab: Vocabulary) -> tuple[int, Idiom] | None:
    best = None
    index = _by_first_word(vocab)
    for idiom in (x for form in tokens[i].forms for x in index.get(form, ())):
        end = _match_pattern(tokens, i, idiom.pattern)
        if end is not None and (best is None or end > best[0]):
            best = (end, idiom)
    return best


def _match_pattern(tokens: list[Token], i: int, pattern: tuple[str, ...]) -> int | None:
    if not pattern:
        return i
    word, rest = pattern[0], pattern[1:]
    if word == "*":
        for gap in range(GAP + 1):
            if i + gap > len(tokens) or any(t.punct for t in tokens[i:i + gap]):
                break
            end = _match_pattern(tokens, i + gap, rest)
            if end is not None:
                return end
        return None
    if i < len(tokens) and word in tokens[i].forms:
        return _match_pattern(tokens, i + 1, rest)
    return None


def _grammar_index(vocab: Vocabulary) -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    """first word -> (words, role, level) of every grammar phrase, in the order roles are tried."""
    if vocab.grammar_index is None:
        g = vocab.config.grammar
        roles = [("negate_before", g.negate_before), ("negate_after", g.negate_after), ("reduce", g.reduce),
                 ("breaker", g.breakers), ("moderating", g.moderating), ("excess", g.excess),
                 ("intensity", tuple(g.intensity))]
        vocab.grammar_index = {}
        for role, phrases in roles:
            for p in phrases:
                words = tuple(p.split())
                vocab.grammar_index.setdefault(words[0], []).append((words, role, g.intensity.get(p, "")))
    return vocab.grammar_index


def _grammar_at(tokens: list[Token], i: int, vocab: Vocabulary) -> tuple[int, str, str] | None:
    """(length, role, level) of the longest grammar phrase at token i."""
    best = None
    for words, role, level in _grammar_index(vocab).get(tokens[i].norm, ()):
        if tuple(t.norm for t in tokens[i:i + len(words)]) == words and (best is None or len(words) > best[0]):
            best = (len(words), role, level)
    if best is None and tokens[i].norm == "but":
        best = (1, "but", "")
    return best


def _span(tokens: list[Token], start: int, end: int) -> str:
    return " ".join(t.text for t in tokens[start:end])


def read_items(tokens: list[Token], vocab: Vocabulary) -> list[Item]:
    cfg = vocab.config
    durations = {d.start: d for d in find_durations(tokens, cfg.numbers, cfg.duration_units)}
    items: list[Item] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if i in durations:
            d = durations[i]
            items.append(Item(d.start, d.end, "duration", _span(tokens, d.start, d.end), rule=d.rule, seconds=d.seconds))
            i = d.end
            continue
        if tok.text in PUNCT:
            items.append(Item(i, i + 1, "punct", tok.text))
            i += 1
            continue
        idiom = _idiom_at(tokens, i, vocab)
        phrase = _trie_match(tokens, i, vocab.trie)
        grammar = _grammar_at(tokens, i, vocab)
        n_idiom = idiom[0] - i if idiom else 0
        n_phrase = phrase[0] if phrase else 0
        n_grammar = grammar[0] if grammar else 0
        sense = cfg.sense_words.get(tok.norm) or next(
            (cfg.sense_words[f] for f in sorted(tok.lemmas) if f in cfg.sense_words), None)
        if n_idiom and n_idiom >= max(n_phrase, n_grammar):
            _, it = idiom
            meanings = {d: Meaning(v, "paraphrase", "idiom", rule=f"idiom ({it.note}; {it.source})")
                        for d, v in it.means.items()}
            items.append(Item(i, i + n_idiom, "idiom", _span(tokens, i, i + n_idiom), meanings,
                              rule=f"idiom '{' '.join(it.pattern)}'", note=it.note))
            i += n_idiom
            continue
        if n_grammar and n_grammar >= n_phrase:
            _, role, level = grammar
            items.append(Item(i, i + n_grammar, "grammar", _span(tokens, i, i + n_grammar),
                              rule=f"grammar: {role}", role=role, level=level))
            i += n_grammar
            continue
        if n_phrase > 1 or (n_phrase == 1 and sense is None):
            meanings = dict(vocab.phrases[phrase[2]])
            kind = "phrase" if meanings else "idiom"
            note = "" if meanings else "known phrase that sets nothing"
            items.append(Item(i, i + n_phrase, kind, _span(tokens, i, i + n_phrase), meanings,
                              rule=f"phrase '{phrase[2]}'", note=note))
            i += n_phrase
            continue
        if sense is not None:
            items.append(Item(i, i + 1, "sense", tok.text, rule=f"sense word '{sense.word}'", word=sense.word))
        elif tok.norm in cfg.stopwords or tok.norm in cfg.grammar.skip or tok.norm.replace(".", "").isdigit():
            items.append(Item(i, i + 1, "stop", tok.text))
        else:
            items.append(Item(i, i + 1, "unknown", tok.text))
        i += 1
    return items
