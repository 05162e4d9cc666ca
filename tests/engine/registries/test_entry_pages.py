"""Reading one aspect a page at a time: every entry once, in creation order, with a count
that stops at its cap, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from engine.procedural.registries.catalog import RegistryError, SourceRef
from engine.procedural.registries.query import entries, entry_count, entry_page
from engine.procedural.registries.record import observe
from engine.store.db import open_store


def _fill(store) -> None:
    with store.write() as s:
        for i in range(230):
            direction = "left" if i % 3 == 0 else "right"
            observe(s, "blended", "motion", f"{i / 10:.1f}_steady_{direction}_even",
                    source=SourceRef("discovery", f"d{i}"), times=1 + i % 4)
        observe(s, "pure", "colour", "100,100,150_1.0", source=SourceRef("job", "j"))


def _check_pages(store) -> None:
    with store.read() as s:
        everything = entries(s, "blended", "motion", with_sources=False)
        pages, after = [], 0
        while True:
            page = entry_page(s, "blended", "motion", after_id=after, limit=100)
            pages.append(page)
            after = page.after_id
            if not page.more:
                break
        assert [len(p.entries) for p in pages] == [100, 100, 30]
        paged = [e for p in pages for e in p.entries]
        assert [(e.id, e.key, e.count) for e in paged] == [(e.id, e.key, e.count) for e in everything]
        assert pages[0].total is None  # not counted unless asked

        found = entry_page(s, "blended", "motion", search="LEFT", limit=50, counted=True)
        assert found.total == 77 and not found.capped
        assert all("left" in e.key for e in found.entries) and found.more

        capped = entry_page(s, "blended", "motion", search="steady", limit=10, counted=True, count_up_to=40)
        assert (capped.total, capped.capped) == (40, True)
        assert entry_count(s, "blended", "motion", search="right", up_to=1000) == 153
        assert entry_count(s, "blended", "motion") == 230

        nothing = entry_page(s, "blended", "motion", search="zzz", counted=True)
        assert nothing.entries == () and not nothing.more and nothing.total == 0


def test_pages_follow_each_other_by_id_and_counts_stop_at_the_cap(store):
    _fill(store)
    _check_pages(store)


def test_pages_on_postgresql(pg_url):
    store = open_store(pg_url, create=True)
    try:
        _fill(store)
        _check_pages(store)
    finally:
        store.close()


def test_an_unknown_aspect_is_named(store):
    with store.read() as s, pytest.raises(RegistryError, match="unknown aspect 'smell'"):
        entry_page(s, "pure", "smell")
