"""Checks of a Flash answer: every locked term kept, the target's limits respected, no
people in an environment-only prompt. A check that fails returns a short reason that starts
with the name of the check (empty, locked_term_missing, word_limit, char_limit,
people_in_env, not_json)."""

from __future__ import annotations

import json

from engine.prompting.builder import BuiltPrompt
from engine.prompting.config import Limits, load_config
from engine.prompting.fitting import normalise, word_count
from engine.prompting.presence import people_in


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


def check_answer(answer: str | None, built: BuiltPrompt, limits: Limits | None = None) -> str | None:
    """None when `answer` may be used as the final prompt, else the failed check."""
    text = (answer or "").strip()
    if not text:
        return "empty: the answer has no text"
    if limits is None:
        limits = load_config().profile(built.target).limits
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
    if built.env_only:
        cfg = load_config()
        found = people_in(text, allowed=(cfg.text("env_only_guard"),))
        if found:
            return f"people_in_env: {', '.join(sorted(set(w.lower() for w in found)))}"
    return None


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
