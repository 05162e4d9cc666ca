"""An installed Dailies carries every file the engine reads from beside its modules."""

import tomllib
from pathlib import Path

import engine

ROOT = Path(__file__).resolve().parents[2]
ENGINE = Path(engine.__file__).parent


def test_every_engine_data_file_is_declared_as_package_data():
    # a file missing from the wheel works in a checkout and fails (or, for the sound
    # templates, silently gets slow) once installed
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["engine"]
    shipped = {p for g in globs for p in ENGINE.glob(g)}
    data = {p for p in ENGINE.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"}}
    assert data, "no data files found under the engine package"
    missing = sorted(str(p.relative_to(ENGINE)) for p in data - shipped)
    assert not missing, f"not in [tool.setuptools.package-data] engine of pyproject.toml: {missing}"
