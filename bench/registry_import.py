"""Import figure: an export written by the exporter of another desk's store (the real
2026-02-21 export imported there, plus its own sound discoveries: real composite keys) into
a store that already holds N entries (half real sound keys, the rest over every other
non-semantic aspect, as bench/density.py builds them) and that desk's export of the day
before, so the import is the realistic next day's one: new keys added, grown counts updated,
the rest skipped. Goal: at most 1 s into a 1,000,000-entry store, and the time must not grow
with the store (only the export's own keys and names are looked up).

    .venv/bin/python bench/registry_import.py                       # --size 100000 --size 1000000
    .venv/bin/python bench/registry_import.py --size 100000 --runs 3

Stores and exports are built once under bench/out/ (keyed by size); each run imports into a
fresh copy of the prepared store; medians and p95 over runs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_common import OUT, growth, load_note, median, p95, result, size_args, sizes  # noqa: E402
from density import kept, sound_keys  # noqa: E402

from engine.procedural.registries.catalog import SourceRef  # noqa: E402
from engine.procedural.registries.exporter import export_registries  # noqa: E402
from engine.procedural.registries.importer import import_export  # noqa: E402
from engine.procedural.registries.record import observe_many  # noqa: E402
from engine.store.db import open_store  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EARLIER = DATA / "motion-registries-2026-02-17.json"
LATER = DATA / "motion-registries-2026-02-21.json"
GOAL_S = 1.0
OWN_SOUNDS = 2_000  # the other desk's own sound discoveries per day


def other_desk_exports() -> tuple[Path, Path]:
    """Two daily exports of another desk's store, written by the exporter: the day before
    (the 2026-02-17 export imported there and its first sounds) and the day itself (the
    2026-02-21 export and more sounds, some heard again)."""
    before, day = OUT / "other-desk-2026-02-28.json", OUT / "other-desk-2026-03-01.json"
    if before.exists() and day.exists():
        return before, day
    OUT.mkdir(parents=True, exist_ok=True)
    keys = sound_keys(2 * OWN_SOUNDS, seed=5)
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "other.sqlite", create=True) as desk:
        import_export(desk, EARLIER)
        with desk.write() as s:
            observe_many(s, "pure", "sound", dict.fromkeys(keys[:OWN_SOUNDS], 1), source=SourceRef("discovery", "c1"))
        export_registries(desk, before)
        import_export(desk, LATER)
        with desk.write() as s:
            observe_many(s, "pure", "sound", dict.fromkeys(keys[OWN_SOUNDS // 2:], 2), source=SourceRef("discovery", "c2"))
        export_registries(desk, day)
    return before, day


def prepared(size: int, before: Path) -> Path:
    path = OUT / f"import_base_{size}.sqlite"
    if not path.exists():
        t0 = time.perf_counter()
        part = path.with_suffix(".part")
        part.unlink(missing_ok=True)
        shutil.copyfile(kept(size), part)  # the density bench's store of real sound keys
        with open_store(part) as store:
            import_export(store, before)
        part.rename(path)
        print(f"built a {size:,}-entry store with {before.name} imported in {time.perf_counter() - t0:.1f} s "
              f"({path.stat().st_size / 2**20:.0f} MiB)", flush=True)
    return path


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(base: Path, export: Path, tmp: Path, runs: int) -> tuple[list[float], list[float], object]:
    walls, cpus, report = [], [], None
    for i in range(runs):
        copy = tmp / f"run-{i}.sqlite"
        shutil.copyfile(base, copy)
        store = open_store(copy)
        c0, t0 = time.process_time(), time.perf_counter()
        report = import_export(store, export)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        store.close()
        copy.unlink()
    return walls, cpus, report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_args(ap, "registry entries")
    ap.add_argument("--runs", type=int, default=5, help="imports per size (default 5)")
    args = ap.parse_args()
    if not EARLIER.exists() or not LATER.exists():
        sys.exit(f"the real exports are not in {DATA}")
    print(load_note())
    before, day = other_desk_exports()
    medians: dict[int, float] = {}
    cpu_medians: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        for size in sizes(args):
            base = prepared(size, before)
            walls, cpus, report = measure(base, day, Path(tmp_name), args.runs)
            medians[size], cpu_medians[size] = median(walls), median(cpus)
            print(f"{day.name} ({report.entries_in_file:,} entries) into {size:,} entries: added {len(report.added)}, "
                  f"updated {len(report.updated)}, skipped {report.skipped_total}, renamed {len(report.renamed)}; "
                  f"median {medians[size]:.3f} s, p95 {p95(walls):.3f} s wall, CPU median {cpu_medians[size]:.3f} s "
                  f"over {args.runs} runs", flush=True)
    growth("import (median)", medians)
    growth("import CPU (median)", cpu_medians)
    print(load_note())
    big = max(medians)
    result(f"import of a real export into a {big:,}-entry store (median of {args.runs})", medians[big], "s", GOAL_S)


if __name__ == "__main__":
    main()
