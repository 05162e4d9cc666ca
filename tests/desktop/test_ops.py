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
