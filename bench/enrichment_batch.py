"""Batch enrichment of a 1,800-shot season against a loopback Gemini that answers after 200 ms.

1. The batch through the async client (bounded concurrency): wall time.
2. The same prompts one call at a time: measured on a sample and extrapolated to 1,800.
3. Generation of all 1,800 shots into a fresh store with 10% of answers 429 or 503: every
   shot must end as a take with a valid prompt.
The fake runs in its own process so that it does not share the client's interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from prompt_builder import season  # noqa: E402

from engine.takes.prompting.batch import enrich_batch  # noqa: E402
from engine.takes.prompting.builder import build_prompt  # noqa: E402
from engine.takes.prompting.enrichment import Options, enrich  # noqa: E402
from engine.takes.prompting.validation import check_answer  # noqa: E402

SAMPLE = 25


def start_fake(delay: float, error_rate: float = 0.0):
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "fakes" / "gemini.py"), "--delay", str(delay), "--error-rate", str(error_rate)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    os.environ["GOOGLE_GEMINI_BASE_URL"] = url
    os.environ["GOOGLE_API_KEY"] = "bench-key"
    return proc


def keyframes(n: int = 1800):
    plans = season(n)
    # every shot a keyframe with a subject, so every one needs a Flash call
    from dataclasses import replace

    from engine.core.plans import Subject

    return [replace(p, pipeline="keyframe", target_model="nbp", env_only=False,
                    subjects=p.subjects or (Subject(name="Char0"),)) for p in plans]


def main() -> None:
    plans = keyframes()
    built = [build_prompt(p) for p in plans]
    fake = start_fake(0.2)
    try:
        start = time.perf_counter()
        results = enrich_batch(built)
        batch = time.perf_counter() - start
        outcomes = {}
        for r in results:
            outcomes[r[0].outcome] = outcomes.get(r[0].outcome, 0) + 1
        print(f"batch enrichment: {len(built)} shots in {batch:.2f} s wall "
              f"(concurrency 64, answers after 200 ms); outcomes {outcomes}")
        from engine.core.gemini import make_client

        options = Options(client=make_client("bench-key", 60))
        start = time.perf_counter()
        for b in built[:SAMPLE]:
            enrich(b, options)
        sample = time.perf_counter() - start
        serial = sample / SAMPLE * len(built)
        print(f"one call at a time: {SAMPLE} shots in {sample:.2f} s, extrapolated to {len(built)} shots: {serial:.1f} s")
        print(f"batch speed-up: {serial / batch:.1f}x")
    finally:
        fake.terminate()
        fake.wait()

    from engine.store.db import open_store
    from engine.store.shots import add_shot
    from engine.store.takes import list_takes
    from engine.takes.generation import generate_shots

    fake = start_fake(0.2, error_rate=0.10)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "bench.sqlite", create=True)
            codes = [f"EP01_SC{i // 20 + 1:02d}_SH{i % 20 + 1:03d}" for i in range(len(plans))]
            with store.write() as s:
                for code, plan in zip(codes, plans, strict=True):
                    add_shot(s, episode="EP01", scene=code[5:9], code=code, plan=plan)
            start = time.perf_counter()
            generate_shots(store, codes, seed=7)
            wall = time.perf_counter() - start
            valid = outcomes = 0
            tally: dict[str, int] = {}
            failed_images = 0
            with store.read() as s:
                for code, b in zip(codes, built, strict=True):
                    takes = list_takes(s, code)
                    outcomes += len(takes)
                    for t in takes:
                        tally[t.enrichment_outcome] = tally.get(t.enrichment_outcome, 0) + 1
                        failed_images += t.status == "failed"
                        if t.prompt and (t.prompt == b.text or check_answer(t.prompt, b) is None):
                            valid += 1
            store.close()
        print(f"with 10% of answers 429/503: {len(codes)} shots -> {outcomes} takes, {valid} with a valid prompt, "
              f"outcomes {tally}, {failed_images} failed images (kept as failed takes), {wall:.2f} s wall "
              "(enrichment + image generation)")
    finally:
        fake.terminate()
        fake.wait()


if __name__ == "__main__":
    main()
