"""Checks of a Flash answer as an answer. A check that fails returns a short reason that starts
with the name of the check:

- empty: no text;
- not_prose: JSON (for a target that wants prose), markup such as an HTML page, or a code fence;
- payload_keys: the request echoed back (its keys: draft, locked_terms, parts...);
- locked_term_missing, word_limit, char_limit: the target's locked terms and limits;
- people_in_env: people in an ENV-only shot or a location reference;
- people_added: people the plan does not have, in a shot whose subjects are not human;
- human_traits_added: skin, hair, lips... given to a subject that is not human;
- not_json: a scene block's answer that is not an array of one prompt per shot.
"""

from __future__ import annotations

import json
import re

from engine.takes.prompting.builder import BuiltPrompt
from engine.takes.prompting.config import Limits, load_config
from engine.takes.prompting.fitting import normalise, word_count
from engine.takes.prompting.presence import human_traits, people_in

PAYLOAD_KEYS = ("draft", "locked_terms", "parts", "pipeline", "env_only", "limits", "target", "scene_block")
_KEY_RE = re.compile(r"[\"']?\b(" + "|".join(PAYLOAD_KEYS) + r")\b[\"']?\s*:", re.IGNORECASE)
_MARKUP_RE = re.compile(r"<\s*/?\s*(?:!doctype|html|head|body|div|p|span|br|title|meta)\b", re.IGNORECASE)


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


def _is_json(text: str) -> bool:
    if text[:1] not in "[{\"":
        return False
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def prose_check(text: str) -> str | None:
    """Whether the answer is prose: not JSON, not markup, not a fenced block, not the request."""
    if _is_json(text):
        return "not_prose: the answer is JSON, the target wants prose"
    if text.startswith("```"):
        return "not_prose: the answer is a fenced code block"
    if _MARKUP_RE.search(text):
        return "not_prose: the answer is markup (HTML)"
    keys = sorted({m.group(1).lower() for m in _KEY_RE.finditer(text)})
    if keys:
        return f"payload_keys: the answer repeats the request ({', '.join(keys)})"
    return None


def _lemma_set(words) -> set[str]:
    from engine.takes.prompting.presence import noun_lemma

    return {noun_lemma(w.lower().rstrip("'s").replace("’", "")) for w in words}


def content_check(text: str, built: BuiltPrompt, names: tuple[str, ...] = ()) -> str | None:
    """No people in an empty frame; no people or human traits the plan does not have."""
    cfg = load_config()
    allowed = tuple(built.locked_terms) + (cfg.text("env_only_guard"), cfg.text("non_human_identity_lock"))
    source = " ".join(t for _, t in built.parts)
    if built.env_only:
        found = people_in(text, allowed=allowed, names=names)
        if found:
            return f"people_in_env: {', '.join(sorted(set(w.lower() for w in found)))}"
        return None
    if built.subjects_human:
        return None
    have = _lemma_set(human_traits(source, allowed))
    traits = sorted({w.lower() for w in human_traits(text, allowed) if not _lemma_set([w]) & have})
    if traits:
        return f"human_traits_added: {', '.join(traits)}"
    known = _lemma_set(people_in(source, allowed=allowed, names=names))
    added = sorted({w.lower() for w in people_in(text, allowed=allowed, names=names)} - known)
    added = [w for w in added if not _lemma_set([w]) & known]
    if added:
        return f"people_added: {', '.join(added)}"
    return None


def check_answer(answer: str | None, built: BuiltPrompt, limits: Limits | None = None) -> str | None:
    """None when `answer` may be used as the final prompt, else the failed check."""
    text = (answer or "").strip()
    if not text:
        return "empty: the answer has no text"
    if limits is None:
        limits = load_config().profile(built.target).limits
    why = prose_check(text)
    if why:
        return why
    low = normalise(text)
    for term in built.locked_terms:
        if normalise(term) not in low:
            return f"locked_term_missing: '{_short(term)}'"
    words = word_count(text)
    if limits.max_words is not None and words > limits.max_words:
        return f"word_limit: {words} words, more than {limits.max_words}"
    if limits.min_words is not None and words < limits.min_words:
        return f"word_limit: {words} words, fewer than {limits.min_words}"
    if limits.max_chars is not None and len(text) > limits.max_chars:
        return f"char_limit: {len(text)} characters, more than {limits.max_chars}"
    return content_check(text, built, built.names)


def parse_json_array(answer: str | None, count: int) -> tuple[list[str] | None, str | None]:
    """The answer of a scene block as `count` texts, or (None, the reason it is malformed)."""
    text = (answer or "").strip()
    if not text:
        return None, "empty: the answer has no text"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"not_json: {exc.msg} at line {exc.lineno}"
    if isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), list):
        data = next(iter(data.values()))
    if not isinstance(data, list):
        return None, f"not_json: expected an array, got {type(data).__name__}"
    if len(data) != count:
        return None, f"not_json: {len(data)} prompts for {count} shots"
    items = []
    for i, item in enumerate(data):
        if isinstance(item, dict) and isinstance(item.get("prompt"), str):
            item = item["prompt"]
        if not isinstance(item, str):
            return None, f"not_json: item {i} is not a text"
        items.append(item)
    return items, None
