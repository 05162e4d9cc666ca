"""The Weekly view's click-through: the rejected takes of one line of the week, a page at a
time, and for the one picked its picture and the exact prompt it was sent.

`show_take` is where one rejected take is put on screen (its prompt, then its picture once
the store has said where the file is); what is drawn over the picture belongs there too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import ops, theme
from desktop.note_views import picture_notes
from desktop.take_picture import TakePicture
from desktop.weekly_models import MUTED, RejectedTakesModel
from engine.store.db import Store
from engine.store.takes import takes_by_ids
from engine.takes.reports.rejected import RejectedPage, RejectedTake, rejected_takes
from engine.takes.reports.weekly import GroupKey
from engine.takes.reports.weeks import IsoWeek


def prompt_sheet(t: RejectedTake) -> str:
    """What the supervisor reads about a rejected take: who rejected it, why, and the prompt."""
    lines = [
        f"# {t.ref}   seed {t.seed if t.seed is not None else '-'}   {t.target or '-'} "
        f"{t.system_prompt_version or '-'} on {t.model}",
        f"# rejected by {t.reviewer} {t.rejected_at:%a %d %b %Y %H:%M} UTC: {', '.join(t.tags) or 'no tag'}",
    ]
    if t.conflicts_with:
        lines.append(f"# conflicts with {t.conflicts_with}")
    if t.note:
        lines.append(f"# note: {t.note}")
    lines += ["", t.prompt or "(no prompt recorded)"]
    return "\n".join(lines)


class WeeklyDrilldown(QSplitter):
    rejected_loaded = Signal(int)  # rows now listed
    message = Signal(str)
    failed = Signal(str)

    def __init__(self, store: Store, parent=None):
        super().__init__(Qt.Horizontal, parent)
        self.store = store
        self.key: GroupKey | None = None
        self.week: IsoWeek | None = None
        self._total: int | None = None
        self._next_after: int | None = None
        self.rejected = RejectedTakesModel(self)
        self.rejected_view = QTableView()
        self.rejected_view.setModel(self.rejected)
        self.rejected_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.rejected_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.rejected_view.setAlternatingRowColors(True)
        self.rejected_view.verticalHeader().hide()
        self.rejected_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.rejected_view.horizontalHeader().setStretchLastSection(True)
        self.rejected_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.rejected_view.selectionModel().currentRowChanged.connect(lambda cur, _p: self._on_row(cur.row()))
        self.rejected_title = QLabel("<b>Rejected takes</b>")
        self.more_button = QPushButton("Load more")
        self.more_button.hide()
        self.more_button.clicked.connect(self.load_more)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.rejected_title, 1)
        head.addWidget(self.more_button)
        ll.addLayout(head)
        ll.addWidget(self.rejected_view, 1)

        self.prompt = QPlainTextEdit()
        self.prompt.setReadOnly(True)
        self.prompt.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.prompt.setFont(theme.mono_font())
        self.prompt.setPlaceholderText("Pick a line above, then a rejected take, to read the exact prompt it was sent.")
        self.copy_button = QPushButton("Copy prompt")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_prompt)
        self.prompt_title = QLabel("<b>Prompt as sent</b>")
        self.picture = TakePicture(192)  # the rejected take, to see what the tags are about
        self.picture.setText("the rejected take's picture")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        ph = QHBoxLayout()
        ph.addWidget(self.prompt_title, 1)
        ph.addWidget(self.copy_button)
        rl.addLayout(ph)
        pr = QHBoxLayout()
        pr.addWidget(self.picture, 0, Qt.AlignTop)
        pr.addWidget(self.prompt, 1)
        rl.addLayout(pr, 1)

        self.addWidget(left)
        self.addWidget(right)
        self.setStretchFactor(0, 2)
        self.setStretchFactor(1, 3)
        self.setSizes([660, 740])

    def clear(self) -> None:
        """Nothing picked (a new week)."""
        self.key = None
        self.rejected.clear()
        self.more_button.hide()
        self.rejected_title.setText("<b>Rejected takes</b>")
        self.prompt.clear()
        self.copy_button.setEnabled(False)

    def show_group(self, week: IsoWeek, key: GroupKey, total: int | None) -> None:
        """List the rejected takes of line `key` of `week` (`total` of them, when known)."""
        self.clear()
        self.week, self.key, self._total, self._next_after = week, key, total, None
        self.rejected_title.setText(f"<b>Rejected takes</b> <span style='color:{MUTED}'>{key.label}</span>")
        self._fetch()

    def load_more(self) -> None:
        if self._next_after is not None:
            self._fetch()

    def _fetch(self) -> None:
        week, key, after, total = self.week, self.key, self._next_after, self._total
        if key is None:
            return
        (ops.Op(self.store, self, lambda job: rejected_takes(job.store, week, key, after=after, total=total),
                self._add_page)
         .failure(self.failed.emit).latest("rejected").start())

    def _add_page(self, page: RejectedPage) -> None:
        if page.key != self.key or page.week != str(self.week):
            return
        self.rejected.add_page(page)
        header = self.rejected_view.horizontalHeader()
        for column in range(self.rejected.columnCount() - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        self._next_after = page.next_after
        self.more_button.setVisible(page.next_after is not None)
        self.rejected_title.setText(
            f"<b>Rejected takes</b> <span style='color:{MUTED}'>{self.key.label}: "
            f"{len(self.rejected.takes)} of {page.total}</span>"
        )
        if self.rejected.takes and not self.rejected_view.currentIndex().isValid():
            self.rejected_view.selectRow(0)
            self.rejected_view.setCurrentIndex(self.rejected.index(0, 0))
        self.rejected_loaded.emit(len(self.rejected.takes))

    def _on_row(self, row: int) -> None:
        if 0 <= row < len(self.rejected.takes):
            self.show_take(self.rejected.takes[row])

    def show_take(self, t: RejectedTake) -> None:
        """Put one rejected take on screen: its prompt now, its picture once it is found."""
        self.prompt.setPlainText(prompt_sheet(t))
        self.copy_button.setEnabled(bool(t.prompt))
        store = self.store

        def where(session):
            [record] = takes_by_ids(session, [t.take_id])
            return store.resolve_media(record.output_path)

        def show(path) -> None:
            self.picture.show_take(store.media_dir, path)
            picture_notes(self.picture, store, t.take_id, fresh=True)

        ops.query(store, self, where, show).failure(self.failed.emit).latest("picture").start()

    def copy_prompt(self) -> None:
        row = self.rejected_view.currentIndex().row()
        if 0 <= row < len(self.rejected.takes) and self.rejected.takes[row].prompt:
            QGuiApplication.clipboard().setText(self.rejected.takes[row].prompt)
            self.message.emit(f"Copied the prompt of {self.rejected.takes[row].ref}")
