"""Cold start: from launching `dailies desk` on a store to the first frame painted, and the
jumps a reviewer makes along a long strip (End, Home, a shot by name).

Stores of each --size takes (size/20 shots x 20 takes, 50 distinct detailed 1920x1080 JPEG
frames) are built once under bench/out/ and reused. Each launch is a new process running the
real entry point (desktop.cli main, `desk --store S`, offscreen), timed from the launch of
Python until the window's first frame is painted; the process's peak RSS and CPU time come
with it. The jumps are timed in this process on the opened desk: key press until the desk has
moved there (the strip scrolled, the frame asked for; the frame's own decode runs in a worker
and is measured by desk_frames.py). Medians and p95 over every launch and jump.

    .venv/bin/python bench/desk_cold_start.py [--size 100000 --size 1000000] [--launches 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from bench_common import (
    ROOT,
    children_cpu,
    growth,
    load_note,
    median,
    p95,
    result,
    size_args,
    sizes,
)
from desk_common import kept_store, pump_until

CHILD = r"""
import json, os, resource, sys, time
t0 = float(sys.argv[2])
from PySide6.QtWidgets import QApplication

def peak_rss_mb():
    # The process's own high-water mark (VmHWM). getrusage's ru_maxrss is not: Linux carries
    # into it the RSS of the process that forked it, so a launch from a bench that has just
    # built a large store reported the bench's memory, not the desk's.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def first_frame(app):
    win = next(w for w in app.topLevelWidgets() if hasattr(w, "is_ready"))
    while not win.is_ready():
        app.processEvents()
    t_end = time.time()
    print(json.dumps({"to_first_frame": t_end - t0, "cpu": time.process_time(),
                      "rss_mb": peak_rss_mb(),
                      "shots": win.session.shot_count()}), flush=True)
    os._exit(0)

QApplication.exec = first_frame  # the entry point's event loop: stop at the first frame
from desktop.cli import main
main(["desk", "--store", sys.argv[1]])
"""


def launch(path: str, data_dir: str) -> dict:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DAILIES_DATA_DIR": data_dir, "PYTHONPATH": str(ROOT),
           "QT_QPA_PLATFORM": "offscreen", "HOME": data_dir, "DAILIES_DESK_SETTINGS": f"{data_dir}/desk.ini"}
    c0 = children_cpu()
    t0 = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD, path, repr(t0)], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("{")), None)
    if line is None:
        raise SystemExit(f"the desk did not start: {done.stderr[-2000:]}")
    r = json.loads(line)
    r["child_cpu"] = children_cpu() - c0
    return r


def jumps(store, size: int) -> tuple[list[float], list[float]]:
    """Key press to the desk there, for End, Home and a shot by name, each several times."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop import responsive
    from desktop.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    win = MainWindow(store, settings=QSettings(str(ROOT / "bench" / "out" / "jump.ini"), QSettings.IniFormat))
    win.resize(1600, 960)
    win.show()
    responsive.after_start()  # as the desk's entry point does once its window is built
    pump_until(app, win.is_ready, 60)
    # The desk's own start-up work (the strip's thumbnails queued after the first frame) first.
    pump_until(app, lambda: not win.loader.busy(), 60)
    view, session = win.dailies, win.session
    total = session.shot_count()
    times, cpu = [], []

    def timed(work) -> None:
        t0, c0 = time.perf_counter(), time.thread_time()
        work()
        app.processEvents()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)

    for i in range(6):
        for key in (Qt.Key_End, Qt.Key_Home):
            timed(lambda k=key: QTest.keyClick(view, k))
        code = f"SH{(i * 7919 + 4999) % total:05d}"
        timed(lambda c=code: session.goto_row(session.model.row_of_shot(c)))
        assert session.current_shot().code == code
    win.close()
    print(f"End / Home / a shot by name on a strip of {total:,} shots ({size:,} takes): median "
          f"{median(times):.1f} ms, p95 {p95(times):.1f} ms wall; GUI-thread CPU median {median(cpu):.1f} ms, "
          f"p95 {p95(cpu):.1f} ms over {len(times)} jumps")
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_args(parser, "takes")
    parser.add_argument("--launches", type=int, default=5)
    args = parser.parse_args()
    print(load_note())
    starts, rss, jump, start_cpu, jump_cpu = {}, {}, {}, {}, {}
    for size in sizes(args):
        store = kept_store(f"desk_{size}", size // 20, 20, distinct_frames=50, detailed=True)
        path = str(store.location.path)
        data_dir = str(ROOT / "bench" / "out" / f"desk_{size}" / "user-data")
        runs = [launch(path, data_dir) for _ in range(args.launches)]
        walls = [r["to_first_frame"] for r in runs]
        starts[size], rss[size] = median(walls), max(r["rss_mb"] for r in runs)
        start_cpu[size] = median([r["child_cpu"] for r in runs])
        print(f"cold start on {runs[0]['shots']:,} shots / {size:,} takes through `dailies desk`: median "
              f"{median(walls):.2f} s, p95 {p95(walls):.2f} s wall over {len(runs)} launches; process CPU "
              f"median {median([r['child_cpu'] for r in runs]):.2f} s; peak RSS {rss[size]:.0f} MB", flush=True)
        walls, cpus = jumps(store, size)
        jump[size], jump_cpu[size] = p95(walls), p95(cpus)
        store.close()
    growth("cold start (median)", starts)
    growth("jumps (p95)", jump)
    print(load_note())
    big = max(starts)
    result(f"cold start to first frame, {big:,} takes, real entry point (median)", starts[big], "s", 2.5, fmt=".2f")
    result(f"desk peak RSS at cold start, {big:,} takes", rss[big], "MB", 400, fmt=".0f")
    result(f"End / Home / jump to shot, {big:,}-take strip (p95)", jump[big], "ms", 50, fmt=".1f")
    # The same work in CPU time, which a shared, loaded machine does not inflate.
    result(f"cold start, {big:,} takes, process CPU (median)", start_cpu[big], "s", 2.5, fmt=".2f")
    result(f"End / Home / jump to shot, {big:,}-take strip, GUI-thread CPU (p95)", jump_cpu[big], "ms", 50,
           fmt=".1f")


if __name__ == "__main__":
    main()
