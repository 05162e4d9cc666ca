"""The interpretation loop: queued user prompts, backfill, generated prompts, linguistic growth."""

from engine.cli.main import main
from engine.procedural.interpretation.loop import interpret_cycle
from engine.procedural.registries.query import interpretations
from engine.procedural.registries.record import record_interpretation, record_job


def _seed(store):
    with store.write() as s:
        record_job(s, "create-aaa", prompt="grey slow pan, no red")
        record_job(s, "loop-bbb", prompt="Teal and Olive, radial gradient, slow pan locked")
        record_job(s, "loop-ccc", prompt=None)
        record_interpretation(s, "a dark ocean, teal", {"palette": ["teal"]}, id="imported-1")


def test_a_cycle_interprets_queued_backfills_and_generates(store):
    _seed(store)
    r = interpret_cycle(store, 1, generate=3, seed=1)
    assert (r.interpreted, r.backfill, r.generated) == (1, 2, 3)
    assert r.linguistic_growth > 0
    with store.read() as s:
        by_id = {i.id: i for i in interpretations(s)}
    assert by_id["job:create-aaa"].instruction["camera"] == {"motion": "pan", "speed": "slow"}
    assert "job:loop-bbb" in by_id
    assert "job:loop-ccc" not in by_id  # no prompt: nothing to interpret
    assert by_id["imported-1"].instruction["lighting"] == "noir"  # re-interpreted in our schema
    again = interpret_cycle(store, 2, generate=0)
    assert (again.interpreted, again.backfill, again.generated, again.linguistic_growth) == (0, 0, 0, 0)


def test_cli_logs_the_four_lines_per_cycle(store, capsys):
    _seed(store)
    assert main(["interpret-loop", "--store", str(store.location.path), "--cycles", "2", "--seed", "3"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[:3] == ["[cycle] interpreted 1", "[cycle] backfill 2", "[cycle] generated 5"]
    assert lines[3].startswith("[cycle] linguistic growth ") and int(lines[3].split()[-1]) > 0
    assert lines[4:7] == ["[cycle] interpreted 0", "[cycle] backfill 0", "[cycle] generated 5"]
    assert len(lines) == 8
