"""A shot's landed cost counts every entry booked against it, with a take or without, on
both backends; an entry cannot name a take of another shot."""

from __future__ import annotations

import pytest

from engine.core.errors import StoreError
from engine.store.costs import add_cost, cost_summary
from engine.store.takes import NewTake, append_take, bulk_append_takes

from .helpers import add_shots


def test_a_shot_counts_its_takes_costs_its_own_entries_and_nothing_of_other_shots(any_store):
    add_shots(any_store, "SH010", "SH020")
    with any_store.write() as s:
        take = append_take(s, NewTake(shot="SH010", model="m", pipeline="keyframe", cost=0.25))
        bulk_append_takes(s, [NewTake(shot=code, model="m", pipeline="keyframe", cost=0.5)
                              for code in ("SH010", "SH010", "SH020")])
        add_cost(s, pass_type="prompt_enrichment", amount=0.01, shot="SH010", take_id=take.id,
                 input_tokens=10, output_tokens=5)
        add_cost(s, pass_type="prompt_enrichment", amount=0.02, shot="SH010", input_tokens=3)
        add_cost(s, pass_type="upscale", amount=4.0, take_id=take.id)  # booked against no shot
    with any_store.read() as s:
        ten = cost_summary(s, shot="SH010")
        twenty = cost_summary(s, shot="SH020")
        episode = cost_summary(s, episode="EP01")
    assert ten.by_pass == {"generation": 1.25, "prompt_enrichment": 0.03}
    assert ten.tokens == {"generation": 0, "prompt_enrichment": 18}
    assert twenty.by_pass == {"generation": 0.5}
    assert episode.landed == 1.78


def test_an_entry_naming_a_take_of_another_shot_is_refused(store):
    add_shots(store, "SH010", "SH020")
    with store.write() as s:
        take = append_take(s, NewTake(shot="SH020", model="m", pipeline="keyframe"))
    with pytest.raises(StoreError, match=f"take {take.id} is not a take of shot SH010"):
        with store.write() as s:
            add_cost(s, pass_type="prompt_enrichment", amount=0.01, shot="SH010", take_id=take.id)
