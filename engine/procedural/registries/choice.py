"""Weighted random choices that favour underused and recently discovered values.

- favour underused: weight 1 / (1 + count), so a value never observed is drawn most often;
- favour recent: weight 1 / (1 + days since it was created); a value with no creation date
  counts as new (0 days).

Every function takes an explicit ``numpy.random.Generator`` so a seed reproduces the draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TypeVar

import numpy as np

T = TypeVar("T")


def underused_weights(counts: Sequence[int]) -> np.ndarray:
    c = np.asarray(counts, dtype=np.float64)
    if (c < 0).any():
        raise ValueError("counts cannot be negative")
    return 1.0 / (1.0 + c)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def recent_weights(created: Sequence[datetime | None], now: datetime | None = None) -> np.ndarray:
    """1 / (1 + days since created); None (unknown) and future dates count as 0 days."""
    now = _aware(now or datetime.now(UTC))
    days = [
        0.0 if when is None else max(0.0, (now - _aware(when)).total_seconds() / 86400.0)
        for when in created
    ]
    return 1.0 / (1.0 + np.asarray(days, dtype=np.float64))


def _pick(options: Sequence[T], weights: np.ndarray, rng: np.random.Generator) -> T:
    if len(options) == 0:
        raise ValueError("cannot choose from an empty pool")
    if len(weights) != len(options):
        raise ValueError(f"{len(options)} options but {len(weights)} weights")
    p = weights / weights.sum()
    return options[int(rng.choice(len(options), p=p))]


def weighted_choice_favor_underused(
    options: Sequence[T], counts: Sequence[int], rng: np.random.Generator
) -> T:
    """One of `options`, drawn with weight 1 / (1 + count)."""
    return _pick(options, underused_weights(counts), rng)


def weighted_choice_favor_recent(
    options: Sequence[T],
    created: Sequence[datetime | None],
    rng: np.random.Generator,
    now: datetime | None = None,
) -> T:
    """One of `options`, drawn with weight 1 / (1 + days since created)."""
    return _pick(options, recent_weights(created, now), rng)


def weighted_sample(
    options: Sequence[T], weights: Sequence[float], k: int, rng: np.random.Generator
) -> list[T]:
    """`k` distinct options (fewer if the pool is smaller), each draw weighted, no repeats."""
    w = np.asarray(weights, dtype=np.float64)
    if len(w) != len(options):
        raise ValueError(f"{len(options)} options but {len(w)} weights")
    k = min(k, len(options))
    if k <= 0:
        return []
    idx = rng.choice(len(options), size=k, replace=False, p=w / w.sum())
    return [options[int(i)] for i in idx]
