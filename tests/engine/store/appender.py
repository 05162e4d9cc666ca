"""A second process that appends takes and decisions to a store (used by the concurrency tests)."""

import sys

from engine.store.db import open_store
from engine.store.reviews import add_decision
from engine.store.takes import NewTake, append_take


def main(spec: str, worker: str, count: int, shots: int) -> None:
    store = open_store(spec)
    for i in range(count):
        with store.write() as s:
            take = append_take(s, NewTake(shot=f"SH{i % shots:03d}", model="m", pipeline="keyframe",
                                          prompt=f"{worker} attempt {i}", seed=i))
            if i % 5 == 0:
                add_decision(s, take.id, reviewer=worker, approve=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
