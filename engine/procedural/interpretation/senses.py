"""One sense per word, chosen by what it attaches to.

A word of several senses (config/senses.json) tries its senses in order; the first whose
context holds wins, else its default:
  before:CLASS  the next word (past intensity words and commas) is of CLASS ("dark blue")
  head:CLASS    the noun it modifies is of CLASS ("warm amber light", "dark humour")
  after:CLASS   the word before it is of CLASS ("feeling blue")
  near:CLASS    a word of CLASS is within six words in the clause ("radio static")
  alone         nothing follows it in its clause but a mark or a joining word
  copula        it follows a form of "be" or "get" ("that party was lit")
CLASS is a word class of senses.json or colour, sound, camera, motion, lighting, mood (a
phrase already read as that domain). A sense may set a shade of the colour it precedes.

Camera moves that are also common words (pan, truck, crane, roll...) are moves only where
something says so: a camera word or a speed before them, a direction after them, or the start
of a clause (an instruction: "pan left"); a verb form needs the camera as its subject ("the
camera pans"; "the haar rolls in" is no camera move). A speed word is a camera speed only next
to a camera move; else it is motion.
"""

from __future__ import annotations

from engine.procedural.interpretation.matching import Item
from engine.procedural.interpretation.tokens import CLAUSE_ENDS, Token
from engine.procedural.interpretation.vocabulary import Meaning, Vocabulary

DYNAMIC = {"colour": "palette", "sound": "sound", "camera": "camera", "motion": "motion",
           "lighting": "lighting", "mood": "mood"}
NEAR = 6  # words either side that "near:" looks at
JOINERS = frozenset({"and", "or", "nor", "but", "with", "in", "on", "at", "of", "by", "to", "for", "from"})


def _is_intensity(it: Item) -> bool:
    return it.kind == "grammar" and it.role == "intensity"


def _in_class(it: Item, cls: str, vocab: Vocabulary, tokens: list[Token]) -> bool:
    if cls in DYNAMIC:
        return DYNAMIC[cls] in it.meanings or (
            cls == "colour" and it.kind == "sense" and it.word in vocab.config.classes.get("colour_words", ()))
    words = vocab.config.classes[cls]
    return any(tokens[k].forms & words for k in range(it.start, it.end))


def _next(items: list[Item], k: int, skip_commas: bool = True) -> Item | None:
    for it in items[k + 1:]:
        if _is_intensity(it) or (skip_commas and it.text_is(",")):
            continue
        return it
    return None


def _prev(items: list[Item], k: int) -> Item | None:
    for it in reversed(items[:k]):
        if _is_intensity(it) or it.kind == "duration":
            continue
        return it
    return None


def _head_run(items: list[Item], k: int, tokens: list[Token], vocab: Vocabulary) -> list[Item]:
    """The noun phrase item k modifies: past adjectives and colours, the run of nouns."""
    run: list[Item] = []
    for it in items[k + 1:]:
        if it.kind in ("punct", "duration") or (it.kind == "stop" and tokens[it.start].norm in JOINERS):
            break
        tok = tokens[it.end - 1]
        if _is_intensity(it) or (it.kind == "stop" and "NOUN" not in tok.pos):
            if run:
                break
            continue
        if it.kind == "grammar":
            break
        adjective_only = "ADJ" in tok.pos and "NOUN" not in tok.pos
        k2 = items.index(it)
        last = k2 + 1 >= len(items) or not items[k2 + 1].content
        if not run and not last and (it.kind == "sense" or "palette" in it.meanings or adjective_only):
            continue
        if adjective_only and run:
            break
        run.append(it)
    return run


def _holds(when: str, items: list[Item], k: int, tokens: list[Token], vocab: Vocabulary) -> bool:
    context, _, cls = when.partition(":")
    if context == "before":
        nxt = _next(items, k)
        return nxt is not None and _in_class(nxt, cls, vocab, tokens)
    if context == "head":
        return any(_in_class(it, cls, vocab, tokens) for it in _head_run(items, k, tokens, vocab))
    if context == "after":
        prev = _prev(items, k)
        return prev is not None and _in_class(prev, cls, vocab, tokens)
    if context == "near":
        me = items[k]
        return any(_in_class(it, cls, vocab, tokens) for it in items
                   if it is not me and min(abs(it.start - me.start), abs(it.end - 1 - me.start)) <= NEAR
                   and not _crosses_clause(tokens, it.start, me.start))
    if context == "alone":
        nxt = _next(items, k, skip_commas=False)
        return nxt is None or nxt.kind in ("punct", "grammar") or (
            nxt.kind == "stop" and tokens[nxt.start].norm in JOINERS)
    if context == "copula":
        prev = _prev(items, k)
        return prev is not None and bool(tokens[prev.start].forms & vocab.config.grammar.copulas)
    return False


def _crosses_clause(tokens: list[Token], a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return any(t.text in CLAUSE_ENDS for t in tokens[lo:hi])


def resolve_senses(items: list[Item], tokens: list[Token], vocab: Vocabulary) -> dict[int, str]:
    """Give each sense item its one sense; returns {token index of a colour: shade}."""
    shades: dict[int, str] = {}
    for k, it in enumerate(items):
        if it.kind != "sense":
            continue
        sw = vocab.config.sense_words[it.word]
        chosen, why = sw.default, "default"
        for sense in sw.senses:
            if _holds(sense.when, items, k, tokens, vocab):
                chosen, why = sense.means, sense.when
                break
        rule = f"sense of '{sw.word}': {why}"
        it.rule = rule
        it.meanings = {d: Meaning(v, "synonym", "sense", rule=rule) for d, v in chosen.items() if d != "shade"}
        if "shade" in chosen:
            nxt = _next(items, k)
            if nxt is not None:
                shades[nxt.start] = chosen["shade"]
                it.note = f"shade '{chosen['shade']}' of '{nxt.span}'"
        elif not it.meanings:
            it.note = f"'{it.span}' here sets nothing ({why})"
    return shades


def _camera_cued(items: list[Item], k: int, tokens: list[Token], vocab: Vocabulary) -> bool:
    g = vocab.config.grammar
    it = items[k]
    tok = tokens[it.start]
    before = [t for t in tokens[max(0, it.start - 3):it.start]]
    if any(t.forms & g.camera_cues for t in before):
        return True
    prev = _prev(items, k)
    if prev is not None and ("camera_speed" in prev.meanings or "camera" in prev.meanings):
        return True
    prev_content = next((x for x in reversed(items[:k]) if x.kind != "stop"), None)
    if prev_content is not None and "camera" in prev_content.meanings:
        return True  # "no tilt or zoom"
    if prev_content is not None and prev_content.kind in ("grammar", "duration"):
        return True  # "do not pan", "without a tilt", "a ten second pan"
    if prev is None or prev.kind == "punct":
        return True  # an instruction at the start of a clause: "pan left"
    if any(lemma != tok.text and lemma in g.camera_ambiguous for lemma in tok.lemmas):
        return False  # an inflected verb with no camera for subject: "the haar rolls in"
    nxt = tokens[it.end] if it.end < len(tokens) else None
    return nxt is not None and bool(nxt.forms & (g.directions | vocab.config.classes.get("camera_nouns", frozenset())))


def resolve_camera(items: list[Item], tokens: list[Token], vocab: Vocabulary) -> None:
    g = vocab.config.grammar
    for k, it in enumerate(items):
        if "camera" in it.meanings and it.end - it.start == 1 and tokens[it.start].forms & g.camera_ambiguous:
            if not _camera_cued(items, k, tokens, vocab):
                it.meanings.pop("camera")
                it.rule += "; not a camera move here (nothing cues one)"
                if not it.meanings:
                    it.kind = "unknown"
    for k, it in enumerate(items):
        if "camera_speed" not in it.meanings:
            continue
        near = [x for x in (_next_content(items, k, 1, g, tokens), _next_content(items, k, -1, g, tokens)) if x]
        if any("camera" in x.meanings for x in [it, *near]):
            it.meanings = {d: m for d, m in it.meanings.items() if d != "motion"}
            it.rule += "; a camera speed (next to a camera move)"
        else:
            it.meanings.pop("camera_speed")
            if not it.meanings:
                it.kind = "stop"


def _next_content(items: list[Item], k: int, step: int, g, tokens: list[Token]) -> Item | None:
    j = k + step
    while 0 <= j < len(items):
        it = items[j]
        if it.kind == "duration" or _is_intensity(it) or (it.kind in ("stop", "unknown") and (
                tokens[it.start].forms & (g.directions | g.camera_cues) or tokens[it.start].norm in ("a", "the"))):
            j += step
            continue
        return it if it.content else None
    return None
