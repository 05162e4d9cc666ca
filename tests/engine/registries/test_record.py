import pytest
from sqlalchemy import inspect, select, text

from engine.core.errors import DailiesError
from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.models import RegistryEntry, RegistrySource
from engine.procedural.registries.query import entries, find_entry, linguistic
from engine.procedural.registries.record import observe, record_linguistic
from engine.store.db import open_store


def test_growth_rule_counts_observations_and_remembers_sources(store):
    with store.write() as s:
        first = observe(s, "pure", "colour", "100,100,150_1.0", source=SourceRef("job", "j1", "a slate sky"))
        again = observe(s, "pure", "colour", "100,100,150_1.0", source=SourceRef("discovery", "d7"),
                        with_sources=True)
    assert first.count == 1 and again.count == 2
    assert again.name == first.name and again.id == first.id
    assert [(x.kind, x.ref, x.prompt) for x in again.sources] == [("job", "j1", "a slate sky"), ("discovery", "d7", None)]
    assert again.depth == {"gray": 70, "purple": 30}


def test_count_is_derived_from_rows_not_a_stored_counter(store):
    cols = {c["name"] for c in inspect(store.engine).get_columns("registry_entry")}
    assert not {"count", "total"} & cols
    with store.write() as s:
        e = observe(s, "pure", "sound", "0.10_low_rumble", source=SourceRef("job", "j1"))
        s.add(RegistrySource(entry_id=e.id, reg="pure", aspect="sound", kind="import", ref="old", times=40))
    with store.read() as s:
        assert find_entry(s, "pure", "sound", "0.10_low_rumble").count == 41


def test_origins_are_seeded_once(tmp_path):
    path = tmp_path / "o.sqlite"
    for _ in range(3):
        with open_store(path, create=True) as st, st.read() as s:
            n = s.scalar(select(text("count(*)")).select_from(RegistryEntry).where(RegistryEntry.is_origin))
    assert n == 16 + 10 + 24 + 20 + 11 + 4 + 25 + 17 + 17
    with open_store(path) as st, st.read() as s:
        genre = entries(s, "semantic", "genre")
    assert {e.name for e in genre} >= {"Cinematic", "Science Fiction"} and all(e.count == 0 for e in genre)


def test_bad_keys_and_aspects_are_refused_with_what_and_where(store):
    with store.write() as s:
        for args, words in [(("pure", "sound", "0.5_calm_rumble"), "never a mood"),
                            (("pure", "colour", "12,0,0_1.0"), "channel 12"),
                            (("blended", "smell", "x"), "unknown aspect 'smell'"),
                            (("cosmic", "colour", "x"), "unknown registry")]:
            with pytest.raises(DailiesError, match=words):
                observe(s, *args, source=SourceRef("job", "j"))


def test_linguistic_canonical_is_the_most_frequent_not_the_first(store):
    with store.write() as s:
        record_linguistic(s, "teal", "ocean", "palette")
        for _ in range(3):
            record_linguistic(s, "Teal", "teal", "palette", variant_type="dialect")
        record_linguistic(s, "dark", "noir", "lighting")
        record_linguistic(s, "dark", "night", "palette")
    with store.read() as s:
        rows = {(r.domain, r.span): r for r in linguistic(s)}
    assert rows[("palette", "teal")].canonical == "teal"
    assert rows[("palette", "teal")].count == 4
    assert rows[("palette", "teal")].variant_type == "dialect"
    assert rows[("lighting", "dark")].canonical == "noir" and rows[("palette", "dark")].canonical == "night"
