"""Composite Pure sounds (several noises in one frame): keys, depth, names, health, density,
export and import."""

import json

import pytest

from engine.core.errors import DailiesError
from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.density import density
from engine.procedural.registries.exporter import export_registries
from engine.procedural.registries.gibberish import gibberish_reason
from engine.procedural.registries.health import health
from engine.procedural.registries.importer import import_export
from engine.procedural.registries.name_check import name_problem
from engine.procedural.registries.query import entries, find_entry
from engine.procedural.registries.record import normalise_key, observe, observe_many
from engine.store.db import open_store

HUM_HISS = "0.10_low_hum+0.05_high_hiss"
SRC = SourceRef("discovery", "cycle-1")


def test_the_same_mixture_in_any_order_is_one_entry(store):
    with store.write() as s:
        a = observe(s, "pure", "sound", HUM_HISS, source=SRC)
        b = observe(s, "pure", "sound", "0.05_high_hiss + 0.1_low_hum", source=SRC, times=2)
    assert a.id == b.id and a.key == HUM_HISS and b.count == 3
    # equal loudness: ordered by timbre, so still one key
    assert normalise_key("pure", "sound", "0.10_mid_tone+0.10_low_hum") == "0.10_low_hum+0.10_mid_tone"


@pytest.mark.parametrize("key, words", [
    ("0.10_low_hum+0.05_calm_hiss", r"part '0.05_calm_hiss'.*never a mood"),
    ("0.10_low_hum+0.05_low_hum", "names hum more than once"),
    ("0.10_low_hum+0.00_silent_silence", "silence cannot be part of a mixture"),
    ("0.10_low_hum+", "empty part"),
    ("0.10_low_hum+0.05_high_squeak", r"part '0.05_high_squeak'.*not an origin noise"),
])
def test_bad_composites_are_refused_naming_the_part(store, key, words):
    with store.write() as s, pytest.raises(DailiesError, match=words):
        observe(s, "pure", "sound", key, source=SRC)


def test_composite_depth_is_each_parts_share_of_the_power(store):
    with store.write() as s:
        e = observe(s, "pure", "sound", "0.20_low_rumble+0.10_mid_tone+0.10_high_click", source=SRC)
    assert e.depth == {"rumble": 66, "tone": 17, "click": 17}  # 66.7, 16.7, 16.7: the remainder to the loudest
    assert sum(e.depth.values()) == 100 and max(e.depth, key=e.depth.get) == "rumble"


def test_composite_names_say_each_parts_band_and_noise_never_gibberish(store, tmp_path):
    keys = [f"0.{a:02d}_low_hum+0.{b:02d}_high_hiss" for a in range(20, 40) for b in range(2, 20) if b < a]
    with store.write() as s:
        got = observe_many(s, "pure", "sound", dict.fromkeys(keys, 1), source=SRC)
    names = [e.name for e in got.values()]
    assert len(names) == len(keys) == len(set(names))  # unique across hundreds of hum+hiss mixtures
    assert all(gibberish_reason(n) is None for n in names)
    for n, key in zip(names, got, strict=True):
        assert "Low Hum with" in n and "Hiss" in n.split(), n  # the loudest part's band, every noise
        assert name_problem("pure", "sound", key, n) is None, n
    with open_store(tmp_path / "again.sqlite", create=True) as other, other.write() as s:
        again = observe_many(s, "pure", "sound", dict.fromkeys(keys, 1), source=SRC)
    assert [e.name for e in again.values()] == names  # deterministic


def test_health_and_density_read_every_part(store):
    with store.write() as s:
        observe(s, "pure", "sound", "0.10_low_rumble+0.05_high_click+0.04_mid_drip", source=SRC)
        s.execute(json_entry("0.10_low_hum+0.05_calm_hiss"))
    found = health(store)
    bad = [f for f in found.findings if f.check == "sound_tone"]
    assert [f.where for f in bad] == ["pure/sound/0.10_low_hum+0.05_calm_hiss"]
    assert not [f for f in found.findings if f.check in ("depth", "gibberish_name")]
    sound = next(r for r in density(store).rows if (r.registry, r.aspect) == ("pure", "sound"))
    assert sound.coverage_pct == 30.0  # rumble, click and drip heard, all inside one mixture


def json_entry(key):
    from sqlalchemy import insert

    from engine.procedural.registries.models import RegistryEntry

    return insert(RegistryEntry).values(reg="pure", aspect="sound", key=key, name="Odd Mixture", is_origin=False,
                                        depth_json=json.dumps({"hum": 80, "hiss": 20}))


def test_export_and_import_keep_composites_whole(store, tmp_path):
    with store.write() as s:
        observe(s, "pure", "sound", HUM_HISS, source=SRC, times=4)
        observe(s, "pure", "sound", "0.10_low_hum", source=SRC, times=9)
    out = export_registries(store, tmp_path / "out.json")
    doc = json.loads(out.read_text())
    exported = {e["key"]: e for e in doc["registries"]["pure_static"]["discoveries"]["sound"]}
    assert exported[HUM_HISS]["depth_breakdown"] == {"hum": 80, "hiss": 20} and exported[HUM_HISS]["count"] == 4
    with open_store(tmp_path / "copy.sqlite", create=True) as copy:
        report = import_export(copy, out)
        assert report.skipped == [] and report.rekeyed == [] and report.renamed == []
        with copy.read() as s, store.read() as t:
            mine = [(e.key, e.name, e.count, e.depth) for e in entries(s, "pure", "sound") if not e.is_origin]
            theirs = [(e.key, e.name, e.count, e.depth) for e in entries(t, "pure", "sound") if not e.is_origin]
        assert mine == theirs


def test_an_imported_composite_in_another_order_is_rekeyed_and_merged(store, tmp_path):
    doc = {"registries": {"pure_static": {"discoveries": {"sound": [
        {"key": HUM_HISS, "name": "Drone-Whisper", "count": 2, "depth_breakdown": {"hum": 80, "hiss": 20}},
        {"key": "0.05_high_hiss+0.10_low_hum", "name": "Thrum-Fizz", "count": 3},
        {"key": "0.05_high_hiss+0.10_low_mood", "name": "Bad Mix", "count": 1},
    ]}}}}
    path = tmp_path / "composites.json"
    path.write_text(json.dumps(doc))
    report = import_export(store, path)
    assert [r[2] for r in report.rekeyed] == [HUM_HISS]
    assert len(report.merged) == 1
    assert len(report.skipped) == 1 and "0.10_low_mood" in report.skipped[0][1]
    with store.read() as s:
        e = find_entry(s, "pure", "sound", HUM_HISS)
    assert (e.name, e.count, e.depth) == ("Drone-Whisper", 5, {"hum": 80, "hiss": 20})
