"""Which registries and aspects exist, and the plain records queries return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine.core.errors import DailiesError
from engine.procedural.registries.keys import SEMANTIC_ASPECTS

REGISTRIES: dict[str, tuple[str, ...]] = {
    "pure": ("colour", "sound"),
    "blended": (
        "colour", "motion", "gradient", "camera", "lighting", "composition", "graphics",
        "temporal", "technical", "transition", "depth", "audio", "blends",
    ),
    "semantic": SEMANTIC_ASPECTS,
}
SOURCE_KINDS = ("job", "learning", "discovery", "import", "manual")
# The aspects something measures: the discovery loop's extractors (frames: pure colour and
# sound; windows: engine.procedural.discovery.loop.WINDOW_ASPECTS) and a job's intent (the semantic
# aspects). Every other aspect grows only by import, so density reports it as not measured
# instead of flagging it sparse forever.
EXTRACTED: frozenset[tuple[str, str]] = frozenset(
    [("pure", "colour"), ("pure", "sound")]
    + [("blended", a) for a in ("camera", "motion", "gradient", "lighting", "composition")]
)
MEASURED: frozenset[tuple[str, str]] = EXTRACTED | {("semantic", a) for a in SEMANTIC_ASPECTS}


class RegistryError(DailiesError):
    """An unknown registry or aspect, or a value that does not fit its aspect."""


def check_aspect(registry: str, aspect: str) -> None:
    if registry not in REGISTRIES:
        raise RegistryError(
            f"unknown registry '{registry}' (registries: {', '.join(REGISTRIES)})"
        )
    if aspect not in REGISTRIES[registry]:
        raise RegistryError(
            f"unknown aspect '{aspect}' in registry '{registry}' "
            f"(aspects: {', '.join(REGISTRIES[registry])})"
        )


@dataclass(frozen=True)
class SourceRef:
    """Who observed a value: a creation job, a learning or discovery run, an import."""

    kind: str
    ref: str
    prompt: str | None = None

    def __post_init__(self):
        if self.kind not in SOURCE_KINDS:
            raise RegistryError(
                f"source kind '{self.kind}' is not one of {', '.join(SOURCE_KINDS)}"
            )


@dataclass(frozen=True)
class SourceRecord:
    kind: str
    ref: str
    prompt: str | None
    times: int
    created_at: datetime


@dataclass(frozen=True)
class EntryRecord:
    id: int
    registry: str
    aspect: str
    key: str
    name: str
    count: int
    created_at: datetime
    is_origin: bool = False
    depth: dict = field(default_factory=dict)
    value: dict | None = None
    sources: tuple[SourceRecord, ...] = ()


@dataclass(frozen=True)
class InterpretationRecord:
    id: str
    prompt: str
    instruction: dict
    updated_at: datetime


@dataclass(frozen=True)
class LinguisticRecord:
    """A word in a domain and the canonical value it most often meant (derived)."""

    span: str
    domain: str
    canonical: str
    variant_type: str
    count: int
    alternatives: dict = field(default_factory=dict)  # canonical -> times
