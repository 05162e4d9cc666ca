"""Discovery: what the engine measures in frames, windows and sound.

Extractors read pixels and samples (numpy only) and return plain values and registry keys;
recording them in the store is the recording step's job, not this package's.
"""
