"""Pytest fixtures of the fakes; import them into a conftest: `from tests.fakes.fixtures import
fake_gemini`."""

from __future__ import annotations

import pytest

from tests.fakes.gemini import FakeGemini


@pytest.fixture
def fake_gemini(monkeypatch):
    """A loopback Gemini server; the SDK is pointed at it and given a test key."""
    fake = FakeGemini()
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake.url)
    monkeypatch.setenv("GOOGLE_API_KEY", "test-key-not-secret")
    yield fake
    fake.close()
