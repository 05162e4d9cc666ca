import json

from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.density import density
from engine.procedural.registries.health import diagnostics, health
from engine.procedural.registries.importer import import_export
from engine.procedural.registries.models import RegistryEntry
from engine.procedural.registries.record import (
    observe,
    record_discovery_run,
    record_job,
    record_learning_run,
)

from .conftest import EXPORT_17, EXPORT_21, real_export


def rows(report):
    return {(d.registry, d.aspect): d for d in report.rows}


def test_coverage_is_counted_from_the_data(store):
    with store.write() as s:
        for r in range(0, 251, 25):
            observe(s, "pure", "colour", f"{r},0,0_1.0", source=SourceRef("job", "j"))
        observe(s, "pure", "colour", "0,0,0_1.0", source=SourceRef("job", "k"))
        for timbre in ("rumble", "hiss", "rumble"):
            observe(s, "pure", "sound", f"0.20_low_{timbre}", source=SourceRef("job", "j"))
        observe(s, "semantic", "plots", "flat", source=SourceRef("job", "j"))
        observe(s, "semantic", "plots", "slow_build", source=SourceRef("job", "j"))
    d = rows(density(store))
    colour = d[("pure", "colour")]
    assert (colour.observed, colour.observations) == (11, 12)
    assert colour.coverage_pct == round(100 * 11 / 27951, 2)
    assert d[("pure", "sound")].coverage_pct == 20.0
    assert d[("semantic", "plots")].coverage_pct == 50.0
    assert d[("blended", "camera")].sparse and d[("blended", "camera")].growth is None


def test_blended_coverage_counts_observed_cells_of_the_key_grid(store):
    with store.write() as s:
        for key in ("pan_slow_steady", "pan_fast_shaky", "whip_pan_fast_shaky"):
            observe(s, "blended", "camera", key, source=SourceRef("job", "j"))
        observe(s, "blended", "camera", "pan", source=SourceRef("import", "old-export"))  # off the grid
        observe(s, "blended", "lighting", "dim_high_muted", source=SourceRef("job", "j"))
        observe(s, "blended", "motion", "3.5_steady_left_even", source=SourceRef("job", "j"))
    d = rows(density(store))
    camera = d[("blended", "camera")]
    assert camera.observed == 4 and camera.coverage_pct == round(100 * 3 / 192, 2) and camera.sparse
    assert d[("blended", "lighting")].coverage_pct == round(100 / 45, 2)
    assert d[("blended", "gradient")].coverage_pct == 0.0
    assert d[("blended", "motion")].coverage_pct is None  # its level is unbounded: no grid


def test_growth_since_an_older_export_flags_stagnant_aspects(store):
    import_export(store, real_export(EXPORT_21))
    d = rows(density(store, compare=real_export(EXPORT_17)))
    assert d[("pure", "colour")].growth > 0 and not d[("pure", "colour")].stagnant
    assert d[("semantic", "genre")].growth == 0 and d[("semantic", "genre")].stagnant
    assert d[("blended", "lighting")].stagnant and d[("blended", "lighting")].sparse


def test_health_finds_each_kind_of_problem(store):
    import_export(store, real_export(EXPORT_21))
    with store.write() as s:
        s.add(RegistryEntry(reg="pure", aspect="sound", key="0.5_calm_hum", name="Hush", is_origin=False))
        s.add(RegistryEntry(reg="blended", aspect="camera", key="pan_slow_steady", name="Slate", is_origin=False,
                            depth_json=json.dumps({"pan": 100})))
    found = health(store)
    checks = found.by_check()
    assert set(checks) == {"sound_tone", "depth", "duplicate_name", "gibberish_name", "name_meaning", "no_sources"}
    assert any(f.where == "pure/sound/0.5_calm_hum" and "never a mood" in f.detail for f in found.findings)
    assert any(f.check == "duplicate_name" and f.where == "Slate" for f in found.findings)
    assert any(f.check == "depth" and "ocean" in f.detail for f in found.findings)


def test_diagnostics_finds_jobs_without_learning_or_discovery(store):
    with store.write() as s:
        for i in range(10):
            record_job(s, f"job-{i}")
            if i != 3:
                record_learning_run(s, f"job-{i}")
            if i not in (3, 7):
                record_discovery_run(s, f"job-{i}", focus="frame")
        record_job(s, "failed-1", status="failed")
    d = diagnostics(store)
    assert (d.jobs, d.precision_pct, d.discovery_rate_pct) == (10, 90.0, 80.0)
    assert set(d.missing) == {"Missing learning (job_id=job-3)", "Missing discovery (job_id=job-3)",
                              "Missing discovery (job_id=job-7)"}
    assert diagnostics(store, last=2).jobs == 2
