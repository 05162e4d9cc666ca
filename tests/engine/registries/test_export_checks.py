"""The export file checks at their limits: a document just inside every limit is read, one
just past any of them is refused naming what is wrong and where."""

import json

import pytest

from engine.procedural.registries.export_checks import (
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_NAME,
    check_export_file,
)
from engine.procedural.registries.importer import ExportFormatError


def nested(levels: int) -> dict:
    doc: dict = {"registries": {}}
    inner = doc
    for _ in range(levels - 1):
        inner["x"] = {}
        inner = inner["x"]
    return doc


def write(tmp_path, text: str):
    path = tmp_path / "desk-2026-03-01.json"
    path.write_text(text, encoding="utf-8")
    return path


def entry(**fields) -> str:
    e = {"key": "0.10_low_hum", "name": "Low Hum", "count": 3, **fields}
    return json.dumps({"registries": {"pure_static": {"discoveries": {"sound": [e]}}}})


def test_a_document_at_every_limit_is_read_back_whole(tmp_path):
    text = entry(count=10**MAX_DIGITS - 1, name="n" * MAX_NAME, depth_breakdown={"hum": 100})
    assert check_export_file(write(tmp_path, text)) == json.loads(text)
    deep = json.dumps(nested(MAX_DEPTH))
    assert check_export_file(write(tmp_path, deep)) == json.loads(deep)


@pytest.mark.parametrize("text, words", [
    (json.dumps(nested(MAX_DEPTH + 1), indent=1), rf"line \d+: nested more than {MAX_DEPTH} levels"),
    (entry(count=10**MAX_DIGITS), f"{MAX_DIGITS + 1} digits"),
    (entry(name="n" * (MAX_NAME + 1)), "name is 1,001 characters long"),
    (entry(count=float("nan")), "NaN is not a number an export may hold"),
    (entry(count=1.5).replace("1.5", "1.5e999"), "too large to be finite"),
    (entry(name="Low\u0000Hum"), "NUL character"),
    (entry(name="Low \ud83d Hum"), "not valid UTF-8"),
])
def test_one_step_past_a_limit_is_refused_naming_it(tmp_path, text, words):
    with pytest.raises(ExportFormatError, match=words):
        check_export_file(write(tmp_path, text))
