"""Where Dailies finds its config and prompts, and where it keeps user data.

The config files and the system prompts ship inside the engine package
(engine/resources/config, engine/resources/prompts) and are found through importlib.resources,
so an installed wheel has them as well as a checkout. DAILIES_CONFIG_DIR and
DAILIES_PROMPTS_DIR point the engine at other folders.
"""

from __future__ import annotations

import atexit
import os
from contextlib import ExitStack
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

import platformdirs

APP_NAME = "Dailies"

_extracted = ExitStack()  # a package read from a zip is unpacked for as long as the process runs
atexit.register(_extracted.close)


@cache
def _packaged(name: str) -> Path:
    """The folder `name` of engine/resources as a real path."""
    return _extracted.enter_context(as_file(files("engine").joinpath("resources", name)))


def packaged_config_dir() -> Path:
    """The config files that ship with Dailies."""
    return _packaged("config")


def packaged_prompts_dir() -> Path:
    """The system-prompt files (and their manifest) that ship with Dailies."""
    return _packaged("prompts")


def config_dir() -> Path:
    """Human-edited JSON the engine validates at load (DAILIES_CONFIG_DIR overrides)."""
    override = os.environ.get("DAILIES_CONFIG_DIR")
    return Path(override) if override else packaged_config_dir()


def prompts_dir() -> Path:
    """Versioned system-prompt files (DAILIES_PROMPTS_DIR overrides)."""
    override = os.environ.get("DAILIES_PROMPTS_DIR")
    return Path(override) if override else packaged_prompts_dir()


def user_data_dir() -> Path:
    """The user's data folder: the default store and its media live here."""
    override = os.environ.get("DAILIES_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    return path


def default_store_path() -> Path:
    return user_data_dir() / "dailies.sqlite"
