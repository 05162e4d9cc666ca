"""Dailies engine: plans, prompts, enrichment, takes, the store, registries, reports.

The engine never imports Qt or the desktop package; an import-linter contract checks it.
"""

__version__ = "0.1.0"
