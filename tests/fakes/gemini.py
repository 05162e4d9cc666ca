"""A loopback Gemini API for tests and benches: the real google-genai client talks to it.

Start it with `FakeGemini()` (port 0, a thread per connection) and point the SDK at it with
GOOGLE_GEMINI_BASE_URL=fake.url. It records every request. Answers come from a script
(`fake.script(Reply(...), ...)`, used in order) and then from `fake.responder`, which by
default answers text requests with the builder's draft, JSON requests with the drafts of a
scene block, and image requests with a small PNG. `delay_s` holds every answer back;
`error_rate` answers that share of requests with 429 or 503.

Run `python -m tests.fakes.gemini --delay 0.2 --error-rate 0.1` to serve from another
process (it prints its URL on the first line).
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_PATH_RE = re.compile(r"^/(?P<version>[^/]+)/models/(?P<model>[^:/]+):(?P<method>\w+)")


@dataclass(frozen=True)
class FakeRequest:
    path: str
    model: str
    method: str
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def text(self) -> str:
        """The user text of the request."""
        out = []
        for content in self.body.get("contents", []):
            for part in content.get("parts", []):
                out.append(part.get("text", ""))
        return "".join(out)

    @property
    def payload(self) -> dict[str, Any]:
        try:
            return json.loads(self.text)
        except json.JSONDecodeError:
            return {}

    @property
    def system(self) -> str:
        parts = (self.body.get("systemInstruction") or {}).get("parts", [])
        return "".join(p.get("text", "") for p in parts)

    @property
    def generation_config(self) -> dict[str, Any]:
        return self.body.get("generationConfig") or {}

    @property
    def wants_image(self) -> bool:
        return "IMAGE" in (self.generation_config.get("responseModalities") or [])

    @property
    def wants_json(self) -> bool:
        return self.generation_config.get("responseMimeType") == "application/json"


@dataclass(frozen=True)
class Reply:
    """One scripted answer: text, an HTTP error status, an image, or a hang of `hang_s`."""

    text: str | None = None
    status: int = 200
    image: bytes | None = None
    image_mime: str = "image/png"
    hang_s: float = 0.0
    input_tokens: int = 120
    output_tokens: int = 80
    raw: bytes | None = None  # a body sent as it is (an HTML error page with status 200)
    content_type: str = "application/json"


def png_bytes(seed: str = "", size: tuple[int, int] = (32, 18)) -> bytes:
    from PIL import Image

    rnd = random.Random(seed)
    img = Image.new("RGB", size, (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def default_reply(req: FakeRequest) -> Reply:
    if req.wants_image:
        return Reply(image=png_bytes(req.text))
    data = req.payload
    if req.wants_json:
        drafts = [item.get("draft", "") for item in data.get("scene_block", [])]
        return Reply(text=json.dumps(drafts))
    return Reply(text=data.get("draft", "") if isinstance(data, dict) else "")


_STATUS = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 400: "INVALID_ARGUMENT"}


def _answer_body(reply: Reply) -> dict[str, Any]:
    if reply.image is not None:
        part = {"inlineData": {"mimeType": reply.image_mime, "data": base64.b64encode(reply.image).decode()}}
    else:
        part = {"text": reply.text or ""}
    return {
        "candidates": [{"content": {"role": "model", "parts": [part]}, "finishReason": "STOP"}],
        "usageMetadata": {
            "promptTokenCount": reply.input_tokens,
            "candidatesTokenCount": reply.output_tokens,
            "totalTokenCount": reply.input_tokens + reply.output_tokens,
        },
    }


@dataclass
class FakeGemini:
    delay_s: float = 0.0
    error_rate: float = 0.0
    responder: Callable[[FakeRequest], Reply] = default_reply
    seed: int = 7
    requests: list[FakeRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._script: list[Reply] = []
        self._rng = random.Random(self.seed)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                fake._handle(self, raw)

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # a batch opens many connections at once

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def calls(self, model_contains: str = "") -> list[FakeRequest]:
        with self._lock:
            return [r for r in self.requests if model_contains in r.model]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self, req: FakeRequest) -> Reply:
        with self._lock:
            self.requests.append(req)
            if self._script:
                return self._script.pop(0)
            failing = self.error_rate and self._rng.random() < self.error_rate
            status = self._rng.choice((429, 503)) if failing else 200
        return Reply(status=status) if status != 200 else self.responder(req)

    def _handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        match = _PATH_RE.match(handler.path)
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {}
        req = FakeRequest(
            path=handler.path,
            model=match.group("model") if match else "",
            method=match.group("method") if match else "",
            body=body,
            headers={k.lower(): v for k, v in handler.headers.items()},
        )
        reply = self._next(req)
        if self.delay_s:
            time.sleep(self.delay_s)
        if reply.hang_s:
            time.sleep(reply.hang_s)
        if reply.status != 200:
            data = {"error": {"code": reply.status, "status": _STATUS.get(reply.status, "UNKNOWN"),
                              "message": f"fake answer {reply.status}"}}
        else:
            data = _answer_body(reply)
        out = reply.raw if reply.raw is not None else json.dumps(data).encode()
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
            handler.send_header("Content-Length", str(len(out)))
            handler.end_headers()
            handler.wfile.write(out)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a loopback Gemini API until stopped.")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of 429/503 answers")
    args = parser.parse_args()
    fake = FakeGemini(delay_s=args.delay, error_rate=args.error_rate)
    print(fake.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.close()


if __name__ == "__main__":
    main()
