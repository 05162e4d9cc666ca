"""Decoded frames kept in memory up to a size limit (least recently shown leaves first), and
the loader that decodes missing ones in QThreadPool workers.

The worker makes a QImage already scaled to the size it is painted at; the GUI thread turns it
into a QPixmap and caches it. A frame that cannot be shown is remembered with its reason so the
view can show a placeholder naming it.

Three lanes: the frame under review (priority >= FRONT) has a worker that never waits behind
anything; neighbours and look-ahead frames share a second; filmstrip thumbnails (priority
below 0, read from the disk thumbnails) have two more, so a strip filling never holds up a
neighbour and the reverse.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import time
from collections import OrderedDict, deque
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QPixmap

from desktop.frame_decode import FrameFailure, FrameKey, decode
from desktop.relay import Relay

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



class _DecodeJob(QRunnable):
    def __init__(self, key: FrameKey, relay: Relay, media_dir: Path | None):
        super().__init__()
        self.key = key
        self.relay = relay
        self.media_dir = media_dir
        self.lane: QThreadPool | None = None
        self.setAutoDelete(True)

    def run(self) -> None:
        cpu = time.thread_time()
        try:
            images = decode(self.key, self.media_dir)
        except FrameFailure as exc:
            self.relay.post(self.key, None, str(exc), time.thread_time() - cpu)
        except Exception as exc:  # a decoder bug must not kill the worker silently
            self.relay.post(self.key, None, f"cannot show {self.key.path}: {exc}", time.thread_time() - cpu)
        else:
            self.relay.post(self.key, images, "", time.thread_time() - cpu)


class FrameLoader(QObject):
    """Pixmaps from the cache, or decoded on a worker; `frame_loaded(key)` says when."""

    frame_loaded = Signal(object)

    def __init__(self, cache: FrameCache | None = None, media_dir: Path | None = None, parent=None):
        """`media_dir`: the store's media folder, where small frames come from disk thumbnails."""
        super().__init__(parent)
        self.cache = cache if cache is not None else FrameCache()
        self.media_dir = media_dir
        self.front, self.back, self.thumbs = QThreadPool(self), QThreadPool(self), QThreadPool(self)
        for lane in self.lanes():
            lane.setMaxThreadCount(1)
        self.thumbs.setMaxThreadCount(2)  # made once per file, then about 1 ms each
        self.failures: dict[FrameKey, str] = {}
        self.decode_cpu: dict[FrameKey, float] = {}  # worker CPU seconds per decode (benches)
        self._pending: dict[FrameKey, _DecodeJob] = {}
        # Finished jobs stay referenced a while: the worker may still be returning from run().
        self._retired: deque[_DecodeJob] = deque(maxlen=256)
        self._relay = Relay(self._on_decoded, self)

    def lanes(self) -> tuple[QThreadPool, ...]:
        return (self.front, self.back, self.thumbs)

    def pixmap(self, key: FrameKey) -> QPixmap | None:
        return self.cache.get(key)

    def failure(self, key: FrameKey) -> str | None:
        return self.failures.get(key)

    def request(self, key: FrameKey, priority: int = 0) -> QPixmap | None:
        """The frame if cached; otherwise start decoding it and return None."""
        found = self.cache.get(key)
        if found is not None or key in self.failures:
            return found
        job = self._pending.get(key)
        if job is None:
            job = _DecodeJob(key, self._relay, self.media_dir)
            job.setAutoDelete(False)
            self._pending[key] = job
            job.lane = self.front if priority >= FRONT else (self.back if priority >= 0 else self.thumbs)
            job.lane.start(job, priority)
        elif priority >= FRONT and job.lane is not self.front and job.lane.tryTake(job):
            job.lane = self.front  # it became the frame under review: move it up front
            self.front.start(job, priority)
        return None

    def cancel_pending(self, keep: set[FrameKey] | None = None) -> None:
        """Drop queued (not yet started) decodes, except `keep`: scrubbing outran them."""
        for key, job in list(self._pending.items()):
            if keep and key in keep:
                continue
            if job.lane.tryTake(job):
                del self._pending[key]


    def _on_decoded(self, key: FrameKey, images, reason: str, cpu_s: float) -> None:
        if len(self.decode_cpu) > 4096:
            self.decode_cpu.clear()
        self.decode_cpu[key] = cpu_s
        job = self._pending.pop(key, None)
        if job is not None:
            self._retired.append(job)
        if images is None:
            self.failures[key] = reason
            self.frame_loaded.emit(key)
            return
        for k, image in images.items():
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
        """For closing: let running decodes finish."""
        for lane in self.lanes():
            lane.clear()
            lane.waitForDone(timeout_ms)
