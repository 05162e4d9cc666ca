"""Where Dailies finds its config, prompts and assets, and where it keeps user data."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Dailies"

# The repository (or installed tree) holds config/, prompts/ and assets/ beside the packages.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def config_dir() -> Path:
    """Human-edited JSON the engine validates at load (DAILIES_CONFIG_DIR overrides)."""
    return Path(os.environ.get("DAILIES_CONFIG_DIR") or PROJECT_ROOT / "config")


def prompts_dir() -> Path:
    """Versioned system-prompt files (DAILIES_PROMPTS_DIR overrides)."""
    return Path(os.environ.get("DAILIES_PROMPTS_DIR") or PROJECT_ROOT / "prompts")


def assets_dir() -> Path:
    return PROJECT_ROOT / "assets"


def user_data_dir() -> Path:
    """The user's data folder: the default store and its media live here."""
    override = os.environ.get("DAILIES_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    return path


def default_store_path() -> Path:
    return user_data_dir() / "dailies.sqlite"
