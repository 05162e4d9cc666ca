import json
import subprocess

import pytest

from engine.cli.main import build_parser, main

from .conftest import EXPORT_17, EXPORT_21, REPO, populate, real_export

COMMANDS = [
    ["registries", "import"], ["registries", "export"], ["registries", "list"],
    ["registries", "density"], ["registries", "health"], ["backfill"], ["backfill", "undo"],
    ["backfill", "history"], ["diagnostics"],
]


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_command_has_help(words, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(words + ["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "--store" in out and len(out.splitlines()) > 4


def test_import_backfill_undo_density_health_diagnostics(store, tmp_path, capsys):
    path = str(tmp_path / "reg.sqlite")
    populate(store)
    assert main(["backfill", "--dry-run", "--store", path]) == 0
    out = capsys.readouterr().out
    assert "would rename 4 names" in out and "Qitudaterara ->" in out and "creation_job.prompt 1" in out
    assert main(["backfill", "--store", path, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["run_id"] == 1 and len(result["renames"]) == 4
    assert main(["backfill", "history", "--store", path]) == 0
    assert "1    " in capsys.readouterr().out
    assert main(["backfill", "undo", "1", "--store", path]) == 0
    assert "cells restored" in capsys.readouterr().out
    assert main(["registries", "health", "--store", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"]
    assert main(["diagnostics", "--store", path, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["jobs"] == 1 and d["precision_pct"] == 100.0 and d["missing"] == ["Missing discovery (job_id=job-1)"]
    assert main(["registries", "list", "semantic", "themes", "--store", path, "--search", "dawn"]) == 0
    assert "theme_dawnure" in capsys.readouterr().out


def test_errors_are_one_line_and_exit_non_zero(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"registries": {"pure_static": {"discoveries": {"colors": [{"key": "7,0,0_1.0", "name": "X"}]}}}}))
    assert main(["registries", "import", str(bad), "--store", str(tmp_path / "s.sqlite")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "registries.pure_static.discoveries.colors[0].key" in err and "channel 7" in err
    assert main(["backfill", "undo", "5", "--store", str(tmp_path / "s.sqlite")]) == 2
    assert "no backfill run 5" in capsys.readouterr().err
    assert main(["registries", "list", "pure", "smell", "--store", str(tmp_path / "s.sqlite")]) == 2
    assert "unknown aspect 'smell'" in capsys.readouterr().err


def test_real_entry_point_import_density_export(tmp_path):
    exe = REPO / ".venv" / "bin" / "dailies"
    store = str(tmp_path / "s.sqlite")

    def run(*args):
        return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=tmp_path, timeout=120)

    r = run("registries", "import", str(real_export(EXPORT_21)), "--store", store)
    assert r.returncode == 0, r.stderr
    assert "skipped registries.pure_static.discoveries.sound[7]" in r.stdout
    r = run("registries", "density", "--store", store, "--compare", str(real_export(EXPORT_17)), "--json")
    assert r.returncode == 0, r.stderr
    dens = {(x["registry"], x["aspect"]): x for x in json.loads(r.stdout)["rows"]}
    assert dens[("blended", "gradient")]["sparse"] is True
    r = run("registries", "export", "--store", store, "--out", str(tmp_path / "e.json"))
    assert r.returncode == 0 and json.loads((tmp_path / "e.json").read_text())["exported_schema_version"] == 2
    r = run("registries", "import", str(tmp_path / "missing.json"), "--store", store)
    assert r.returncode == 2 and "no such file" in r.stderr
