"""Per-worker diagnostics: of the runs each worker recorded, how many left a learning and a
discovery record (from the rows, like registries.health.diagnostics, split by worker)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from engine.store.db import Store

NO_WORKER = "(no worker)"


@dataclass(frozen=True)
class WorkerDiagnostics:
    worker: str
    focus: str
    jobs: int
    runs_with_learning: int
    runs_with_discovery: int
    precision_pct: float | None
    discovery_rate_pct: float | None
    missing: tuple[str, ...]

    def line(self) -> str:
        def pct(v):
            return "n/a" if v is None else f"{v:.1f}%"
        return (f"  worker {self.worker} [{self.focus}]: {self.jobs} jobs, learning "
                f"{pct(self.precision_pct)}, discovery {pct(self.discovery_rate_pct)}, "
                f"missing {len(self.missing)}")


def diagnostics_by_worker(store: Store) -> list[WorkerDiagnostics]:
    """Every succeeded job, grouped by the worker that recorded it (jobs no worker recorded,
    such as imports and `dailies create`, under NO_WORKER); empty when no worker ran."""
    sql = (
        "SELECT j.ref, r.worker_id, w.focus, "
        "EXISTS (SELECT 1 FROM learning_run l WHERE l.job_ref = j.ref) AS learned, "
        "EXISTS (SELECT 1 FROM discovery_run d WHERE d.job_ref = j.ref) AS discovered "
        "FROM creation_job j LEFT JOIN worker_run r ON r.job_ref = j.ref "
        "LEFT JOIN worker w ON w.id = r.worker_id "
        "WHERE j.status = 'succeeded' ORDER BY j.created_at, j.id"
    )
    with store.read() as s:
        rows = s.connection().execute(text(sql)).all()
    if not any(r.worker_id for r in rows):
        return []
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r.worker_id or NO_WORKER, []).append(r)
    out = []
    for worker, jobs in groups.items():
        n = len(jobs)
        learned = sum(bool(r.learned) for r in jobs)
        discovered = sum(bool(r.discovered) for r in jobs)
        missing = tuple([f"Missing learning (job_id={r.ref})" for r in jobs if not r.learned]
                        + [f"Missing discovery (job_id={r.ref})" for r in jobs if not r.discovered])
        out.append(WorkerDiagnostics(
            worker, jobs[0].focus or "-", n, learned, discovered,
            round(100.0 * learned / n, 1), round(100.0 * discovered / n, 1), missing,
        ))
    return out
