"""The weighted choices favour underused and recent values in the stated proportions."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from engine.procedural.registries.choice import (
    weighted_choice_favor_recent,
    weighted_choice_favor_underused,
    weighted_sample,
)

DRAWS = 20_000
CHI2_DF3_P001 = 16.27  # chi-square critical value, 3 degrees of freedom, p = 0.001


def _chi2(observed: dict, expected_p: dict) -> float:
    return sum((observed.get(k, 0) - DRAWS * p) ** 2 / (DRAWS * p) for k, p in expected_p.items())


def test_underused_values_are_drawn_in_proportion_to_one_over_one_plus_count():
    rng = np.random.default_rng(7)
    options, counts = ["a", "b", "c", "d"], [0, 1, 3, 9]
    draws = [weighted_choice_favor_underused(options, counts, rng) for _ in range(DRAWS)]
    w = {"a": 1.0, "b": 0.5, "c": 0.25, "d": 0.1}
    p = {k: v / sum(w.values()) for k, v in w.items()}
    observed = {k: draws.count(k) for k in options}
    assert _chi2(observed, p) < CHI2_DF3_P001
    assert observed["a"] > observed["b"] > observed["c"] > observed["d"]


def test_recent_values_are_favoured_and_an_unknown_date_counts_as_new():
    rng = np.random.default_rng(11)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    options = ["unknown", "today", "yesterday", "old"]
    created = [None, now, now - timedelta(days=1), now - timedelta(days=9)]
    draws = [weighted_choice_favor_recent(options, created, rng, now=now) for _ in range(DRAWS)]
    w = {"unknown": 1.0, "today": 1.0, "yesterday": 0.5, "old": 0.1}
    p = {k: v / sum(w.values()) for k, v in w.items()}
    observed = {k: draws.count(k) for k in options}
    assert _chi2(observed, p) < CHI2_DF3_P001
    # unknown and today are equally likely: within 5% of each other over 20k draws
    assert abs(observed["unknown"] - observed["today"]) < 0.05 * observed["today"]


def test_naive_dates_are_read_as_utc():
    rng = np.random.default_rng(3)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    naive_old = datetime(2026, 1, 1)
    draws = [weighted_choice_favor_recent(["new", "old"], [now, naive_old], rng, now=now) for _ in range(2000)]
    assert draws.count("new") > 10 * draws.count("old")


def test_same_seed_same_draws():
    a = [weighted_choice_favor_underused("xyz", [0, 2, 5], np.random.default_rng(5)) for _ in range(1)]
    b = [weighted_choice_favor_underused("xyz", [0, 2, 5], np.random.default_rng(5)) for _ in range(1)]
    assert a == b


def test_sample_is_distinct_and_bad_input_is_refused():
    rng = np.random.default_rng(1)
    picks = weighted_sample(list("abcde"), [1, 1, 1, 1, 1], 3, rng)
    assert len(set(picks)) == 3
    assert weighted_sample(["a"], [1.0], 3, rng) == ["a"]
    with pytest.raises(ValueError, match="empty pool"):
        weighted_choice_favor_underused([], [], rng)
    with pytest.raises(ValueError, match="negative"):
        weighted_choice_favor_underused(["a"], [-1], rng)
