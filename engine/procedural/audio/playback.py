"""Play, loop and stop mono sounds through sounddevice, or say plainly why there is no sound.

Nothing here raises for a missing sound system: where the PortAudio library is absent
(``import sounddevice`` raises OSError), the package is not installed, or no output device
exists (a machine without a sound card), :func:`audio_status` and :class:`Player` report a
reason string the UI can show, and playing does nothing. sounddevice is imported on first
use, so a process that never plays never loads PortAudio.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

DEFAULT_RATE = 48_000

_lock = threading.Lock()
_module: object | None = None
_import_reason: str | None = None
_imported = False


@dataclass(frozen=True)
class AudioStatus:
    available: bool
    reason: str | None  # why there is no sound, in words for the user; None when available
    device: str | None  # the default output's name


def _sounddevice():
    """The sounddevice module, or None with the reason it could not be loaded."""
    global _module, _import_reason, _imported
    with _lock:
        if not _imported:
            _imported = True
            try:
                import sounddevice

                _module = sounddevice
            except OSError as exc:
                _import_reason = (
                    f"No sound: the PortAudio library is missing ({exc}). "
                    "Install it (Debian/Ubuntu: apt-get install libportaudio2)."
                )
            except ImportError as exc:
                _import_reason = f"No sound: the sounddevice package is not installed ({exc})."
        return _module, _import_reason


def audio_status() -> AudioStatus:
    """Whether sound can be played here, and if not, why."""
    sd, reason = _sounddevice()
    if sd is None:
        return AudioStatus(False, reason, None)
    try:
        info = sd.query_devices(kind="output")
    except Exception as exc:  # PortAudioError, or a PortAudio that failed to initialise
        return AudioStatus(False, f"No sound: there is no audio output device ({exc}).", None)
    if not info or int(info.get("max_output_channels", 0)) < 1:
        return AudioStatus(False, "No sound: there is no audio output device.", None)
    return AudioStatus(True, None, str(info.get("name", "default")))


def _as_mono(samples: np.ndarray) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float32).ravel()
    if x.size == 0:
        raise ValueError("nothing to play: the sound has no samples")
    peak = float(np.max(np.abs(x)))
    return x / peak if peak > 1.0 else x  # never clip: scale down a mix louder than full scale


class Player:
    """One output at a time: play or loop a sound, stop it. Methods never raise for a
    missing sound system; they return False and leave the reason in :attr:`reason`."""

    def __init__(self) -> None:
        self._status = audio_status()
        self.reason: str | None = self._status.reason
        self.looping = False

    @property
    def available(self) -> bool:
        return self._status.available

    @property
    def device(self) -> str | None:
        return self._status.device

    def play(self, samples: np.ndarray, rate: int = DEFAULT_RATE, *, loop: bool = False) -> bool:
        """Start playing (replacing what plays now); True if it started."""
        data = _as_mono(samples)
        if not self.available:
            return False
        sd, _ = _sounddevice()
        try:
            sd.play(data, samplerate=rate, loop=loop)
        except Exception as exc:  # the device vanished or refused the format
            self.reason = f"No sound: the output refused to play ({exc})."
            self.looping = False
            return False
        self.reason = None
        self.looping = loop
        return True

    def loop(self, samples: np.ndarray, rate: int = DEFAULT_RATE) -> bool:
        return self.play(samples, rate, loop=True)

    def stop(self) -> None:
        self.looping = False
        if not self.available:
            return
        sd, _ = _sounddevice()
        try:
            sd.stop()
        except Exception:  # stopping a stream that is already gone is not an error
            pass

    @property
    def playing(self) -> bool:
        if not self.available:
            return False
        sd, _ = _sounddevice()
        try:
            return bool(sd.get_stream().active)
        except RuntimeError:  # nothing was ever played
            return False

    def wait(self) -> None:
        """Block until a one-shot sound has finished (not for loops)."""
        if self.available and not self.looping:
            sd, _ = _sounddevice()
            sd.wait()
