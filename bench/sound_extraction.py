"""Sound extraction speed as a multiple of real time, on one core.

Synthesises a long procedural mix (random 1-3 origin noises per 10 s stretch) and times
extract_sound over it: the first call in a new process (what a one-shot run pays, the
templates' loading included; the process's start-up and imports are printed beside it),
then later calls in one process. Medians over the runs, not best-of.
Set OMP_NUM_THREADS / OPENBLAS_NUM_THREADS=1 (done here before numpy loads) for one core.

Usage: .venv/bin/python bench/sound_extraction.py --seed 1 --seconds 120
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.procedural.creation.sound_synth import SAMPLE_RATE, random_mix  # noqa: E402
from engine.procedural.discovery.sound_extract import extract_sound  # noqa: E402
from engine.procedural.discovery.sound_separation import dictionary  # noqa: E402

CHILD = """
import sys, time
t_start = time.perf_counter()
sys.path.insert(0, {root!r})
import numpy as np
from engine.procedural.discovery.sound_extract import extract_sound
samples = np.load(sys.argv[1])
t0, c0 = time.perf_counter(), time.process_time()
extract_sound(samples)
print(time.perf_counter() - t0, time.process_time() - c0, t0 - t_start)
"""


def first_calls(samples: np.ndarray, runs: int) -> list[tuple[float, float, float]]:
    """(wall, CPU, start-up before the call) of extract_sound's first call, each in a new process."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "mix.npy"
        np.save(path, samples)
        script = CHILD.format(root=str(Path(__file__).resolve().parents[1]))
        out = []
        for _ in range(runs):
            done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                                  check=True)
            out.append(tuple(float(x) for x in done.stdout.split()))
        return out


def main() -> None:
    from bench_common import load_note, median, result

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(load_note())
    rng = np.random.default_rng(args.seed)
    samples = np.concatenate(
        [random_mix(rng, seconds=10.0).samples for _ in range(max(1, int(args.seconds // 10)))]
    )
    seconds = len(samples) / SAMPLE_RATE
    first = first_calls(samples, args.repeats)
    walls, cpus = [], []
    t0 = time.perf_counter()
    dictionary()
    load = time.perf_counter() - t0
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        frames = extract_sound(samples)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    print(f"audio: {seconds:.0f} s, {len(frames)} frames (seed {args.seed}); templates loaded in {load:.3f} s")
    fw = median([f[0] for f in first])
    print(f"first call in a new process: median {fw:.3f} s wall = {seconds / fw:.0f}x real time, CPU median "
          f"{median([f[1] for f in first]):.3f} s, over {len(first)} processes (start-up and imports before it: "
          f"median {median([f[2] for f in first]):.2f} s)")
    print(f"later calls in one process: median {median(walls):.3f} s wall = {seconds / median(walls):.0f}x real "
          f"time; CPU median {median(cpus):.3f} s = {seconds / median(cpus):.0f}x")
    print(load_note())
    result("sound extraction, first call in a new process (median)", seconds / fw, "x real time", 200,
           at_least=True, fmt=".0f")


if __name__ == "__main__":
    main()
