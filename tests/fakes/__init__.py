"""Loopback fakes of outside services, for tests and benches (real clients, fake servers)."""

from tests.fakes.gemini import FakeGemini, FakeRequest, Reply, png_bytes

__all__ = ["FakeGemini", "FakeRequest", "Reply", "png_bytes"]
