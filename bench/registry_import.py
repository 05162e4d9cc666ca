"""Import figure: the real 2026-02-21 export into a fresh store. Goal: at most 2 s.

    .venv/bin/python bench/registry_import.py [EXPORT.json]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.registries.importer import import_export  # noqa: E402
from engine.store.db import open_store  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "motion-registries-2026-02-21.json"


def main() -> None:
    export = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not export.exists():
        sys.exit(f"no export at {export}")
    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "s.sqlite", create=True)
            t0 = time.perf_counter()
            report = import_export(store, export)
            times.append(time.perf_counter() - t0)
            store.close()
    print(f"import of {export.name}: {sum(report.imported.values())} entries ({report.new_entries} new), "
          f"{report.interpretations} interpretations, {report.linguistic} linguistic rows, "
          f"{len(report.skipped)} skipped")
    print(f"time: best {min(times):.3f} s, worst {max(times):.3f} s of 3 runs (goal <= 2 s)")


if __name__ == "__main__":
    main()
