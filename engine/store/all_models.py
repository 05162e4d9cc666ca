"""Imports every module that defines tables, so Base.metadata knows them all.

Each part of the engine that owns tables adds its models module here.
"""

from engine.registries import import_models  # noqa: F401
from engine.registries import models as registry_models  # noqa: F401
from engine.store import models  # noqa: F401
from engine.store import note_models as note_tables  # noqa: F401
from engine.store import perceptual_hashes as perceptual_hash_tables  # noqa: F401
from engine.store import supervisor_models as supervisor_tables  # noqa: F401
from engine.workers import models as worker_models  # noqa: F401
