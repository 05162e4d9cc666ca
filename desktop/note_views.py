"""Where each view shows region notes: over a take's picture (Inspector, the weekly
drill-down), over the Dailies frame (on the clip frame shown) and over Compare's sides.
Each view makes its overlay with one call here."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QLabel

from desktop.note_board import NoteBoard, note_board_for
from desktop.note_overlay import NoteOverlay, Region
from engine.store.db import Store


def picture_notes(picture: QLabel, board: NoteBoard | Store, take_id: int | None,
                  fresh: bool = False) -> NoteOverlay:
    """Show the standing notes of `take_id` over a take's picture (a QLabel showing its
    pixmap centred); made on first use. Given a store rather than a board, the picture reads
    its notes itself. `fresh`: read them anew from the store."""
    overlay = getattr(picture, "note_overlay", None)
    if overlay is None:
        if not isinstance(board, NoteBoard):
            board = NoteBoard(board, parent=picture)

        def regions() -> list[Region]:
            pixmap = picture.pixmap()
            if overlay.take_id is None or pixmap is None or pixmap.isNull():
                return []
            ratio = pixmap.devicePixelRatio()
            rect = QRectF(0, 0, pixmap.width() / ratio, pixmap.height() / ratio)
            rect.moveCenter(QRectF(picture.contentsRect()).center())
            return [Region(overlay.take_id, rect)]

        overlay = NoteOverlay(picture, board, regions)
        overlay.take_id = None
        picture.note_overlay = overlay
    overlay.take_id = take_id
    if fresh and take_id is not None:
        overlay.board.forget(take_id)
    overlay.update()
    return overlay


def _ref(shot, take) -> str:
    return f"{shot.code}/take_{take.number:03d}"


def dailies_overlay(view) -> NoteOverlay:
    """The notes over the Dailies view's frame: the current take, on the clip frame shown."""
    session, clip, frame_view = view.session, view.clip, view.current

    def regions() -> list[Region]:
        take, shot, rect = session.current_take(), session.current_shot(), frame_view.picture_rect()
        if take is None or shot is None or rect is None:
            return []
        if clip.active:
            return [Region(take.id, QRectF(rect), _ref(shot, take), clip.frame + 1, clip.frames)]
        return [Region(take.id, QRectF(rect), _ref(shot, take))]

    return NoteOverlay(frame_view, note_board_for(session), regions)


def compare_overlay(view) -> NoteOverlay:
    """The notes over Compare's canvas: the side shown (flip) or both (side by side); a note
    drawn on a clip here covers the whole clip (Compare shows its first frame)."""
    canvas = view.canvas

    def regions() -> list[Region]:
        shot, a, b = view.takes()
        out = []
        for side, area in canvas.side_areas().items():
            take, pixmap = (a if side == "A" else b), canvas.frames[side][0]
            if shot is None or take is None or pixmap is None:
                continue
            frame = 1 if take.media_kind == "clip" else None
            out.append(Region(take.id, QRectF(canvas._fitted(pixmap, area)), _ref(shot, take), frame))
        return out

    return NoteOverlay(canvas, note_board_for(view.session), regions)
