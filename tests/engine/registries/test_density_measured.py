"""Density says which aspects no extractor measures, instead of flagging them sparse forever."""

from engine.procedural.discovery.loop import WINDOW_ASPECTS
from engine.procedural.registries.catalog import EXTRACTED, MEASURED, REGISTRIES
from engine.procedural.registries.density import density
from engine.procedural.registries.importer import import_export

from .conftest import EXPORT_21, real_export


def test_the_measured_aspects_are_the_extractors_own():
    assert EXTRACTED == {("pure", "colour"), ("pure", "sound")} | {("blended", a) for a in WINDOW_ASPECTS}
    assert MEASURED - EXTRACTED == {("semantic", a) for a in REGISTRIES["semantic"]}


def test_unmeasured_aspects_are_reported_not_flagged(store, capsys):
    import_export(store, real_export(EXPORT_21))
    rows = {(d.registry, d.aspect): d for d in density(store).rows}
    assert set(rows) == {(r, a) for r, aspects in REGISTRIES.items() for a in aspects}
    for ident, d in rows.items():
        assert d.measured == (ident in MEASURED)
        if not d.measured:
            assert not d.sparse and not d.stagnant
    assert rows[("blended", "graphics")].entries == 0 and not rows[("blended", "graphics")].sparse
    assert rows[("blended", "camera")].sparse  # measured, and still only 3 of 192 moves
    from engine.cli.main import main

    assert main(["registries", "density", "--store", str(store.location.path)]) == 0
    out = {line.split()[1]: line for line in capsys.readouterr().out.splitlines()[2:]}
    assert out["graphics"].rstrip().endswith("not measured")
    assert out["camera"].rstrip().endswith("sparse")
