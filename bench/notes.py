"""How long region notes take: the desk reading one take's standing notes (every time the
reviewer lands on a take), and the COCO export of every note in the store.

Builds (or reuses) bench/out/notes_<size>.sqlite for each --size (notes in the store): one
take per shot, five notes per noted take (boxes, arrows, 40-point strokes and text labels,
half of them tagged), one note in ten withdrawn, every take a file of its own (a 1920x1080 PNG).
Times `standing_notes` for 300 random takes, each in its own read session as the desk's
worker does, and `export_coco` of the whole store three times (medians and p95).

    .venv/bin/python bench/notes.py [--rebuild] [--size 10000 --size 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_common import OUT, growth, load_note, median, p95, result  # noqa: E402
from PIL import Image  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from engine.store.db import open_store  # noqa: E402
from engine.store.models import Episode, Shot, Take  # noqa: E402
from engine.store.note_models import ReviewNote  # noqa: E402
from engine.store.notes import standing_notes  # noqa: E402
from engine.takes.reports.coco_export import export_coco  # noqa: E402

SIZES = (10_000, 100_000)
PER_TAKE = 5
TAGS = ("anatomy_failure", "continuity_error", "camera_composition", "style_lighting", None, None, None, None)
START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def _points(rng: random.Random, kind: str) -> list[float]:
    x, y = rng.uniform(0, 0.6), rng.uniform(0, 0.6)
    if kind == "box":
        return [round(v, 5) for v in (x, y, rng.uniform(0.05, 0.4), rng.uniform(0.05, 0.4))]
    if kind == "arrow":
        return [round(v, 5) for v in (x, y, x + 0.2, y + 0.3)]
    if kind == "text":
        return [round(x, 5), round(y, 5)]
    return [round(min(1.0, v), 5) for i in range(40) for v in (x + i * 0.005, y + rng.uniform(0, 0.1))]


def build(path: Path, notes: int) -> int:
    rng = random.Random(11)
    path.unlink(missing_ok=True)
    shutil.rmtree(path.with_name(path.stem + ".media"), ignore_errors=True)
    takes = notes // PER_TAKE
    store = open_store(path, create=True)
    (store.media_dir / "frames").mkdir(parents=True, exist_ok=True)
    frame = store.media_dir / "frames" / "frame.png"
    Image.new("RGB", (1920, 1080), (60, 70, 80)).save(frame)
    for i in range(takes):  # a file of its own for every take (linked: the same bytes)
        os.link(frame, store.media_dir / "frames" / f"t{i + 1}.png")
    with store.write() as s:
        s.execute(insert(Episode), [{"id": 1, "code": "EP01", "title": ""}])
        s.execute(insert(Shot), [{"id": i + 1, "code": f"EP01_SH{i + 1:06d}", "episode_id": 1, "position": i + 1}
                                 for i in range(takes)])
        s.execute(insert(Take), [
            {"id": i + 1, "shot_id": i + 1, "number": 1, "created_at": START, "prompt": f"prompt {i}",
             "seed": i, "model": "nbp", "pipeline": "keyframe", "target": "nbp", "system_prompt_version": "v1.0",
             "output_path": f"frames/t{i + 1}.png", "media_kind": "image"} for i in range(takes)])
        rows, note_id = [], 0
        for take in range(1, takes + 1):
            for _ in range(PER_TAKE):
                note_id += 1
                kind = rng.choice(("box", "box", "arrow", "stroke", "text"))
                rows.append({"id": note_id, "take_id": take, "author": "ana", "kind": kind,
                             "made_at": START + timedelta(seconds=note_id), "points_json": json.dumps(_points(rng, kind)),
                             "text": "look here" if kind == "text" or rng.random() < 0.3 else "",
                             "tag": rng.choice(TAGS)})
        withdrawn = rng.sample(range(1, note_id + 1), note_id // 10)
        for n in withdrawn:
            note_id += 1
            rows.append({"id": note_id, "take_id": rows[n - 1]["take_id"], "author": "ben", "kind": "retract",
                         "made_at": START + timedelta(days=1, seconds=n), "points_json": "[]", "text": "",
                         "retracts_id": n})
        for start in range(0, len(rows), 20_000):
            s.execute(insert(ReviewNote), rows[start:start + 20_000])
    store.close()
    return takes


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def bench(size: int, rebuild: bool) -> tuple[float, float]:
    path = OUT / f"notes_{size}.sqlite"
    OUT.mkdir(parents=True, exist_ok=True)
    if rebuild or not path.exists():
        started = time.perf_counter()
        build(path, size)
        print(f"built {path.name}: {size:,} notes on {size // PER_TAKE:,} takes in {time.perf_counter() - started:.1f} s")
    takes = size // PER_TAKE
    rng = random.Random(3)
    with open_store(path) as store:
        reads = []
        for _ in range(300):
            take = rng.randrange(1, takes + 1)
            t0 = time.perf_counter()
            with store.read() as s:
                found = standing_notes(s, [take])[take]
            reads.append((time.perf_counter() - t0) * 1000)
            assert found, take
        print(f"one take's notes at {size:,} notes: median {median(reads):.2f} ms, p95 {p95(reads):.2f} ms")
        exports, cpus = [], []
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(3):
                c0, t0 = cpu(), time.perf_counter()
                done = export_coco(store, Path(tmp) / "notes.json")
                exports.append(time.perf_counter() - t0)
                cpus.append(cpu() - c0)
        print(f"COCO export at {size:,} notes ({done.annotations:,} regions, {done.comments:,} labels, "
              f"{done.images:,} images): median {median(exports):.2f} s (CPU {median(cpus):.2f} s), "
              f"p95 {p95(exports):.2f} s")
    return p95(reads), median(exports)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, action="append", help=f"notes in the store (default {SIZES[0]:,} and {SIZES[1]:,})")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    print(load_note())
    figures = {size: bench(size, args.rebuild) for size in sorted(set(args.size or SIZES))}
    growth("one take's notes (p95)", {k: v[0] for k, v in figures.items()})
    growth("COCO export", {k: v[1] for k, v in figures.items()})
    big = max(figures)
    result(f"one take's standing notes, p95 at {big:,} notes", figures[big][0], "ms", 20)
    result(f"COCO export of {big:,} notes, median", figures[big][1], "s", 30)


if __name__ == "__main__":
    main()
