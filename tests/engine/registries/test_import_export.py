import json

import pytest
from sqlalchemy import func, select

from engine.procedural.registries.catalog import REGISTRIES
from engine.procedural.registries.exporter import export_registries
from engine.procedural.registries.importer import ExportFormatError, import_export
from engine.procedural.registries.models import RegistryEntry
from engine.procedural.registries.query import entries, interpretations, linguistic
from engine.store.db import open_store

from .conftest import EXPORT_17, EXPORT_21, populate, real_export


def file_entries(doc) -> int:
    r = doc["registries"]
    n = sum(len(v) for v in r["pure_static"]["discoveries"].values())
    n += sum(len(v) for v in r["blended_dynamic"]["discoveries"].values())
    return n + sum(len(v) for v in r["semantic_narrative"].values())


@pytest.mark.parametrize("export", [EXPORT_17, EXPORT_21], ids=["02-17", "02-21"])
def test_real_exports_import_with_every_entry_accounted_for(store, export):
    path = real_export(export)
    doc = json.loads(path.read_text())
    report = import_export(store, path)
    assert report.entries_in_file == file_entries(doc)
    assert report.interpretations == len(doc["registries"]["interpretation"])
    assert report.linguistic == len(doc["registries"].get("linguistic", []))
    skipped = dict(report.skipped)
    assert "mood word" in skipped["registries.pure_static.discoveries.sound[7]"]
    assert ("registries.pure_static.discoveries.colors[0]" not in skipped)
    with store.read() as s:
        slate = next(e for e in entries(s, "pure", "colour") if e.key == "100,100,150_1.0")
        assert slate.name == "Slate" and slate.depth == {"gray": 80, "teal": 20}
        same_cell = [c["count"] for c in doc["registries"]["pure_static"]["discoveries"]["colors"]
                     if c["key"] in ("100,100,150_1.0", "100,100,150")]  # legacy key merged in
        assert slate.count == sum(same_cell) and len(same_cell) == 2
        imported = s.scalar(select(func.count()).select_from(RegistryEntry).where(~RegistryEntry.is_origin))
    assert imported == report.new_entries


def test_legacy_sound_keys_are_rekeyed_from_their_origin_noises(store):
    report = import_export(store, real_export(EXPORT_21))
    rekeyed = {old: new for _path, old, new in report.rekeyed}
    assert rekeyed["0.06_low_low"] == "0.06_low_rumble"
    assert rekeyed["0.03_mid_mid"] == "0.03_mid_tone"
    assert rekeyed["0.0_silent_silent"] == "0.00_silent_silence"


def test_round_trip_gives_the_same_registries(store, tmp_path):
    populate(store)
    import_export(store, real_export(EXPORT_21))
    out = export_registries(store, tmp_path / "out.json")
    assert json.loads(out.read_text())["exported_schema_version"] == 2

    def snapshot(st):
        with st.read() as s:
            regs = {
                (reg, asp): sorted((e.key, e.name, e.count, json.dumps(e.depth, sort_keys=True),
                                    tuple((x.kind, x.ref, x.prompt, x.times) for x in e.sources))
                                   for e in entries(s, reg, asp))
                for reg, aspects in REGISTRIES.items() for asp in aspects
            }
            return regs, sorted((i.id, i.prompt, json.dumps(i.instruction, sort_keys=True)) for i in interpretations(s)), linguistic(s)

    with open_store(tmp_path / "copy.sqlite", create=True) as copy:
        report = import_export(copy, out)
        assert report.skipped == [] and report.renamed == [] and report.merged == []
        assert snapshot(copy) == snapshot(store)


def write(tmp_path, doc) -> str:
    p = tmp_path / "bad.json"
    p.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return str(p)


def minimal(colours):
    return {"registries": {"pure_static": {"discoveries": {"colors": colours}}}}


GOOD = {"key": "100,100,150_1.0", "name": "Slate", "count": 3}


@pytest.mark.parametrize("doc, words", [
    ("{not json", "not JSON"),
    ([1, 2], r"\(top level\): the export should be an object"),
    ({"registries": []}, "registries: registries should be an object"),
    ({"registries": {"pure_static": {"discoveries": {"smells": []}}}},
     "registries.pure_static.discoveries.smells: unknown pure aspect"),
    ({"registries": {"semantic_narrative": {"tastes": []}}}, "registries.semantic_narrative.tastes: unknown semantic aspect"),
    ({"registries": {"novel": {}}}, "registries.novel: unknown registry"),
    (minimal([GOOD] * 17 + [{"key": "101,100,150_1.0", "name": "X", "count": 1}]),
     r"registries\.pure_static\.discoveries\.colors\[17\]\.key: .*channel 101"),
    (minimal([GOOD, {"key": "100,100,150_1.0", "name": "X", "count": -1}]),
     r"colors\[1\]\.count: count should be a whole number"),
])
def test_malformed_export_imports_nothing_and_names_the_first_bad_path(store, tmp_path, doc, words):
    with store.read() as s:
        before = s.scalar(select(func.count()).select_from(RegistryEntry))
    with pytest.raises(ExportFormatError, match=words):
        import_export(store, write(tmp_path, doc))
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(RegistryEntry)) == before
