"""`takes find` on a copy of a take's picture, in a store of --size takes (default 100,000).

    python bench/takes_find.py [--size 100000 [--size 1000000]] [--runs 40]

The store is the demo episode (real frames, files on disk) plus synthetic takes up to --size,
each with a perceptual hash (random 64 bits), built once and kept under bench/out/. Each run
looks up a JPEG (quality 80) copy of a demo frame, a different one each run, with the look
cache emptied, so every run decodes the copy and its candidates as a one-off `takes find`
would. Figures: the whole find, and the pick alone (loading every hash and the XOR-popcount
search). Also the cost of hashing a 1920x1080 frame where a take's file is written (bulk
appends are untouched: imports are hashed afterwards by `takes hash --missing`), and the
distances that set the thresholds, measured again on the demo frames.
The pick reads the hashes from a snapshot beside the thumbnails while the store holds the same
hashes; after new takes it reads the rows once (printed as "loading the hashes from the rows").
Goals: the pick <= 100 ms (median and p95); the whole find <= 250 ms median, 400 ms p95
(decoding the copy and each candidate's file is most of it).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_common import OUT, load_note, median, p95, result, size_args  # noqa: E402
from PIL import Image, ImageEnhance  # noqa: E402

from engine.store.bulk import insert_many  # noqa: E402
from engine.store.db import open_store  # noqa: E402
from engine.store.shots import add_shot  # noqa: E402
from engine.store.takes import NewTake, bulk_append_takes  # noqa: E402
from engine.takes import perceptual  # noqa: E402
from engine.takes.perceptual_hashes import HASHES, load_hashes, snapshot_path  # noqa: E402
from engine.takes.take_finder import find_take  # noqa: E402

CHUNK = 20_000


def build(size: int) -> Path:
    from datetime import UTC, datetime

    from sqlalchemy import func, select

    from engine.store.models import Take
    from engine.takes.demo.build import build_demo

    path = OUT / f"takes_find_{size}.sqlite"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".building.sqlite")
    for stale in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
        stale.unlink(missing_ok=True)
    print(f"building the demo plus {size:,} takes in {path} (once)...", flush=True)
    with open_store(tmp, create=True) as store:
        build_demo(store, seed=7, today=datetime(2026, 12, 2, 12, tzinfo=UTC))
        rng = random.Random(11)
        with store.write() as s:
            have = s.scalar(select(func.count()).select_from(Take))
            shots = [f"BENCH_SH{i:05d}" for i in range(max(1, (size - have) // 20))]
            for i, code in enumerate(shots):
                add_shot(s, episode="EP02", code=code, position=i + 1)
        for start in range(have, size, CHUNK):
            with store.write() as s:
                news = [NewTake(shot=shots[i % len(shots)], model="gemini-3-pro-image-preview",
                                pipeline="keyframe", prompt=f"a bench prompt {i}", seed=i,
                                output_path=f"bench/{i}.png", target="nbp")
                        for i in range(start, min(size, start + CHUNK))]
                bulk_append_takes(s, news)
                last = s.scalar(select(func.max(Take.id)))
                ids = range(last - len(news) + 1, last + 1)
                insert_many(s, HASHES, [{"take_id": t, "phash": perceptual.to_signed(rng.getrandbits(64)),
                                         "hashed_at": datetime.now(UTC)} for t in ids])
    for suffix in ("", "-wal", "-shm"):
        src = tmp.with_name(tmp.name + suffix)
        if src.exists():
            src.replace(path.with_name(path.name + suffix))
    tmp.with_name(tmp.stem + ".media").replace(path.with_name(path.stem + ".media"))
    return path


def _copies(frames: list[Path], folder: Path) -> list[Path]:
    out = []
    for i, frame in enumerate(frames):
        target = folder / f"copy_{i}.jpg"
        Image.open(frame).convert("RGB").save(target, quality=80)
        out.append(target)
    return out


def thresholds(frames: list[Path]) -> None:
    """The distances between copies and their frames, and between different demo frames."""
    looks = {f: perceptual.look_of_file(f) for f in frames}
    hashes = {f: perceptual.phash(look) for f, look in looks.items()}
    copy_bits, copy_diff = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for f in frames:
            img = Image.open(f).convert("RGB")
            variants = [(img, {"quality": 80}, "a.jpg"), (img.resize((960, 540)), {}, "b.png"),
                        (img, {}, "c.png"), (img, {"quality": 80}, "d.webp"),
                        (ImageEnhance.Brightness(img).enhance(1.05), {}, "e.png")]
            for picture, options, name in variants:
                picture.save(Path(tmp) / name, **options)
                look = perceptual.look_of_file(Path(tmp) / name)
                copy_bits.append(bin(perceptual.phash(look) ^ hashes[f]).count("1"))
                copy_diff.append(perceptual.difference(look, looks[f]))
    other_bits, sibling_diff = [], []
    for a, b in itertools.combinations(frames, 2):
        if a.name[:15] == b.name[:15]:
            sibling_diff.append(perceptual.difference(looks[a], looks[b]))
        else:
            other_bits.append(bin(hashes[a] ^ hashes[b]).count("1"))
    print(f"copies (JPEG 80, half size, PNG, WebP, +5% brightness) of {len(frames)} frames: "
          f"hash distance at most {max(copy_bits)} of 64, difference at most {max(copy_diff):.5f}")
    print(f"frames of different shots: hash distance at least {min(other_bits)} of 64; "
          f"sibling takes of one shot: difference at least {min(sibling_diff):.5f}")
    print(f"thresholds: distance <= {perceptual.MAX_DISTANCE}, difference <= {perceptual.MAX_DIFFERENCE}")


def record_cost(frame: Path, runs: int = 20) -> float:
    img = Image.open(frame)
    img.load()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        perceptual.phash(perceptual.look_of_image(img))
        times.append((time.perf_counter() - t) * 1000)
    return median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    size_args(parser, "takes")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    ok = True
    for size in sorted(set(args.size or [100_000])):
        path = build(size)
        frames = sorted(path.with_name(path.stem + ".media").glob("demo/*.png"))
        with tempfile.TemporaryDirectory() as tmp, open_store(path) as store:
            copies = _copies(frames, Path(tmp))
            find_take(store, copies[0])  # imports and the first connection, not measured
            colds = []
            for _ in range(5):  # the arrays rebuilt from the rows, as after new takes
                snapshot_path(store).unlink(missing_ok=True)
                t, c = time.perf_counter(), time.process_time()
                with store.read() as s:
                    load_hashes(s, snapshot_path(store))
                colds.append((time.perf_counter() - t) * 1000)
            cpu0, finds, picks, find_cpu, pick_cpu = time.process_time(), [], [], [], []
            for i in range(args.runs):
                copy = copies[i % len(copies)]
                perceptual._cached_look.cache_clear()
                t, c = time.perf_counter(), time.process_time()
                match = find_take(store, copy)
                finds.append((time.perf_counter() - t) * 1000)
                find_cpu.append((time.process_time() - c) * 1000)
                assert match.how == "perceptual" and match.take.output_path.endswith(frames[i % len(frames)].name)
                query = perceptual.phash(perceptual.look_of_file(copy))
                t, c = time.perf_counter(), time.process_time()
                with store.read() as s:
                    ids, hashes = load_hashes(s, snapshot_path(store))
                    near = (perceptual.distances(hashes, query) <= perceptual.MAX_DISTANCE).nonzero()[0]
                picks.append((time.perf_counter() - t) * 1000)
                pick_cpu.append((time.process_time() - c) * 1000)
                assert len(ids) >= size - 60 and len(near) >= 1
            cpu = time.process_time() - cpu0
        print(load_note())
        print(f"CPU time for {args.runs} finds and picks: {cpu:.2f} s")
        print(f"CPU time of one find: median {median(find_cpu):.1f} ms; of one pick: median {median(pick_cpu):.1f} ms")
        print(f"loading the hashes from the rows (after new takes): median {median(colds):.1f} ms, "
              f"p95 {p95(colds):.1f} ms")
        print(f"find: median {median(finds):.1f} ms, p95 {p95(finds):.1f} ms; "
              f"pick: median {median(picks):.1f} ms, p95 {p95(picks):.1f} ms")
        ok &= result(f"takes find over {size:,} takes (median)", median(finds), "ms", 250, fmt=".1f")
        ok &= result(f"takes find over {size:,} takes (p95)", p95(finds), "ms", 400, fmt=".1f")
        ok &= result(f"perceptual pick over {size:,} takes (median)", median(picks), "ms", 100, fmt=".1f")
        ok &= result(f"perceptual pick over {size:,} takes (p95)", p95(picks), "ms", 100, fmt=".1f")
    thresholds(frames)
    print(f"hashing a 1920x1080 frame where its take is recorded: median {record_cost(frames[0]):.1f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
