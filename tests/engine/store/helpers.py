"""Small builders for store tests."""

import av
import numpy as np
from PIL import Image

from engine.store.shots import add_shot

PLAN = {
    "pipeline": "keyframe",
    "target_model": "nbp",
    "shot_size": "medium",
    "env_only": False,
    "environment": "flooded subway platform",
    "lighting": "flickering fluorescent tubes",
    "subjects": [{"name": "Mara Quell", "identity": "human", "emotion": "wary"}],
    "action": "runs toward the stairs",
}


def add_shots(store, *codes, episode="EP01", scene="SC01"):
    with store.write() as s:
        for code in codes:
            add_shot(s, episode=episode, scene=scene, code=code, plan=PLAN)


def image(path, colour=(40, 80, 120), size=(64, 36)):
    Image.new("RGB", size, colour).save(path)
    return path


def make_clip(path, frames=12):
    """A 64x36 clip whose frame i (from 0) is grey i*10."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        for i in range(frames):
            img = np.full((36, 64, 3), i * 10, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
