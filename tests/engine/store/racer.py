"""A process that races others on the same keys (used by test_races.py): for each of the
shared keys it replays add_decision with that client key on take 1 (printing the id it got
back), then appends a take whose system-prompt text is new and shared by every racer. All
racers start together when the go file appears.
"""

import sys
import time
from pathlib import Path

from engine.store.db import open_store
from engine.store.reviews import add_decision
from engine.store.takes import NewTake, append_take


def main(spec: str, worker: str, count: int, go: str) -> None:
    store = open_store(spec)
    while not Path(go).exists():
        time.sleep(0.005)
    for i in range(count):
        with store.write() as s:
            d = add_decision(s, 1, reviewer=worker, approve=True, client_key=f"key-{i}")
            print(f"key-{i} {d.id}")
        with store.write() as s:
            append_take(s, NewTake(shot=f"SH{worker}", model="m", pipeline="keyframe",
                                   prompt=f"{worker} {i}", system_prompt_text=f"new text {i}"))
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
