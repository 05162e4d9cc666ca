"""Registry panels figure: the longest the GUI thread stalls while the desk's registry
panels do what reviewers do with them, on a store of --size registry entries (default
1,000,000) and --backfill-rows rows a backfill cascades over (default 450,000), as the
discovery loop and bench/backfill.py write them (bench/desk_panels_store.py; built once and
kept in the temporary folder).

For each action (open Registries, open Sounds, a search typed key by key in each, Backfill
preview, run and undo), a 5 ms timer on the GUI thread records how late it fires while the
action runs until its result is shown; the longest lateness is the stall. Goal: <= 100 ms.
The panels run as the desk does: heavy engine work in engine processes (desktop.ops), the
objects made at start left out of the collector's full passes (desktop.responsive).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/desk_panels.py [--size 1000000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_common import load_note, median, p95, result  # noqa: E402
from desk_panels_store import working_copy  # noqa: E402

GOAL_MS = 100.0
INTERVAL_MS = 5
KEY_MS = 90  # between keystrokes while typing a search
WORDS = ("rustle", "Whoosh", "thump", "Drift", "0.42")


def _switches() -> tuple[int, int]:
    """The GUI thread's waits so far (for the GIL, a lock, an event) and the times the
    machine took the CPU from it."""
    r = resource.getrusage(resource.RUSAGE_THREAD)
    return r.ru_nvcsw, r.ru_nivcsw


class StallMeter:
    """A timer on the GUI thread every 5 ms; the stall is how much later than that it fired."""

    def __init__(self):
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.worst = self.worst_cpu = 0.0
        self.last = self.last_cpu = 0.0
        self.stacks: list[str] = []
        self._watch = None

    def start(self) -> None:
        self.worst = self.worst_cpu = 0.0
        self.worst_switches = (0, 0)
        self.last, self.last_cpu, self.last_sw = time.perf_counter(), time.thread_time(), _switches()
        self.timer.start()

    def _tick(self) -> None:
        now, cpu, sw = time.perf_counter(), time.thread_time(), _switches()
        late = (now - self.last) * 1000 - INTERVAL_MS
        if late > self.worst:
            self.worst, self.worst_cpu = late, (cpu - self.last_cpu) * 1000
            self.worst_switches = (sw[0] - self.last_sw[0], sw[1] - self.last_sw[1])
        self.last, self.last_cpu, self.last_sw = now, cpu, sw

    def watch(self) -> None:
        """Print where the GUI thread is whenever it is more than 50 ms late (--where)."""
        import threading
        import traceback

        main = threading.main_thread().ident

        def run():
            while True:
                time.sleep(0.01)
                try:
                    active = self.timer.isActive()
                except RuntimeError:  # the desk has closed
                    return
                if active and time.perf_counter() - self.last > 0.05:
                    frames = sys._current_frames()
                    frame = frames.get(main)
                    text = "".join(traceback.format_stack(frame, limit=8)) if frame else "(no Python frame)"
                    # the other threads' places too: one of them may hold the interpreter lock
                    for ident, other in frames.items():
                        if ident not in (main, threading.get_ident()):
                            text += f"  -- thread {ident}:\n" + "".join(traceback.format_stack(other, limit=3))
                    self.stacks.append(text)
                    time.sleep(0.05)

        self._watch = threading.Thread(target=run, daemon=True)
        self._watch.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return max(0.0, self.worst)


def measure(app, meter: StallMeter, action, done, timeout_s: float = 1800) -> tuple[float, float, float]:
    """(longest stall ms, wall s, GUI-process CPU s) of `action()` until `done()`. The GUI
    thread runs Qt's event loop as the desk does, looking at `done()` every 20 ms."""
    from PySide6.QtCore import QEventLoop, QTimer

    t0, c0 = time.perf_counter(), time.process_time()
    loop, poll = QEventLoop(), QTimer()
    poll.setInterval(20)

    def check():
        if done() or time.perf_counter() - t0 > timeout_s:
            poll.stop()
            loop.quit()

    poll.timeout.connect(check)
    meter.start()
    action()
    poll.start()
    loop.exec()
    if not done():
        raise SystemExit(f"desk_panels: the action did not finish in {timeout_s:.0f} s")
    stall = meter.stop()
    if meter.stacks:
        from collections import Counter

        for text, n in Counter(meter.stacks).most_common(3):
            print(f"--- GUI thread late, seen {n}x:\n{text}", flush=True)
        meter.stacks.clear()
    waits, taken = meter.worst_switches
    print(f"    stall {stall:.1f} ms: GUI thread CPU in it {meter.worst_cpu:.1f} ms, it waited {waits}x "
          f"(GIL, locks) and the machine took its CPU {taken}x", flush=True)
    return stall, time.perf_counter() - t0, time.process_time() - c0


def report(label: str, runs: list[tuple[float, float, float]]) -> tuple[str, float]:
    stalls = [r[0] for r in runs]
    walls = [r[1] for r in runs]
    print(f"{label}: longest stall median {median(stalls):.1f} ms, p95 {p95(stalls):.1f} ms over {len(runs)} run(s); "
          f"result shown after median {median(walls):.2f} s; CPU median {median([r[2] for r in runs]):.2f} s", flush=True)
    return label, p95(stalls) if len(runs) > 1 else stalls[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1_000_000, help="registry entries (default 1,000,000)")
    ap.add_argument("--backfill-rows", type=int, default=450_000, help="rows a backfill cascades over")
    ap.add_argument("--repeats", type=int, default=5, help="runs of each quick action (default 5)")
    ap.add_argument("--backfill-repeats", type=int, default=2, help="runs of each backfill action (default 2; 0 leaves them out)")
    ap.add_argument("--where", action="store_true", help="print the GUI thread's stack when it is late")
    args = ap.parse_args()
    print(load_note(), flush=True)

    import shiboken6
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from desktop import ops, responsive
    from desktop.backfill_panel import BackfillPanel
    from desktop.registries_panel import RegistriesPanel
    from desktop.sounds_panel import SoundsPanel
    from desktop.theme import apply_theme
    from engine.store.db import open_store

    app = QApplication.instance() or QApplication(["bench"])
    apply_theme(app)
    responsive.after_start()  # as the desk does once its window is built
    meter = StallMeter()
    if args.where:
        meter.watch()
    figures: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(working_copy(args.size, args.backfill_rows, Path(tmp)))
        print(f"store: {args.size:,} registry entries, {args.backfill_rows:,} backfill rows", flush=True)

        def opened(cls, label: str):
            runs, panel = [], None
            for _ in range(args.repeats):
                if panel is not None:
                    panel.close()
                    panel.deleteLater()
                    ops.wait_idle()
                holder = {}

                def action(holder=holder):
                    holder["w"] = cls(store)
                    holder["w"].resize(1400, 860)
                    holder["w"].show()

                runs.append(measure(app, meter, action, lambda h=holder: "w" in h and h["w"].is_ready()))
                panel = holder["w"]
            figures.append(report(label, runs))
            return panel

        def searched(panel, box, label: str):
            """Type each word a key at a time, a key every KEY_MS as a reviewer types."""
            from PySide6.QtCore import QTimer

            runs = []
            for word in WORDS[:args.repeats]:
                typed = []

                def key(word=word, typed=typed):
                    QTest.keyClicks(box, word[len(typed)])
                    typed.append(word[len(typed)])
                    if len(typed) < len(word):
                        QTimer.singleShot(KEY_MS, key)

                def action(key=key):
                    box.clear()
                    key()

                runs.append(measure(app, meter, action,
                                    lambda w=word: box.text() == w and panel.is_ready()))
            figures.append(report(label, runs))

        registries = opened(RegistriesPanel, "open Registries")
        registries.show_aspect("pure", "sound")
        measure(app, meter, lambda: None, registries.is_ready)
        searched(registries, registries.search_box, "search in Registries (pure sound, typed key by key)")
        registries.close()
        sounds = opened(SoundsPanel, "open Sounds")
        searched(sounds, sounds.search, "search in Sounds (typed key by key)")
        sounds.close()

        if args.backfill_repeats > 0:
            panel = BackfillPanel(store)
            panel.resize(1400, 860)
            previews = [measure(app, meter, panel.show, panel.is_ready)]
            for _ in range(args.backfill_repeats - 1):
                previews.append(measure(app, meter, panel.preview_button.click, panel.is_ready))
            print(f"  {panel.status.text()}", flush=True)
            figures.append(report("Backfill preview", previews))
            runs, undos = [], []
            for _ in range(args.backfill_repeats):
                runs.append(measure(app, meter, panel.run_button.click, panel.is_ready))
                print(f"  {panel.status.text()}", flush=True)
                panel.history_view.selectRow(panel.history_model.rowCount() - 1)
                undos.append(measure(app, meter, panel.undo_button.click, panel.is_ready))
                print(f"  {panel.status.text()}", flush=True)
            figures.append(report("Backfill run", runs))
            figures.append(report("Backfill undo", undos))
            panel.close()
            ops.wait_idle()
            shiboken6.delete(panel)
        for widget in (registries, sounds):
            shiboken6.delete(widget)
        app.processEvents()
        ops.shutdown()
        store.close()
    print(load_note(), flush=True)
    for label, stall in figures:
        result(f"longest GUI stall, {label}", stall, "ms", GOAL_MS, fmt=".1f")


if __name__ == "__main__":
    main()
