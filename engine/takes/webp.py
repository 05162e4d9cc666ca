"""An XMP chunk in a WebP file, added and removed without touching the picture.

A WebP file is a RIFF container. Metadata needs the extended layout (a VP8X chunk first, with
the XMP flag set), so a simple lossy or lossless file gets a VP8X chunk made from its own
picture size. Removing the chunk again restores the file byte for byte: a VP8X chunk that
carries no feature but the alpha of a lossless picture is one this module added, and goes.
"""

from __future__ import annotations

import struct

from engine.core.errors import MediaError

XMP_FLAG = 0x04
ALPHA_FLAG = 0x10


def is_webp(data: bytes) -> bool:
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _chunks(data: bytes) -> list[tuple[bytes, bytes, int, int]]:
    out, at = [], 12
    while at + 8 <= len(data):
        kind = data[at : at + 4]
        (length,) = struct.unpack("<I", data[at + 4 : at + 8])
        end = at + 8 + length + (length & 1)
        out.append((kind, data[at + 8 : at + 8 + length], at, min(end, len(data))))
        at = end
    if not out:
        raise MediaError("WebP file without chunks")
    return out


def _chunk(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) & 1 else b"")


def _riff(parts: list[bytes]) -> bytes:
    payload = b"WEBP" + b"".join(parts)
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


def _picture_size(kind: bytes, body: bytes) -> tuple[int, int, bool]:
    """(width, height, has alpha) of a simple file's picture chunk."""
    if kind == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", body[6:10])
        return width & 0x3FFF, height & 0x3FFF, False
    if kind == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        (bits,) = struct.unpack("<I", body[1:5])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool((bits >> 28) & 1)
    raise MediaError("WebP picture chunk cannot be read; cannot embed provenance")


def with_xmp(data: bytes, packet: bytes) -> bytes:
    """The file with `packet` as its XMP chunk; refused when it already has XMP of its own."""
    chunks = _chunks(data)
    kind, body = chunks[0][0], chunks[0][1]
    rest = [data[start:end] for _, _, start, end in chunks[1:]]
    if kind == b"VP8X":
        if body[0] & XMP_FLAG or any(c[0] == b"XMP " for c in chunks):
            raise MediaError("WebP file already carries XMP metadata; cannot embed provenance")
        header = bytes([body[0] | XMP_FLAG]) + body[1:]
        parts = [_chunk(b"VP8X", header), *rest]
    else:
        width, height, alpha = _picture_size(kind, body)
        flags = XMP_FLAG | (ALPHA_FLAG if alpha else 0)
        header = bytes([flags, 0, 0, 0]) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
        parts = [_chunk(b"VP8X", header), data[chunks[0][2] : chunks[0][3]], *rest]
    return _riff([*parts, _chunk(b"XMP ", packet)])


def xmp_of(data: bytes, marker: bytes) -> bytes | None:
    """The XMP packet that contains `marker`, or None."""
    for kind, body, _, _ in _chunks(data):
        if kind == b"XMP " and marker in body:
            return body
    return None


def without_xmp(data: bytes, marker: bytes) -> bytes:
    """The file without the XMP chunk containing `marker` (unchanged when there is none)."""
    chunks = _chunks(data)
    kept = [c for c in chunks if not (c[0] == b"XMP " and marker in c[1])]
    if len(kept) == len(chunks):
        return data
    first = kept[0]
    if first[0] != b"VP8X":
        return _riff([data[start:end] for _, _, start, end in kept])
    flags = first[1][0] & ~XMP_FLAG & 0xFF
    if flags & ~ALPHA_FLAG == 0 and len(kept) == 2 and kept[1][0] in (b"VP8 ", b"VP8L"):
        alpha = kept[1][0] == b"VP8L" and _picture_size(kept[1][0], kept[1][1])[2]
        if bool(flags & ALPHA_FLAG) == alpha:  # the header this module added: the simple file
            return _riff([data[kept[1][2] : kept[1][3]]])
    header = _chunk(b"VP8X", bytes([flags]) + first[1][1:])
    return _riff([header, *(data[start:end] for _, _, start, end in kept[1:])])
