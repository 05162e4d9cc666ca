"""Generated WebP and JPEG outputs carry their provenance, and are found again by it, by the
model's bytes once it is stripped, and by their picture once re-encoded."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from engine.cli.main import main
from engine.store.shots import add_shot
from engine.store.takes import list_takes
from engine.takes import provenance

from .conftest import plan_dict

GOOD = "Arri Alexa Mini LF still: Mara, grim resolve, strains at the jammed valve under sodium light."
META = {"take": "EP01_SC01_SH010/take_001", "prompt": 'a "quoted" <prompt> & more', "seed": "42",
        "model": "gemini-3-pro-image-preview", "system_prompt_version": "v1.1"}


def _picture(mode="RGB") -> Image.Image:
    """A frame like a model's: a set, a light, a subject (the demo's renderer)."""
    from engine.takes.demo.frames import render_frame
    from engine.takes.demo.plans import demo_script

    img = render_frame(demo_script(7)[1], 1, 7, size=(1024, 576)).convert(mode)
    if mode == "RGBA":
        img.putalpha(Image.linear_gradient("L").resize(img.size))
    return img


def _encoded(kind: str) -> bytes:
    buf = io.BytesIO()
    if kind == "webp-lossy":
        _picture().save(buf, "WEBP", quality=80)
    elif kind == "webp-lossless-alpha":
        _picture("RGBA").save(buf, "WEBP", lossless=True)
    elif kind == "webp-extended":
        _picture("RGBA").save(buf, "WEBP", quality=70)  # lossy with alpha: VP8X + ALPH
    elif kind == "jpeg":
        _picture().save(buf, "JPEG", quality=90)
    else:
        _picture().save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["png", "jpeg", "webp-lossy", "webp-lossless-alpha", "webp-extended"])
def test_provenance_goes_in_and_comes_out_without_touching_the_picture(kind):
    model_bytes = _encoded(kind)
    marked = provenance.embed(model_bytes, META)
    assert provenance.read(marked) == META
    assert provenance.strip(marked) == model_bytes  # the model's bytes, exactly
    with Image.open(io.BytesIO(marked)) as img, Image.open(io.BytesIO(model_bytes)) as bare:
        assert img.tobytes() == bare.tobytes()  # decoders see the same picture


def test_a_webp_that_already_has_xmp_is_refused_in_one_line():
    from engine.core.errors import MediaError

    buf = io.BytesIO()
    _picture("RGBA").save(buf, "WEBP", quality=70, xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    with pytest.raises(MediaError, match="already carries XMP"):
        provenance.embed(buf.getvalue(), META)


@pytest.mark.parametrize("mime,suffix", [("image/webp", ".webp"), ("image/jpeg", ".jpg")])
def test_a_generated_webp_or_jpeg_is_found_by_provenance_bytes_and_picture(store, fake_gemini, capsys, tmp_path, mime, suffix):
    from tests.fakes import Reply

    with store.write() as s:
        add_shot(s, episode="EP01", scene="SC01", code="EP01_SC01_SH010", plan=plan_dict())
    kind = "webp-lossy" if mime == "image/webp" else "jpeg"
    fake_gemini.script(Reply(text=GOOD), Reply(image=_encoded(kind), image_mime=mime))
    where = str(store.location.path)
    assert main(["generate", "--store", where, "--shot", "EP01_SC01_SH010", "--seed", "42", "--json"]) == 0
    capsys.readouterr()
    with store.read() as s:
        [take] = list_takes(s, "EP01_SC01_SH010")
    path = store.resolve_media(take.output_path)
    assert path.suffix == suffix
    meta = provenance.read(path.read_bytes())
    assert meta["take"] == take.ref and meta["prompt"] == GOOD and meta["seed"] == "42"

    bare = tmp_path / f"stripped{suffix}"
    bare.write_bytes(provenance.strip(path.read_bytes()))
    copy = tmp_path / "re-encoded.png"
    Image.open(path).resize((512, 288)).save(copy)
    for file, how in ((path, "provenance"), (bare, "content hash"), (copy, "perceptual")):
        assert main(["takes", "find", str(file), "--store", where, "--json"]) == 0
        found = json.loads(capsys.readouterr().out)
        assert (found["take"], found["match"]) == (take.ref, how)
