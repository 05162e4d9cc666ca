"""Shared set-up for the desk benches: offscreen Qt, generated stores, timing helpers."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402


def frame_file(path: Path, i: int, size=(1920, 1080), fmt="JPEG") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", size, ((i * 37) % 255, (i * 91) % 255, (i * 53) % 255))
    d = ImageDraw.Draw(img)
    d.rectangle([size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2], fill=((i * 11) % 255, 40, 200))
    d.text((40, 40), f"frame {i}", fill=(255, 255, 255))
    img.save(path, fmt, quality=88) if fmt == "JPEG" else img.save(path, fmt)


def detailed_frame(path: Path, i: int, size=(3840, 2160), quality: int = 90) -> None:
    """A frame with the detail of a real one, so it costs what a real one costs to decode:
    gradients, fine ripples, hard-edged blocks and grain (a 3840x2160 frame at quality 92 is
    about 3.8 MB)."""
    import numpy as np

    w, h = size
    rng = np.random.default_rng(i)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.stack([x / w * 255, y / h * 255, (x + y) / (w + h) * 255], -1)
    img += 40 * np.sin(x[..., None] / (7 + i % 5) + np.array([0, 1, 2])) * np.cos(y[..., None] / 11)
    img += (((x + 13 * i) // 97 + y // 61) % 2)[..., None] * 60
    img += rng.normal(0, 15, (h, w, 3)).astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, "JPEG", quality=quality)


def _add_shots(session, shots: int) -> None:
    """Shots SH00000.. in episode EP01, 50 to a scene: the rows `add_shot` makes, written in
    one statement per scene (one `add_shot` each took a quarter of an hour for 50,000)."""
    from engine.store.bulk import insert_many
    from engine.store.models import Shot, utcnow
    from engine.store.shots import ensure_episode, ensure_scene

    episode = ensure_episode(session, "EP01")
    now = utcnow()
    for first in range(0, shots, 50):
        scene = ensure_scene(session, episode, f"SC{first // 50:03d}")
        insert_many(session, Shot.__table__, [
            {"code": f"SH{i:05d}", "episode_id": episode.id, "scene_id": scene.id, "position": i + 1,
             "plan_json": None, "created_at": now}
            for i in range(first, min(shots, first + 50))])


def build_store(folder: Path, shots: int, takes_per_shot: int = 1, *, distinct_frames: int | None = None,
                size=(1920, 1080), fmt="JPEG", detailed: bool = False, own_files: bool = False,
                quality: int = 90):
    """A store of `shots` shots; takes point at `distinct_frames` files (default one per shot).
    With `own_files` every shot has a file of its own (hard links to the distinct frames), so
    nothing the desk keeps by file is shared between shots."""
    from engine.store.db import open_store
    from engine.store.takes import NewTake, bulk_append_takes

    folder.mkdir(parents=True, exist_ok=True)
    store = open_store(folder / "bench.sqlite", create=True)
    distinct = distinct_frames or shots
    ext = "jpg" if fmt == "JPEG" else "png"
    for i in range(distinct):
        if (store.media_dir / f"f{i:05d}.{ext}").exists():
            continue  # frames of an earlier, unfinished build
        if detailed:
            detailed_frame(store.media_dir / f"f{i:05d}.{ext}", i, size, quality)
        else:
            frame_file(store.media_dir / f"f{i:05d}.{ext}", i, size, fmt)
    def frame(i: int) -> str:
        return f"s{i:05d}.{ext}" if own_files else f"f{(i % distinct):05d}.{ext}"

    if own_files:
        for i in range(shots):
            (store.media_dir / frame(i)).hardlink_to(store.media_dir / f"f{(i % distinct):05d}.{ext}")
    with store.write() as s:
        _add_shots(s, shots)
        news = [
            NewTake(shot=f"SH{i:05d}", model="m", pipeline="keyframe", prompt=f"prompt {i} {t}",
                    seed=i * 100 + t, output_path=frame(i))
            for i in range(shots)
            for t in range(takes_per_shot)
        ]
        for start in range(0, len(news), 20_000):
            bulk_append_takes(s, news[start:start + 20_000])
    return store


def kept_store(name: str, shots: int, takes_per_shot: int, **kw):
    """A store under bench/out/<name> built once (with `build_store`) and reused after; the
    folder is complete only when its `built` mark is there."""
    from engine.store.db import open_store

    folder = Path(__file__).resolve().parent / "out" / name
    if (folder / "built").exists():
        return open_store(folder / "bench.sqlite")
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    store = build_store(folder, shots, takes_per_shot, **kw)
    print(f"built {folder} ({shots:,} shots x {takes_per_shot} takes) in {time.perf_counter() - t:.0f} s", flush=True)
    # closed and opened again, as an import leaves a store when it ends: the write-ahead log
    # folded into the file.
    store.close()
    (folder / "built").write_text("")
    return open_store(folder / "bench.sqlite")


_heartbeat = None


def pump_until(app, done, timeout_s: float = 30.0) -> bool:
    """Run the event loop until `done()`. It sleeps while there is nothing to do (as the desk
    does), so the GUI thread's CPU time measures work, not waiting; a 5 ms heartbeat makes
    sure `done()` is looked at even when no event comes."""
    global _heartbeat
    from PySide6.QtCore import QEventLoop, QTimer

    if _heartbeat is None:
        _heartbeat = QTimer()
        _heartbeat.setInterval(5)
        _heartbeat.timeout.connect(lambda: None)
        _heartbeat.start()
    deadline = time.perf_counter() + timeout_s
    while not done():
        if time.perf_counter() > deadline:
            return False
        app.processEvents(QEventLoop.AllEvents | QEventLoop.WaitForMoreEvents)
    return True


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)
