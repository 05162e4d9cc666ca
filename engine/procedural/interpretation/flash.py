"""Gemini Flash interpretation, optional: with a key set, Flash reads the prompt too.

The offline interpreter always runs first and is the judge. Flash is given the prompt and the
values each domain accepts and answers JSON; an answer is refused when it is not JSON of that
shape, names a value its domain does not know, puts in what the offline reading negated, or
drops one of its negations. A refused answer is retried once at temperature 0; then, or with
no key, no network or a failed call, the offline instruction is used, with the reason.
An accepted answer sets the values; the offline mappings stay, so --explain still shows why.
"""

from __future__ import annotations

import json

from engine.core import gemini
from engine.procedural.interpretation.interpret import interpret_text
from engine.procedural.interpretation.vocabulary import Vocabulary

PROMPT_VERSION = "interpret-1"
SYSTEM = (
    "You read a prompt for a short generated video and say what it asks for. Answer one JSON "
    "object with the keys palette (list), sounds (list), motion, camera, speed, lighting, mood, "
    "gradient (each a value or null) and negations (a list of {\"domain\", \"value\"} for what "
    "the prompt excludes). Use only the values listed for each domain in the request. A colour "
    "word in an idiom (\"feeling blue\", \"saw red\") is not a colour; what is negated (\"no red\", "
    "\"anything but red\", \"less red\") is never in the palette."
)
SINGLE = {"motion": "motion", "camera": "camera", "speed": "camera_speed", "lighting": "lighting",
          "mood": "mood", "gradient": "gradient"}
LISTS = {"palette": "palette", "sounds": "sound"}
DOMAINS = ("palette", "motion", "camera", "camera_speed", "lighting", "mood", "gradient", "sound")


def allowed_values(vocab: Vocabulary) -> dict[str, list[str]]:
    return {d: sorted(vocab.config.known_canonical(d)) for d in DOMAINS}


def check_answer(answer, allowed: dict[str, list[str]], offline: dict) -> str | None:
    """Why an answer is refused, or None."""
    if not isinstance(answer, dict):
        return "the answer is not a JSON object"
    unknown = set(answer) - set(SINGLE) - set(LISTS) - {"negations"}
    if unknown:
        return f"unknown key '{sorted(unknown)[0]}'"
    for key, domain in {**SINGLE, **LISTS}.items():
        values = answer.get(key) or []
        values = values if isinstance(values, list) else [values]
        for v in values:
            if v not in allowed[domain]:
                return f"'{v}' is not a {domain} value"
    negs = answer.get("negations") or []
    if not isinstance(negs, list) or not all(isinstance(n, dict) for n in negs):
        return "negations is not a list of objects"
    said = {(n.get("domain"), n.get("value")) for n in negs}
    for n in offline["negations"]:
        if n["domain"] == "other":
            continue
        key = next((k for k, d in {**SINGLE, **LISTS}.items() if d == n["domain"]), None)
        got = answer.get(key) if key else None
        if n["value"] == got or (isinstance(got, list) and n["value"] in got):
            return f"puts in {n['domain']} {n['value']}, which the prompt negates"
        if (n["domain"], n["value"]) not in said:
            return f"drops the negation of {n['domain']} {n['value']}"
    return None


def _merge(offline: dict, answer: dict) -> dict:
    out = dict(offline)
    for key in ("motion", "lighting", "mood", "gradient"):
        if answer.get(key):
            out[key] = answer[key]
    for key in LISTS:
        if answer.get(key):
            out[key] = list(answer[key])
    if answer.get("camera"):
        out["camera"] = {"motion": answer["camera"], **({"speed": answer["speed"]} if answer.get("speed") else {})}
    out["interpreter"] = f"flash ({PROMPT_VERSION})"
    return out


def interpret_with_flash(prompt: str, vocab: Vocabulary, settings, client=None) -> dict:
    """The instruction for `prompt`, read by Flash and judged offline (offline when no key).

    `settings`: the Flash model and its timeout (`.model`, `.timeout_s`), as models.json's
    enrichment section gives them; the caller reads them, so the interpreter stays clear of
    the prompt engine."""
    offline = interpret_text(prompt, vocab)
    key = gemini.api_key()
    if client is None and not key:
        return {**offline, "interpreter": "offline (no Gemini key)"}
    from google.genai import types

    client = client or gemini.make_client(key or "", settings.timeout_s)
    allowed = allowed_values(vocab)
    contents = json.dumps({"prompt": prompt, "values": allowed}, ensure_ascii=False)
    reason = "no answer"
    for temperature in (0.2, 0.0):
        config = types.GenerateContentConfig(system_instruction=SYSTEM, temperature=temperature,
                                             response_mime_type="application/json")
        try:
            response = client.models.generate_content(model=settings.model, contents=contents, config=config)
        except Exception as exc:  # noqa: BLE001 - classified below; anything else is raised
            failure = gemini.classify(exc)
            if failure is None:
                raise
            reason = failure.check
            if failure.unreachable:
                break
            continue
        try:
            answer = json.loads(gemini.text_of(response))
        except ValueError:
            reason = "the answer is not JSON"
            continue
        reason = check_answer(answer, allowed, offline)
        if reason is None:
            return _merge(offline, answer)
    return {**offline, "interpreter": f"offline (Flash refused: {reason})"}
