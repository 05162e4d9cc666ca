"""Creation: an mp4 with H.264 and AAC, every choice from the registries, the prompt honoured."""

import json
from collections import Counter

import av
import numpy as np

from engine.cli.main import main
from engine.procedural.creation.plan import plan_clip
from engine.procedural.creation.pools import load_pools, parse_blended, sound_timbre
from engine.procedural.interpretation.config import load_config
from engine.procedural.interpretation.interpret import interpret_text
from engine.procedural.interpretation.service import vocabulary
from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.query import interpretations
from engine.procedural.registries.record import observe


def test_create_writes_h264_and_aac_and_honours_the_prompt(store, tmp_path, capsys):
    out = tmp_path / "clip.mp4"
    prompt = "teal and olive, slow pan, no red, thunder, for 1 seconds"
    rc = main(["create", "--store", str(store.location.path), "--prompt", prompt, "--seed", "5",
               "--out", str(out), "--json"])
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    with av.open(str(out)) as c:
        kinds = {s.type: s.codec_context.name for s in c.streams}
        video = c.streams.video[0]
        assert (video.width, video.height) == (640, 360)
        frames = sum(1 for _ in c.decode(video=0))
    assert kinds == {"video": "h264", "audio": "aac"}
    assert frames == 24
    plan = data["plan"]
    keys = [p["key"] for p in plan["palette"]]
    assert "0,125,125_1.0" in keys and "125,125,0_1.0" in keys  # Teal and Olive
    assert plan["camera"].startswith("pan_slow_")
    assert [s["timbre"] for s in plan["sounds"]] == ["rumble"]
    assert "250,0,0_1.0" not in keys
    with store.read() as s:
        by_id = {i.id: i for i in interpretations(s)}
    assert by_id[f"job:{data['job']}"].prompt == prompt


def _plans(store, prompt, seeds):
    cfg = load_config()
    ins = interpret_text(prompt, vocabulary(store)) if prompt else None
    with store.read() as s:
        pools = load_pools(s)
    return [plan_clip(pools, ins, cfg, np.random.default_rng(seed)) for seed in seeds], pools


def test_without_hints_every_choice_is_randomised_from_the_registry(store):
    plans, pools = _plans(store, None, range(40))
    colour_keys = {c.key for c in pools.colour}
    assert all(2 <= len(p.palette) <= 3 and {c.key for c in p.palette} <= colour_keys for p in plans)
    assert len({frozenset(c.key for c in p.palette) for p in plans}) >= 35
    assert len({p.camera for p in plans}) >= 30
    assert len({parse_blended("camera", p.camera)["motion"] for p in plans}) >= 10
    assert len({parse_blended("gradient", p.gradient)["type"] for p in plans}) == 4
    assert len({p.motion for p in plans}) >= 30
    timbres = Counter(s.timbre for p in plans for s in p.sounds)
    assert len(timbres) >= 8
    assert {s.key for p in plans for s in p.sounds} <= {i.key for i in pools.sound}


def test_new_registry_values_join_the_pools_and_are_favoured(store):
    with store.write() as s:
        for i in range(30):  # the origins become well used
            for key in ("0,0,0_1.0", "250,250,250_1.0", "250,0,0_1.0", "0,250,0_1.0", "0,0,250_1.0",
                        "250,250,0_1.0", "0,250,250_1.0", "250,0,250_1.0", "250,150,0_1.0",
                        "125,0,125_1.0", "250,175,200_1.0", "150,25,25_1.0", "0,0,125_1.0",
                        "125,125,125_1.0", "125,125,0_1.0", "0,125,125_1.0"):
                observe(s, "pure", "colour", key, source=SourceRef("manual", f"use{i}"))
        observe(s, "pure", "colour", "100,100,150_1.0", source=SourceRef("manual", "new"), name="Slate")
    plans, pools = _plans(store, None, range(60))
    assert "100,100,150_1.0" in {c.key for c in pools.colour}
    with_slate = sum("100,100,150_1.0" in {c.key for c in p.palette} for p in plans)
    assert with_slate > 40  # weight 1/2 against 1/31 for each origin


def test_dark_night_palette_and_negated_camera(store):
    plans, _ = _plans(store, "dark shapes in a dark room, avoid handheld, no static", range(30))
    for p in plans:
        light = parse_blended("lighting", p.lighting)
        assert light["brightness"] in ("dark", "dim")
        assert parse_blended("camera", p.camera)["motion"] not in ("handheld", "static")
        assert "palette:night" in p.honoured


def test_sound_pool_is_the_registry_sounds(store):
    with store.read() as s:
        pools = load_pools(s)
    assert sorted(sound_timbre(i.key) for i in pools.sound) == sorted(
        ["silence", "rumble", "hum", "tone", "hiss", "rustle", "thump", "click", "whoosh", "drip"])
