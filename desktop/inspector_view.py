"""The take inspector: the take's picture (a clip's poster frame) and exactly what was sent
for the take under review (final prompt, seed,
model, pipeline, the system-prompt version with its stored text), how it compares with the
previous take and with the builder's text, what it cost, and its review history; with recall
actions that copy the prompt, the seed, or everything as JSON."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop import ops, theme
from desktop.note_board import note_board_for
from desktop.note_views import picture_notes
from desktop.take_picture import TakePicture
from engine.store.status import APPROVED, DECIDED, REJECTED
from engine.takes.prompting.prompt_diff import PromptDiff, TakeInspection, inspect_take, recall_json

DRIFT_COLOURS = {"same": theme.STATUS_COLOURS[APPROVED], "changed": theme.STATUS_COLOURS[REJECTED]}


def diff_html(diff: PromptDiff) -> str:
    if not diff.available:
        return f"<p style='color:{theme.MUTED}'>Nothing to compare: {html.escape(diff.reason)}.</p>"
    if not diff.changed:
        return f"<p style='color:{theme.MUTED}'>Identical to {html.escape(diff.against)}.</p>" + \
            f"<pre style='white-space:pre-wrap'>{html.escape(''.join(p.text for p in diff.parts))}</pre>"
    out = []
    for part in diff.parts:
        text = html.escape(part.text)
        if part.op == "insert":
            out.append(f"<span style='background:#1f4d2c;color:#aff5b4'>{text}</span>")
        elif part.op == "delete":
            out.append(f"<span style='background:#5c1d1d;color:#ffb4b0;text-decoration:line-through'>{text}</span>")
        else:
            out.append(text)
    legend = (f"<p style='color:{theme.MUTED}'>Against {html.escape(diff.against)}: "
              "<span style='color:#aff5b4'>added</span>, <span style='color:#ffb4b0'>removed</span></p>")
    return legend + "<pre style='white-space:pre-wrap;font-family:DejaVu Sans Mono'>" + "".join(out) + "</pre>"


class InspectorView(QWidget):
    def __init__(self, session, window=None, parent=None):
        super().__init__(parent)
        self.session = session
        self.window_ = window
        self.inspection: TakeInspection | None = None
        self.setFocusPolicy(Qt.StrongFocus)

        self.title = QLabel(objectName="title")
        self.chip = QLabel(objectName="chip")
        self.copy_prompt = QPushButton("Copy prompt")
        self.copy_seed = QPushButton("Copy seed")
        self.copy_all = QPushButton("Copy all as JSON")
        for button, action in ((self.copy_prompt, self.do_copy_prompt), (self.copy_seed, self.do_copy_seed),
                               (self.copy_all, self.do_copy_all)):
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(action)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.chip)
        header.addStretch(1)
        for b in (self.copy_prompt, self.copy_seed, self.copy_all):
            header.addWidget(b)

        self.facts = QFormLayout()
        self.facts.setLabelAlignment(Qt.AlignRight)
        self.fact_labels: dict[str, QLabel] = {}
        for name in ("Seed", "Model", "Pipeline", "Target", "System prompt", "Prompt file",
                     "Enrichment", "Reason", "Take cost", "Shot landed cost", "Made", "Output"):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            value.setWordWrap(True)
            key = QLabel(name.upper(), objectName="caption")
            self.facts.addRow(key, value)
            self.fact_labels[name] = value
        self.picture = TakePicture(360)
        facts_box = QWidget(objectName="panel")
        facts_layout = QVBoxLayout(facts_box)
        facts_layout.addWidget(self.picture, 0, Qt.AlignHCenter)
        facts_layout.addLayout(self.facts)
        facts_layout.addStretch(1)
        facts_box.setMinimumWidth(380)

        self.prompt = QPlainTextEdit(readOnly=True)
        self.prompt.setFont(theme.mono_font(11))
        self.tabs = QTabWidget()
        self.diff_previous = QTextBrowser()
        self.diff_builder = QTextBrowser()
        self.system_text = QPlainTextEdit(readOnly=True)
        self.system_text.setFont(theme.mono_font(10))
        self.history = QTextBrowser()
        self.tabs.addTab(self.diff_previous, "Diff: previous take")
        self.tabs.addTab(self.diff_builder, "Diff: builder text")
        self.tabs.addTab(self.system_text, "System prompt (as sent)")
        self.tabs.addTab(self.history, "Review history")

        right = QSplitter(Qt.Vertical)
        prompt_box = QWidget()
        pl = QVBoxLayout(prompt_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(QLabel("FINAL PROMPT (exactly as sent)", objectName="caption"))
        pl.addWidget(self.prompt)
        right.addWidget(prompt_box)
        right.addWidget(self.tabs)
        right.setSizes([260, 420])

        body = QHBoxLayout()
        body.addWidget(facts_box, 0)
        body.addWidget(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        session.current_changed.connect(self._maybe_refresh)
        self._stale = True
        self._reading = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _maybe_refresh(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def is_ready(self) -> bool:
        return self.session.loaded and not self._stale and not self._reading

    def refresh(self) -> None:
        """Read what the inspector shows of the take under review off the GUI thread, then show it."""
        self._stale = False
        take = self.session.current_take()
        if take is None:
            self.inspection = None
            self.title.setText("No take selected")
            return
        self._reading = True
        take_id = take.id
        (ops.query(self.session.store, self, lambda s: inspect_take(s, take_id), self._show)
         .failure(self._not_read).latest("inspection").start())

    def _not_read(self, reason: str) -> None:
        self._reading = False
        self.title.setText(f"Could not read the take: {reason}")

    def _show(self, p: TakeInspection) -> None:
        self._reading = False
        self.inspection = p
        take = self.session.current_take()
        t = p.take
        self.title.setText(f"{t.shot}  ·  {t.take_name}")
        status = self.session.model.status_of(take) if take is not None and take.id == t.id else t.status
        self.chip.setText(theme.STATUS_LABELS.get(status, status))
        self.chip.setStyleSheet(f"background: {theme.STATUS_COLOURS.get(status, theme.MUTED)};")
        self.prompt.setPlainText(t.prompt or "(no prompt recorded)")
        f = self.fact_labels
        f["Seed"].setText(str(t.seed) if t.seed is not None else "—")
        f["Model"].setText(t.model or "—")
        f["Pipeline"].setText(t.pipeline or "—")
        f["Target"].setText(t.target or "—")
        sha = f" · sha256 {t.system_prompt_sha256[:12]} of the text as sent" if t.system_prompt_sha256 else ""
        f["System prompt"].setText(f"{t.system_prompt_version or '—'}{sha}")
        colour = DRIFT_COLOURS.get(p.drift.state, theme.MUTED)
        mark = {"same": "✔ ", "changed": "⚠ CHANGED: "}.get(p.drift.state, "")
        f["Prompt file"].setText(f"<span style='color:{colour}'>{html.escape(mark + p.drift.detail)}</span>")
        f["Enrichment"].setText(t.enrichment_outcome or "—")
        f["Reason"].setText(t.enrichment_reason or "—")
        f["Take cost"].setText(f"${t.cost:.4f}")
        f["Shot landed cost"].setText(f"${p.landed_cost:.4f}")
        f["Made"].setText(t.created_at.strftime("%Y-%m-%d %H:%M:%S UTC"))
        path = self.session.media_path(t)
        f["Output"].setText(str(path) if path else "—")
        self.picture.show_take(self.session.store.media_dir, path)
        picture_notes(self.picture, note_board_for(self.session), take.id)
        self.diff_previous.setHtml(diff_html(p.against_previous))
        self.diff_builder.setHtml(diff_html(p.against_builder))
        self.system_text.setPlainText(t.system_prompt_text or "(no system prompt was sent)")
        self.tabs.setTabText(2, f"System prompt {t.system_prompt_version or ''} (as sent)"
                             + (" ⚠" if p.drift.state == "changed" else ""))
        self.history.setHtml(self._history_html(p))

    def _history_html(self, p: TakeInspection) -> str:
        if not p.history:
            return f"<p style='color:{theme.MUTED}'>No decisions yet.</p>"
        rows = []
        for d in p.history:
            colour = theme.STATUS_COLOURS.get(DECIDED.get(d.action), theme.MUTED)
            extra = ", ".join(d.tags)
            if d.conflicts_with:
                extra += f" (conflicts with {d.conflicts_with})"
            if d.retracts_id:
                extra += f"withdraws decision #{d.retracts_id}"
            if d.note:
                extra += f" — “{html.escape(d.note)}”"
            rows.append(
                f"<tr><td style='color:{theme.MUTED}'>#{d.id}</td><td>{d.created_at:%Y-%m-%d %H:%M}</td>"
                f"<td>{html.escape(d.reviewer)}</td><td style='color:{colour};font-weight:bold'>{d.action}</td>"
                f"<td>{html.escape(extra) if not d.note else extra}</td></tr>"
            )
        return "<table cellpadding='4'>" + "".join(rows) + "</table>"

    # -- recall -------------------------------------------------------------------------
    def _copy(self, text: str, what: str) -> None:
        QGuiApplication.clipboard().setText(text)
        if self.window_ is not None:
            self.window_.flash(f"Copied {what}")

    def do_copy_prompt(self) -> None:
        if self.inspection:
            self._copy(self.inspection.take.prompt or "", "the prompt")

    def do_copy_seed(self) -> None:
        if self.inspection and self.inspection.take.seed is not None:
            self._copy(str(self.inspection.take.seed), "the seed")

    def do_copy_all(self) -> None:
        if self.inspection:
            self._copy(recall_json(self.inspection.take), "the take's parameters as JSON")

    def keyPressEvent(self, event) -> None:
        key = event.key()
        mods = event.modifiers()
        nav = {Qt.Key_Left: (self.session.move_shot, -1), Qt.Key_Right: (self.session.move_shot, 1),
               Qt.Key_Up: (self.session.move_take, -1), Qt.Key_Down: (self.session.move_take, 1)}
        if key in nav and not mods & Qt.ControlModifier:
            fn, step = nav[key]
            fn(step * (10 if mods & Qt.ShiftModifier and fn == self.session.move_shot else 1))
            event.accept()
            return
        if self.window_ is not None:
            action = self.window_.keymap.action_for(event)
            handlers = {"copy_prompt": self.do_copy_prompt, "copy_seed": self.do_copy_seed,
                        "copy_all": self.do_copy_all}
            if action in handlers:
                handlers[action]()
                return
            if action in ("dailies", "compare"):
                self.window_.show_view(action)
                return
        super().keyPressEvent(event)
