"""Backfill figures. First the share of names that say what their value is (colour, sound,
motion, camera; non-origin) after importing the real exports in ../shared/data and
backfilling, against before. Then: 500 gibberish names cascaded over 150,000 blends, 100,000 learning runs,
100,000 interpretations and 100,000 jobs (synthetic; names inside prompts and JSON).

Then times undoing that run (every changed cell checked and restored, one pass per table),
against the former undo's check of one query per cell on a sample of the cells, extrapolated.

Also times what the original system did (one `UPDATE ... SET c = REPLACE(c, old, new) WHERE
c LIKE '%old%'` per column per rename) on a sample of the same data, extrapolated linearly
to full size, and prints the ratio. Goal: at most 60 s for the full-size backfill.

    .venv/bin/python bench/backfill.py            # full size
    .venv/bin/python bench/backfill.py --scale 0.1   # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.procedural.registries import wordlists as W  # noqa: E402
from engine.procedural.registries.backfill import CASCADE, backfill, undo_backfill  # noqa: E402
from engine.procedural.registries.gibberish import is_gibberish  # noqa: E402
from engine.store.db import open_store  # noqa: E402

CONS, VOWELS = "bcdfgklmnprstvz", "aeiou"
GOOD = ["Slate", "Mistlight", "Amber", "Hazestream", "Velvet", "Starlight", "Copper", "Glen"]


def gibberish_names(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        kind = len(out) % 3
        if kind == 0:
            name = "".join(rng.choice(CONS) + rng.choice(VOWELS) for _ in range(6)).capitalize()
        elif kind == 1:
            name = f"Novel{rng.randrange(10000, 99999)}"
        else:
            name = "theme_" + "".join(rng.choice(CONS) + rng.choice(VOWELS) for _ in range(3))
        if is_gibberish(name):
            out.add(name)
    return sorted(out)


def good_name(i: int) -> str:
    mods, nouns, roots = W.GENERAL_MODIFIERS, W.PLACE_NOUNS, W.ROOTS
    return f"{mods[i % len(mods)]} {roots[i // len(mods) % len(roots)]} {nouns[i // len(mods) // len(roots) % len(nouns)]}"


def build(path: Path, names: list[str], blends: int, runs: int, interps: int, jobs: int, seed: int = 7) -> None:
    open_store(path, create=True).close()
    rng = random.Random(seed)
    words = names + GOOD * 40

    def prompt() -> str:
        a, b, c = rng.choice(words), rng.choice(words), rng.choice(words)
        return f"{a.lower()} haze over {b} with {c} motion, slow drift"

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    now = "2026-02-21 12:00:00"
    conn.executemany(
        "INSERT INTO registry_entry (registry, aspect, key, name, is_origin, created_at) VALUES (?,?,?,?,0,?)",
        [("blended", "motion", f"g{i}", n, now) for i, n in enumerate(names)],
    )
    first = conn.execute("SELECT MAX(id) FROM registry_entry").fetchone()[0] + 1
    conn.executemany(
        "INSERT INTO registry_entry (registry, aspect, key, name, is_origin, depth_json, created_at) VALUES (?,?,?,?,0,?,?)",
        [("blended", "blends", f'{{"b":{i}}}', good_name(i), json.dumps({"gray": 60, "teal": 40}), now)
         for i in range(blends)],
    )
    conn.executemany(
        "INSERT INTO learned_blend (entry_id, domain, inputs_json, output_json, primitive_depths_json) VALUES (?,?,?,?,?)",
        [(first + i, "color",
          json.dumps({"inputs": [rng.choice(words), rng.choice(words)], rng.choice(words): 0.5}),
          json.dumps({"name": rng.choice(words), "rgb": [120, 130, 140]}),
          json.dumps({rng.choice(words): 62, "pink": 38}))
         for i in range(blends)],
    )
    conn.executemany("INSERT INTO learning_run (job_ref, prompt, created_at) VALUES (?,?,?)",
                     [(f"job-{i}", prompt(), now) for i in range(runs)])
    conn.executemany("INSERT INTO interpretation (id, prompt, instruction_json, updated_at) VALUES (?,?,?,?)",
                     [(f"i-{i}", prompt(), json.dumps({"palette_hints": [rng.choice(words)], "motion": rng.choice(words)}), now)
                      for i in range(interps)])
    conn.executemany("INSERT INTO creation_job (ref, prompt, status, created_at) VALUES (?,?,?,?)",
                     [(f"job-{i}", prompt(), "succeeded", now) for i in range(jobs)])
    conn.commit()
    conn.close()


def baseline(path: Path, renames: dict[str, str]) -> float:
    """The original: per rename, per cascade column, one LIKE-filtered REPLACE update."""
    conn = sqlite3.connect(path)
    columns = [(t, c) for t, (_id, cols) in CASCADE.items() for c, _json in cols]
    t0 = time.perf_counter()
    for old, new in renames.items():
        conn.execute("UPDATE registry_entry SET name = ? WHERE name = ?", (new, old))
        for table, col in columns:
            conn.execute(f"UPDATE {table} SET {col} = REPLACE({col}, ?, ?) WHERE {col} LIKE ?",
                         (old, new, f"%{old}%"))
    conn.commit()
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def per_cell_check(store, run_id: int, cells: int = 20_000) -> tuple[float, int]:
    """The former undo check, as it was written: one SQLAlchemy query per logged cell (on the
    first `cells` of them)."""
    from sqlalchemy import text

    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT table_name, row_id, column_name, after FROM backfill_change "
                                 "WHERE run_id = :r ORDER BY id DESC LIMIT :n"), {"r": run_id, "n": cells}).all()
        t0 = time.perf_counter()
        for t, rid, col, _after in rows:
            id_col = CASCADE[t][0] if t in CASCADE else "id"
            conn.execute(text(f"SELECT {col} FROM {t} WHERE {id_col} = :i"),
                         {"i": rid if t == "interpretation" else int(rid)}).scalar()
        return time.perf_counter() - t0, len(rows)


DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def name_share(tmp: Path) -> list[str]:
    """RESULT lines: the share of names that say their value, before and after backfill."""
    from engine.procedural.registries.health import names_that_say_their_value
    from engine.procedural.registries.importer import import_export

    exports = sorted(DATA.glob("motion-registries-*.json"))
    if not exports:
        print(f"no real exports in {DATA}: the name share is not measured")
        return []
    store = open_store(tmp / "names.sqlite", create=True)
    for path in exports:
        import_export(store, path)
    before = names_that_say_their_value(store)
    c0, t0 = time.process_time(), time.perf_counter()
    result = backfill(store, wait_seconds=30)
    print(f"real exports {', '.join(p.name for p in exports)}: backfill renamed {len(result.renames)} names, "
          f"{result.cells_changed} cells, in {time.perf_counter() - t0:.2f} s (CPU {time.process_time() - c0:.2f} s)")
    after = names_that_say_their_value(store)
    store.close()
    lines = []
    for aspect in after:
        (g0, n0), (g1, n1) = before[aspect], after[aspect]
        print(f"  {aspect}: {g0}/{n0} names said their value before, {g1}/{n1} after")
    good, total = sum(g for g, _n in after.values()), sum(n for _g, n in after.values())
    was = sum(g for g, _n in before.values())
    share = 100.0 * good / total if total else 0.0
    lines.append(f"RESULT share of colour, sound, motion and camera names that say their value after backfill: "
                 f"{share:.1f} % of {total} (before: {100.0 * was / total:.1f} %) (goal >= 100 %: "
                 f"{'meets' if good == total else 'MISSES'})")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the full sizes (default 1.0)")
    ap.add_argument("--names", type=int, default=500)
    ap.add_argument("--sample", type=float, default=0.1, help="fraction used for the baseline (default 0.1)")
    args = ap.parse_args()
    full = {"blends": 150_000, "runs": 100_000, "interps": 100_000, "jobs": 100_000}
    sizes = {k: max(1, int(v * args.scale)) for k, v in full.items()}
    names = gibberish_names(random.Random(1), args.names)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        results = name_share(Path(tmp))
        path = Path(tmp) / "bench.sqlite"
        t0 = time.perf_counter()
        build(path, names, **sizes)
        print(f"built store: {sizes} and {len(names)} gibberish names in {time.perf_counter() - t0:.1f} s")
        store = open_store(path)
        t0 = time.perf_counter()
        result = backfill(store, wait_seconds=30)
        ours = time.perf_counter() - t0
        print(f"backfill: {len(result.renames)} renames, {result.cells_changed} cells changed "
              f"in {ours:.2f} s (goal <= 60 s at full size)")
        per_cell, checked = per_cell_check(store, result.run_id)
        t0 = time.perf_counter()
        restored = undo_backfill(store, result.run_id, wait_seconds=30)
        undo = time.perf_counter() - t0
        store.close()
        projected_undo = per_cell * result.cells_changed / checked
        print(f"undo: {restored} cells checked and restored in {undo:.2f} s (one pass per table); "
              f"a query per cell checked {checked} cells in {per_cell:.2f} s, projected {projected_undo:.1f} s "
              f"for the check alone ({projected_undo / undo:.1f}x)")

        sample = {k: max(1, int(v * args.sample)) for k, v in sizes.items()}
        spath = Path(tmp) / "sample.sqlite"
        build(spath, names, **sample)
        renames = {r.old: r.new for r in result.renames}
        base = baseline(spath, renames)
        projected = base / args.sample
        print(f"original method (REPLACE per column per rename) on a {args.sample:.0%} sample: {base:.2f} s; "
              f"projected to this size: {projected:.1f} s")
        print(f"ratio: the one-pass backfill is {projected / ours:.1f}x faster")
    print(f"load average now {os.getloadavg()[0]:.1f}")
    for line in results:
        print(line)


if __name__ == "__main__":
    main()
