"""Cold start: from launching the desk on a store of 100,000 takes to the first frame on screen.

Builds the store once (5,000 shots x 20 takes, frames shared), then measures in a fresh
process each time: Python starting, the imports, opening the store, creating the window, and
waiting until the first frame is painted. The whole figure counts from the launch of the
process; the imports are also given on their own. The machine may be shared, so the process's
CPU time is printed beside the wall time.
Run: .venv/bin/python bench/desk_cold_start.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from desk_common import build_store

CHILD = r"""
import json, os, sys, time
t0 = time.perf_counter()
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
from desktop.main_window import MainWindow
from desktop.theme import apply_theme
from engine.store.db import open_store
t_import, c_import = time.perf_counter(), time.process_time()
app = QApplication([])
apply_theme(app)
store = open_store(sys.argv[1])
win = MainWindow(store)
win.resize(1600, 960)
win.show()
while not win.is_ready():
    app.processEvents()
t_end = time.perf_counter()
print(json.dumps({"imports": t_import - t0, "cpu_imports": c_import, "to_first_frame": t_end - t_import,
                  "cpu": time.process_time(), "shots": win.session.shot_count()}), flush=True)
os._exit(0)
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        store = build_store(Path(d) / "big", shots=5000, takes_per_shot=20, distinct_frames=50)
        store.close()
        print(f"built a store of 100,000 takes in {time.perf_counter() - t:.1f} s")
        root = Path(__file__).resolve().parent.parent
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DAILIES_DATA_DIR": d, "PYTHONPATH": str(root)}
        for _ in range(4):
            t0 = time.perf_counter()
            child = subprocess.Popen([sys.executable, "-c", CHILD, str(Path(d) / "big" / "bench.sqlite")],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root, env=env)
            line = ""
            for line in child.stdout:
                if line.startswith("{"):
                    break
            total = time.perf_counter() - t0
            child.wait()
            if not line.startswith("{"):
                print(child.stderr.read()[-2000:])
                return
            r = json.loads(line)
            print(f"cold start with {r['shots']} shots / 100,000 takes: {total * 1000:.0f} ms wall from launching "
                  f"Python to the first frame painted, of which {r['imports'] * 1000:.0f} ms imports and "
                  f"{r['to_first_frame'] * 1000:.0f} ms from QApplication to the frame; process CPU "
                  f"{r['cpu'] * 1000:.0f} ms (imports {r['cpu_imports'] * 1000:.0f} ms) (target <= 2500 ms)")


if __name__ == "__main__":
    main()
