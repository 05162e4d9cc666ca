"""A SQLite file's own header, read before the file is opened as a store."""

from __future__ import annotations

from pathlib import Path

from engine.core.errors import StoreError


def check_sqlite_length(path: Path) -> None:
    """Refuse a SQLite file cut short (a copy that stopped, a full disk): its header says how
    many pages it holds, and a file shorter than that would lose rows once written to."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return  # not SQLite at all: the read-only look below says so
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]
    expected = pages * page_size
    if page_size and (size % page_size or (header_valid and size < expected)):
        raise StoreError(
            f"store {path} is damaged: the file is {size:,} bytes but its header describes "
            f"{expected:,} bytes ({pages} pages of {page_size}); it was cut short, so Dailies "
            "will not write to it (restore it from a backup or a .bak copy beside it)"
        )
