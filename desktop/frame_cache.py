"""Decoded frames kept in memory up to a size limit (least recently shown leaves first), and
the loader that decodes missing ones as desk ops (desktop.ops, FRAMES and THUMBS lanes).

The worker makes a QImage already scaled to the size it is painted at; the GUI thread turns it
into a QPixmap and caches it. A frame that cannot be shown is remembered with its reason so the
view can show a placeholder naming it.

The frame under review (priority >= FRONT) always finds a worker free on the FRAMES lane:
neighbours and look-ahead frames share it one at a time; filmstrip thumbnails (priority below
0, read from the disk thumbnails) have the THUMBS lane, so a strip filling never holds up a
frame and the reverse.

A still asked for with `stand_in=True` (the frame under review) is first decoded from the take's
display copy (engine.takes.display_copies) at the very size of the full decode, handed over as
the stand-in (`stand_in(key)`, announced as `frame_loaded(key.stand_in_key())`), and then in the
same op decoded in full, which replaces it. A take without a copy, or with a damaged one, shows
the full decode only, and its copy is made in the background on the THUMBS lane.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import heapq
import itertools
import threading
import time
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPixmap

from desktop.frame_decode import FrameFailure, FrameKey, decode, decode_stand_in
from desktop.ops import FRAMES, THUMBS, Op, lane
from engine.takes.display_copies import display_copy

DEFAULT_CACHE_BYTES = 256 << 20  # the desk settings' default (desktop.settings.DEFAULT_CACHE_MB)
FRONT = 10  # requests at this priority or above take the front lane


TRIM_EVERY = 64 << 20  # bytes evicted between handing freed memory back to the system


def _malloc_tuning():
    """glibc only: cap the heap arenas (each decoding thread would otherwise get its own, and
    the frame buffers freed in them stay with the process) and return `malloc_trim`, which
    hands freed memory back. Elsewhere None: the allocator already does well enough."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        if libc is None or not hasattr(libc, "malloc_trim"):
            return None
        libc.mallopt(-8, 2)  # M_ARENA_MAX
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_tuning()


def pixmap_bytes(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * max(pixmap.depth(), 8) // 8


class FrameCache:
    """An LRU of pixmaps whose total size never exceeds `limit_bytes`."""

    def __init__(self, limit_bytes: int = DEFAULT_CACHE_BYTES):
        self.limit_bytes = limit_bytes
        self._items: OrderedDict[FrameKey, QPixmap] = OrderedDict()
        self.bytes_used = 0
        self.peak_bytes = 0
        self._evicted = 0  # bytes evicted since memory was last handed back

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: FrameKey) -> bool:
        return key in self._items

    def get(self, key: FrameKey) -> QPixmap | None:
        pixmap = self._items.get(key)
        if pixmap is not None:
            self._items.move_to_end(key)
        return pixmap

    def put(self, key: FrameKey, pixmap: QPixmap) -> None:
        if key in self._items:
            self.bytes_used -= pixmap_bytes(self._items.pop(key))
        size = pixmap_bytes(pixmap)
        if size > self.limit_bytes:
            return
        self._items[key] = pixmap
        self.bytes_used += size
        self._evict()
        self.peak_bytes = max(self.peak_bytes, self.bytes_used)

    def discard(self, key: FrameKey) -> None:
        pixmap = self._items.pop(key, None)
        if pixmap is not None:
            self.bytes_used -= pixmap_bytes(pixmap)

    def set_limit(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self._evict()

    def _evict(self) -> None:
        while self.bytes_used > self.limit_bytes and self._items:
            _, old = self._items.popitem(last=False)
            size = pixmap_bytes(old)
            self.bytes_used -= size
            self._evicted += size
            old = None  # freed now, before the trim
        if self._evicted >= TRIM_EVERY and _TRIM is not None:
            self._evicted = 0
            _TRIM(0)


class _Ticket:
    """One decode asked for. A worker claims it when it starts; until then the loader may
    take it back (scrubbing outran it, or it moves up to the front)."""

    def __init__(self, key: FrameKey, priority: int, kind: str, stand_in: bool = False):
        self.key, self.priority, self.kind, self.stand_in = key, priority, kind, stand_in
        self._state = "queued"
        self._lock = threading.Lock()

    def _move(self, to: str) -> bool:
        with self._lock:
            if self._state != "queued":
                return False
            self._state = to
            return True

    def claim(self) -> bool:
        return self._move("running")

    def withdraw(self) -> bool:
        return self._move("withdrawn")

    @property
    def queued(self) -> bool:
        return self._state == "queued"


def _decode_work(ticket: _Ticket, media_dir: Path | None):
    """What a FRAMES or THUMBS op runs: (ticket, images or None, reason, worker CPU seconds);
    the reason is None when the ticket was taken back before a worker reached it. A ticket
    with a stand-in hands (ticket, stand-in image or None, what its copy needs, CPU seconds)
    over as the op's partial result first."""

    def work(job):
        if not ticket.claim():
            return ticket, None, None, 0.0
        key = ticket.key
        if ticket.stand_in:
            cpu = time.thread_time()
            image, needs = decode_stand_in(key, media_dir)
            job.partial((ticket, image, needs, time.thread_time() - cpu))
        cpu = time.thread_time()
        try:
            images, reason = decode(key, media_dir), ""
        except FrameFailure as exc:
            images, reason = None, str(exc)
        except Exception as exc:  # a decoder bug must not kill the worker silently  # noqa: BLE001
            images, reason = None, f"cannot show {key.path}: {exc}"
        return ticket, images, reason, time.thread_time() - cpu

    return work


class FrameLoader(QObject):
    """Pixmaps from the cache, or decoded by an op; `frame_loaded(key)` says when.

    Decodes run as ops (desktop.ops): the frame under review (priority >= FRONT) and the
    frames next to it (0 <= priority < FRONT) on the FRAMES lane, highest priority first, at
    most one of the second kind at a time so a worker is always free for the frame under
    review; filmstrip thumbnails (priority below 0, from the disk thumbnails) on THUMBS.
    """

    frame_loaded = Signal(object)

    def __init__(self, cache: FrameCache | None = None, media_dir: Path | None = None, parent=None):
        """`media_dir`: the store's media folder, where small frames come from disk thumbnails."""
        super().__init__(parent)
        self.cache = cache if cache is not None else FrameCache()
        self.media_dir = media_dir
        self.failures: dict[FrameKey, str] = {}
        self.decode_cpu: dict[FrameKey, float] = {}  # worker CPU seconds per decode (benches)
        self._pending: dict[FrameKey, _Ticket] = {}
        self._waiting: list[tuple[int, int, _Ticket]] = []  # frames next to the current one, queued here
        self._order = itertools.count()
        self._near_running: _Ticket | None = None
        self._copies_asked: set[str] = set()
        self._stand_ins_due: set[_Ticket] = set()  # front tickets whose stand-in is not in yet

    def pixmap(self, key: FrameKey) -> QPixmap | None:
        return self.cache.get(key)

    def stand_in(self, key: FrameKey) -> QPixmap | None:
        """The frame from the take's display copy, while the full one is being decoded."""
        return self.cache.get(key.stand_in_key())

    def failure(self, key: FrameKey) -> str | None:
        return self.failures.get(key)

    def request(self, key: FrameKey, priority: int = 0, *, stand_in: bool = False) -> QPixmap | None:
        """The frame if cached; otherwise start decoding it and return None. `stand_in` (for
        the frame under review): a still is shown from its display copy until it lands."""
        found = self.cache.get(key)
        if found is not None or key in self.failures:
            return found
        ticket = self._pending.get(key)
        if ticket is None:
            self._queue(key, priority, stand_in)
        elif priority >= FRONT and ticket.kind != "front" and ticket.withdraw():
            self._queue(key, priority, stand_in)  # it became the frame under review: move it up front
        return None

    def _queue(self, key: FrameKey, priority: int, stand_in: bool = False) -> None:
        kind = "front" if priority >= FRONT else ("near" if priority >= 0 else "thumb")
        stand_in = stand_in and kind == "front" and key.kind == "image" and self.media_dir is not None
        ticket = self._pending[key] = _Ticket(key, priority, kind, stand_in)
        if kind == "near":
            heapq.heappush(self._waiting, (-priority, next(self._order), ticket))
            self._next_near()
        else:
            self._start(ticket, FRAMES if kind == "front" else THUMBS)

    def _start(self, ticket: _Ticket, lane_name: str) -> None:
        op = Op(None, self, _decode_work(ticket, self.media_dir), self._on_decoded).on(lane_name)
        if ticket.stand_in:
            self._stand_ins_due.add(ticket)
            op.partial(self._on_stand_in)
        op.failure(lambda line, t=ticket: self._on_decoded((t, None, line, 0.0))).start(ticket.priority)

    def _next_near(self) -> None:
        """Start the most wanted queued neighbour when none is decoding and no stand-in of the
        frame under review is on its way (the first paint has both cores to itself)."""
        while self._near_running is None and not self._stand_ins_due and self._waiting:
            ticket = heapq.heappop(self._waiting)[2]
            if ticket.queued:
                self._near_running = ticket
                self._start(ticket, FRAMES)

    def cancel_pending(self, keep: set[FrameKey] | None = None) -> None:
        """Drop decodes not started yet, except `keep`: scrubbing outran them."""
        for key, ticket in list(self._pending.items()):
            if keep and key in keep:
                continue
            if ticket.withdraw():  # its op, when a worker reaches it, returns at once
                del self._pending[key]

    def _on_stand_in(self, result) -> None:
        ticket, image, needs, cpu_s = result
        key = ticket.key.stand_in_key()
        self.decode_cpu[key] = cpu_s
        if image is not None and ticket.key not in self.cache:
            self.cache.put(key, QPixmap.fromImage(image))
            self.frame_loaded.emit(key)  # painted first; the neighbours start after it
        self._stand_in_settled(ticket)
        if needs is not None:
            self._make_copy(ticket.key.path, remake=needs == "remake")

    def _stand_in_settled(self, ticket: _Ticket) -> None:
        if ticket in self._stand_ins_due:
            self._stand_ins_due.discard(ticket)
            self._next_near()

    def _make_copy(self, path: str, *, remake: bool) -> None:
        """The take's display copy, made in the background behind the strip's thumbnails (a
        take recorded before copies were kept, or a damaged copy), once per file a session."""
        if path in self._copies_asked:
            return
        self._copies_asked.add(path)
        media_dir = self.media_dir
        op = Op(None, self, lambda _job: display_copy(media_dir, Path(path), remake=remake)).on(THUMBS)
        # No copy (a read-only media folder, an unreadable file) only costs speed: the full
        # decode is shown, and says what is wrong with the file if anything is.
        op.failure(lambda _line: None).start(-10)

    def _on_decoded(self, result) -> None:
        ticket, images, reason, cpu_s = result
        self._stand_in_settled(ticket)  # taken back, or failed before its stand-in
        if ticket is self._near_running:
            self._near_running = None
            self._next_near()
        if reason is None:  # taken back before a worker reached it
            return
        key = ticket.key
        if self._pending.get(key) is ticket:
            del self._pending[key]
        if len(self.decode_cpu) > 4096:
            self.decode_cpu.clear()
        self.decode_cpu[key] = cpu_s
        if images is None:
            self.cache.discard(key.stand_in_key())
            self.failures[key] = reason
            self.frame_loaded.emit(key)
            return
        for k, image in images.items():
            self.cache.discard(k.stand_in_key())  # the full frame replaces its stand-in
            self.cache.put(k, QPixmap.fromImage(image))
        self.frame_loaded.emit(key)
        for k in images:
            if k != key:
                self.frame_loaded.emit(k)

    def forget_failures(self) -> None:
        self.failures.clear()

    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self, timeout_ms: int = 5000) -> None:
        """For closing: drop what has not started and let running decodes finish."""
        self.cancel_pending()
        self._waiting.clear()
        self._stand_ins_due.clear()
        for name in (FRAMES, THUMBS):
            lane(name).waitForDone(timeout_ms)
