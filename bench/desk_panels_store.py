"""The store the registry panels' bench opens: `entries` registry entries as the discovery
loop writes them (half pure sounds with real plain and composite keys, every colour cell,
the finite blended grids, motions for the rest, each with its depth and one discovery source
row) and `backfill_rows` rows a backfill cascades over (learned blends, learning runs,
interpretations and creation jobs whose prompts and JSON name 500 gibberish entries and
good names, as bench/backfill.py writes them). Built once per size with bulk inserts and
kept in the temporary folder."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import tempfile
import time
from itertools import product
from pathlib import Path

from backfill import GOOD, gibberish_names, good_name

from engine.procedural.registries.keys import (
    COLOUR_LEVELS,
    MOTION_DIRECTIONS,
    MOTION_RHYTHMS,
    MOTION_TRENDS,
    OPACITY_LEVELS,
    SOUND_ORIGINS,
    SOUND_TONES,
    blended_grid,
    colour_depth,
    colour_key,
    composite_sound_key,
    sound_depth,
    sound_key,
)
from engine.procedural.registries.names import candidates, number_words
from engine.store.db import open_store

DAYS = 60
GIBBERISH = 500


class _Namer:
    """Names as the discovery loop gives them, without its store look-ups: the first name
    candidate of a value's shape (its words), then number words so names stay distinct."""

    def __init__(self):
        self._base: dict[tuple, str] = {}
        self._used: dict[str, int] = {}

    def __call__(self, registry: str, aspect: str, key: str, shape) -> str:
        base = self._base.get((aspect, shape))
        if base is None:
            base = self._base[(aspect, shape)] = next(candidates(registry, aspect, key))
        n = self._used.get(base, 0)
        self._used[base] = n + 1
        if n == 0:
            return base
        return f"{base} {number_words(n % 999 + 1)}" + ("" if n < 999 else f" {number_words(n // 999)}")


def _sound_keys(n: int, rng: random.Random) -> list[str]:
    heard = [o for o in SOUND_ORIGINS if o not in ("silence", "drip")]
    tones = [t for t in SOUND_TONES if t != "silent"]
    out: set[str] = set()
    while len(out) < n:
        k = rng.choice((1, 2, 2, 3))
        parts = [(rng.randrange(2, 101) / 100, rng.choice(tones), t) for t in rng.sample(heard, k)]
        out.add(sound_key(*parts[0]) if k == 1 else composite_sound_key(parts))
    return sorted(out, key=lambda _k: rng.random())


def _sound_shape(key: str) -> tuple:
    return tuple((round(float(p.split("_")[0]) * 4), p.split("_", 1)[1]) for p in key.split("+"))


def _rows(entries: int, blends: int, rng: random.Random):
    """(registry, aspect, key, name, depth_json) of every entry, discovery order."""
    namer = _Namer()
    names = gibberish_names(random.Random(1), GIBBERISH)
    for i, name in enumerate(names):
        yield "blended", "motion", f"{i / 10 + 500:.1f}_steady_none_even", name, None
    for i in range(blends):
        yield "blended", "blends", json.dumps({"b": i}), good_name(i), json.dumps({"gray": 60, "teal": 40})
    colours = [colour_key(r, g, b, a) for r, g, b, a in product(COLOUR_LEVELS, COLOUR_LEVELS, COLOUR_LEVELS, OPACITY_LEVELS)]
    for key in colours:
        rgb = tuple(int(c) for c in key.split("_")[0].split(","))
        yield ("pure", "colour", key, namer("pure", "colour", key, (rgb[0] // 75, rgb[1] // 75, rgb[2] // 75)),
               json.dumps(colour_depth(*rgb)))
    grids = [(a, k) for a in ("camera", "gradient", "lighting", "composition") for k in blended_grid(a)]
    for aspect, key in grids:
        yield "blended", aspect, key, namer("blended", aspect, key, key), None
    rest = entries - GIBBERISH - blends - len(colours) - len(grids)
    sounds = rest // 2 + rest % 2
    for key in _sound_keys(sounds, rng):
        yield "pure", "sound", key, namer("pure", "sound", key, _sound_shape(key)), json.dumps(sound_depth(key))
    combos = list(product(MOTION_TRENDS, MOTION_DIRECTIONS, MOTION_RHYTHMS))
    for i in range(rest // 2):
        trend, direction, rhythm = combos[i % len(combos)]
        level = i // len(combos) / 10
        key = f"{level:.1f}_{trend}_{direction}_{rhythm}"
        yield "blended", "motion", key, namer("blended", "motion", key, (min(int(level), 40), trend, direction, rhythm)), None


def build(path: Path, entries: int, backfill_rows: int, seed: int = 5) -> None:
    open_store(path, create=True).close()
    rng = random.Random(seed)
    blends = backfill_rows // 3
    runs = interps = (backfill_rows - blends) // 3
    jobs = backfill_rows - blends - runs - interps
    gibberish = gibberish_names(random.Random(1), GIBBERISH)
    words = gibberish + GOOD * 40

    def prompt() -> str:
        a, b, c = rng.choice(words), rng.choice(words), rng.choice(words)
        return f"{a.lower()} haze over {b} with {c} motion, slow drift"

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    first = conn.execute("SELECT MAX(id) FROM registry_entry").fetchone()[0] + 1
    seeded = conn.execute("SELECT COUNT(*) FROM registry_entry").fetchone()[0]
    start = time.mktime((2026, 1, 1, 12, 0, 0, 0, 0, 0))
    total = entries - seeded

    def stamp(i: int) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(start + i * DAYS * 86400 / total))

    batch: list[tuple] = []
    sources: list[tuple] = []
    seeded_keys = set(conn.execute("SELECT registry, aspect, key FROM registry_entry"))
    i = 0
    for reg, aspect, key, name, depth in _rows(total + len(seeded_keys), blends, rng):
        if (reg, aspect, key) in seeded_keys or i >= total:
            continue  # an origin the store holds from the start
        when = stamp(i)
        batch.append((first + i, reg, aspect, key, name, depth, when))
        sources.append((first + i, reg, aspect, "discovery", f"discovery-{i // 40}", 1 + i % 3, when))
        i += 1
        if len(batch) == 50_000:
            _flush(conn, batch, sources)
    _flush(conn, batch, sources)
    conn.executemany(
        "INSERT INTO learned_blend (entry_id, domain, inputs_json, output_json, primitive_depths_json) VALUES (?,?,?,?,?)",
        ((first + GIBBERISH + i, "color",
          json.dumps({"inputs": [rng.choice(words), rng.choice(words)], rng.choice(words): 0.5}),
          json.dumps({"name": rng.choice(words), "rgb": [120, 130, 140]}),
          json.dumps({rng.choice(words): 62, "pink": 38}))
         for i in range(blends)),
    )
    now = "2026-03-01 12:00:00"
    conn.executemany("INSERT INTO learning_run (job_ref, prompt, created_at) VALUES (?,?,?)",
                     ((f"job-{i}", prompt(), now) for i in range(runs)))
    conn.executemany("INSERT INTO interpretation (id, prompt, instruction_json, updated_at) VALUES (?,?,?,?)",
                     ((f"i-{i}", prompt(), json.dumps({"palette_hints": [rng.choice(words)], "motion": rng.choice(words)}), now)
                      for i in range(interps)))
    conn.executemany("INSERT INTO creation_job (ref, prompt, status, created_at) VALUES (?,?,?,?)",
                     ((f"job-{i}", prompt(), "succeeded", now) for i in range(jobs)))
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def _flush(conn, batch: list[tuple], sources: list[tuple]) -> None:
    conn.executemany(
        "INSERT INTO registry_entry (id, registry, aspect, key, name, is_origin, depth_json, created_at) "
        "VALUES (?,?,?,?,?,0,?,?)", batch)
    conn.executemany(
        "INSERT INTO registry_source (entry_id, registry, aspect, kind, ref, times, created_at) VALUES (?,?,?,?,?,?,?)",
        sources)
    batch.clear()
    sources.clear()


def kept(entries: int, backfill_rows: int) -> Path:
    """The built store for these sizes, from the temporary folder (built the first time)."""
    path = Path(tempfile.gettempdir()) / "dailies-bench" / f"desk_panels_{entries}_{backfill_rows}.sqlite"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        part.unlink(missing_ok=True)
        t0 = time.perf_counter()
        build(part, entries, backfill_rows)
        part.rename(path)
        print(f"built {path} ({entries:,} entries, {backfill_rows:,} backfill rows) in {time.perf_counter() - t0:.0f} s",
              flush=True)
    return path


def working_copy(entries: int, backfill_rows: int, folder: Path) -> Path:
    """A copy of the kept store to change (a backfill run and its undo)."""
    dest = folder / "desk_panels.sqlite"
    shutil.copyfile(kept(entries, backfill_rows), dest)
    return dest
