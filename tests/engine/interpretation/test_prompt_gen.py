"""Generated prompts: only meaningful registry names, no near-duplicates, a diversity figure."""

import numpy as np

from engine.cli.main import main
from engine.interpretation.prompt_gen import (
    generate_from_pools,
    generate_prompts,
    is_near_duplicate,
    words,
)
from engine.registries.catalog import SourceRef

GIBBERISH = ("Qitudaterara", "Lokofacixofa", "Dimalaqabela", "Violet3560", "Novel47799")


def _gibberish_store(store):
    from engine.registries.record import observe

    src = SourceRef("manual", "test")
    with store.write() as s:
        observe(s, "pure", "colour", "200,50,50_1.0", source=src, name="Qitudaterara")
        observe(s, "pure", "colour", "50,50,200_1.0", source=src, name="Violet3560")
        observe(s, "blended", "camera", "pan_slow_steady", source=src, name="Lokofacixofa")
        observe(s, "blended", "lighting", "dim_high_muted", source=src, name="Novel47799")
        observe(s, "semantic", "mood", "wistfulness", source=src, name="Dimalaqabela")
        observe(s, "pure", "colour", "100,100,150_1.0", source=src, name="Slate")
        observe(s, "blended", "motion", "2.0_steady_left_even", source=src, name="Drift")


def test_gibberish_names_never_appear(store):
    _gibberish_store(store)
    g = generate_prompts(store, 40, seed=4)
    assert len(g.prompts) == 40
    text = " ".join(g.prompts).lower()
    for name in GIBBERISH:
        assert name.lower() not in text
    assert "slate" in text or "drift" in text  # meaningful registry names do come through


def test_no_prompt_repeats_most_words_of_an_earlier_one(store):
    g = generate_prompts(store, 30, seed=9)
    seen = []
    for p in g.prompts:
        assert not is_near_duplicate(p, seen)
        seen.append(words(p))
    assert 0.0 < g.distinct_word_ratio <= 1.0
    assert g.mean_pairwise_distance > 0.5


def test_near_duplicates_are_rejected_when_pools_are_tiny():
    pools = {s: ["teal"] if s == "colour" else [f"{s}word"] for s in
             ("colour", "motion", "lighting", "gradient", "camera", "mood", "sound")}
    templates = ("{colour} {motion} {camera}", "{mood} {lighting} {gradient}")
    g = generate_from_pools(pools, templates, 10, np.random.default_rng(1))
    assert len(g.prompts) == 2
    assert g.rejected_near_duplicates > 0


def test_near_duplicate_rule_is_eighty_percent_of_words():
    recent = [words("slow pan over teal and olive")]
    assert is_near_duplicate("slow pan over gray and pink", recent) is False  # 4 of 6: 67%
    assert is_near_duplicate("slow pan over teal and gray", recent) is True  # 5 of 6: 83%
    assert is_near_duplicate("fast tilt under gray", recent) is False


def test_cli_prints_prompts_and_diversity(store, capsys):
    assert main(["prompts", "generate", "--store", str(store.location.path), "-n", "5", "--seed", "2"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 6
    assert out[-1].startswith("Diversity: 5 prompts, distinct-word ratio ")
