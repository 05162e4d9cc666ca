"""A second process that bulk-appends takes to a store in chunks (used by the bulk-append tests)."""

import sys

from engine.store.db import open_store
from engine.store.takes import NewTake, bulk_append_takes


def main(spec: str, worker: str, chunks: int, per_chunk: int, shots: int) -> None:
    store = open_store(spec)
    for c in range(chunks):
        with store.write() as s:
            bulk_append_takes(s, [
                NewTake(shot=f"SH{i % shots:03d}", model="m", pipeline="keyframe",
                        prompt=f"{worker} chunk {c} take {i}", seed=i, cost=0.5,
                        system_prompt_text=f"rules of {worker}")
                for i in range(per_chunk)
            ])
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6]))
