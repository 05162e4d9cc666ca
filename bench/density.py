"""Density figure: `density()` over a store of 1,000,000 entries (with one source row each,
half of them observed twice). Goal: at most 1 s.

    .venv/bin/python bench/density.py [--entries N]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.registries.catalog import REGISTRIES  # noqa: E402
from engine.registries.density import density  # noqa: E402
from engine.store.db import open_store  # noqa: E402


def build(path: Path, n: int) -> None:
    open_store(path, create=True).close()
    aspects = [(r, a) for r, aspects in REGISTRIES.items() for a in aspects if r != "semantic"]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    now = "2026-02-21 12:00:00"
    first = conn.execute("SELECT MAX(id) FROM registry_entry").fetchone()[0] + 1

    def key(i: int, aspect: str) -> str:
        if aspect == "colour":
            return f"{i % 11 * 25},{i // 11 % 11 * 25},{i // 121 % 11 * 25}_{i // 1331 % 21 * 5 / 100}#{i}"
        return f"k{i}"

    conn.executemany(
        "INSERT INTO registry_entry (registry, aspect, key, name, is_origin, created_at) VALUES (?,?,?,?,0,?)",
        ((aspects[i % len(aspects)][0], aspects[i % len(aspects)][1], key(i, aspects[i % len(aspects)][1]),
          f"Name {i}", now) for i in range(n)),
    )
    conn.executemany(
        "INSERT INTO registry_source (entry_id, registry, aspect, kind, ref, times, created_at) "
        "VALUES (?,?,?,?,?,?,?)",
        ((first + i, *aspects[i % len(aspects)], "job", f"j{i % 1000}", 1 + i % 2, now) for i in range(n)),
    )
    conn.commit()
    conn.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.sqlite"
        t0 = time.perf_counter()
        build(path, args.entries)
        print(f"built {args.entries:,} entries in {time.perf_counter() - t0:.1f} s")
        store = open_store(path)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            report = density(store)
            times.append(time.perf_counter() - t0)
        store.close()
        total = sum(r.entries for r in report.rows)
        print(f"density over {total:,} entries in {len(report.rows)} aspects: best {min(times):.3f} s, "
              f"worst {max(times):.3f} s of 3 runs (goal <= 1 s)")


if __name__ == "__main__":
    main()
