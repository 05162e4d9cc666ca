"""Registries: what discovery observed (colour, sound, motion, story...), named and counted."""
