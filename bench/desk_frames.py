"""Desk frame figures, measured on the real widgets offscreen:

- next shot with frames cached: key press to the new frame painted (p50, p95)
- first display of an uncached 3840x2160 JPEG: its display copy painted, then the full frame over it
- thumbnail strip of 200 shots filled, the first time (disk thumbnails made) and after
- the frame cache's size through a 2,000-step scrub, against its size setting

The machine may be shared, so each figure comes with CPU time as well as wall time: the GUI
thread's CPU (time.thread_time) and the decoding workers' CPU (measured in the worker).

The default-settings scrub runs in a desk process of its own, so its RSS is that of a
reviewer's desk and not of this process after the figures before it.

Run: .venv/bin/python bench/desk_frames.py [--rss: that figure alone]
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from desk_common import build_store, p95, pump_until
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def make_window(store, settings_path: Path, cache_mb: int | None = None):
    from desktop.main_window import MainWindow
    from desktop.theme import apply_theme

    settings = QSettings(str(settings_path), QSettings.IniFormat)
    if cache_mb:
        settings.setValue("cache/size_mb", cache_mb)
    apply_theme(QApplication.instance())
    win = MainWindow(store, settings=settings)
    win.resize(1600, 960)
    win.show()
    return win


def settle(app, view) -> None:
    pump_until(app, lambda: not view._strip_follow.isActive(), 2)
    app.processEvents()


def next_shot_cached(app, tmp: Path) -> None:
    store = build_store(tmp / "next", shots=40)
    win = make_window(store, tmp / "next.ini")
    view = win.dailies
    pump_until(app, win.is_ready)
    for _ in range(39):  # visit every shot once so its frame is cached
        QTest.keyClick(view, Qt.Key_Right)
        pump_until(app, lambda: view.current.pixmap() is not None)
    pump_until(app, lambda: not win.loader.busy())
    QTest.keyClick(view, Qt.Key_Home)
    settle(app, view)
    times, cpu = [], []
    for i in range(200):
        key = Qt.Key_Right if (i // 39) % 2 == 0 else Qt.Key_Left
        before = view.current.frames_painted
        t0, c0 = time.perf_counter(), time.thread_time()
        QTest.keyClick(view, key)
        pump_until(app, lambda b=before: view.current.frames_painted > b and view.current.pixmap() is not None)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        settle(app, view)  # the strip follows after the frame; a reviewer's next key comes later
    times.sort()
    cpu.sort()
    print(f"next shot, frames cached: wall p50 {times[len(times) // 2]:.1f} ms, p95 {p95(times):.1f} ms; "
          f"GUI-thread CPU p50 {cpu[len(cpu) // 2]:.1f} ms, p95 {p95(cpu):.1f} ms "
          f"over {len(times)} key presses (target p95 <= 16 ms)")
    win.close()
    store.close()


def first_4k_jpeg(app, tmp: Path) -> float:
    """First display of detailed 3840x2160 JPEGs (about 3.8 MB each, made procedurally),
    nothing cached: 24 displays, median and p95. The takes have their display copies, as every
    take recorded through intake has (older stores: `dailies takes display-copies`); the first
    paint is the copy, and the full frame replaces it (its time is printed too)."""
    from engine.takes.display_copies import make_store_display_copies

    store = build_store(tmp / "4k", shots=6, size=(3840, 2160), detailed=True, quality=92)
    copies = make_store_display_copies(store)
    sizes_mb = [p.stat().st_size / 2**20 for p in store.media_dir.glob("f*.jpg")]
    win = make_window(store, tmp / "4k.ini")
    view = win.dailies
    pump_until(app, win.is_ready)
    pump_until(app, lambda: not win.loader.busy())
    results, fulls = [], []
    for _ in range(24):
        target = (win.session.row + 3) % 6  # never a neighbour the desk decodes ahead
        win.loader.cache.set_limit(0)  # nothing cached: the first display decodes the file
        win.loader.cache.set_limit(1 << 30)
        win.loader.forget_failures()
        t0, c0 = time.perf_counter(), time.thread_time()
        win.session.goto_row(target)
        pump_until(app, lambda t=target: view.current.pixmap() is not None and view.current.frames_painted > 0
                   and view.current.shown_path.endswith(f"f{t:05d}.jpg"))
        app.processEvents()
        wall = (time.perf_counter() - t0) * 1000
        gui = (time.thread_time() - c0) * 1000
        key = view._wanted[view.current]
        full = win.loader.pixmap(key)
        painted_full = full is not None and view.current.pixmap().cacheKey() == full.cacheKey()
        first_cpu = win.loader.decode_cpu.get(key if painted_full else key.stand_in_key(), 0)
        results.append((wall, gui + first_cpu * 1000))
        pump_until(app, lambda k=key: win.loader.pixmap(k) is not None
                   and view.current.pixmap().cacheKey() == win.loader.pixmap(k).cacheKey())
        app.processEvents()
        fulls.append((time.perf_counter() - t0) * 1000)
        pump_until(app, lambda: not win.loader.busy())
    size = view.current.pixmap().size()
    walls = [r[0] for r in results]
    cpus = [r[1] for r in results]
    print(f"first display of an uncached detailed 3840x2160 JPEG ({min(sizes_mb):.1f}-{max(sizes_mb):.1f} MB): "
          f"wall median {statistics.median(walls):.1f} ms, p95 {p95(walls):.1f} ms; CPU (GUI thread + its decode) "
          f"median {statistics.median(cpus):.1f} ms, p95 {p95(cpus):.1f} ms over {len(walls)} displays "
          f"(decoded to {size.width()}x{size.height()}; {copies.made} display copies made up front)")
    print(f"  the full frame replacing the display copy on screen: wall median {statistics.median(fulls):.1f} ms, "
          f"p95 {p95(fulls):.1f} ms after the key press")
    win.close()
    store.close()
    return p95(walls)


def strip_200(app, tmp: Path) -> None:
    store = build_store(tmp / "strip", shots=200)
    from engine.store.filters import review_strip
    from engine.takes.thumbnails import thumbnails_dir

    with store.read() as s:
        shots = review_strip(s)
    for run in ("first open, disk thumbnails made now", "later opens, disk thumbnails reused"):
        win = make_window(store, tmp / "strip.ini")
        view = win.dailies
        pump_until(app, win.is_ready)
        pump_until(app, lambda w=win: not w.loader.busy(), 30)  # the first visit's own work
        if run.startswith("first"):
            shutil.rmtree(thumbnails_dir(store.media_dir), ignore_errors=True)
        win.loader.cache.set_limit(0)
        win.loader.cache.set_limit(1 << 30)
        win.loader.decode_cpu.clear()
        t0, c0 = time.perf_counter(), time.thread_time()
        keys = view.prefetch_thumbnails()
        ok = pump_until(app, lambda w=win, ks=keys: all(k in w.loader.cache for k in ks), 30)
        app.processEvents()  # the strip repaints with them
        elapsed = (time.perf_counter() - t0) * 1000
        cpu = (time.thread_time() - c0 + sum(win.loader.decode_cpu.get(k, 0) for k in keys)) * 1000
        print(f"thumbnail strip of {len(shots)} shots (1920x1080 JPEG), {run}: wall {elapsed:.0f} ms, "
              f"CPU {cpu:.0f} ms ({'all' if ok else 'NOT all'} {len(keys)} thumbnails; target <= 1000 ms)")
        win.close()
    store.close()


def scrub_2000(app, tmp: Path, cache_mb: int) -> None:
    store = build_store(tmp / f"scrub{cache_mb}", shots=300, size=(1920, 1080))
    win = make_window(store, tmp / f"scrub{cache_mb}.ini", cache_mb=cache_mb)
    view = win.dailies
    pump_until(app, win.is_ready)
    rng = random.Random(7)
    limit = win.loader.cache.limit_bytes
    worst = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(2000):
        step = rng.choice([1, 1, 1, -1, 10, -10])
        mod = Qt.ShiftModifier if abs(step) == 10 else Qt.NoModifier
        QTest.keyClick(view, Qt.Key_Right if step > 0 else Qt.Key_Left, mod)
        app.processEvents()
        worst = max(worst, win.loader.cache.bytes_used)
    pump_until(app, lambda: not win.loader.busy(), 60)
    worst = max(worst, win.loader.cache.peak_bytes)
    print(f"2,000-step scrub over 300 shots with a {cache_mb} MB cache setting: peak {worst / 2**20:.0f} MB, "
          f"{len(win.loader.cache)} frames held at the end, {'within' if worst <= limit else 'OVER'} the limit "
          f"(wall {time.perf_counter() - t0:.1f} s, process CPU {time.process_time() - c0:.1f} s)")
    win.close()
    store.close()


def rss_mb() -> tuple[float, float]:
    """(resident now, peak) of this process in MB, as the system counts them."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def scrub_default_settings(app, tmp: Path) -> float:
    """The desk on a store of 100,000 takes (5,000 shots, a file of its own for each, detailed
    1920x1080 frames) with default settings, scrubbed over 2,000 shots; the process's RSS."""
    from desk_common import kept_store

    store = kept_store("desk_scrub_100000", 5000, 20, distinct_frames=50, detailed=True, own_files=True)
    win = make_window(store, tmp / "scrub-default.ini")
    view = win.dailies
    pump_until(app, win.is_ready, 60)
    rng = random.Random(7)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(2000):
        step = rng.choice([1, 1, 1, 10, 10, -1])
        mod = Qt.ShiftModifier if abs(step) == 10 else Qt.NoModifier
        QTest.keyClick(view, Qt.Key_Right if step > 0 else Qt.Key_Left, mod)
        pump_until(app, lambda: view.current.pixmap() is not None, 5)
    pump_until(app, lambda: not win.loader.busy(), 60)
    now, peak = rss_mb()
    print(f"desk with default settings, 2,000 shots scrubbed on 100,000 takes (reached shot {win.session.row:,}): "
          f"RSS {now:.0f} MB now, peak {peak:.0f} MB; frame cache {win.loader.cache.bytes_used / 2**20:.0f} MB of "
          f"{win.loader.cache.limit_bytes / 2**20:.0f} MB, {len(win.loader.cache)} frames "
          f"(wall {time.perf_counter() - t0:.1f} s, process CPU {time.process_time() - c0:.1f} s)")
    win.close()
    store.close()
    return now


RSS_FIGURE = "desk RSS after scrubbing 2,000 shots on 100k takes, default settings"


def fresh_desk_rss() -> float:
    """The default-settings scrub in a process of its own: a reviewer's desk, with nothing
    left over from the figures before it."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, __file__, "--rss-only"], capture_output=True, text=True, check=True)
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)["rss_mb"]
        print(line, flush=True)
    raise SystemExit(f"the scrub did not finish: {done.stderr[-2000:]}")


def main() -> None:
    import json
    import sys

    from bench_common import load_note, result

    app = QApplication.instance() or QApplication([])
    if sys.argv[1:] == ["--rss-only"]:
        with tempfile.TemporaryDirectory() as d:
            print(json.dumps({"rss_mb": scrub_default_settings(app, Path(d))}), flush=True)
        return
    print(load_note())
    if sys.argv[1:] == ["--rss"]:  # that figure alone
        rss = fresh_desk_rss()
        print(load_note())
        result(RSS_FIGURE, rss, "MB", 700, fmt=".0f")
        return
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        next_shot_cached(app, tmp)
        first = first_4k_jpeg(app, tmp)
        strip_200(app, tmp)
        scrub_2000(app, tmp, 256)
    rss = fresh_desk_rss()
    print(load_note())
    result("first paint of a detailed 4K JPEG (p95)", first, "ms", 60, fmt=".1f")
    result(RSS_FIGURE, rss, "MB", 700, fmt=".0f")


if __name__ == "__main__":
    main()
