"""People out of empty rooms: accuracy of strip_people on the labelled corpus of environment
texts in tests/engine/prompting/data/presence_corpus.json, and its speed on cold and warm word
caches. Goal: 100 % of the corpus right.

    .venv/bin/python bench/presence_corpus.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.takes.prompting.presence import strip_people  # noqa: E402
from tests.engine.prompting.test_presence import CORPUS, judge  # noqa: E402


def main() -> None:
    cpu0 = time.process_time()
    start = time.perf_counter()
    wrong = [(e["text"], why) for e in CORPUS if (why := judge(e))]
    cold = time.perf_counter() - start
    laps = []
    for _ in range(5):
        t = time.perf_counter()
        for e in CORPUS:
            strip_people(e["text"], e.get("names", ()))
        laps.append((time.perf_counter() - t) / len(CORPUS) * 1e6)
    cpu = time.process_time() - cpu0
    for text, why in wrong:
        print(f"WRONG {text!r}: {'; '.join(why)}")
    people = sum(1 for e in CORPUS if e["people"])
    accuracy = 100 * (len(CORPUS) - len(wrong)) / len(CORPUS)
    print(f"machine load (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}; CPU time {cpu:.3f} s")
    print(f"corpus: {len(CORPUS)} texts, {people} with people, {len(CORPUS) - people} without; "
          f"first pass, every word looked up in WordNet: {cold / len(CORPUS) * 1000:.1f} ms/text; "
          f"a text seen before (cached result): median {statistics.median(laps):.1f} us, slowest lap {max(laps):.1f} us")
    print(f"RESULT presence corpus accuracy: {accuracy:.1f} % (goal >= 100: {'meets' if accuracy >= 100 else 'MISSES'})")


if __name__ == "__main__":
    main()
