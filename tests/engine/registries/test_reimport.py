"""Counts that stay true: daily exports are cumulative snapshots of one source, so the same
export twice changes nothing and a later one adds only its growth."""

import json

import pytest
from sqlalchemy import func, select

from engine.cli.main import main
from engine.procedural.registries.importer import export_source, import_export
from engine.procedural.registries.models import LinguisticMapping, RegistrySource
from engine.procedural.registries.query import find_entry, linguistic

from .conftest import EXPORT_17, EXPORT_21, real_export


def _export(path, colours: dict[str, int], ling: dict[tuple[str, str], int], day: str):
    doc = {
        "exported_at": f"{day}T12:00:00Z",
        "registries": {
            "pure_static": {"discoveries": {"colors": [
                {"key": k, "name": n, "count": c, "depth_breakdown": {}}
                for (k, c), n in zip(colours.items(), ("Slate Blue", "Crimson Red", "Moss Green"), strict=False)
            ]}},
            "linguistic": [
                {"span": span, "canonical": canon, "domain": "palette", "variant_type": "slang", "count": c}
                for (span, canon), c in ling.items()
            ],
        },
    }
    path.write_text(json.dumps(doc))
    return path


def _count(store, key: str) -> int:
    with store.read() as s:
        return find_entry(s, "pure", "colour", key).count


def _ling_total(store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.coalesce(func.sum(LinguisticMapping.times), 0))))


def test_same_export_twice_then_the_next_day_exact_counts(store, tmp_path, capsys):
    day1 = _export(tmp_path / "studio-2026-03-01.json", {"100,100,150_1.0": 5, "200,0,0_1.0": 3},
                   {("cobalt", "blue"): 2}, "2026-03-01")
    day2 = _export(tmp_path / "studio-2026-03-02.json",
                   {"100,100,150_1.0": 7, "200,0,0_1.0": 3, "50,125,50_1.0": 1},
                   {("cobalt", "blue"): 4, ("lush", "green"): 1}, "2026-03-02")
    assert export_source(day1) == export_source(day2) == "studio"

    first = import_export(store, day1)
    assert (len(first.added), len(first.updated), first.skipped_total) == (2, 0, 0)
    again = import_export(store, day1)
    assert again.already_imported
    assert (len(again.added), len(again.updated), again.skipped_total) == (0, 0, 2)
    assert (_count(store, "100,100,150_1.0"), _count(store, "200,0,0_1.0"), _ling_total(store)) == (5, 3, 2)

    store.close()
    args = ["registries", "import", str(day2), "--store", str(tmp_path / "reg.sqlite")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("added 1, updated 1, skipped 1 of 3 entries")
    assert "linguistic rows: added 1, updated 1, skipped 0" in out
    assert main(args) == 0  # the next day's export again: nothing changes
    out = capsys.readouterr().out
    assert out.startswith("added 0, updated 0, skipped 3 of 3 entries") and "imported before" in out
    assert main(["registries", "import", str(day1), "--store", str(tmp_path / "reg.sqlite")]) == 0
    assert "older than the last import" in capsys.readouterr().out

    from engine.store.db import open_store

    s2 = open_store(tmp_path / "reg.sqlite")
    try:
        assert (_count(s2, "100,100,150_1.0"), _count(s2, "200,0,0_1.0"), _count(s2, "50,125,50_1.0")) == (7, 3, 1)
        assert _ling_total(s2) == 5
        with s2.read() as s:
            words = {(r.span, r.canonical): r.count for r in linguistic(s, "palette")}
        assert words[("cobalt", "blue")] == 4 and words[("lush", "green")] == 1
    finally:
        s2.close()


def test_another_source_counts_on_its_own(store, tmp_path):
    a = _export(tmp_path / "north-2026-03-01.json", {"100,100,150_1.0": 5}, {}, "2026-03-01")
    b = _export(tmp_path / "south-2026-03-01.json", {"100,100,150_1.0": 5}, {}, "2026-03-01")
    import_export(store, a)
    report = import_export(store, b)
    assert len(report.updated) == 1
    assert _count(store, "100,100,150_1.0") == 10


def _colour_counts(path) -> dict[str, int]:
    """Counts by key on our grid: a legacy 'R,G,B' key is the opaque cell, merged with it."""
    doc = json.loads(path.read_text())
    out: dict[str, int] = {}
    for e in doc["registries"]["pure_static"]["discoveries"]["colors"]:
        key = e["key"] if "_" in e["key"] else f"{e['key']}_1.0"
        out[key] = out.get(key, 0) + e["count"]
    return out


def test_real_exports_2026_02_17_twice_then_2026_02_21(store):
    c17, c21 = _colour_counts(real_export(EXPORT_17)), _colour_counts(real_export(EXPORT_21))

    def colour_total() -> int:
        with store.read() as s:
            return int(s.scalar(select(func.sum(RegistrySource.times)).where(
                RegistrySource.reg == "pure", RegistrySource.aspect == "colour")))

    import_export(store, EXPORT_17)
    assert colour_total() == sum(c17.values())
    again = import_export(store, EXPORT_17)
    assert again.added == [] and again.updated == []
    assert colour_total() == sum(c17.values())

    with store.read() as s:  # origins are stored from the start: seen again, not new
        known = {k for k in c21 if find_entry(s, "pure", "colour", k) is not None}
    nxt = import_export(store, EXPORT_21)
    union = {k: max(c17.get(k, 0), c21.get(k, 0)) for k in c17.keys() | c21.keys()}
    assert colour_total() == sum(union.values())
    assert _count(store, "100,100,150_1.0") == c21["100,100,150_1.0"]
    new_colours = [p for p in nxt.added if p.startswith("registries.pure_static.discoveries.colors")]
    assert len(new_colours) == len(c21.keys() - known) > 10
    ling = sum(e["count"] for e in json.loads(EXPORT_21.read_text())["registries"]["linguistic"])
    assert _ling_total(store) == ling
    import_export(store, EXPORT_21)
    assert colour_total() == sum(union.values()) and _ling_total(store) == ling


@pytest.mark.postgres
def test_counts_stay_true_on_postgres(pg_store, tmp_path):
    day1 = _export(tmp_path / "studio-2026-03-01.json", {"100,100,150_1.0": 5}, {("cobalt", "blue"): 2}, "2026-03-01")
    day2 = _export(tmp_path / "studio-2026-03-02.json", {"100,100,150_1.0": 9, "200,0,0_1.0": 1},
                   {("cobalt", "blue"): 3}, "2026-03-02")
    import_export(pg_store, day1)
    assert import_export(pg_store, day1).added == []
    report = import_export(pg_store, day2)
    assert (len(report.added), len(report.updated), report.skipped_total) == (1, 1, 0)
    assert (_count(pg_store, "100,100,150_1.0"), _count(pg_store, "200,0,0_1.0"), _ling_total(pg_store)) == (9, 1, 3)


def _statements_of_an_import(store, path) -> list[str]:
    from sqlalchemy import event

    seen: list[str] = []

    def log(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(store.engine, "before_cursor_execute", log)
    try:
        import_export(store, path)
    finally:
        event.remove(store.engine, "before_cursor_execute", log)
    return seen


def test_an_import_asks_only_about_the_exports_own_keys(tmp_path):
    from sqlalchemy import insert

    from engine.procedural.registries.models import RegistryEntry
    from engine.store.db import open_store

    colours = {f"{r},{g},0_1.0": 2 for r in (0, 25, 50) for g in (0, 25, 50)}
    counts = []
    for extra in (0, 3000):
        store = open_store(tmp_path / f"s{extra}.sqlite", create=True)
        with store.write() as s:
            if extra:
                s.execute(insert(RegistryEntry), [
                    {"reg": "blended", "aspect": "motion", "key": f"{i / 10:.1f}_steady_none_even",
                     "name": f"Entry {i}", "is_origin": False} for i in range(extra)])
        day1 = _export(tmp_path / f"a{extra}-2026-03-01.json", colours, {("cobalt", "blue"): 1}, "2026-03-01")
        statements = _statements_of_an_import(store, day1)
        store.close()
        reads = [q for q in statements if q.startswith("SELECT") and "FROM registry_entry" in q]
        assert reads and all(" WHERE " in q and " IN (" in q for q in reads), reads
        counts.append(len(statements))
    assert counts[0] == counts[1]  # the store's size changes nothing an import asks
