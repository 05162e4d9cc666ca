import pytest

from engine.takes.reports.intervals import compare_rates, newcombe, wilson


def test_wilson_matches_newcombes_worked_example():
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_hybrid_score_interval_matches_newcombes_worked_example():
    # Newcombe (1998), example (a): 56/70 against 48/80 gives 0.0524 to 0.3339.
    d, low, high = newcombe(56, 70, 48, 80)
    assert d == pytest.approx(0.2)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_a_small_sample_reads_inconclusive():
    result = compare_rates("nbp v1.0", 3, 10, "nbp v1.1", 1, 10)
    assert result.verdict == "inconclusive"
    assert result.low < 0 < result.high
    assert result.sentence.startswith("inconclusive")


def test_a_large_clear_difference_has_a_verdict():
    better = compare_rates("nbp v1.0", 300, 1000, "nbp v1.1", 200, 1000)
    assert better.verdict == "B rejects less" and better.high < 0
    assert "nbp v1.1 is rejected less often than nbp v1.0" in better.sentence
    worse = compare_rates("nbp v1.0", 200, 1000, "nbp v1.1", 300, 1000)
    assert worse.verdict == "B rejects more" and worse.low > 0


def test_no_reviews_means_no_verdict():
    result = compare_rates("nbp v1.0", 0, 0, "nbp v1.1", 2, 5)
    assert result.verdict == "no data" and result.difference is None
    assert "nbp v1.0" in result.sentence
