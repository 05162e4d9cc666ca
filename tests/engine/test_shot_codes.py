"""Shot codes checked many at once (imports) obey exactly the rule for one code."""

from __future__ import annotations

import random

from engine.core.inputs import SHOT_CODE_MAX, plain_shot_code, plain_shot_codes


def test_many_codes_at_once_are_plain_exactly_when_each_one_is():
    rng = random.Random(14)
    alphabet = "Aa0_-.\n /é\x00"
    for _ in range(50_000):
        codes = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.05:
            codes.append("S" * rng.randint(SHOT_CODE_MAX - 1, SHOT_CODE_MAX + 1))
        assert plain_shot_codes(codes) == all(plain_shot_code(c) for c in codes), codes


def test_codes_that_are_not_text_or_none_at_all_are_left_to_the_one_by_one_check():
    assert plain_shot_codes(["SH010", "SH020"])
    assert not plain_shot_codes([])
    assert not plain_shot_codes(["SH010", 20])
    assert not plain_shot_codes(["SH010", None])
