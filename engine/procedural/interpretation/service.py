"""Interpreting prompts against a store: the instruction is recorded as an interpretation and
every word it mapped grows the linguistic registry (one row per observation, so the canonical
value reported for a word is the one it meant most often)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.procedural.interpretation.config import load_config
from engine.procedural.interpretation.interpret import interpret_text
from engine.procedural.interpretation.vocabulary import (
    Vocabulary,
    build_vocabulary,
    normalise_phrase,
)
from engine.procedural.registries.record import record_interpretation, record_linguistic
from engine.store.db import Store


@dataclass(frozen=True)
class InterpretResult:
    id: str
    prompt: str
    instruction: dict
    mappings_recorded: int


def prompt_id(prompt: str, prefix: str = "prompt") -> str:
    """A stable interpretation id for a prompt: the same words give the same id."""
    digest = hashlib.sha1(normalise_phrase(prompt).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}:{digest}"


def job_interpretation_id(job_ref: str) -> str:
    """The id under which a creation job's prompt is interpreted."""
    return f"job:{job_ref}"


def vocabulary(store: Store) -> Vocabulary:
    with store.read() as s:
        return build_vocabulary(s, load_config())


def record_instruction(session: Session, prompt: str, instruction: dict, ident: str) -> int:
    """Record an instruction and its word mappings in an open write session; returns the
    number of linguistic observations written.

    A mapping read from the linguistic registry itself is not written back: counting it again
    would entrench whatever a word meant first, the very defect the most-frequent rule fixes."""
    record_interpretation(session, prompt, instruction, id=ident)
    written = 0
    for m in instruction.get("mappings", []):
        if m.get("source") == "learned":
            continue
        record_linguistic(session, m["span"], m["canonical"], m["domain"], variant_type=m["variant_type"])
        written += 1
    return written


def interpret_prompt(
    store: Store, prompt: str, *, ident: str | None = None, record: bool = True,
    vocab: Vocabulary | None = None, flash=None,
) -> InterpretResult:
    """Interpret `prompt` with the store's registry names and learned words; record it.
    With `flash` (the Flash model settings, `.model` and `.timeout_s`), Gemini Flash reads it
    too when a key is set, judged by the offline reading."""
    vocab = vocab or vocabulary(store)
    if flash is not None:
        from engine.procedural.interpretation.flash import interpret_with_flash

        instruction = interpret_with_flash(prompt, vocab, flash)
    else:
        instruction = interpret_text(prompt, vocab)
    ident = ident or prompt_id(prompt)
    written = 0
    if record:
        with store.write() as s:
            written = record_instruction(s, prompt, instruction, ident)
    return InterpretResult(ident, prompt, instruction, written)
