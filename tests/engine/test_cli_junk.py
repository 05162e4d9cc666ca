"""Property: whatever junk the CLI and the importers are fed (undecodable text, NUL, huge
numbers, deep nesting, wrong types), the answer is exit 0 or one line and exit 2, never a
traceback, and a refused command leaves the store byte-for-byte as it was."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from engine.cli.main import main
from engine.store.shots import add_shot
from tests.engine.store.helpers import PLAN, image
from tests.engine.store.template import copied_store, template_store  # noqa: F401  (fixtures)
from tests.engine.test_bad_input import store_digest

# Bounded: a fixed number of examples, no shrinking (a failure is reported as found), no
# example database, the same examples on every run.
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TEXT = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(["\x00", "\udc80", "\udcff", "/", ".", "="])),
               max_size=30)
HUGE = st.integers(min_value=-(10**450), max_value=10**450)
NUMBER = st.one_of(st.integers(), HUGE, st.floats(allow_nan=True, allow_infinity=True))
SCALAR = st.one_of(st.none(), st.booleans(), NUMBER, TEXT)
JUNK = st.recursive(SCALAR, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                   st.dictionaries(TEXT, kids, max_size=4)), max_leaves=12)
DEEP = st.integers(min_value=900, max_value=6000).map(lambda n: "[" * n + "]" * n)


def _encode(doc) -> bytes:
    return json.dumps(doc, allow_nan=True).encode("utf-8")


FILE_BYTES = st.one_of(
    JUNK.map(_encode),
    DEEP.map(str.encode),
    st.binary(max_size=200),
    st.tuples(JUNK.map(_encode), st.binary(min_size=1, max_size=8)).map(lambda p: p[0][:-1] + p[1] + p[0][-1:]),
)
ARG = st.one_of(TEXT, NUMBER.map(str), st.sampled_from(["inf", "-inf", "nan", "1e400", str(2**63), "-1", ""]))


@pytest.fixture
def spec(store):
    with store.write() as s:
        add_shot(s, episode="EP01", code="SH010", plan=PLAN)
    return str(store.location.path)


def run(argv: list[str], spec: str, capsys) -> int:
    before = store_digest(Path(spec))
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code in (0, 2), (code, err)
    if code == 2:
        assert err.count("\n") == 1, err
        assert store_digest(Path(spec)) == before
    return code


@SETTINGS
@given(shot=ARG, prompt=ARG, seed=ARG, cost=ARG, model=ARG, version=ARG)
def test_takes_add_with_junk_arguments(spec, tmp_path, capsys, shot, prompt, seed, cost, model, version):
    out = tmp_path / "ok.png"
    if not out.exists():
        image(out)
    run(["takes", "add", "--store", spec, f"--shot={shot}", "--output", str(out), f"--prompt={prompt}",
         f"--seed={seed}", f"--cost={cost}", f"--model={model}", f"--version={version}"], spec, capsys)


@SETTINGS
@given(code=ARG, episode=ARG, scene=ARG, plan=FILE_BYTES)
def test_shots_add_with_junk_codes_and_plans(spec, tmp_path, capsys, code, episode, scene, plan):
    path = tmp_path / "plan.json"
    path.write_bytes(plan)
    run(["shots", "add", "--store", spec, f"--code={code}", f"--episode={episode}", f"--scene={scene}",
         "--plan", str(path)], spec, capsys)


def _registry_doc(entry, section):
    if section == "pure":
        return {"registries": {"pure_static": {"discoveries": {"sound": [entry]}}}}
    if section == "blended":
        return {"registries": {"blended_dynamic": {"discoveries": {"motion": [entry]}}}}
    if section == "linguistic":
        return {"registries": {"linguistic": [entry]}}
    return {"registries": {"semantic_narrative": {"themes": [entry]}}}


ENTRY = st.fixed_dictionaries(
    {"key": st.one_of(st.just("low_hum"), JUNK), "name": st.one_of(st.just("Low hum"), JUNK)},
    optional={"count": JUNK, "depth_breakdown": JUNK, "sources": JUNK, "created_at": JUNK,
              "entry_key": JUNK, "span": JUNK, "canonical": JUNK, "domain": JUNK},
)


@SETTINGS
@given(doc=st.one_of(st.tuples(ENTRY, st.sampled_from(["pure", "blended", "linguistic", "semantic"]))
                     .map(lambda p: _encode(_registry_doc(*p))), FILE_BYTES))
def test_registry_import_of_junk(spec, tmp_path, capsys, doc):
    path = tmp_path / "motion-registries-2026-02-17.json"
    path.write_bytes(doc)
    run(["registries", "import", str(path), "--store", spec], spec, capsys)


TAKE = st.fixed_dictionaries(
    {"take_id": st.one_of(st.just("take_001"), JUNK)},
    optional={k: JUNK for k in ("timestamp", "prompt", "seed", "system_prompt_version", "model", "cost",
                                 "output_path", "status", "pipeline")},
)


@SETTINGS
@given(code=st.one_of(st.just("SH500"), TEXT, HUGE), episode=st.one_of(st.none(), TEXT, NUMBER),
       order=st.one_of(st.none(), NUMBER, TEXT),
       takes=st.one_of(st.lists(TAKE, max_size=3).map(_encode), FILE_BYTES))
def test_legacy_import_of_junk_rows(spec, tmp_path, capsys, code, episode, order, takes):
    legacy = tmp_path / "legacy.db"
    legacy.unlink(missing_ok=True)
    conn = sqlite3.connect(legacy)
    conn.execute("CREATE TABLE shots (shot_id, episode, sequence, takes)")
    try:
        conn.execute("INSERT INTO shots VALUES (?, ?, ?, ?)",
                     (code if not isinstance(code, int) or abs(code) < 2**63 else str(code),
                      episode if not isinstance(episode, int) or abs(episode) < 2**63 else str(episode),
                      order if not isinstance(order, int) or abs(order) < 2**63 else str(order), takes))
    except (sqlite3.Error, UnicodeEncodeError, OverflowError):
        conn.close()
        return
    conn.commit()
    conn.close()
    run(["import-legacy", str(legacy), "--store", spec], spec, capsys)
