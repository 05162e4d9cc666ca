"""The desk's background operations: results, failures, progress, cancel and supersession."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThread

from desktop import ops
from engine.core.errors import DailiesError
from engine.store.shots import add_shot, list_shots


@pytest.fixture
def shot_store(store):
    with store.write() as session:
        add_shot(session, episode="EP01", code="EP01_SC01_SH010", scene="SC01")
    return store


def test_a_query_reads_the_store_off_the_gui_thread_and_delivers_on_it(qapp, shot_store):
    owner = QObject()
    seen = {}

    def read(session):
        seen["thread"] = QThread.currentThread()
        return [s.code for s in list_shots(session)]

    got = []
    ops.query(shot_store, owner, read, got.append).start()
    assert ops.wait_idle()
    assert got == [["EP01_SC01_SH010"]]
    assert seen["thread"] is not qapp.thread()


def test_a_failure_reaches_the_failure_callback_as_one_line(qapp, shot_store):
    owner, lines = QObject(), []

    def broken(job):
        raise DailiesError("shot EP01_SC99_SH999 is not in the store\nsecond line")

    ops.Op(shot_store, owner, broken, lambda r: pytest.fail("no result expected")).failure(lines.append).start()
    assert ops.wait_idle()
    assert lines == ["shot EP01_SC99_SH999 is not in the store"]


def test_failures_without_a_handler_go_to_the_desk_wide_handler(qapp, shot_store):
    owner, lines = QObject(), []
    ops.set_failure_handler(lines.append)
    try:
        ops.Op(shot_store, owner, lambda job: 1 / 0).start()
        assert ops.wait_idle()
    finally:
        ops.set_failure_handler(None)
    assert lines == ["division by zero"]


def test_progress_arrives_in_order_and_cancel_stops_the_work(qtbot, shot_store):
    owner = QObject()
    steps, outcome = [], []
    gate = threading.Event()

    def long_work(job):
        for i in range(1, 100_000):
            job.report(i, 99_999, "rows")
            if i == 3:
                gate.set()
            if job.is_cancelled():
                raise RuntimeError("stopped")
            threading.Event().wait(0.001)
        return "finished"

    job = (ops.Op(shot_store, owner, long_work, outcome.append)
           .progress(lambda d, t, w: steps.append(d))
           .cancelled(lambda: outcome.append("cancelled"))
           .start())
    gate.wait(5)
    qtbot.waitUntil(lambda: len(steps) >= 3, timeout=5000)
    job.cancel()
    assert ops.wait_idle()
    assert outcome == ["cancelled"]
    assert steps == sorted(steps) and steps[:3] == [1, 2, 3]


def test_partial_results_arrive_in_order_before_the_result(qtbot, shot_store):
    owner = QObject()
    seen = []

    def work(job):
        for part in ("stand-in", "second look"):
            job.partial(part)
        return "full"

    ops.Op(shot_store, owner, work, lambda r: seen.append(("done", r))).partial(
        lambda p: seen.append(("partial", p))).on(ops.FRAMES).start()
    assert ops.wait_idle()
    assert seen == [("partial", "stand-in"), ("partial", "second look"), ("done", "full")]


def test_a_newer_query_with_the_same_key_supersedes_the_older(qapp, shot_store):
    owner, got = QObject(), []
    release = threading.Event()

    def slow(job):
        release.wait(5)
        return "old"

    ops.Op(shot_store, owner, slow, got.append).latest("search").start()
    ops.Op(shot_store, owner, lambda job: "new", got.append).latest("search").start()
    release.set()
    assert ops.wait_idle()
    assert got == ["new"]


def test_writes_run_one_at_a_time_in_the_order_started(qapp, shot_store):
    owner, order = QObject(), []
    running = []

    def write(n):
        def work(job):
            running.append(n)
            assert len(running) == 1, "two writes ran at once"
            threading.Event().wait(0.01)
            running.remove(n)
            return n
        return work

    for n in range(6):
        ops.Op(shot_store, owner, write(n), order.append).writes().start()
    assert ops.wait_idle()
    assert order == list(range(6))


def test_a_write_that_finished_is_reported_done_even_if_cancel_came_too_late(qapp, shot_store):
    owner, outcome = QObject(), []
    started, release = threading.Event(), threading.Event()

    def write(job):
        with job.store.write() as session:
            add_shot(session, episode="EP01", code="EP01_SC01_SH020", scene="SC01")
        started.set()
        release.wait(5)  # the reviewer presses Cancel after the write was committed
        return "written"

    job = (ops.Op(shot_store, owner, write, outcome.append).writes()
           .cancelled(lambda: outcome.append("cancelled")).start())
    assert started.wait(10)
    job.cancel()
    release.set()
    assert ops.wait_idle()
    assert outcome == ["written"]
    with shot_store.read() as session:
        assert "EP01_SC01_SH020" in [s.code for s in list_shots(session)]


def test_a_result_for_a_closed_widget_is_dropped(qapp, shot_store):
    owner, got = QObject(), []
    release = threading.Event()

    def slow(job):
        release.wait(5)
        return "late"

    ops.Op(shot_store, owner, slow, got.append).start()
    shiboken6.delete(owner)  # the widget closed while the op ran
    release.set()
    assert ops.wait_idle()
    assert got == []


# -- engine processes ---------------------------------------------------------------------
from tests.desktop import engine_work  # noqa: E402


def test_an_engine_process_op_opens_the_same_store_and_delivers_its_result(qapp, shot_store):
    import os

    owner, got = QObject(), []
    ops.in_process(shot_store, owner, engine_work.shots_seen, success=got.append).start()
    assert ops.wait_idle(60_000)
    (pid, codes), = got
    assert codes == ["EP01_SC01_SH010"]
    assert pid != os.getpid()


def test_an_engine_process_op_reports_the_engines_progress(qapp, tmp_path):
    from engine.procedural.registries.backfill import backfill
    from engine.store.db import open_store
    from tests.engine.registries.conftest import populate

    store = open_store(tmp_path / "bf.sqlite", create=True)
    populate(store)
    owner, got, steps = QObject(), [], []
    (ops.in_process(store, owner, backfill, dry_run=True, success=got.append)
     .progress(lambda d, t, w: steps.append((d, t, w))).start())
    assert ops.wait_idle(60_000)
    store.close()
    assert {r.old for r in got[0].renames} == {"Qitudaterara", "theme_dawnure", "Novel47799", "Violet3560"}
    total = steps[-1][1]
    assert steps[-1] == (total, total, "done")
    assert [d for d, _t, _w in steps] == sorted(d for d, _t, _w in steps)


def test_an_engine_process_op_works_on_a_postgresql_store(qapp, pg_store):
    with pg_store.write() as session:
        add_shot(session, episode="EP01", code="EP01_SC01_SH010", scene="SC01")
    owner, got = QObject(), []
    ops.in_process(pg_store, owner, engine_work.shots_seen, success=got.append).start()
    assert ops.wait_idle(60_000)
    assert [codes for _pid, codes in got] == [["EP01_SC01_SH010"]]


def test_cancelling_an_engine_process_op_stops_the_engine_there(qtbot, shot_store, tmp_path):
    owner, steps, outcome = QObject(), [], []
    marker = tmp_path / "stopped.txt"
    job = (ops.in_process(shot_store, owner, engine_work.until_cancelled, str(marker), success=outcome.append)
           .progress(lambda d, t, w: steps.append(w))
           .cancelled(lambda: outcome.append("cancelled"))
           .start())
    qtbot.waitUntil(lambda: steps == ["waiting"], timeout=60_000)
    job.cancel()
    assert ops.wait_idle(60_000)
    assert outcome == ["cancelled"]
    assert marker.read_text(encoding="utf-8") == "stopped"


def test_an_engine_process_failure_reaches_the_failure_callback_as_one_line(qapp, shot_store):
    owner, lines = QObject(), []
    for fn in (engine_work.broken, engine_work.unpicklable_failure):
        ops.in_process(shot_store, owner, fn, success=lambda r: pytest.fail("no result expected")).failure(lines.append).start()
    assert ops.wait_idle(60_000)
    assert sorted(lines) == ["no colour key in registry.json", "shot EP01_SC99_SH999 is not in the store"]


def test_shutdown_ends_the_engine_processes_and_the_next_op_starts_new_ones(qapp, shot_store):
    import multiprocessing

    owner, got = QObject(), []
    ops.in_process(shot_store, owner, engine_work.shots_seen, success=got.append).start()
    assert ops.wait_idle(60_000)
    assert multiprocessing.active_children()
    ops.shutdown()
    assert multiprocessing.active_children() == []
    ops.in_process(shot_store, owner, engine_work.shots_seen, success=got.append).start()
    assert ops.wait_idle(60_000)
    ops.shutdown()
    assert [codes for _pid, codes in got] == [["EP01_SC01_SH010"]] * 2


def test_an_op_that_holds_the_last_reference_to_its_widget_delivers_without_crashing(store):
    """A widget closed by the reviewer whose only reference left is an op under way: the
    result arrives, the widget goes, and the desk keeps running."""
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication, QObject\n"
        "app = QCoreApplication([])\n"
        "from desktop import ops\n"
        "from engine.store.db import open_store\n"
        "store = open_store(sys.argv[1])\n"
        "ops.Op(store, QObject(), lambda job: 42, print).start()\n"
        "print('idle', ops.wait_idle(60_000), flush=True)\n"
        "store.close()\n"
    )
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script, str(store.location.path)], cwd=repo,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["42", "idle", "True"]


def test_garbage_a_lane_thread_leaves_is_freed_on_the_gui_thread(qtbot, window):
    # A cycle holding Qt objects made on the GUI thread must never be destroyed from a lane
    # thread (Qt crashes): the lane thread lets go of it and allocates enough to set off the
    # collector many times, and it is still freed on the GUI thread's next tick.
    freed_in: list[threading.Thread] = []

    class Holder:
        def __init__(self):
            self.me = self  # only the collector can free it
            self.child = QObject(window)

        def __del__(self):
            freed_in.append(threading.current_thread())

    held = [Holder()]

    def lane_work():
        held.clear()
        [[] for _ in range(50_000)]  # noqa: B018 - allocations past every threshold

    worker = threading.Thread(target=lane_work)
    worker.start()
    worker.join()
    assert freed_in == []  # not in the lane thread
    qtbot.waitUntil(lambda: bool(freed_in), timeout=5_000)
    assert freed_in == [threading.main_thread()]
