"""Provenance inside the image file: take, prompt, seed, model and system-prompt version.

PNG: iTXt chunks (keys "dailies:take", "dailies:prompt", ...) inserted after IHDR. JPEG: one
XMP APP1 segment after SOI. WebP: an XMP chunk (engine.takes.webp). All are inserted into the model's bytes without re-encoding, so
removing them gives the model's bytes back exactly: Take.output_sha256 is the SHA-256 of
those bytes, and `find_exact` finds a take by its metadata or, where it was stripped, by that
hash (engine.takes.take_finder goes on to the picture itself when the bytes are not the take's).
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

from engine.core.errors import MediaError
from engine.takes import webp

PNG_SIG = b"\x89PNG\r\n\x1a\n"
PREFIX = "dailies:"
XMP_NS = "http://ns.adobe.com/xap/1.0/\x00"
DAILIES_NS = "https://dailies.invalid/ns/1.0/"
FIELDS = ("take", "prompt", "seed", "model", "system_prompt_version")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _png_chunks(data: bytes):
    at = len(PNG_SIG)
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        yield kind, data[at + 8 : at + 8 + length], at, end
        at = end


def _itxt(key: str, value: str) -> bytes:
    body = key.encode("latin-1") + b"\x00\x00\x00" + b"\x00" + b"\x00" + value.encode("utf-8")
    return struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))


def _xmp_packet(meta: dict[str, str]) -> bytes:
    attrs = " ".join(f'dailies:{k}="{escape(v, {chr(34): "&quot;"})}"' for k, v in meta.items())
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:dailies="{DAILIES_NS}" {attrs}/>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def _xmp(meta: dict[str, str]) -> bytes:
    body = XMP_NS.encode("latin-1") + _xmp_packet(meta)
    if len(body) + 2 > 0xFFFF:
        raise MediaError("provenance is too long for one JPEG XMP segment")
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def _read_xmp(packet: bytes, out: dict[str, str]) -> None:
    xml = packet.decode("utf-8", "replace")
    for key, value in re.findall(r'dailies:(\w+)="([^"]*)"', xml):
        out[key] = _unescape(value)


def embed(data: bytes, meta: dict[str, str]) -> bytes:
    """The image bytes with `meta` (FIELDS) embedded; PNG and JPEG are supported."""
    if data.startswith(PNG_SIG):
        first = next(_png_chunks(data), None)
        if first is None or first[0] != b"IHDR":
            raise MediaError("PNG without an IHDR chunk")
        end = first[3]
        extra = b"".join(_itxt(PREFIX + k, v) for k, v in meta.items())
        return data[:end] + extra + data[end:]
    if data.startswith(b"\xff\xd8"):
        return data[:2] + _xmp(meta) + data[2:]
    if webp.is_webp(data):
        return webp.with_xmp(data, _xmp_packet(meta))
    raise MediaError("the image is neither PNG, JPEG nor WebP; cannot embed provenance")


def _jpeg_segments(data: bytes):
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker in (0xDA, 0xD9):  # start of scan / end: no more metadata segments
            return
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        yield marker, data[at + 4 : at + 2 + length], at, at + 2 + length
        at += 2 + length


def read(data: bytes) -> dict[str, str]:
    """The Dailies provenance embedded in image bytes ({} when there is none)."""
    out: dict[str, str] = {}
    if data.startswith(PNG_SIG):
        for kind, body, _, _ in _png_chunks(data):
            if kind == b"iTXt" and body.startswith(PREFIX.encode()):
                key, _, rest = body.partition(b"\x00")
                # compression flag, method, language\0, translated keyword\0, text
                rest = rest[2:]
                _, _, rest = rest.partition(b"\x00")
                _, _, text = rest.partition(b"\x00")
                out[key.decode("latin-1")[len(PREFIX) :]] = text.decode("utf-8", "replace")
    elif data.startswith(b"\xff\xd8"):
        for marker, body, _, _ in _jpeg_segments(data):
            if marker == 0xE1 and body.startswith(XMP_NS.encode("latin-1")) and DAILIES_NS.encode() in body:
                _read_xmp(body[len(XMP_NS) :], out)
    elif webp.is_webp(data):
        packet = webp.xmp_of(data, DAILIES_NS.encode())
        if packet is not None:
            _read_xmp(packet, out)
    return out


def _unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip(data: bytes) -> bytes:
    """The image bytes without Dailies provenance (the model's bytes)."""
    if data.startswith(PNG_SIG):
        keep = [data[:8]]
        for kind, body, start, end in _png_chunks(data):
            if not (kind == b"iTXt" and body.startswith(PREFIX.encode())):
                keep.append(data[start:end])
        return b"".join(keep)
    if data.startswith(b"\xff\xd8"):
        for marker, body, start, end in _jpeg_segments(data):
            if marker == 0xE1 and DAILIES_NS.encode() in body:
                return data[:start] + data[end:]
    if webp.is_webp(data):
        return webp.without_xmp(data, DAILIES_NS.encode())
    return data


def read_file(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise MediaError(f"{path}: no such file") from None
    except OSError as exc:
        raise MediaError(f"{path}: cannot read ({exc.strerror})") from None


def find_exact(session, data: bytes):
    """(take, how) of the take that made these exact bytes: by the embedded take id
    ("provenance"), else by the content hash of the bytes with and without the embedded
    provenance ("content hash"); None when neither knows them."""
    from sqlalchemy import select

    from engine.core.errors import StoreError
    from engine.store.models import Take
    from engine.store.takes import get_take, takes_by_ids

    meta = read(data)
    if meta.get("take"):
        try:
            return get_take(session, meta["take"]), "provenance"
        except StoreError:  # the take is not in this store: try the hash
            pass
    for digest in dict.fromkeys((sha256(strip(data)), sha256(data))):
        found = session.scalar(select(Take.id).where(Take.output_sha256 == digest).order_by(Take.id))
        if found is not None:
            return takes_by_ids(session, [found])[0], "content hash"
    return None
