"""Cold start: from opening a store of 100,000 takes to the first frame on screen.

Builds the store once (5,000 shots x 20 takes, frames shared), then measures in a fresh
process: open the store, create the window, wait until the first frame is painted.
Run: .venv/bin/python bench/desk_cold_start.py
"""

from __future__ import annotations

import json
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
t_import = time.perf_counter()
app = QApplication([])
apply_theme(app)
store = open_store(sys.argv[1])
win = MainWindow(store)
win.resize(1600, 960)
win.show()
while not win.is_ready():
    app.processEvents()
t_end = time.perf_counter()
print(json.dumps({"imports": t_import - t0, "to_first_frame": t_end - t_import,
                  "shots": win.session.shot_count()}))
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        store = build_store(Path(d) / "big", shots=5000, takes_per_shot=20, distinct_frames=50)
        store.close()
        print(f"built a store of 100,000 takes in {time.perf_counter() - t:.1f} s")
        root = Path(__file__).resolve().parent.parent
        runs = []
        for _ in range(3):
            out = subprocess.run([sys.executable, "-c", CHILD, str(Path(d) / "big" / "bench.sqlite")],
                                 capture_output=True, text=True, cwd=root,
                                 env={"PATH": "/usr/bin:/bin", "DAILIES_DATA_DIR": d, "PYTHONPATH": str(root)})
            line = [x for x in out.stdout.splitlines() if x.startswith("{")]
            if not line:
                print(out.stderr[-2000:])
                return
            runs.append(json.loads(line[-1]))
        for r in runs:
            print(f"cold start with {r['shots']} shots / 100,000 takes: {r['to_first_frame'] * 1000:.0f} ms "
                  f"from QApplication to first frame painted (+ {r['imports'] * 1000:.0f} ms Python imports; "
                  "target <= 2500 ms)")


if __name__ == "__main__":
    main()
