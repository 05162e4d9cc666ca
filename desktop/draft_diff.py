"""A draft system prompt beside the released version it grew from, in two read-only panes
with the changed lines marked, so the supervisor reads what a release would change."""

from __future__ import annotations

import difflib

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop import theme
from engine.takes.prompting.drafts import DraftComparison, compare_draft

GONE, NEW = QColor("#5a1f1d"), QColor("#1d4a2c")


def _pane(title: str, text: str, marked: set[int], colour: QColor) -> QWidget:
    box = QPlainTextEdit()
    box.setReadOnly(True)
    box.setFont(theme.mono_font())
    box.setPlainText(text)
    fmt = QTextCharFormat()
    fmt.setBackground(colour)
    doc = box.document()
    for line in marked:
        block = doc.findBlockByNumber(line)
        if block.isValid():
            cursor = QTextCursor(block)
            cursor.select(QTextCursor.LineUnderCursor)
            cursor.mergeCharFormat(fmt)
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(title))
    layout.addWidget(box, 1)
    column.box = box
    return column


def changed_lines(old: str, new: str) -> tuple[set[int], set[int]]:
    """Line numbers removed from `old` and added in `new`."""
    gone, added = set(), set()
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            gone.update(range(i1, i2))
            added.update(range(j1, j2))
    return gone, added


class DraftDiff(QDialog):
    def __init__(self, comparison: DraftComparison, parent=None):
        super().__init__(parent)
        c = self.comparison = comparison
        self.setWindowTitle(f"{c.target} {c.draft} (draft) against {c.released or 'nothing released'}")
        gone, added = changed_lines(c.released_text, c.draft_text)
        self.left = _pane(f"<b>{c.released or '-'}</b> released", c.released_text, gone, GONE)
        self.right = _pane(f"<b>{c.draft}</b> draft", c.draft_text, added, NEW)
        row = QHBoxLayout()
        row.addWidget(self.left)
        row.addWidget(self.right)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(added)} line(s) new or changed in the draft, {len(gone)} gone"))
        layout.addLayout(row, 1)
        self.resize(1200, 700)


def show_draft_diff(target: str, version: str, parent=None) -> DraftDiff:
    dialog = DraftDiff(compare_draft(target, version), parent)
    dialog.show()
    return dialog
