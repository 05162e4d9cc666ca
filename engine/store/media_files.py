"""Take files live inside the store's media folder, and only a recorded take gets one.

`media_path` turns a take's output path into a file on this machine, or refuses it when it
resolves (symbolic links followed) outside the media folder, whatever wrote it: a shot code,
a legacy row, an external pipeline. `stage_bytes` and `stage_copy` write a take's file under
a temporary name and move it into place only when the write session commits; a rollback
removes it, so a take that was not recorded leaves no file behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from engine.core.errors import MediaError
from engine.core.inputs import check_shot_code

_STAGED = "dailies_staged_media"
_HOOKED = "dailies_media_hooks"


def media_path(media_dir: Path, output_path: str | os.PathLike) -> Path:
    """The file `output_path` names (relative paths are under `media_dir`), refused with
    MediaError unless it lies inside `media_dir`."""
    raw = str(output_path)
    if not raw or "\x00" in raw:
        raise MediaError(f"output path {raw[:80]!r} is not a file name")
    root = Path(media_dir).resolve()
    path = Path(raw)
    resolved = (path if path.is_absolute() else root / path).resolve()
    if resolved != root and root not in resolved.parents:
        raise MediaError(f"output path {raw[:200]} is outside the store's media folder {root}")
    if resolved == root:
        raise MediaError(f"output path {raw[:200]} is the media folder itself, not a file")
    return resolved


def relative_media_path(media_dir: Path, file: Path) -> str | None:
    """`file` as a path relative to the media folder, or None when it lies outside it."""
    root = Path(media_dir).resolve()
    resolved = Path(file).resolve()
    if root not in resolved.parents:
        return None
    return resolved.relative_to(root).as_posix()


def _staged(session: Session) -> list[tuple[Path, Path]]:
    if not session.info.get(_HOOKED):
        session.info[_HOOKED] = True
        event.listen(session, "after_commit", _place)
        event.listen(session, "after_rollback", _discard)
    return session.info.setdefault(_STAGED, [])


def _place(session: Session) -> None:
    for tmp, target in session.info.pop(_STAGED, []):
        os.replace(tmp, target)


def _discard(session: Session) -> None:
    for tmp, _ in session.info.pop(_STAGED, []):
        tmp.unlink(missing_ok=True)


def _temp_beside(target: Path) -> tuple[int, Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    return fd, Path(tmp)


def stage_bytes(session: Session, target: Path, data: bytes) -> None:
    """Write `data` to `target` when `session` commits (nothing stays if it rolls back)."""
    fd, tmp = _temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _staged(session).append((tmp, target))


def stage_copy(session: Session, source: Path, target: Path) -> None:
    """Copy `source` to `target` when `session` commits (a copy, not a link: the take's file
    must not change when the other pipeline rewrites its own)."""
    fd, tmp = _temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _staged(session).append((tmp, target))


def adopt_media_file(session: Session, media_dir: Path, shot: str, source: Path, sha256: str) -> str:
    """The output path to record for a file made elsewhere: its path relative to the media
    folder when it is already inside, else a copy placed there when the take commits."""
    inside = relative_media_path(media_dir, source)
    if inside is not None:
        return inside
    check_shot_code(shot)
    rel = f"{shot}/external-{sha256[:16]}{Path(source).suffix.lower()}"
    target = media_path(media_dir, rel)
    if not target.exists():
        stage_copy(session, Path(source), target)
    return rel
