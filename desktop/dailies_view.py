"""The Dailies view: the shot under review large, the previous and next shots beside it for
continuity, the episode's filmstrip below, and decisions from the keyboard.

Keys: Left/Right previous/next shot (Shift: 10, Ctrl: 100), Up/Down previous/next take,
Home/End, the review keys of config/review.json (approve, reject: open a rejection draft, a key
per rejection tag, note, record the draft and move on, undo), Esc drops the draft, `[`/`]` pick
the conflicting frame; inside a clip Space plays and pauses, `,`/`.` step a frame, J/K/L shuttle.
Below the frame: the take's standing decision (who, when, tags, note, conflicting frame, how
many decisions it has had).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop import theme
from desktop.clip_player import BATCH, ClipPlayer
from desktop.filmstrip import Filmstrip
from desktop.frame_cache import FrameLoader
from desktop.frame_decode import FrameKey
from desktop.frame_view import FrameView
from desktop.keymap import TAG_PREFIX, KeyMap
from desktop.note_views import dailies_overlay
from desktop.review_actions import ReviewActions
from desktop.review_session import ReviewSession
from engine.store.status import DECIDED, PENDING

PREFETCH_AHEAD = 3
PREFETCH_BEHIND = 2
THUMB_PREFETCH = 2000


def bucket(size: QSize) -> tuple[int, int]:
    """Decode sizes in steps of 128 px, so small resizes keep hitting the cache."""
    return ((size.width() + 127) // 128 * 128, (size.height() + 127) // 128 * 128)


class DailiesView(QWidget):
    frame_shown = Signal()  # the current frame (or its placeholder) is on screen
    view_requested = Signal(str)

    def __init__(self, session: ReviewSession, loader: FrameLoader, actions: ReviewActions,
                 keymap: KeyMap, parent=None):
        super().__init__(parent)
        self.session = session
        self.loader = loader
        self.actions = actions
        self.keymap = keymap
        self.setFocusPolicy(Qt.StrongFocus)

        self.current = FrameView(caption_size=11)
        self.previous = FrameView(caption_size=9)
        self.following = FrameView(caption_size=9)
        for side in (self.previous, self.following):
            side.setMinimumSize(220, 124)
            side.setMaximumWidth(420)
        self.previous.clicked.connect(lambda: self._side_clicked(-1))
        self.following.clicked.connect(lambda: self._side_clicked(+1))
        self.current.painted.connect(self._on_current_painted)
        # The strip scrolls after the new frame is on screen, so its repaint never delays it.
        self._strip_follow = QTimer(self, singleShot=True, interval=40)
        self._strip_follow.timeout.connect(lambda: self.strip.show_row(self.session.row))
        self._resized = QTimer(self, singleShot=True, interval=80)  # settle, then decode anew
        self._resized.timeout.connect(self._on_resized)
        for view in (self.current, self.previous, self.following):
            view.resized.connect(self._resized.start)
        self.clip = ClipPlayer(self)
        self.clip.frame_changed.connect(lambda _f: self._show_current())
        self.note_overlay = dailies_overlay(self)  # region notes over the frame; M draws

        frames = QHBoxLayout()
        frames.setSpacing(8)
        frames.addWidget(self._side_column("PREVIOUS", self.previous), 1)
        frames.addWidget(self.current, 4)
        frames.addWidget(self._side_column("NEXT", self.following), 1)

        self.title = QLabel(objectName="title")
        self.chip = QLabel(objectName="chip")
        self.details = QLabel(objectName="caption")
        self.draft_chip = QLabel("DRAFT", objectName="draftchip")
        self.draft_chip.hide()
        self.draft_label = QLabel(objectName="caption")
        # The take's standing decision: who, when, tags, note, conflicting frame, how many.
        self.decision_label = QLabel(objectName="decision")
        self.decision_label.setTextFormat(Qt.PlainText)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Note for this take — Return keeps it, Esc cancels")
        self.note_edit.hide()
        self.note_edit.installEventFilter(self)
        info = QHBoxLayout()
        info.addWidget(self.title)
        info.addWidget(self.chip)
        info.addSpacing(12)
        info.addWidget(self.details)
        info.addStretch(1)
        info.addWidget(self.draft_chip)
        info.addWidget(self.draft_label)
        info.addWidget(self.note_edit, 2)

        self.hints: dict[str, QLabel] = {}
        hints = QHBoxLayout()
        hints.setSpacing(6)
        for action, label in self._hint_actions():
            hint = QLabel(f"<b>{keymap.text(action)}</b>  {label}", objectName="keyhint")
            self.hints[action] = hint
            hints.addWidget(hint)
        hints.addStretch(1)

        self.strip = Filmstrip(loader, session.media_path)
        self.strip.setModel(session.model)
        self.strip.row_scrubbed.connect(session.goto_row)

        self.filter_slot = QVBoxLayout()
        self.filter_slot.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        layout.addLayout(self.filter_slot)
        layout.addLayout(frames, 1)
        layout.addLayout(info)
        layout.addWidget(self.decision_label)
        layout.addLayout(hints)
        layout.addWidget(self.strip)

        session.current_changed.connect(self._on_current_changed)
        session.strip_reloaded.connect(self._on_strip_reloaded)
        session.standing_ready.connect(self._on_standing)
        loader.frame_loaded.connect(self._on_frame_loaded)
        actions.draft_changed.connect(self._show_draft)
        actions.take_reviewed.connect(lambda _take_id: self._show_info())
        self._shown_keys: set[FrameKey] = set()
        self._wanted: dict[FrameView, FrameKey] = {}  # the frame each view waits for or shows
        self._strip_keys: set[FrameKey] = set()
        self._announced = False
        self._strip_pending = False
        if session.loaded:  # else the strip is being read: current_changed follows
            QTimer.singleShot(0, self._on_current_changed)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        for side in (self.previous, self.following):  # neighbours keep the frame's 16:9
            side.setFixedHeight(int(side.width() * 9 / 16) + 30)

    def _on_resized(self) -> None:
        if self.session.current_shot() is not None:
            self._show_current()
            self._show_sides()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._on_resized()  # frames that arrived while another view was up

    def _on_strip_reloaded(self) -> None:
        self.strip.show_row(self.session.row)
        if self._announced:
            QTimer.singleShot(0, self.prefetch_thumbnails)
        else:  # on opening, the first frame comes first; the whole strip after it
            self._strip_pending = True

    def prefetch_thumbnails(self, limit: int = THUMB_PREFETCH) -> list[FrameKey]:
        """Queue the thumbnails of the whole strip (up to `limit` shots) behind visible work."""
        keys = []
        model = self.session.model
        for row in range(min(limit, model.total_rows())):
            take = model.shown_take(row)
            key = self.strip.key_for(take) if take else None
            if key is not None:
                keys.append(key)
                self.loader.request(key, priority=-2)
        self._strip_keys = set(keys)
        return keys

    def _side_column(self, caption: str, view: FrameView) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        label = QLabel(caption, objectName="caption")
        col.addStretch(1)
        col.addWidget(label)
        col.addWidget(view, 3)
        col.addStretch(1)
        return box

    def _hint_actions(self) -> list[tuple[str, str]]:
        out = [("approve", "Approve"), ("reject", "Reject")]
        out += [(TAG_PREFIX + t.tag, t.label) for t in self.actions.config.taxonomy]
        out += [("note", "Note"), ("record_next", "Record ▸ next"), ("undo", "Undo")]
        return [(a, label) for a, label in out if self.keymap.text(a)]

    # -- showing ------------------------------------------------------------------------
    def frame_key(self, take, view: FrameView, frame: int = 0) -> FrameKey | None:
        path = self.session.media_path(take)
        if path is None:
            return None
        size = view.display_size()
        return FrameKey(str(path), take.media_kind, frame, size.width(), size.height())

    def _on_current_changed(self) -> None:
        session = self.session
        take = session.current_take()
        self.clip.load(session.media_path(take) if take and take.media_kind == "clip" else None)
        self.strip.select_row(session.row)
        self._strip_follow.start()  # the strip scrolls once the frame is painted
        self._show_current()
        self._show_sides()
        self._show_info()
        self._prefetch()

    def _show_current(self) -> None:
        take = self.session.current_take()
        shot = self.session.current_shot()
        if shot is None:
            self.current.set_frame(None, "No shots match this view." if self.session.shot_count() == 0 and not self.session.criteria.is_empty else "This store holds no shots yet.")
            self.current.set_caption("")
            return
        status = self.session.model.status_of(take) if take else ""
        index, count = self.session.take_position()
        clip_text = f"  frame {self.clip.frame + 1}/{self.clip.frames}" if self.clip.active else ""
        self.current.set_caption(shot.code, f"take {index}/{count}{clip_text}", status)
        self._put(self.current, take, self.clip.frame if self.clip.active else 0, "no takes yet")
        if self.clip.active and self.clip.error:
            self.current.set_frame(None, self.clip.error)

    def _show_sides(self) -> None:
        for delta, view in ((-1, self.previous), (1, self.following)):
            found = self.session.neighbour(delta)
            if found is None:
                view.set_frame(None, "start of the episode" if delta < 0 else "end of the episode", error=False)
                view.set_caption("")
                continue
            shot, take = found
            status = self.session.model.status_of(take) if take else ""
            view.set_caption(shot.code, f"take {take.number}" if take else "", status)
            self._put(view, take, 0, "no takes yet")
        self._show_conflict()

    def _put(self, view: FrameView, take, frame: int, empty: str) -> None:
        self._wanted.pop(view, None)
        if take is None:
            view.set_frame(None, empty, error=False)
            return
        key = self.frame_key(take, view, frame)
        if key is None:
            view.set_frame(None, "this take has no output file")
            return
        priority = 10 if view is self.current else 5
        if key.kind == "clip":
            # Clips decode in batches: ask for the batch, show the exact frame when it lands.
            batch = replace(key, frame=key.frame - key.frame % BATCH)
            self.loader.request(batch, priority=priority)
            if key.frame % BATCH >= BATCH // 2 and self.clip.frames > batch.frame + BATCH:
                self.loader.request(replace(batch, frame=batch.frame + BATCH), priority=priority)
            pixmap = self.loader.pixmap(key)
            failure = self.loader.failure(batch)
            self._shown_keys.add(batch)
            self._wanted[view] = batch
        else:
            pixmap = self.loader.request(key, priority=priority, stand_in=view is self.current)
            failure = self.loader.failure(key)
            if pixmap is None and not failure and view is self.current:
                pixmap = self.loader.stand_in(key)  # the display copy, until the full frame lands
            self._shown_keys.add(key)
            self._wanted[view] = key
        if pixmap is not None or failure:
            view.set_frame(pixmap, failure or "")
            view.shown_path = key.path
        elif view.pixmap() is None and view.message():
            view.set_frame(None, "")  # "loading…", not the placeholder of the shot shown before
        elif view.pixmap() is not None and getattr(view, "shown_path", None) != key.path:
            view.set_frame(None, "")  # never show another take's frame as this one

    def _prefetch(self) -> None:
        model = self.session.model
        keep = set()
        for delta in list(range(1, PREFETCH_AHEAD + 1)) + [-d for d in range(1, PREFETCH_BEHIND + 1)]:
            take = model.shown_take(self.session.row + delta)
            key = self.frame_key(take, self.current) if take else None
            if key is not None:
                keep.add(key)
                self.loader.request(key, priority=1)
        keep |= self._shown_keys
        self.loader.cancel_pending(keep=keep | self._strip_keys)
        self._shown_keys = set()

    def _on_frame_loaded(self, key: FrameKey) -> None:
        """Repaint only the view waiting for this frame (thumbnails and look-ahead frames
        arrive by the hundred and must not repaint the frames on screen)."""
        if not self._announced:
            self._show_current()
            self._show_sides()
            return
        if not self.isVisible():
            return
        if self._wanted.get(self.current) == key.full_key():  # the frame or its stand-in
            self._show_current()
            if key.stand_in:  # painted now, even when the full frame lands in the same breath
                self.current.repaint()
        if key in (self._wanted.get(self.previous), self._wanted.get(self.following)):
            self._show_sides()

    def is_ready(self) -> bool:
        return self._announced

    def _on_current_painted(self) -> None:
        if self._strip_follow.isActive():
            self._strip_follow.start(0)
        if self.current.pixmap() is not None or self.current.message():
            self._announced = True
            if self._strip_pending:
                self._strip_pending = False
                QTimer.singleShot(0, self.prefetch_thumbnails)
            self.frame_shown.emit()

    def _on_standing(self, take_id: int) -> None:
        take = self.session.current_take()
        if take is not None and take.id == take_id:
            self._show_info()

    def _show_info(self) -> None:
        take = self.session.current_take()
        shot = self.session.current_shot()
        self.title.setText(shot.code if shot else "—")
        status = self.session.model.status_of(take) if take else PENDING
        standing = self.session.standing(take.id) if take else None
        decided = standing.decision if standing else None
        if standing is not None and standing.blind:
            status = PENDING  # a second review is blind: the first verdict stays hidden
        elif standing is None and take is not None and status in DECIDED.values():
            status = "reading"  # until it is known whether the first verdict may be seen
        label = theme.STATUS_LABELS.get(status, status.upper())
        if decided is not None and status in DECIDED.values():
            label += f" · {decided.reviewer}"
        self.chip.setText(label)
        if self.chip.property("status") != status:  # restyling is slow: only on a change
            self.chip.setProperty("status", status)
            self.chip.setStyleSheet(f"background: {theme.STATUS_COLOURS.get(status, theme.MUTED)};")
        index, count = self.session.take_position()
        scene = f"scene {shot.scene}  ·  " if shot and shot.scene else ""
        where = f"shot {self.session.row + 1} of {self.session.shot_count()}"
        self.details.setText(f"{scene}take {index} of {count}  ·  {where}  ·  at the desk: {self.session.reviewer}")
        self.decision_label.setText(self.decision_text(standing))
        self._show_draft()

    def decision_text(self, standing) -> str:
        if standing is None:
            if self.session.current_take() is None:
                return "No take here."
            if self.session.standing_unreadable(self.session.current_take().id):
                return "Decision not known: the store cannot be read just now"
            return "Reading the decision…"
        count = f"{standing.count} decision{'s' if standing.count != 1 else ''} on this take"
        d = standing.decision
        if standing.blind:
            return f"Second review: the first decision is hidden until you give yours  ·  {count}"
        if d is None:
            return f"Undecided  ·  {count}" if standing.count else "Undecided  ·  no decisions yet"
        verb = "Approved" if d.action == "approve" else "Rejected"
        parts = [f"{verb} by {d.reviewer}", f"{d.created_at:%a %d %b %Y %H:%M} UTC"]
        if d.tags:
            parts.append(", ".join(self.actions.config.tag(t).label if t in self.actions.config.tags else t for t in d.tags))
        if d.conflicts_with:
            parts.append(f"conflicts with {d.conflicts_with}")
        if d.note:
            parts.append(f"note: “{d.note}”")
        if d.overrules:
            parts.append(f"overruled {d.overrules}")
        parts.append(count)
        return "  ·  ".join(parts)

    def standing_tags(self) -> tuple[str, ...]:
        take = self.session.current_take()
        standing = self.session.standing(take.id) if take else None
        return standing.decision.tags if standing and standing.decision else ()

    def _show_draft(self) -> None:
        draft = self.actions.draft
        labels = [self.actions.config.tag(t).label for t in draft.tags]
        parts = []
        if labels:
            parts.append("Reject for: " + ", ".join(labels))
        elif draft.open:
            parts.append("Rejection: pick a tag")
        if draft.conflict_delta is not None:
            side = self.session.neighbour(draft.conflict_delta)
            parts.append(f"conflicts with {side[0].code}" if side else "")
        elif self.actions.needs_reference():
            parts.append("pick the conflicting frame: [ or ]")
        if draft.note:
            parts.append(f"note: “{draft.note}”")
        self.draft_label.setText("   ".join(p for p in parts if p))
        self.draft_chip.setVisible(draft.open)
        # Lit: the draft's tags while a draft is open, else the standing decision's tags.
        standing = () if draft.open else self.standing_tags()
        for tag in self.actions.config.tags:
            hint = self.hints.get(TAG_PREFIX + tag)
            if hint is None:
                continue
            want = {"active": tag in draft.tags, "standing": tag in standing}
            if any(bool(hint.property(k)) != v for k, v in want.items()):
                for k, v in want.items():
                    hint.setProperty(k, v)
                hint.style().unpolish(hint)
                hint.style().polish(hint)
        self._show_conflict()

    def _show_conflict(self) -> None:
        picking = self.actions.needs_reference()
        delta = self.actions.draft.conflict_delta
        self.previous.set_highlight(picking and delta in (None, -1))
        self.following.set_highlight(picking and delta in (None, 1))

    def _side_clicked(self, delta: int) -> None:
        if self.actions.needs_reference():
            self.actions.pick_conflict(delta)
        else:
            self.session.move_shot(delta)

    # -- keys ---------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        key = event.key()
        mods = event.modifiers()
        step = 100 if mods & Qt.ControlModifier else (10 if mods & Qt.ShiftModifier else 1)
        plain = not (mods & (Qt.ControlModifier | Qt.AltModifier))
        if key in (Qt.Key_Left, Qt.Key_Right) and not mods & Qt.AltModifier:
            self.session.move_shot(step if key == Qt.Key_Right else -step)
        elif plain and key == Qt.Key_Up:
            self.session.move_take(-1)
        elif plain and key == Qt.Key_Down:
            self.session.move_take(1)
        elif plain and key == Qt.Key_Home:
            self.session.goto_row(0)
        elif plain and key == Qt.Key_End:
            self.session.goto_row(self.session.shot_count() - 1)
        elif plain and key == Qt.Key_Escape and self.actions.drop_draft():
            pass
        else:
            action = self.keymap.action_for(event)
            if action is None or not self.run_action(action):
                super().keyPressEvent(event)
                return
        event.accept()

    def run_action(self, action: str) -> bool:
        a = self.actions
        simple = {
            "approve": a.approve,
            "reject": a.open_draft,
            "record_next": a.record_next,
            "undo": a.undo,
            "note": self._edit_note,
            "conflict_previous": lambda: a.pick_conflict(-1),
            "conflict_next": lambda: a.pick_conflict(1),
            "frame_back": lambda: self.clip.step(-1),
            "frame_forward": lambda: self.clip.step(1),
            "shuttle_reverse": lambda: self.clip.shuttle(-1),
            "shuttle_stop": self.clip.stop,
            "shuttle_forward": lambda: self.clip.shuttle(1),
            "play": self._play,
            "draw": self.note_overlay.toggle,
        }
        if action in simple:
            simple[action]()
            return True
        if action.startswith(TAG_PREFIX):
            a.toggle_tag(action[len(TAG_PREFIX):])
            return True
        if action in ("inspector", "compare", "dailies", "weekly"):
            self.view_requested.emit(action)
            return True
        return False

    def _play(self) -> None:
        if self.clip.active:
            self.clip.toggle_play()
        else:
            self.actions.message.emit("Space plays clips; this take is a still frame")

    def _edit_note(self) -> None:
        self.note_edit.setText(self.actions.draft.note)
        self.note_edit.show()
        self.note_edit.setFocus()

    def _note_done(self) -> None:
        self.actions.set_note(self.note_edit.text().strip())
        self.note_edit.hide()
        self.setFocus()

    def eventFilter(self, obj, event) -> bool:
        """The note field is a field: Return keeps the note and gives the frame the focus
        back (the key never reaches the review keys, so it never records or moves); Esc
        leaves the note as it was."""
        if obj is self.note_edit and event.type() == event.Type.KeyPress:
            if event.key() in (Qt.Key_Return, Qt.Key_Enter):
                self._note_done()
                return True
            if event.key() == Qt.Key_Escape:
                self.note_edit.hide()
                self.setFocus()
                return True
        return super().eventFilter(obj, event)
