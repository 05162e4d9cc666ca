"""The Dailies desk: the Qt application on top of the engine."""

from desktop.none_guard import guard_none_refcount

guard_none_refcount()
