"""Sound coverage in density: an origin noise counts once an observed entry's key holds it,
whether plain or inside a mixture; keys nobody observed, origin entries and keys whose parts
are not valid do not count, and noises never heard leave a gap."""

from sqlalchemy import insert, select

from engine.procedural.registries.catalog import SourceRef
from engine.procedural.registries.density import density
from engine.procedural.registries.models import RegistryEntry, RegistrySource
from engine.procedural.registries.record import observe, observe_many

SRC = SourceRef("discovery", "cycle-1")


def sound_row(store):
    return next(r for r in density(store).rows if (r.registry, r.aspect) == ("pure", "sound"))


def raw_entry(s, key, *, observed):
    s.execute(insert(RegistryEntry).values(reg="pure", aspect="sound", key=key, name="Odd Mixture", is_origin=False))
    if observed:
        entry_id = s.execute(select(RegistryEntry.id).where(RegistryEntry.key == key)).scalar_one()
        s.execute(insert(RegistrySource).values(entry_id=entry_id, reg="pure", aspect="sound", kind="job",
                                                ref="j1", times=1))


def test_sound_coverage_counts_noises_heard_in_observed_keys_only(store):
    plain = [f"0.{a:02d}_low_hum" for a in range(10, 60)]  # many keys holding the same noise
    mixed = ["0.40_low_rumble+0.10_high_click", "0.50_high_whoosh+0.20_low_thump+0.05_mid_hum"]
    with store.write() as s:
        observe_many(s, "pure", "sound", dict.fromkeys(plain + mixed, 1), source=SRC)
        raw_entry(s, "0.30_low_hum+0.05_calm_hiss", observed=True)  # hiss only in a key that is not valid
        raw_entry(s, "0.30_low_tone", observed=False)  # tone only in a key nobody observed
    sound = sound_row(store)
    assert sound.coverage_pct == 50.0  # hum, rumble, click, whoosh, thump; not hiss, tone, drip, rustle, silence
    assert sound.observed == len(plain) + len(mixed) + 1 and sound.entries == sound.observed + 1 + 10  # and the origins

    with store.write() as s:
        observe(s, "pure", "sound", "0.20_mid_rustle+0.10_high_hiss", source=SRC)
        observe(s, "pure", "sound", "0.30_low_tone", source=SRC)
    assert sound_row(store).coverage_pct == 80.0  # hiss, rustle and tone now heard
