"""Where the desk keeps what it remembers across restarts (saved views, the last filter,
rebound keys, the cache size): one INI file, DAILIES_DESK_SETTINGS or the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from engine.core import paths

CACHE_MB_KEY = "cache/size_mb"
DEFAULT_CACHE_MB = 256  # about 80 full frames at display size, with the strip's thumbnails


def settings_path() -> Path:
    override = os.environ.get("DAILIES_DESK_SETTINGS")
    return Path(override) if override else paths.user_data_dir() / "desk.ini"


def desk_settings() -> QSettings:
    return QSettings(str(settings_path()), QSettings.IniFormat)


def cache_bytes(settings: QSettings) -> int:
    try:
        mb = int(settings.value(CACHE_MB_KEY, DEFAULT_CACHE_MB))
    except (TypeError, ValueError):
        mb = DEFAULT_CACHE_MB
    return max(64, mb) * 1024 * 1024


def reviewer_name(settings: QSettings) -> str | None:
    value = settings.value("review/reviewer")
    return value.strip() if isinstance(value, str) and value.strip() else None
