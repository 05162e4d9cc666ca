"""Playback through real PortAudio on an ALSA null device, and the reasons given without one.

Each case runs in a fresh interpreter: sounddevice reads ALSA's configuration (from $HOME)
when it is first imported, so HOME must point at the test's folder before that.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
NULL_ASOUNDRC = "pcm.!default { type null }\nctl.!default { type hw card 0 }\n"


def _run(code: str, home: Path, prelude: str = "") -> dict:
    script = prelude + textwrap.dedent(code)
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def null_home(tmp_path):
    (tmp_path / ".asoundrc").write_text(NULL_ASOUNDRC)
    return tmp_path


def _portaudio_present() -> bool:
    try:
        import sounddevice  # noqa: F401
    except OSError:
        return False
    return True


needs_portaudio = pytest.mark.skipif(
    not _portaudio_present() and not os.environ.get("CI"),
    reason="the PortAudio library (libportaudio2) is not installed",
)


@needs_portaudio
def test_plays_loops_and_stops_on_the_null_device(null_home):
    result = _run(
        """
        import json, time
        import numpy as np
        from engine.procedural.audio.playback import Player
        p = Player()
        tone = 0.2 * np.sin(2 * np.pi * 440 * np.arange(4800) / 48000)
        started = p.play(tone)
        p.wait()
        after_once = p.playing
        looped = p.loop(tone)
        time.sleep(0.3)
        still = p.playing
        p.stop()
        print(json.dumps({"available": p.available, "started": started, "after_once": after_once,
                          "looped": looped, "still": still, "stopped": not p.playing,
                          "reason": p.reason}))
        """,
        null_home,
    )
    assert result == {"available": True, "started": True, "after_once": False, "looped": True,
                      "still": True, "stopped": True, "reason": None}


@needs_portaudio
def test_without_an_output_device_a_reason_is_given_and_nothing_raises(tmp_path):
    result = _run(
        """
        import json
        import numpy as np
        from engine.procedural.audio.playback import Player, audio_status
        status = audio_status()
        p = Player()
        started = p.play(np.zeros(480))
        p.stop()
        print(json.dumps({"available": status.available, "reason": p.reason, "started": started,
                          "playing": p.playing}))
        """,
        tmp_path,  # no .asoundrc: only the machine's own sound cards
    )
    if result["available"]:
        pytest.skip("this machine has a real audio output, so 'no device' cannot be shown here")
    assert result["started"] is False and result["playing"] is False
    assert "no audio output device" in result["reason"]


def test_without_portaudio_the_reason_names_the_library(null_home):
    # The library is present here; a finder that fails the import the way sounddevice does
    # when libportaudio is absent (OSError) stands in for a machine without it.
    prelude = textwrap.dedent(
        """
        import sys
        class _NoPortAudio:
            def find_spec(self, name, path=None, target=None):
                if name == "sounddevice":
                    raise OSError("PortAudio library not found")
        sys.meta_path.insert(0, _NoPortAudio())
        """
    )
    result = _run(
        """
        import json
        import numpy as np
        from engine.procedural.audio.playback import Player
        p = Player()
        print(json.dumps({"available": p.available, "reason": p.reason,
                          "started": p.loop(np.ones(10)), "playing": p.playing}))
        """,
        null_home,
        prelude,
    )
    assert result["available"] is False and result["started"] is False
    assert "PortAudio library is missing" in result["reason"]
    assert "libportaudio2" in result["reason"]


def test_an_empty_sound_is_refused_with_a_clear_message():
    from engine.procedural.audio.playback import Player

    with pytest.raises(ValueError, match="no samples"):
        Player().play([])
