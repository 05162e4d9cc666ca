"""review.json: the taxonomy reviewers tag with, checked when it is read."""

import json

import pytest

from engine.core import paths
from engine.core.errors import ConfigError
from engine.core.review_config import load_review_config


def _write(tmp_path, data):
    path = tmp_path / "review.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_the_shipped_taxonomy_has_the_four_tags_and_a_key_each():
    config = load_review_config(paths.config_dir() / "review.json")
    assert config.tags == ("anatomy_failure", "continuity_error", "camera_composition", "style_lighting")
    assert len({t.key for t in config.taxonomy}) == 4
    assert config.tag("continuity_error").needs_reference


@pytest.mark.parametrize("data,message", [
    ("{ nope", r"review.json: not valid JSON \(line 1"),
    ([], "review.json: expected an object, got \\[\\]"),
    ({"taxonomy": [], "keys": {}, "colours": {}}, "review.json: key 'colours': expected no such key, got {}"),
    ({"keys": {}}, "review.json: key 'taxonomy': expected a value, got nothing"),
    ({"taxonomy": [{"tag": "x", "label": "X"}], "keys": {}}, r"review.json: key 'taxonomy\[0\].key': expected a value, got nothing"),
    ({"taxonomy": [{"tag": "x", "label": "X", "key": 1}], "keys": {}}, r"review.json: key 'taxonomy\[0\].key': expected text, got 1"),
    ({"taxonomy": [], "keys": {"approve": 65}}, "review.json: key 'keys.approve': expected text, got 65"),
])
def test_a_broken_review_config_names_the_file_and_key(tmp_path, data, message):
    with pytest.raises(ConfigError, match=message):
        load_review_config(_write(tmp_path, data))


def test_a_missing_review_config_is_named(tmp_path):
    with pytest.raises(ConfigError, match="review.json: the review config is missing"):
        load_review_config(tmp_path / "review.json")
