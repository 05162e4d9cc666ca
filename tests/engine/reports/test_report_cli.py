"""`dailies report weekly` through the real entry point."""

import csv
import json

from engine.cli.main import main


def _store_with_reviews(store, desk) -> str:
    desk.reviewed("nbp", "v1.0", approved=3, rejected=2, tags=("anatomy_failure",))
    desk.reviewed("nbp", "v1.1", approved=4, rejected=1, tags=("style_lighting",))
    path = store.display()
    store.close()
    return path


def test_text_report_states_what_a_week_means(store, desk, capsys):
    path = _store_with_reviews(store, desk)
    assert main(["report", "weekly", "--store", path, "--week", "2026-W47"]) == 0
    out = capsys.readouterr().out
    assert "Weekly prompt review 2026-W47" in out
    assert "Reviewed in 2026-W47" in out
    assert "40.0%" in out and "20.0%" in out
    assert "inconclusive" in out


def test_json_report(store, desk, capsys):
    path = _store_with_reviews(store, desk)
    assert main(["report", "weekly", "--store", path, "--week", "2026-W47", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["week"] == "2026-W47"
    v10 = next(g for g in data["groups"] if g["system_prompt_version"] == "v1.0")
    assert v10["reviewed"] == 5 and v10["rejection_rate"] == 0.4
    assert v10["rejected_by_tag"]["anatomy_failure"] == 2
    assert data["comparisons"][0]["verdict"] == "inconclusive"


def test_html_and_csv_exports(store, desk, tmp_path, capsys):
    path = _store_with_reviews(store, desk)
    html_file, csv_file = tmp_path / "w47.html", tmp_path / "w47.csv"
    assert main(["report", "weekly", "--store", path, "--week", "2026-W47", "--html", str(html_file)]) == 0
    assert main(["report", "weekly", "--store", path, "--week", "2026-W47", "--csv", str(csv_file)]) == 0
    page = html_file.read_text(encoding="utf-8")
    assert "<svg" in page and "Reviewed in 2026-W47" in page and "inconclusive" in page
    assert "prompt of EP01_SH004" in page  # a rejected take's exact prompt, for the manual read
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    rows = list(csv.DictReader(csv_file.open(encoding="utf-8")))
    assert [(r["system_prompt_version"], r["reviewed"], r["rejected"], r["rejection_rate"]) for r in rows] == [
        ("v1.0", "5", "2", "0.4000"), ("v1.1", "5", "1", "0.2000")
    ]
    assert rows[0]["rejected_anatomy_failure"] == "2"


def test_bad_week_is_one_clear_line(store, capsys):
    path = store.display()
    assert main(["report", "weekly", "--store", path, "--week", "2026-47"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["dailies: error: week '2026-47' is not an ISO week (write it as YYYY-Www, e.g. 2026-W47)"]


def test_default_week_is_the_current_one(store, capsys):
    from engine.takes.reports.weeks import IsoWeek

    path = store.display()
    assert main(["report", "weekly", "--store", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["week"] == str(IsoWeek.current())


def test_every_report_command_has_help(capsys):
    for argv in (["report", "--help"], ["report", "weekly", "--help"]):
        try:
            main(argv)
        except SystemExit as exc:
            assert exc.code == 0
        assert "weekly" in capsys.readouterr().out
