"""The Replay tab of the Weekly view: what a system-prompt version (a draft or a released one)
would write for the takes of a target rejected this week under other versions, each take
with the prompt sent then and the prompt the version writes now side by side, the word
diff, the outcome, and the reviewer's tags and note. Saved replays open again from the list.

Every store read and every writer call runs as an op (engine functions open their own
sessions); a newer replay or list asked for supersedes one still running."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop import ops, theme
from engine.core.review_config import review_config
from engine.store.db import Store
from engine.takes.prompting.replay import Replay
from engine.takes.prompting.replay_export import export_replay, heading, outcome_text
from engine.takes.prompting.replay_store import list_replays, load_replay
from engine.takes.prompting.system_prompts import prompt_versions

DELETE, INSERT = "#f85149", "#3fb950"


class ReplayView(QWidget):
    replay_shown = Signal(int)  # the replay's id
    failed = Signal(str)

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self.replay: Replay | None = None
        self.target: str | None = None
        self.week: str | None = None
        self._build()

    def _build(self) -> None:
        self.version_box = QComboBox()
        self.version_box.setMinimumWidth(150)
        self.tag_box = QComboBox()
        self.tag_box.addItem("every tag", None)
        for t in review_config().taxonomy:
            self.tag_box.addItem(t.label, t.tag)
        self.run_button = QPushButton("Replay")
        self.draft_button = QPushButton("Draft against released\u2026")
        self.draft_button.setEnabled(False)
        self.draft_dialog = None
        self.saved_box = QComboBox()
        self.saved_box.setMinimumWidth(220)
        self.saved_box.setPlaceholderText("saved replays")
        self.html_button = QPushButton("Export HTML\u2026")
        self.html_button.setEnabled(False)
        self.title = QLabel("<b>Replay</b>")
        self.title.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Version"))
        top.addWidget(self.version_box)
        top.addWidget(QLabel("Tag"))
        top.addWidget(self.tag_box)
        top.addWidget(self.run_button)
        top.addWidget(self.draft_button)
        top.addStretch(1)
        top.addWidget(self.saved_box)
        top.addWidget(self.html_button)

        self.takes = QListWidget()
        self.takes.setMinimumWidth(250)
        self.sent, self.now = QPlainTextEdit(), QPlainTextEdit()
        for box in (self.sent, self.now):
            box.setReadOnly(True)
            box.setFont(theme.mono_font())
        self.sent_title, self.now_title = QLabel("<b>Sent then</b>"), QLabel("<b>Writes now</b>")
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        self.meta.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.diff = QTextBrowser()
        self.diff.setFont(theme.mono_font())
        self.diff.setMaximumHeight(110)
        pair = QSplitter(Qt.Horizontal)
        for title, box in ((self.sent_title, self.sent), (self.now_title, self.now)):
            column = QWidget()
            cl = QVBoxLayout(column)
            cl.setContentsMargins(0, 0, 0, 0)
            cl.addWidget(title)
            cl.addWidget(box, 1)
            pair.addWidget(column)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.meta)
        dl.addWidget(pair, 3)
        dl.addWidget(QLabel("<b>Word diff</b> (red: gone, green: new)"))
        dl.addWidget(self.diff)
        body = QSplitter(Qt.Horizontal)
        body.addWidget(self.takes)
        body.addWidget(detail)
        body.setStretchFactor(1, 4)
        body.setSizes([270, 1100])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(body, 1)

        self.run_button.clicked.connect(self.run)
        self.draft_button.clicked.connect(self.show_draft)
        self.version_box.currentIndexChanged.connect(
            lambda _i: self.draft_button.setEnabled("draft" in (self.version_box.currentText() or "")))
        self.takes.currentRowChanged.connect(self._show_item)
        self.saved_box.activated.connect(lambda i: self.open_replay(self.saved_box.itemData(i)))
        self.html_button.clicked.connect(self._ask_export)

    # ops
    def _run(self, work, done, key: str | None = None, writes: bool = False) -> None:
        """Run `work(store)` as an op (on the write lane when it stores something); with
        `key`, a newer one of that key supersedes it."""
        op = ops.Op(self.store, self, lambda job: work(job.store), done).failure(self._on_failed)
        if key:
            op.latest(key)
        if writes:
            op.writes()
        op.start()

    def _on_failed(self, error: str) -> None:
        self.title.setText(f"<b>Replay</b> could not finish: {escape(error)}")
        self.run_button.setEnabled(True)
        self.failed.emit(error)

    def wait_idle(self, msecs: int = 20000) -> bool:
        return ops.wait_idle(msecs)

    # context
    def set_context(self, target: str | None, week: str) -> None:
        """Replay `target`'s rejections of `week`; the target's draft is offered first, else
        its newest version."""
        self.target, self.week = target, week
        self.version_box.clear()
        versions = prompt_versions(target) if target else []
        for v in versions:
            self.version_box.addItem(f"{v.version}{'' if v.released else '  (draft)'}", v.version)
        drafts = [v.version for v in versions if not v.released]
        wanted = drafts[-1] if drafts else (versions[-1].version if versions else None)
        index = self.version_box.findData(wanted)
        self.version_box.setCurrentIndex(index if index >= 0 else self.version_box.count() - 1)
        self.run_button.setEnabled(bool(versions))
        self.title.setText(
            f"<b>Replay</b> the takes of {escape(target or '-')} rejected in {escape(week)} under other versions"
            if versions else f"<b>Replay</b>: {escape(target or 'this line')} has no system prompt to replay")
        self._refresh_saved()

    def _refresh_saved(self) -> None:
        target, week = self.target, self.week

        def done(rows) -> None:
            self.saved_box.clear()
            for r in rows:
                self.saved_box.addItem(f"#{r.id} {r.version} {r.tag or ''} {r.made_at:%d %b %H:%M} ({r.takes})", r.id)
            self.saved_box.setCurrentIndex(-1)

        self._run(lambda store: list_replays(store, target=target, week=week), done, key="saved")

    # actions
    def run(self) -> None:
        from engine.takes.prompting.replay import replay
        from engine.takes.reports.weeks import parse_week

        version = self.version_box.currentData()
        if not self.target or not version:
            return
        target, week, tag = self.target, parse_week(self.week), self.tag_box.currentData()
        self.run_button.setEnabled(False)
        self.title.setText(f"<b>Replay</b> {escape(target)} {escape(version)}: writing\u2026")
        self._run(lambda store: replay(store, target, version, week, tag=tag), self.show_replay, key="replay", writes=True)

    def show_draft(self) -> None:
        from desktop.draft_diff import show_draft_diff

        if self.target and self.version_box.currentData():
            self.draft_dialog = show_draft_diff(self.target, self.version_box.currentData(), self)

    def open_replay(self, replay_id: int | None) -> None:
        if replay_id is None:
            return
        self._run(lambda store: load_replay(store, replay_id), self.show_replay, key="replay")

    def show_replay(self, replay: Replay) -> None:
        self.replay = replay
        self.run_button.setEnabled(True)
        self.html_button.setEnabled(True)
        note = f"<br><span style='color:#d29922'>{escape(replay.note)}</span>" if replay.note else ""
        self.title.setText(f"<b>{escape(heading(replay))}</b>{note}")
        self.takes.clear()
        for it in replay.items:
            item = QListWidgetItem(f"{it.take_ref}\n{', '.join(it.tags) or 'no tag'}  \u00b7  {it.outcome.replace('_', ' ')}")
            item.setToolTip(outcome_text(it))
            self.takes.addItem(item)
        if replay.items:
            self.takes.setCurrentRow(0)
        else:
            self._show_item(-1)
        self._refresh_saved()
        self.replay_shown.emit(replay.id)

    def _show_item(self, row: int) -> None:
        items = self.replay.items if self.replay else ()
        if not 0 <= row < len(items):
            for w in (self.sent, self.now, self.diff):
                w.clear()
            self.meta.setText("No take of this target was rejected in that week under another version."
                              if self.replay else "")
            return
        it = items[row]
        self.sent_title.setText(f"<b>Sent then</b> ({escape(it.sent_version or '-')})")
        self.now_title.setText(f"<b>{escape(self.replay.version)} writes now</b>")
        self.sent.setPlainText(it.sent_prompt or "(the prompt sent was not recorded)")
        self.now.setPlainText(it.new_prompt or "(nothing: " + (it.reason or it.outcome) + ")")
        note = f"; note: \u201c{escape(it.note)}\u201d" if it.note else ""
        self.meta.setText(f"<b>{escape(it.take_ref)}</b> rejected by {escape(it.reviewer)} for "
                          f"{escape(', '.join(it.tags) or 'no tag')}{note}<br>outcome: {escape(outcome_text(it))}")
        d = it.diff
        if not d.available:
            self.diff.setPlainText(d.reason)
            return
        style = {"equal": "{}", "delete": f"<span style='color:{DELETE};text-decoration:line-through'>{{}}</span>",
                 "insert": f"<span style='color:{INSERT}'>{{}}</span>"}
        self.diff.setHtml("".join(style[p.op].format(escape(p.text)) for p in d.parts))

    def _ask_export(self) -> None:
        if self.replay is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export the replay", f"replay-{self.replay.id}.html",
                                              "HTML page (*.html)")
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> None:
        replay = self.replay
        self._run(lambda _store: export_replay(replay, path), lambda written: self.title.setText(
            f"<b>{escape(heading(replay))}</b><br>wrote {escape(str(written))}"))
