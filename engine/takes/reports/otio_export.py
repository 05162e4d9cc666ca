"""An episode as an editorial timeline: OpenTimelineIO (.otio) or a CMX 3600 EDL.

One video track in sequence order, one item per shot: a clip referring to the file of the
shot's chosen take (the latest take with the asked-for status, approved by default), or a
gap where the shot has none. A still is held for `still_duration` seconds (shot plans carry
no duration); a clip runs its own length at its own frame rate, read from the file. Each clip
carries the take's provenance in its metadata (metadata["dailies"]) and one marker per
standing region note and per tag of the take's standing decision, so an editor sees why a
take was chosen or refused at the frame it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.core.errors import DailiesError, MediaError
from engine.core.media import CLIP_SUFFIXES
from engine.store.reviews import standing_decisions
from engine.store.shots import list_episodes, list_shots
from engine.store.takes import TakeRecord, list_takes

STATUSES = ("approved", "rejected", "pending_review")
FORMATS = ("otio", "edl")
RATE = 24.0  # the timeline's frame rate, and that of stills


@dataclass(frozen=True)
class ExportSummary:
    out: str
    format: str
    episode: str
    clips: int
    gaps: int
    markers: int


def _clip_timing(path: Path) -> tuple[int, float]:
    """(frames, frames per second) of a clip file."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            rate = float(stream.average_rate or stream.guessed_rate or RATE)
            frames = stream.frames or 0
            if not frames and stream.duration and stream.time_base:
                frames = round(float(stream.duration * stream.time_base) * rate)
            if not frames:
                frames = sum(1 for _ in container.demux(stream) if _.size)
            return frames, rate
    except (av.FFmpegError, IndexError) as exc:
        raise MediaError(f"{path}: clip cannot be read for the timeline ({exc})") from None


def _provenance(take: TakeRecord) -> dict:
    return {
        "take": take.ref, "take_id": take.id, "status": take.status, "prompt": take.prompt,
        "seed": take.seed, "model": take.model, "target": take.target,
        "system_prompt_version": take.system_prompt_version,
        "system_prompt_sha256": take.system_prompt_sha256, "output_sha256": take.output_sha256,
    }


def _note_marker(otio, note, rate: float, length: int):
    start = (note.frame_start - 1) if note.frame_start else 0
    end = note.frame_end if note.frame_end else length
    span = max(1, min(end, length) - start)
    label = note.text or note.kind
    return otio.schema.Marker(
        name=f"note: {label}" + (f" [{note.tag}]" if note.tag else ""),
        marked_range=otio.opentime.TimeRange(otio.opentime.RationalTime(start, rate),
                                             otio.opentime.RationalTime(span, rate)),
        color=otio.schema.MarkerColor.YELLOW,
        metadata={"dailies": {"note_id": note.id, "kind": note.kind, "author": note.author,
                              "made_at": note.made_at.isoformat(), "text": note.text, "tag": note.tag,
                              "points": list(note.points), "frame_start": note.frame_start,
                              "frame_end": note.frame_end}},
    )


def _tag_marker(otio, tag: str, decision, rate: float, length: int):
    return otio.schema.Marker(
        name=f"tag: {tag}",
        marked_range=otio.opentime.TimeRange(otio.opentime.RationalTime(0, rate),
                                             otio.opentime.RationalTime(length, rate)),
        color=otio.schema.MarkerColor.RED,
        metadata={"dailies": {"tag": tag, "reviewer": decision.reviewer, "action": decision.action,
                              "decided_at": decision.created_at.isoformat(), "note": decision.note}},
    )


def _chosen(session, shots, status: str) -> dict[str, TakeRecord]:
    chosen = {}
    for shot in shots:
        takes = [t for t in list_takes(session, shot.code) if t.status == status and t.output_path]
        if takes:
            chosen[shot.code] = takes[-1]  # the latest take with that status
    return chosen


def build_timeline(store, episode: str, *, status: str = "approved", still_duration: float = 2.0):
    """The episode as an OpenTimelineIO Timeline (nothing written)."""
    import opentimelineio as otio

    from engine.store.notes import standing_notes

    if status not in STATUSES:
        raise DailiesError(f"--status '{status}' is not one of {', '.join(STATUSES)}")
    if not still_duration > 0:
        raise DailiesError(f"--still-duration {still_duration} must be more than 0 seconds")
    still_frames = max(1, round(still_duration * RATE))
    with store.read() as s:
        if episode not in list_episodes(s):
            raise DailiesError(f"no episode '{episode}' in store {store.display()} "
                               f"(episodes: {', '.join(list_episodes(s)) or 'none'})")
        shots = list_shots(s, episode)
        chosen = _chosen(s, shots, status)
        ids = [t.id for t in chosen.values()]
        notes = standing_notes(s, ids)
        decisions = standing_decisions(s, ids)
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    for shot in shots:
        take = chosen.get(shot.code)
        if take is None:
            track.append(otio.schema.Gap(
                name=shot.code,
                source_range=otio.opentime.TimeRange(duration=otio.opentime.RationalTime(still_frames, RATE)),
                metadata={"dailies": {"shot": shot.code, "why": f"no {status} take"}},
            ))
            continue
        path = store.media_file(take.output_path)
        if not path.is_file():
            raise MediaError(f"shot {shot.code}: the file of {take.ref} is missing ({path})")
        if take.media_kind == "clip" or path.suffix.lower() in CLIP_SUFFIXES:
            frames, rate = _clip_timing(path)
        else:
            frames, rate = still_frames, RATE
        length = otio.opentime.TimeRange(duration=otio.opentime.RationalTime(frames, rate))
        clip = otio.schema.Clip(
            name=shot.code,
            media_reference=otio.schema.ExternalReference(target_url=path.as_uri(), available_range=length),
            source_range=length,
            metadata={"dailies": _provenance(take) | {"shot": shot.code, "media_kind": take.media_kind}},
        )
        for note in notes.get(take.id, []):
            clip.markers.append(_note_marker(otio, note, rate, frames))
        standing = decisions.get(take.id)
        if standing is not None and standing.decision is not None:
            for tag in standing.decision.tags:
                clip.markers.append(_tag_marker(otio, tag, standing.decision, rate, frames))
        track.append(clip)
    timeline = otio.schema.Timeline(name=f"{episode} ({status} takes)",
                                    global_start_time=otio.opentime.RationalTime(0, RATE))
    timeline.tracks.append(track)
    return timeline


def export_timeline(store, episode: str, out: str | Path, *, status: str = "approved",
                    still_duration: float = 2.0, fmt: str = "otio") -> ExportSummary:
    """Write the episode's timeline to `out` as OTIO JSON or a CMX 3600 EDL."""
    import opentimelineio as otio

    if fmt not in FORMATS:
        raise DailiesError(f"--format '{fmt}' is not one of {', '.join(FORMATS)}")
    out = Path(out)
    if not out.parent.is_dir():
        raise DailiesError(f"cannot write {out}: folder {out.parent} does not exist")
    timeline = build_timeline(store, episode, status=status, still_duration=still_duration)
    adapter = "cmx_3600" if fmt == "edl" else "otio_json"
    tmp = out.with_name(f".{out.name}.part")
    try:
        otio.adapters.write_to_file(timeline, str(tmp), adapter_name=adapter)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    items = list(timeline.tracks[0])
    clips = [i for i in items if isinstance(i, otio.schema.Clip)]
    return ExportSummary(str(out), fmt, episode, len(clips), len(items) - len(clips),
                         sum(len(c.markers) for c in clips))
