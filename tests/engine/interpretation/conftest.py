"""Fixtures the interpretation tests share."""

from tests.fakes.fixtures import fake_gemini  # noqa: F401  (a fixture)
