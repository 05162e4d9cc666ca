"""Procedural frames for the demo episode (Pillow, numpy), and clips (PyAV).

Each shot looks different from its neighbours (its scene's palette, a set laid out by the
shot's place in the scene, its subject moving across frame), and each take of a shot is a
visible variation of it, so scrubbing the filmstrip shows movement.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from engine.takes.demo.plans import DemoShot

FRAME_SIZE = (1920, 1080)
CLIP_SIZE = (1280, 720)
CLIP_FPS = 24


def _gradient(size: tuple[int, int], top, bottom, horizon: float) -> np.ndarray:
    """Sky from `top` to `bottom` down to the horizon, darker ground below it."""
    width, height = size
    t = np.clip(np.linspace(0.0, 1.0, height) / max(horizon, 1e-3), 0, 1)[:, None]
    rows = np.array(top, np.float32)[None, :] * (1 - t) + np.array(bottom, np.float32)[None, :] * t
    rows[int(height * horizon):] *= 0.35
    return np.ascontiguousarray(np.broadcast_to(rows.astype(np.uint8)[:, None, :], (height, width, 3)))


def _font(px: int):
    try:
        return ImageFont.load_default(size=px)
    except TypeError:  # Pillow without FreeType
        return ImageFont.load_default()


def render_frame(
    shot: DemoShot, take: int, seed: int, size: tuple[int, int] = FRAME_SIZE, t: float = 0.0
) -> Image.Image:
    """One frame of a take; `t` in 0..1 moves the subject along inside a clip."""
    rng = random.Random(f"{seed}:{shot.code}:{take}")
    width, height = size
    scale = width / FRAME_SIZE[0]
    top, glow = shot.palette
    shift = (take - 1) * 18
    top = tuple(min(255, max(0, c + shift * (1 if i == take % 3 else 0))) for i, c in enumerate(top))
    horizon = 0.58 + 0.06 * ((shot.index_in_scene % 3) - 1)
    img = Image.fromarray(_gradient(size, top, glow, horizon), "RGB")
    draw = ImageDraw.Draw(img)
    ground = int(height * horizon)

    # The set: blocks (containers, crates, tanks) laid out by the shot's place in its scene.
    layout = random.Random(f"set:{shot.scene}:{shot.index_in_scene}")
    for _ in range(7 + shot.index_in_scene % 4):
        w = layout.randint(120, 420) * scale
        h = layout.randint(80, 360) * scale
        x = layout.uniform(-100, FRAME_SIZE[0]) * scale
        shade = tuple(int(c * layout.uniform(0.25, 0.6)) for c in glow)
        draw.rectangle([x, ground - h, x + w, ground], fill=shade, outline=tuple(c // 3 for c in glow))
    # A light source whose place differs per shot.
    lx = (0.15 + 0.7 * ((shot.position * 37) % 100) / 100) * width
    ly = height * 0.18
    r = 40 * scale
    draw.ellipse([lx - r, ly - r, lx + r, ly + r], fill=tuple(min(255, c + 60) for c in glow))

    # The subject: a silhouette that moves across frame through the scene (and the clip).
    if not shot.plan.env_only:
        progress = (shot.index_in_scene + t) / 8
        sx = width * (0.12 + 0.76 * progress) + rng.uniform(-30, 30) * scale
        size_factor = {"wide": 0.8, "medium": 1.6, "close": 2.8}[shot.plan.shot_size]
        body_h = 260 * scale * size_factor
        body_w = body_h * 0.32
        base = min(height * 0.98, ground + body_h * 0.15)
        human = shot.plan.subjects[0].identity == "human"
        colour = (18, 16, 22) if human else (70, 78, 90)
        draw.rounded_rectangle(
            [sx - body_w / 2, base - body_h, sx + body_w / 2, base], radius=body_w / 3, fill=colour
        )
        head = body_w * 0.45
        head_box = [sx - head, base - body_h - head * 1.8, sx + head, base - body_h + head * 0.2]
        if human:
            draw.ellipse(head_box, fill=colour)
        else:
            draw.rectangle(head_box, fill=colour, outline=(200, 60, 50), width=max(1, int(4 * scale)))

    # Slate: shot and take, small, bottom left, as a dailies burn-in.
    label = f"{shot.code}  take_{take:03d}  {shot.plan.shot_size}"
    font = _font(max(12, int(28 * scale)))
    draw.rectangle([0, height - 48 * scale, width * 0.42, height], fill=(0, 0, 0))
    draw.text((16 * scale, height - 40 * scale), label, fill=(235, 235, 235), font=font)
    return img


def write_clip(path: Path, shot: DemoShot, take: int, seed: int, frames: int = 48) -> None:
    """A short H.264 clip of the take (the subject moves across the frames)."""
    import av

    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=CLIP_FPS)
        stream.width, stream.height = CLIP_SIZE
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "26"}
        for i in range(frames):
            img = render_frame(shot, take, seed, size=CLIP_SIZE, t=i / max(frames - 1, 1))
            frame = av.VideoFrame.from_image(img)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
