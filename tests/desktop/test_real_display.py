"""The desk on a real X display (Xvfb), the way a user without a monitor runs it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

DAILIES = str(Path(sys.executable).with_name("dailies"))


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian package xvfb)")
def test_the_desk_paints_its_first_frame_on_a_real_x_display(demo_store_path, tmp_path):
    shot = tmp_path / "xvfb.png"
    env = {k: v for k, v in __import__("os").environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", DAILIES, "desk",
         "--store", str(demo_store_path), "--screenshot", str(shot)],
        capture_output=True, text=True, timeout=180, env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.width >= 1200
    # A painted desk, not a blank window: many distinct colours from frames and thumbnails.
    assert len(image.resize((320, 180)).getcolors(maxcolors=100_000)) > 500
