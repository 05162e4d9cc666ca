"""Writing a clip: H.264 video (yuv420p) and AAC audio in an mp4, through PyAV."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from engine.core.errors import MediaError

AAC_FRAME = 1024


def write_mp4(path: Path, frames: np.ndarray, fps: int, audio: np.ndarray | None, sample_rate: int) -> Path:
    """Encode (n, h, w, 3) uint8 frames and mono float audio (-1..1) to `path`."""
    if frames.ndim != 4 or frames.shape[3] != 3 or frames.dtype != np.uint8:
        raise MediaError(f"frames must be (n, h, w, 3) uint8, got {frames.shape} {frames.dtype}")
    h, w = frames.shape[1:3]
    if h % 2 or w % 2:
        raise MediaError(f"H.264 needs an even frame size, got {w}x{h}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with av.open(str(path), "w") as container:
            video = container.add_stream("libx264", rate=fps)
            video.width, video.height, video.pix_fmt = w, h, "yuv420p"
            video.options = {"preset": "ultrafast", "crf": "20"}
            sound = None
            if audio is not None:
                sound = container.add_stream("aac", rate=sample_rate)
                sound.layout = "mono"
            for frame in frames:
                for packet in video.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                    container.mux(packet)
            for packet in video.encode():
                container.mux(packet)
            if sound is not None:
                pcm = np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0)
                for start in range(0, len(pcm), AAC_FRAME):
                    chunk = pcm[start : start + AAC_FRAME]
                    af = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
                    af.sample_rate = sample_rate
                    af.pts = start
                    af.time_base = Fraction(1, sample_rate)
                    for packet in sound.encode(af):
                        container.mux(packet)
                for packet in sound.encode():
                    container.mux(packet)
    except (av.FFmpegError, OSError) as exc:
        raise MediaError(f"could not write the clip {path}: {exc}") from exc
    return path
