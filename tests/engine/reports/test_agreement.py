"""A seeded sample for a second blind review, who is blind to what, and Cohen's kappa of the
two reviews against a case worked out by hand, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from engine.core.errors import DailiesError
from engine.store.reviews import add_decision
from engine.takes.reports.agreement import blind_take_ids, cohen_kappa, is_blind, mark_sample
from engine.takes.reports.weekly import weekly_report
from engine.takes.reports.weeks import IsoWeek

from .conftest import W47_MON, Desk

W47 = IsoWeek(2026, 47)

# Take i: ana's first decision, then ben's second (None: approve).
ANA = [("anatomy_failure",)] * 6 + [None] * 4
BEN = [("anatomy_failure",)] * 2 + [("style_lighting",)] * 2 + [None] * 5 + [("anatomy_failure",)]


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request):
    return request.getfixturevalue("store" if request.param == "sqlite" else "pg_store")


def _first_reviews(store) -> list[int]:
    desk = Desk(store)
    takes = [desk.take() for _ in ANA]
    for take, tags in zip(takes, ANA, strict=True):
        desk.review(take, tags is None, tags=tags or (), at=W47_MON + timedelta(hours=1))
    return takes


def _second(store, take, tags, who="ben"):
    with store.write() as s:
        add_decision(s, take, reviewer=who, approve=tags is None, tags=tags or (), note="second look")


def test_kappa_by_hand_and_the_disagreements(any_store):
    takes = _first_reviews(any_store)
    sample = mark_sample(any_store, W47, 1.0, seed=3, made_by="sam")
    assert sorted(sample.take_ids) == sorted(takes) and sample.population == 10
    with any_store.read() as s:
        assert blind_take_ids(s, takes, "ben") == set(takes)
        assert not is_blind(s, takes[0], "ana")  # her own decision is never hidden from her
    for take, tags in zip(takes, BEN, strict=True):
        _second(any_store, take, tags)
    with any_store.read() as s:
        assert blind_take_ids(s, takes, "ben") == set()  # given his opinion, ben sees both

    agreement = weekly_report(any_store, W47).agreement
    assert (agreement.sampled, agreement.second_reviewed) == (10, 10)
    # Approve/reject: 7 of 10 agree (po 0.7); ana rejects 6/10, ben 5/10, so pe = 0.6*0.5 + 0.4*0.5
    # = 0.5 and kappa = (0.7 - 0.5) / 0.5 = 0.4; SE = sqrt(0.7*0.3 / (10*0.25)) = 0.28983.
    k = agreement.overall
    assert (k.n, k.agreed) == (10, 7)
    assert k.kappa == pytest.approx(0.4)
    assert k.low == pytest.approx(0.4 - 1.959964 * 0.289828, abs=1e-5)
    assert k.high == pytest.approx(0.4 + 1.959964 * 0.289828, abs=1e-5)
    # Anatomy: agree on 5 (2 both, 3 neither); ana tags 6/10, ben 3/10: pe = 0.18 + 0.28 = 0.46,
    # kappa = 0.04 / 0.54.
    anatomy = dict((t, kk) for t, _, kk in agreement.tags)["anatomy_failure"]
    assert anatomy.kappa == pytest.approx(0.04 / 0.54)
    disagreed = {d.take_id for d in agreement.disagreements}
    assert disagreed == {takes[i] for i in (2, 3, 4, 5, 9)}


def test_a_seeded_sample_is_repeatable_and_never_samples_a_take_twice(store, tmp_path):
    takes = _first_reviews(store)
    first = mark_sample(store, W47, 0.3, seed=11)
    assert len(first.take_ids) == 3 and set(first.take_ids) <= set(takes)
    second = mark_sample(store, W47, 0.5, seed=11)
    assert not set(first.take_ids) & set(second.take_ids)
    assert second.population == 7
    with pytest.raises(DailiesError, match="above 0 and at most 1"):
        mark_sample(store, W47, 1.5)
    with pytest.raises(DailiesError, match="no reviewed takes"):
        mark_sample(store, W47.shifted(1), 0.1)

    from engine.store.db import open_store

    again = open_store(tmp_path / "again.sqlite", create=True)
    try:
        _first_reviews(again)
        assert mark_sample(again, W47, 0.3, seed=11).take_ids == first.take_ids
    finally:
        again.close()


def test_kappa_is_undefined_when_both_put_every_take_in_one_class():
    k = cohen_kappa([("a", "a")] * 5)
    assert k.kappa is None and "undefined" in k.note
    assert cohen_kappa([]).n == 0


def test_the_cli_marks_a_sample_and_the_weekly_report_gives_the_agreement(store, capsys):
    import json

    from engine.cli.main import main

    takes = _first_reviews(store)
    where = str(store.location.path)
    assert main(["review", "sample", "--store", where, "--week", "2026-W47", "--fraction", "1", "--seed", "4",
                 "--json"]) == 0
    marked = json.loads(capsys.readouterr().out)
    assert sorted(marked["take_ids"]) == sorted(takes)
    for take, tags in zip(takes, BEN, strict=True):
        _second(store, take, tags)
    assert main(["report", "weekly", "--store", where, "--week", "2026-W47"]) == 0
    text = capsys.readouterr().out
    assert "Second blind review: 10 of 10" in text and "kappa 0.40" in text
    assert "Anatomy failure: 6/10" in text  # the per-tag figure of the version
    assert main(["review", "sample", "--store", where, "--week", "2026-W47", "--fraction", "0"]) == 2
    assert "above 0" in capsys.readouterr().err


def test_a_withdrawn_second_review_and_the_first_reviewers_own_do_not_count(store):
    from engine.store.reviews import retract_latest
    from engine.takes.reports.agreement import week_agreement

    _first_reviews(store)
    mine, withdrawn = mark_sample(store, W47, 0.2, seed=1).take_ids  # 2 of the 10
    _second(store, mine, None, who="ana")  # the first reviewer again: no second opinion
    _second(store, withdrawn, None)
    with store.write() as s:
        retract_latest(s, withdrawn, reviewer="ben")  # withdrawn: no second opinion either
    with store.read() as s:
        agreement = week_agreement(s, W47)
        assert (agreement.sampled, agreement.second_reviewed) == (2, 0)
        assert blind_take_ids(s, [mine, withdrawn], "ben") == {mine, withdrawn}  # still blind for ben


def test_the_desk_sees_no_first_decision_on_a_take_blind_for_its_reviewer(store):
    from engine.takes.reports.agreement import standing_as_seen_by

    _first_reviews(store)
    [sampled] = mark_sample(store, W47, 0.1, seed=3).take_ids
    with store.read() as s:
        for_ben = standing_as_seen_by(s, [sampled], "ben")[sampled]
        for_ana = standing_as_seen_by(s, [sampled], "ana")[sampled]
    assert for_ben.blind and for_ben.decision is None and for_ben.count == 1
    assert not for_ana.blind and for_ana.decision.reviewer == "ana"
    _second(store, sampled, None)
    with store.read() as s:
        after = standing_as_seen_by(s, [sampled], "ben")[sampled]
    assert not after.blind and after.decision.reviewer == "ben"
