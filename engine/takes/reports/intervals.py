"""Is one system-prompt version's rejection rate really different from another's?

Wilson score intervals for each rate, and Newcombe's hybrid score interval (his method 10,
Statistics in Medicine 1998) for the difference of the two rates. A small sample gives a
wide interval; when the interval spans 0 the honest verdict is "inconclusive".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum

Z95 = 1.959963984540054  # two-sided 95 %


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for successes/n (n > 0)."""
    if n <= 0:
        raise ValueError("a rate needs at least one observation")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """(difference, low, high) for p1 - p2 with p1 = x1/n1 and p2 = x2/n2."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


class RateVerdict(StrEnum):
    """What the interval on B's rate minus A's says."""

    B_REJECTS_LESS = "B rejects less"
    B_REJECTS_MORE = "B rejects more"
    INCONCLUSIVE = "inconclusive"
    NO_DATA = "no data"


@dataclass(frozen=True)
class RateDifference:
    """B's rejection rate minus A's, with its 95 % interval and what it means."""

    a_label: str
    b_label: str
    a_rejected: int
    a_reviewed: int
    b_rejected: int
    b_reviewed: int
    difference: float | None  # rate(B) - rate(A)
    low: float | None
    high: float | None
    verdict: RateVerdict
    sentence: str

    @property
    def interval_text(self) -> str:
        """The difference and its interval in points, as people read it; "" without data."""
        if self.difference is None:
            return ""
        return (f"difference {self.difference * 100:+.1f} points, "
                f"95% interval {self.low * 100:+.1f} to {self.high * 100:+.1f}")


def compare_rates(
    a_label: str, a_rejected: int, a_reviewed: int, b_label: str, b_rejected: int, b_reviewed: int
) -> RateDifference:
    """Compare two versions' rejection rates; the verdict is "inconclusive" when the 95 %
    interval on the difference spans 0."""
    if a_reviewed == 0 or b_reviewed == 0:
        empty = a_label if a_reviewed == 0 else b_label
        return RateDifference(
            a_label, b_label, a_rejected, a_reviewed, b_rejected, b_reviewed,
            None, None, None, RateVerdict.NO_DATA, f"no data: {empty} has no reviewed takes this week",
        )
    d, low, high = newcombe(b_rejected, b_reviewed, a_rejected, a_reviewed)
    if low > 0:
        verdict = RateVerdict.B_REJECTS_MORE
        sentence = f"{b_label} is rejected more often than {a_label}"
    elif high < 0:
        verdict = RateVerdict.B_REJECTS_LESS
        sentence = f"{b_label} is rejected less often than {a_label}"
    else:
        verdict = RateVerdict.INCONCLUSIVE
        sentence = "inconclusive: the interval spans 0, these samples cannot tell the versions apart"
    result = RateDifference(
        a_label, b_label, a_rejected, a_reviewed, b_rejected, b_reviewed, d, low, high, verdict, sentence
    )
    return replace(result, sentence=f"{sentence} ({result.interval_text})")


def percent(rate: float | None) -> str:
    """A rate as people read it in reports: 12.5%, or - when there is none."""
    return "-" if rate is None else f"{rate * 100:.1f}%"
