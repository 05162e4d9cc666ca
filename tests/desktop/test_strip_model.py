"""The strip reads its rows lazily: the ids in order at once, the rows a page at a time as
views and jumps need them, and a jump far along the strip hands the rows over in one step."""

from desktop.strip_model import BATCH, PAGE, SHOT_ROLE, WINDOW, ShotStripModel
from engine.store.filters import StripShot, StripTake


def _shots(n):
    return [StripShot(i, f"SH{i:05d}", "EP01", None, i,
                      takes=(StripTake(10 * i, 1, "pending_review", "image", None),
                             StripTake(10 * i + 1, 2, "approved", "image", None)))
            for i in range(1, n + 1)]


def _lazy(n, qtbot=None):
    shots = {s.id: s for s in _shots(n)}
    asked: list[list[int]] = []

    def fetch(ids):
        asked.append(ids)
        return [shots[i] for i in ids]

    def place(shot_id):  # (episode id, position, shot id), as the store gives it
        return (1, shots[shot_id].position, shot_id) if shot_id in shots else None

    model = ShotStripModel()
    model.set_source(list(shots), fetch, take_shot=lambda t: place(t // 10),
                     code_shot=lambda code: place(next((s.id for s in shots.values() if s.code == code), None)),
                     episodes=[1] * n, positions=[s.position for s in shots.values()])
    return model, asked


def test_opening_reads_ids_only_and_a_row_reads_its_page():
    model, asked = _lazy(10 * PAGE)
    assert model.total_rows() == 10 * PAGE and asked == []
    assert model.shot(3 * PAGE + 5).code == f"SH{3 * PAGE + 6:05d}"
    assert len(asked) == 1 and len(asked[0]) == PAGE
    model.shot(3 * PAGE + 7)
    assert len(asked) == 1  # the page is kept


def test_a_far_jump_moves_the_view_window_and_rows_are_found_by_take_and_code():
    model, _ = _lazy(5 * BATCH)
    last = model.total_rows() - 1
    model.ensure_row(last)
    assert model.rowCount() == WINDOW  # the view lays out a window, not the whole strip
    assert model.index(model.view_row(last), 0).data() == f"SH{last + 1:05d}"
    model.ensure_row(model.offset - 1)  # just before the window: it grows back
    assert model.rowCount() == WINDOW + BATCH and model.view_row(last) >= 0
    model.ensure_row(0)
    assert model.offset == 0 and model.index(0, 0).data() == "SH00001"
    assert model.row_of_take(10 * (last + 1) + 1) == last  # a take on a page never read
    assert model.row_of_shot(f"SH{last + 1:05d}") == last
    assert model.row_of_shot("NOPE") is None


def test_a_decision_shows_on_kept_rows_and_rows_read_later():
    model, _ = _lazy(4 * PAGE)
    assert model.shown_take(0).number == 1
    model.set_override(10, "rejected")  # take_001 of row 0, on a page already read
    assert model.status_of(model.shot(0).takes[0]) == "rejected"
    model.set_override(10 * (3 * PAGE + 1), "rejected")  # a row whose page is not read yet
    assert model.default_take_index(3 * PAGE) == 1  # read later, it shows the decision
    fresh = StripTake(11, 2, "rejected", "image", None)
    assert model.update_takes({11: fresh}) == [0]
    assert model.status_of(model.shot(0).takes[1]) == "rejected"


def test_the_model_keeps_qt_model_rules_as_the_window_moves(qtmodeltester):
    """Qt's own model checks (row counts, indexes, parents, data roles, the signals around
    inserts and resets) hold while the strip window grows, jumps far and grows back."""
    model, _ = _lazy(20 * PAGE)
    qtmodeltester.check(model, force_py=True)
    model.fetchMore()  # the view scrolled on
    model.ensure_row(model.total_rows() - 1)  # End
    model.ensure_row(model.offset - 1)  # back a little: the window grows towards the start
    model.ensure_row(0)  # Home
    model.choose_take(0, 1)
    model.set_override(10, "rejected")
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 0).data() == "SH00001"


def test_a_strip_read_from_a_store_keeps_qt_model_rules(qtbot, qtmodeltester, desk_store):
    from desktop.review_session import ReviewSession

    session = ReviewSession(desk_store, reviewer="ana")
    session.reload()
    qtbot.waitUntil(lambda: session.loaded, timeout=10_000)
    qtmodeltester.check(session.model, force_py=True)
    assert session.model.rowCount() == 6
    # the rows a view paints are read off the GUI thread: first "being read", then the shot
    qtbot.waitUntil(lambda: session.model.index(5, 0).data() == "EP01_SC01_SH060", timeout=10_000)
    qtmodeltester.check(session.model, force_py=True)
    session.goto_row(5)
    assert session.current_shot().code == "EP01_SC01_SH060"


def _read_later(n):
    """A lazy strip whose painted rows are read later: the reads wait in `waiting` until the
    test lets them arrive, as the desk's reads off the GUI thread do."""
    model, asked = _lazy(n)
    shots = {s.id: s for s in _shots(n)}
    waiting: list = []
    model.set_source(list(shots), lambda ids: [shots[i] for i in ids],
                     take_shot=lambda t: None, code_shot=lambda c: None,
                     read_later=lambda ids, arrived: waiting.append((ids, arrived)))
    return model, shots, waiting


def test_painting_far_along_the_strip_never_reads_on_the_gui_thread():
    model, shots, waiting = _read_later(20 * PAGE)
    changed: list[int] = []
    model.dataChanged.connect(lambda first, last, *_: changed.extend(range(first.row(), last.row() + 1)))
    row = model.view_row(5 * PAGE + 3)
    assert model.index(row, 0).data() is None and model.reading(row)
    assert len(waiting) == 1  # asked once, however often the row is painted
    model.index(row, 0).data()
    assert len(waiting) == 1
    ids, arrived = waiting.pop()
    arrived([shots[i] for i in ids])
    assert model.index(row, 0).data() == f"SH{5 * PAGE + 4:05d}" and not model.reading(row)
    assert row in changed  # the view is told to paint it again


def test_a_decision_from_elsewhere_while_a_page_is_being_read_is_not_lost():
    model, shots, waiting = _read_later(4 * PAGE)
    model.index(2 * PAGE, 0).data()
    ids, arrived = waiting.pop()
    take = shots[ids[0]].takes[0]
    model.update_takes({take.id: StripTake(take.id, 1, "rejected", "image", None)})  # a poll meanwhile
    arrived([shots[i] for i in ids])  # what was read before that decision
    assert model.index(2 * PAGE, 0).data() is None  # not shown stale: read again
    ids, arrived = waiting.pop()
    fresh = {i: shots[i] for i in ids}
    fresh[ids[0]] = StripShot(ids[0], shots[ids[0]].code, "EP01", None, ids[0],
                              takes=(StripTake(take.id, 1, "rejected", "image", None), shots[ids[0]].takes[1]))
    arrived(list(fresh.values()))
    assert model.index(2 * PAGE, 0).data(SHOT_ROLE).takes[0].status == "rejected"


def test_the_reviewers_own_shot_is_read_at_once_so_a_key_acts_on_what_is_shown():
    model, shots, waiting = _read_later(10 * PAGE)
    assert model.shot(7 * PAGE).code == f"SH{7 * PAGE + 1:05d}"  # no waiting for the current shot
    assert model.shown_take(7 * PAGE).number == 1
