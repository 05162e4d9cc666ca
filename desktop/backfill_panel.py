"""The backfill panel: preview every rename (a dry run), run the backfill with a progress
bar and cancel, and see past runs with undo.

The engine's backfill runs in a QThreadPool worker; its progress and cancel callables are
wrapped here, and results come back through signals of an object made on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
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

from engine.errors import DailiesError
from engine.registries.backfill import BackfillCancelled, backfill, backfill_history, undo_backfill

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

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


class PreviewModel(_Rows):
    headers = ("Old name", "New name", "Registry", "Aspect", "References")


class HistoryModel(_Rows):
    headers = ("Run", "Started", "Renames", "Cells", "Undone")


class BackfillSignals(QObject):
    progressed = Signal(int, int, str)
    backfill_finished = Signal(object)  # BackfillResult
    backfill_failed = Signal(str)
    backfill_cancelled = Signal()


class BackfillWorker(QRunnable):
    """Runs engine.registries.backfill.backfill off the GUI thread."""

    def __init__(self, store, signals: BackfillSignals, *, dry_run: bool):
        super().__init__()
        self.store, self.signals, self.dry_run = store, signals, dry_run
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def run(self) -> None:
        try:
            result = backfill(self.store, dry_run=self.dry_run,
                              progress=lambda d, t, w: self.signals.progressed.emit(d, t, w),
                              cancel=lambda: self._cancel)
        except BackfillCancelled:
            self.signals.backfill_cancelled.emit()
        except DailiesError as exc:
            self.signals.backfill_failed.emit(str(exc))
        else:
            self.signals.backfill_finished.emit(result)


class BackfillPanel(QWidget):
    """Preview, run, cancel and undo backfills of gibberish registry names."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.pool = QThreadPool.globalInstance()
        self.signals = BackfillSignals(self)
        self.worker: BackfillWorker | None = None
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
        self.signals.progressed.connect(self._progressed)
        self.signals.backfill_finished.connect(self._finished)
        self.signals.backfill_failed.connect(self._failed)
        self.signals.backfill_cancelled.connect(self._cancelled)
        self._previewed = False
        self._set_busy(False)
        self.reload_history()

    def showEvent(self, event) -> None:  # noqa: N802
        """The first time the panel is shown it previews, so it opens on what would change."""
        super().showEvent(event)
        if not self._previewed:
            self._previewed = True
            self.start(dry_run=True)

    def _set_busy(self, busy: bool) -> None:
        self.preview_button.setEnabled(not busy)
        self.run_button.setEnabled(not busy)
        self.undo_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)

    def start(self, *, dry_run: bool) -> None:
        if self.worker is not None:
            return
        self.worker = BackfillWorker(self.store, self.signals, dry_run=dry_run)
        self.worker.setAutoDelete(False)
        self._set_busy(True)
        self.progress.setValue(0)
        self.status.setText("Previewing..." if dry_run else "Backfilling...")
        self.pool.start(self.worker)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _progressed(self, done: int, total: int, where: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _done(self) -> None:
        self.worker = None
        self._set_busy(False)

    def _finished(self, result) -> None:
        self._done()
        self.progress.setValue(self.progress.maximum())
        self.preview_model.set_rows([
            (r.old, r.new, r.registry, r.aspect, sum(r.references.values())) for r in result.renames
        ])
        if result.dry_run and not result.renames:
            self.status.setText("No gibberish names in the registries: nothing to rename.")
        elif result.dry_run:
            self.status.setText(f"{len(result.renames)} names would be renamed; {result.cells_changed} cells would change.")
        else:
            self.status.setText(f"Run {result.run_id}: renamed {len(result.renames)} names, {result.cells_changed} cells changed.")
        self.reload_history()

    def _failed(self, message: str) -> None:
        self._done()
        self.status.setText(f"Backfill failed: {message}")

    def _cancelled(self) -> None:
        self._done()
        self.progress.setValue(0)
        self.status.setText("Backfill cancelled; the store is unchanged.")

    def reload_history(self) -> None:
        runs = backfill_history(self.store)
        self.history_model.set_rows([
            (r.id, r.started_at.strftime("%Y-%m-%d %H:%M"), len(r.renames), r.cells_changed,
             r.undone_at.strftime("%Y-%m-%d %H:%M") if r.undone_at else "")
            for r in runs
        ])
        self.history_label.setText(
            f"History: {len(runs)} run(s)" if runs else "History: no backfill has run on this store yet"
        )

    def undo_selected(self) -> None:
        rows = self.history_view.selectionModel().selectedRows()
        if not rows:
            self.status.setText("Select a run in the history to undo it.")
            return
        run = self.history_model.rows[rows[0].row()][0]
        try:
            cells = undo_backfill(self.store, run)
        except DailiesError as exc:
            self.status.setText(f"Undo failed: {exc}")
        else:
            self.status.setText(f"Undid run {run}: {cells} cells restored.")
        self.reload_history()
