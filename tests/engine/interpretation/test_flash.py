"""Flash interpretation: the real google-genai client against the loopback fake; the offline
reading judges every answer and is used when Flash is refused or there is no key."""

import json

from engine.cli.main import main
from engine.procedural.interpretation.flash import interpret_with_flash
from engine.procedural.interpretation.service import vocabulary
from engine.takes.prompting.config import load_config as load_prompting_config
from tests.fakes.gemini import Reply


def _answer(**kw):
    base = {"palette": [], "sounds": [], "motion": None, "camera": None, "speed": None, "lighting": None,
            "mood": None, "gradient": None, "negations": []}
    return Reply(text=json.dumps({**base, **kw}))


def test_an_accepted_answer_sets_the_values_and_keeps_the_offline_reasons(store, fake_gemini):
    fake_gemini.script(_answer(palette=["teal"], mood="calm", negations=[{"domain": "palette", "value": "red"}]))
    ins = interpret_with_flash("a serene teal lagoon, no red", vocabulary(store), load_prompting_config().enrichment)
    assert ins["interpreter"].startswith("flash")
    assert ins["palette"] == ["teal"] and ins["mood"] == "calm"
    assert any(m["span"] == "red" and m["negated"] for m in ins["mappings"])
    sent = json.loads(fake_gemini.requests[0].body["contents"][0]["parts"][0]["text"])
    assert sent["prompt"] == "a serene teal lagoon, no red" and "melancholic" in sent["values"]["mood"]


def test_a_refused_answer_is_retried_then_the_offline_reading_is_used(store, fake_gemini):
    fake_gemini.script(_answer(palette=["blue", "green"]),  # paints what the prompt negates
                       _answer(mood="furious"))  # a value no domain knows
    ins = interpret_with_flash("don't use blue or green", vocabulary(store), load_prompting_config().enrichment)
    assert len(fake_gemini.requests) == 2
    assert ins["interpreter"] == "offline (Flash refused: 'furious' is not a mood value)"
    assert ins["palette"] == [] and {n["value"] for n in ins["negations"]} == {"blue", "green"}


def test_no_key_means_offline_without_a_call(store, monkeypatch):
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    ins = interpret_with_flash("feeling blue", vocabulary(store), load_prompting_config().enrichment)
    assert ins["interpreter"] == "offline (no Gemini key)" and ins["mood"] == "melancholic"


def test_cli_flash_says_who_read_it(store, fake_gemini, capsys):
    fake_gemini.script(Reply(text="not json"), Reply(text="[]"))
    assert main(["interpret", "--flash", "a dreich day", "--store", str(store.location.path)]) == 0
    out = capsys.readouterr().out
    assert "read by    offline (Flash refused: the answer is not a JSON object)" in out
    assert "lighting   dim" in out
