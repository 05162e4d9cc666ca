"""The backfill panel: preview every rename (a dry run), run the backfill with a progress
bar and cancel, and see past runs with undo.

Each of them is an op (desktop.ops) whose engine work runs in an engine process, so the
GUI thread never waits for the interpreter lock while a backfill cascades over the store: the
preview and the history on the read lane, the run and the undo on the write lane, one at a
time. The engine's progress and cancel reach the op's progress bar and Cancel button; the
rows the preview shows are made in the engine process (backfill_table) and cross as plain
rows, so unpacking them holds nobody up and the GUI thread only swaps them in.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ops import Op
from engine.procedural.registries.backfill import (
    BackfillTable,
    backfill_history,
    backfill_table,
    undo_backfill,
)

_ROOT = QModelIndex()


class _Rows(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple] = []

    def set_rows(self, rows: list[tuple]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role == Qt.ItemDataRole.DisplayRole and index.row() < len(self.rows):
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None


class PreviewModel(_Rows):
    headers = ("Old name", "New name", "Registry", "Aspect", "References")


class HistoryModel(_Rows):
    headers = ("Run", "Started", "Renames", "Cells", "Undone")


def _history_rows(history) -> list[tuple]:
    return [
        (r.id, r.started_at.strftime("%Y-%m-%d %H:%M"), len(r.renames), r.cells_changed,
         r.undone_at.strftime("%Y-%m-%d %H:%M") if r.undone_at else "")
        for r in history
    ]


class BackfillPanel(QWidget):
    """Preview, run, cancel and undo backfills of gibberish registry names."""

    backfill_finished = Signal()  # a preview's or a run's result is shown
    backfill_cancelled = Signal()
    undo_finished = Signal()
    history_loaded = Signal()

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.job = None  # the preview or run under way
        self._undoing = False
        self._history_loading = False
        self.preview_model = PreviewModel(self)
        self.history_model = HistoryModel(self)
        self.preview_button = QPushButton("Preview")
        self.run_button = QPushButton("Run backfill")
        self.cancel_button = QPushButton("Cancel")
        self.undo_button = QPushButton("Undo selected run")
        self.progress = QProgressBar()
        self.status = QLabel("Preview shows every rename and where each old name is written.")
        self.preview_view = QTableView()
        self.preview_view.setModel(self.preview_model)
        self.history_view = QTableView()
        self.history_view.setModel(self.history_model)
        self.history_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        for view in (self.preview_view, self.history_view):
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        buttons = QHBoxLayout()
        for b in (self.preview_button, self.run_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(buttons)
        lay.addWidget(self.status)
        lay.addWidget(self.preview_view, 2)
        self.history_label = QLabel("History")
        lay.addWidget(self.history_label)
        lay.addWidget(self.history_view, 1)
        lay.addWidget(self.undo_button)

        self.preview_button.clicked.connect(lambda: self.start(dry_run=True))
        self.run_button.clicked.connect(lambda: self.start(dry_run=False))
        self.cancel_button.clicked.connect(self.cancel)
        self.undo_button.clicked.connect(self.undo_selected)
        self._previewed = False
        self._set_busy(False)
        self.reload_history()

    def showEvent(self, event) -> None:  # noqa: N802
        """The first time the panel is shown it previews, so it opens on what would change."""
        super().showEvent(event)
        if not self._previewed:
            self._previewed = True
            self.start(dry_run=True)

    def is_ready(self) -> bool:
        """No preview, run, undo or history read is under way."""
        return self.job is None and not self._undoing and not self._history_loading

    def _set_busy(self, busy: bool) -> None:
        self.preview_button.setEnabled(not busy)
        self.run_button.setEnabled(not busy)
        self.undo_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy and self.job is not None)
        self.progress.setVisible(busy)

    # -- preview and run ------------------------------------------------------------------
    def start(self, *, dry_run: bool) -> None:
        if self.job is not None or self._undoing:
            return

        def work(job):
            return job.in_process(backfill_table, dry_run=dry_run)

        op = (Op(self.store, self, work, self._finished)
              .progress(self._progressed).cancelled(self._cancelled).failure(self._failed))
        if not dry_run:
            op.writes()
        self.progress.setValue(0)
        self.status.setText("Previewing..." if dry_run else "Backfilling...")
        self.job = op.start()
        self._set_busy(True)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progressed(self, done: int, total: int, _where: str) -> None:
        if total != self.progress.maximum():
            self.progress.setMaximum(max(total, 1))
        if done == total or done - self.progress.value() >= total // 200:  # steps of half a percent
            self.progress.setValue(done)

    def _done(self) -> None:
        self.job = None
        self._set_busy(False)

    def _finished(self, result: BackfillTable) -> None:
        self._done()
        self.progress.setValue(self.progress.maximum())
        self.preview_model.set_rows(list(result.rows))
        if result.dry_run and not result.rows:
            self.status.setText("No gibberish names in the registries: nothing to rename.")
        elif result.dry_run:
            self.status.setText(f"{len(result.rows)} names would be renamed; {result.cells_changed} cells would change.")
        else:
            self.status.setText(f"Run {result.run_id}: renamed {len(result.rows)} names, {result.cells_changed} cells changed.")
            self.reload_history()
        self.backfill_finished.emit()

    def _failed(self, message: str) -> None:
        self._done()
        self.status.setText(f"Backfill failed: {message}")

    def _cancelled(self) -> None:
        self._done()
        self.progress.setValue(0)
        self.status.setText("Backfill cancelled; the store is unchanged.")
        self.backfill_cancelled.emit()

    # -- history and undo -----------------------------------------------------------------
    def reload_history(self) -> None:
        self._history_loading = True
        Op(self.store, self, lambda job: _history_rows(job.in_process(backfill_history)), self._show_history).failure(self._history_failed).latest("history").start()

    def _show_history(self, rows: list[tuple]) -> None:
        self._history_loading = False
        self.history_model.set_rows(rows)
        self.history_label.setText(
            f"History: {len(rows)} run(s)" if rows else "History: no backfill has run on this store yet"
        )
        self.history_loaded.emit()

    def _history_failed(self, message: str) -> None:
        self._history_loading = False
        self.history_label.setText(f"History could not be read: {message}")

    def undo_selected(self) -> None:
        rows = self.history_view.selectionModel().selectedRows()
        if not rows:
            self.status.setText("Select a run in the history to undo it.")
            return
        if self.job is not None or self._undoing:
            return
        run = self.history_model.rows[rows[0].row()][0]
        self._undoing = True
        self._set_busy(True)
        self.status.setText(f"Undoing run {run}...")
        (Op(self.store, self, lambda job: job.in_process(undo_backfill, run),
            lambda cells: self._undone(f"Undid run {run}: {cells} cells restored."))
         .failure(lambda line: self._undone(f"Undo failed: {line}")).writes().start())

    def _undone(self, text: str) -> None:
        self._undoing = False
        self._set_busy(False)
        self.status.setText(text)
        self.reload_history()
        self.undo_finished.emit()
