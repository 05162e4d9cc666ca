"""Density figure: `density()` over stores of --size entries (one source row each, half of
them observed twice). Half the entries are pure sound entries with real keys: plain keys and
canonical composites of two or three origin noises ("0.40_low_rumble+0.12_high_hiss"), made
by the key functions themselves, with one origin noise (drip) never heard, so coverage has a
gap to look for. Stores are built once under bench/out/. Goal: at most 1 s at 1M entries.

    .venv/bin/python bench/density.py [--size 100000 --size 1000000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_common import OUT, growth, load_note, median, p95, result, size_args, sizes  # noqa: E402

from engine.procedural.registries.catalog import REGISTRIES  # noqa: E402
from engine.procedural.registries.density import density  # noqa: E402
from engine.procedural.registries.keys import (  # noqa: E402
    SOUND_ORIGINS,
    SOUND_TONES,
    composite_sound_key,
    sound_key,
)
from engine.store.db import open_store  # noqa: E402


def sound_keys(n: int, seed: int = 11) -> list[str]:
    """`n` distinct real sound keys as the discovery loop writes them: plain keys and canonical
    composites of two or three origin noises (drip and silence never heard), made by the key
    functions themselves. Distinct mixtures are drawn until there are enough."""
    heard = [o for o in SOUND_ORIGINS if o not in ("silence", "drip")]
    tones = [t for t in SOUND_TONES if t != "silent"]
    rng = random.Random(seed)
    keys: dict[str, None] = {}
    while len(keys) < n:
        k = rng.choice((1, 2, 2, 3))
        parts = [(rng.randrange(1, 101) / 100, rng.choice(tones), t) for t in rng.sample(heard, k)]
        keys[sound_key(*parts[0]) if k == 1 else composite_sound_key(parts)] = None
    return list(keys)


def build(path: Path, n: int) -> None:
    """`n` entries (half real sound keys, the rest spread over the other non-semantic aspects),
    one source row each, half of them observed twice. Written in bulk: rows in key order
    (the unique key index grows at its end), the other indexes dropped while the rows go in
    and made again after, exactly as the schema defines them."""
    open_store(path, create=True).close()
    aspects = [(r, a) for r, aspects in REGISTRIES.items() for a in aspects
               if r != "semantic" and (r, a) != ("pure", "sound")]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA journal_mode=OFF")
    now = "2026-02-21 12:00:00"
    first = conn.execute("SELECT MAX(id) FROM registry_entry").fetchone()[0] + 1
    sounds = iter(sound_keys((n + 1) // 2))

    def key(i: int, aspect: str) -> str:
        if aspect == "colour":
            return f"{i % 11 * 25},{i // 11 % 11 * 25},{i // 121 % 11 * 25}_{i // 1331 % 21 * 5 / 100}#{i}"
        return f"k{i}"

    def row(i: int) -> tuple:
        if i % 2 == 0:
            return ("pure", "sound", next(sounds), f"Sound {i}")
        r, a = aspects[i % len(aspects)]
        return (r, a, key(i, a), f"Name {i}")

    rows = sorted(row(i) for i in range(n))
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('registry_entry', 'registry_source')").fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.executemany(
        "INSERT INTO registry_entry (id, registry, aspect, key, name, is_origin, created_at) VALUES (?,?,?,?,?,0,?)",
        ((first + i, *r, now) for i, r in enumerate(rows)),
    )
    conn.executemany(
        "INSERT INTO registry_source (entry_id, registry, aspect, kind, ref, times, created_at) "
        "VALUES (?,?,?,?,?,?,?)",
        ((first + i, r[0], r[1], "job", f"j{i % 1000}", 1 + i % 2, now) for i, r in enumerate(rows)),
    )
    for _name, sql in indexes:
        conn.execute(sql)
    conn.commit()
    conn.close()


def kept(n: int) -> Path:
    path = OUT / f"density_v2_{n}.sqlite"  # v2: built in key order
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        part = path.with_suffix(".part")
        part.unlink(missing_ok=True)
        build(part, n)
        part.rename(path)
        print(f"built {path.name} ({n:,} entries) in {time.perf_counter() - t0:.1f} s")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_args(ap, "registry entries")
    args = ap.parse_args()
    print(load_note())
    medians = {}
    for n in sizes(args):
        store = open_store(kept(n))
        times, cpus = [], []
        for _ in range(7):
            t0, c0 = time.perf_counter(), time.process_time()
            report = density(store)
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        store.close()
        total = sum(r.entries for r in report.rows)
        sound = next(r for r in report.rows if (r.registry, r.aspect) == ("pure", "sound"))
        medians[n] = median(times)
        print(f"density over {total:,} entries ({sound.entries:,} real sound keys, sound coverage "
              f"{sound.coverage_pct}%) in {len(report.rows)} aspects: median {median(times):.3f} s, p95 "
              f"{p95(times):.3f} s wall, CPU median {median(cpus):.3f} s over {len(times)} runs")
    growth("density (median)", medians)
    print(load_note())
    big = max(medians)
    result(f"density over {big:,} entries with real composite sound keys (median)", medians[big], "s", 1.0)


if __name__ == "__main__":
    main()
