"""The google-genai client as the engine uses it.

The API key comes from GOOGLE_API_KEY or GEMINI_API_KEY and is handed to the client only;
it is never logged or stored. The endpoint is the SDK's own business: it follows
GOOGLE_GEMINI_BASE_URL when set, and the engine never passes a base URL. The SDK does not
retry; the enrichment layer decides what a failure means.
"""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass

from google import genai
from google.genai import errors, types

# The SDK speaks through httpx or its fork httpx2, whichever is installed.

KEY_VARIABLES = ("GOOGLE_API_KEY", "GEMINI_API_KEY")


def _http_modules() -> list:
    found = []
    for name in ("httpx2", "httpx"):
        try:
            found.append(importlib.import_module(name))
        except ImportError:
            pass
    return found


_HTTP_MODULES = _http_modules()
_TIMEOUTS = tuple(m.TimeoutException for m in _HTTP_MODULES)
_NETWORK = tuple(m.NetworkError for m in _HTTP_MODULES) + (ConnectionError, OSError)
_HTTP_ERRORS = tuple(m.HTTPError for m in _HTTP_MODULES)


def api_key() -> str | None:
    for name in KEY_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def make_client(key: str, timeout_s: float) -> genai.Client:
    """A client with a per-request timeout; one client serves both sync and async calls."""
    return genai.Client(api_key=key, http_options=types.HttpOptions(timeout=int(timeout_s * 1000)))


@dataclass(frozen=True)
class CallFailure:
    check: str  # "http_429", "timeout", "unreachable: ..."
    unreachable: bool  # the network or the endpoint could not be reached at all


def classify(exc: BaseException) -> CallFailure | None:
    """What a failed call means, or None when the exception is not a call failure."""
    if isinstance(exc, json.JSONDecodeError):
        return CallFailure("not_json_body: the endpoint answered 200 with a body that is not JSON (an HTML page?)", False)
    if type(exc).__name__ == "ValidationError" and type(exc).__module__.startswith("pydantic"):
        return CallFailure("malformed_body: the endpoint's JSON is not a generateContent answer", False)
    if isinstance(exc, errors.APIError):
        status = f" {exc.status}" if getattr(exc, "status", None) else ""
        return CallFailure(f"http_{exc.code}:{status}".rstrip(":"), False)
    if isinstance(exc, _TIMEOUTS):
        return CallFailure("timeout: no answer within the time limit", False)
    if isinstance(exc, _NETWORK):
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return CallFailure(f"unreachable: {reason[:120]}", True)
    if _HTTP_ERRORS and isinstance(exc, _HTTP_ERRORS):
        return CallFailure(f"http_error: {type(exc).__name__}", False)
    return None


@dataclass(frozen=True)
class Usage:
    input_tokens: int
    output_tokens: int


def usage_of(response: types.GenerateContentResponse) -> Usage:
    meta = response.usage_metadata
    if meta is None:
        return Usage(0, 0)
    return Usage(int(meta.prompt_token_count or 0), int(meta.candidates_token_count or 0))


def text_of(response: types.GenerateContentResponse) -> str:
    """The text parts of the first candidate (empty when there is none)."""
    if not response.candidates:
        return ""
    content = response.candidates[0].content
    if content is None or not content.parts:
        return ""
    return "".join(p.text for p in content.parts if p.text and not p.thought)


def image_of(response: types.GenerateContentResponse) -> tuple[bytes, str] | None:
    """The first inline image of the answer as (bytes, MIME type)."""
    for cand in response.candidates or []:
        for part in (cand.content.parts if cand.content else None) or []:
            blob = part.inline_data
            if blob is not None and blob.data and (blob.mime_type or "").startswith("image/"):
                return blob.data, blob.mime_type or "image/png"
    return None


def drive(policy):
    """Run a call policy (a generator that yields (client, model, contents, config) and is
    sent each answer or the exception the call raised) to its result, synchronously."""
    answer = None
    try:
        while True:
            client, model, contents, config = policy.send(answer)
            try:
                answer = client.models.generate_content(model=model, contents=contents, config=config)
            except Exception as exc:
                answer = exc
    except StopIteration as done:
        return done.value


async def drive_async(policy):
    """The same as `drive`, through the SDK's async client."""
    answer = None
    try:
        while True:
            client, model, contents, config = policy.send(answer)
            try:
                answer = await client.aio.models.generate_content(model=model, contents=contents, config=config)
            except Exception as exc:
                answer = exc
    except StopIteration as done:
        return done.value
