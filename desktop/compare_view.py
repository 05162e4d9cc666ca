"""Comparing two takes of a shot: A/B flip (both frames held decoded, so a flip never shows a
blank frame), side by side, a wipe dragged with the mouse, and the difference |A - B| (black
where the takes agree, bright where they differ).

Keys: Space or F flip, 1 shows A, 2 shows B, S side by side, W wipe, X difference, Tab picks
the next take as B, Left/Right move to the previous/next shot (Shift 10, Ctrl 100), Up/Down
change A. Below the frames: what differs between A and B (seed, model, target, system-prompt
version, pipeline, enrichment) and a word diff of their prompts.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from desktop import ops, theme
from desktop.dailies_view import bucket
from desktop.frame_cache import FrameLoader
from desktop.frame_decode import FrameKey
from desktop.inspector_view import diff_html
from desktop.note_views import compare_overlay
from engine.store.status import REJECTED
from engine.store.takes import take_name, takes_by_ids
from engine.takes.prompting.prompt_diff import compare_takes


class CompareCanvas(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.mode = "flip"
        self.showing = "A"
        self.wipe = 0.5
        self.frames: dict[str, tuple] = {"A": (None, "", ""), "B": (None, "", "")}  # pixmap, msg, label
        self._diff_key: tuple | None = None
        self._diff: QImage | None = None
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.setMinimumSize(480, 270)

    def set_side(self, side: str, pixmap, message: str, label: str) -> None:
        self.frames[side] = (pixmap, message, label)
        self.update()

    def _draw(self, p: QPainter, side: str, area: QRect, clip: QRect | None = None) -> None:
        pixmap, message, label = self.frames[side]
        p.save()
        if clip is not None:
            p.setClipRect(clip)
        if pixmap is not None:
            size = pixmap.size()
            size.scale(area.size(), Qt.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(area.center())
            p.setRenderHint(QPainter.SmoothPixmapTransform)
            p.drawPixmap(target, pixmap)
        else:
            p.setPen(QColor(theme.STATUS_COLOURS[REJECTED] if message else theme.MUTED))
            p.drawText(area, Qt.AlignCenter | Qt.TextWordWrap, message or "loading…")
        p.restore()

    def side_areas(self) -> dict[str, QRect]:
        """Where each side's frame is drawn now: the side shown (flip), both (side by side)."""
        area = self.rect().adjusted(6, 6, -6, -30)
        if self.mode == "flip":
            return {self.showing: area}
        if self.mode != "side":
            return {}
        half = area.width() // 2
        return {"A": QRect(area.left(), area.top(), half - 4, area.height()),
                "B": QRect(area.left() + half + 4, area.top(), half - 4, area.height())}

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(theme.FRAME_BG))
        area = self.rect().adjusted(6, 6, -6, -30)
        if self.mode == "flip":
            self._draw(p, self.showing, area)
            self._label(p, area, self.showing, Qt.AlignLeft)
        elif self.mode == "side":
            left, right = self.side_areas().values()
            self._draw(p, "A", left)
            self._draw(p, "B", right)
            self._label(p, left, "A", Qt.AlignLeft)
            self._label(p, right, "B", Qt.AlignLeft)
        elif self.mode == "difference":
            self._difference(p, area)
        else:
            x = area.left() + int(area.width() * self.wipe)
            self._draw(p, "A", area, QRect(area.left(), area.top(), x - area.left(), area.height()))
            self._draw(p, "B", area, QRect(x, area.top(), area.right() - x + 1, area.height()))
            p.setPen(QPen(QColor(theme.ACCENT), 2))
            p.drawLine(x, area.top(), x, area.bottom())
            self._label(p, area, "A", Qt.AlignLeft)
            self._label(p, area, "B", Qt.AlignRight)
        p.end()

    def _difference(self, p: QPainter, area: QRect) -> None:
        """|A - B| per channel: A drawn, then B over it in Qt's difference composition."""
        (a, a_msg, a_label), (b, b_msg, b_label) = self.frames["A"], self.frames["B"]
        if a is None or b is None:
            p.setPen(QColor(theme.STATUS_COLOURS[REJECTED] if (a_msg or b_msg) else theme.MUTED))
            reason = a_msg or b_msg or "loading…"
            p.drawText(area, Qt.AlignCenter | Qt.TextWordWrap, f"difference needs both takes: {reason}")
            return
        target = self._fitted(a, area)
        p.drawImage(target.topLeft(), self._difference_image(a, b, target.size()))
        bar = QRect(area.left() + 4, area.bottom() + 4, area.width() - 8, 22)
        p.setPen(QColor(theme.TEXT))
        p.drawText(bar, Qt.AlignLeft | Qt.AlignVCenter, f"|A − B|   A {a_label}   B {b_label}   black = same")

    def _difference_image(self, a: QPixmap, b: QPixmap, size: QSize) -> QImage:
        """Made once per pair and size in an image of its own (a window's surface may not
        honour the difference composition), so repaints only draw it."""
        key = (a.cacheKey(), b.cacheKey(), size.width(), size.height())
        if self._diff_key != key:
            image = QImage(size, QImage.Format_ARGB32_Premultiplied)
            image.fill(Qt.black)
            q = QPainter(image)
            q.setRenderHint(QPainter.SmoothPixmapTransform)
            q.drawPixmap(image.rect(), a)
            q.setCompositionMode(QPainter.CompositionMode_Difference)
            q.drawPixmap(image.rect(), b)
            q.end()
            self._diff_key, self._diff = key, image
        return self._diff

    @staticmethod
    def _fitted(pixmap, area: QRect) -> QRect:
        size = pixmap.size()
        size.scale(area.size(), Qt.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(area.center())
        return target

    def _label(self, p: QPainter, area: QRect, side: str, align) -> None:
        label = self.frames[side][2]
        bar = QRect(area.left() + 4, area.bottom() + 4, area.width() - 8, 22)
        p.setPen(QColor(theme.ACCENT if side == "A" else "#58a6ff"))
        font = p.font()
        font.setBold(True)
        p.setFont(font)
        p.drawText(bar, align | Qt.AlignVCenter, f"{side}  {label}")

    def mousePressEvent(self, event) -> None:
        self._wipe_to(event.position().x())

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.LeftButton:
            self._wipe_to(event.position().x())

    def _wipe_to(self, x: float) -> None:
        if self.mode == "wipe":
            self.wipe = max(0.0, min(1.0, (x - 6) / max(1, self.width() - 12)))
            self.update()


class CompareView(QWidget):
    view_requested = Signal(str)

    def __init__(self, session, loader: FrameLoader, parent=None):
        super().__init__(parent)
        self.session = session
        self.loader = loader
        self.b_index: int | None = None
        self.setFocusPolicy(Qt.StrongFocus)
        self.canvas = CompareCanvas()
        self.title = QLabel(objectName="title")
        self.info = QLabel(objectName="caption")
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addSpacing(12)
        bar.addWidget(self.info)
        bar.addStretch(1)
        for mode, text in (("flip", "A/B flip  [Space]"), ("side", "Side by side  [S]"), ("wipe", "Wipe  [W]"),
                           ("difference", "Difference  [X]")):
            b = QPushButton(text, checkable=True)
            b.setFocusPolicy(Qt.NoFocus)
            b.clicked.connect(lambda _c=False, m=mode: self.set_mode(m))
            self.buttons[mode] = b
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        self.differences = QTextBrowser()
        self.differences.setFocusPolicy(Qt.NoFocus)
        self.differences.setMaximumHeight(220)
        layout.addWidget(self.differences)
        self._compared: tuple[int, int] | None = None
        self._comparing = False  # the differences are being read
        session.current_changed.connect(self._on_moved)
        loader.frame_loaded.connect(lambda _k: self.refresh())
        self.set_mode("flip")
        self.note_overlay = compare_overlay(self)  # M: draw notes on the frame shown

    def _on_moved(self) -> None:
        self.b_index = None
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def set_mode(self, mode: str) -> None:
        self.canvas.mode = mode
        for m, b in self.buttons.items():
            b.setChecked(m == mode)
        self.canvas.update()

    def flip(self, side: str | None = None) -> None:
        self.canvas.showing = side or ("B" if self.canvas.showing == "A" else "A")
        self.canvas.repaint()  # both frames are decoded already: swap on this very paint

    def takes(self):
        shot = self.session.current_shot()
        a_index = self.session.model.take_index(self.session.row)
        if shot is None or a_index is None:
            return shot, None, None
        if self.b_index is None or self.b_index == a_index or self.b_index >= len(shot.takes):
            self.b_index = a_index - 1 if a_index > 0 else (a_index + 1 if len(shot.takes) > 1 else None)
        b = shot.takes[self.b_index] if self.b_index is not None else None
        return shot, shot.takes[a_index], b

    def _key(self, take) -> FrameKey | None:
        path = self.session.media_path(take)
        w, h = bucket(self.canvas.size())
        return FrameKey(str(path), take.media_kind, 0, w, h) if path else None

    def refresh(self) -> None:
        shot, a, b = self.takes()
        self.title.setText(shot.code if shot else "—")
        if shot is None or a is None:
            self.canvas.set_side("A", None, "no takes to compare", "")
            self.canvas.set_side("B", None, "", "")
            return
        self.info.setText(f"A {take_name(a.number)}  ·  B " + (take_name(b.number) if b else "—")
                          + "   ·   Tab: next B   1/2: show A/B")
        for side, take in (("A", a), ("B", b)):
            if take is None:
                self.canvas.set_side(side, None, "this shot has one take only", "")
                continue
            key = self._key(take)
            pixmap = self.loader.request(key, priority=10) if key else None
            message = (self.loader.failure(key) or "") if key else "no output file"
            status = self.session.model.status_of(take)
            self.canvas.set_side(side, pixmap, message, f"{take_name(take.number)}  {theme.STATUS_LABELS.get(status, '')}")
        self._show_differences(a, b)

    def _show_differences(self, a, b) -> None:
        pair = (a.id, b.id) if b is not None else (a.id, -1)
        if pair == self._compared:
            return  # frames arriving repaint the canvas, not the text
        self._compared = pair
        if b is None:
            self.differences.setHtml(f"<p style='color:{theme.MUTED}'>One take only: nothing to compare.</p>")
            return
        ids = (a.id, b.id)

        def read(session):
            by_id = {t.id: t for t in takes_by_ids(session, list(ids))}
            return compare_takes(by_id[ids[0]], by_id[ids[1]])

        self._comparing = True
        ops.query(self.session.store, self, read, self._show_compared).latest("differences").start()

    def _show_compared(self, compared) -> None:
        self._comparing = False
        fields, words = compared
        cells = []
        for f in fields:
            colour = theme.TEXT if f.same else theme.ACCENT
            mark = "same" if f.same else f"A {f.a}  ·  B {f.b}"
            cells.append(f"<td style='color:{theme.MUTED}'>{f.field}</td>"
                         f"<td style='color:{colour}'>{mark if not f.same else f.a + ' (same)'}</td>")
        rows = "".join(f"<tr>{cells[i]}{cells[i + 1] if i + 1 < len(cells) else ''}</tr>"
                       for i in range(0, len(cells), 2))
        words_html = diff_html(words).replace("Against ", "Prompt of A against ")
        # the first changed words are scrolled into view, wherever they are in a long prompt
        words_html = words_html.replace("<span style='background:", "<a name='change'></a><span style='background:", 1)
        self.differences.setHtml(f"<b>A against B</b><table cellpadding='2'>{rows}</table>" + words_html)
        if words.changed:
            self.differences.scrollToAnchor("change")

    def is_ready(self) -> bool:
        return self.session.loaded and not self._comparing and all(f[0] is not None or f[1] for f in self.canvas.frames.values())

    def keyPressEvent(self, event) -> None:
        key = event.key()
        mods = event.modifiers()
        step = 100 if mods & Qt.ControlModifier else (10 if mods & Qt.ShiftModifier else 1)
        s = self.session
        actions = {
            Qt.Key_Space: self.flip, Qt.Key_F: self.flip,
            Qt.Key_1: lambda: self.flip("A"), Qt.Key_2: lambda: self.flip("B"),
            Qt.Key_S: lambda: self.set_mode("side"), Qt.Key_W: lambda: self.set_mode("wipe"),
            Qt.Key_X: lambda: self.set_mode("difference"),
            Qt.Key_Left: lambda: s.move_shot(-step),
            Qt.Key_Right: lambda: s.move_shot(step),
            Qt.Key_Up: lambda: s.move_take(-1), Qt.Key_Down: lambda: s.move_take(1),
            Qt.Key_Tab: self.next_b, Qt.Key_D: lambda: self.view_requested.emit("dailies"),
            Qt.Key_I: lambda: self.view_requested.emit("inspector"), Qt.Key_M: self.note_overlay.toggle,
        }
        if key in actions:
            if key in (Qt.Key_Space, Qt.Key_F) and self.canvas.mode != "flip":
                self.set_mode("flip")
            actions[key]()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, _next: bool) -> bool:
        return False  # Tab picks the next B take here

    def next_b(self) -> None:
        shot, a, _b = self.takes()
        if shot is None or len(shot.takes) < 2:
            return
        a_index = s_index = self.session.model.take_index(self.session.row)
        nxt = ((self.b_index if self.b_index is not None else s_index) + 1) % len(shot.takes)
        if nxt == a_index:
            nxt = (nxt + 1) % len(shot.takes)
        self.b_index = nxt
        self.refresh()
