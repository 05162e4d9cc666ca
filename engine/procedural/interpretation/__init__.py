"""Interpretation: a user's prompt resolved into a structured instruction (palette, motion,
camera, lighting, mood, gradient, duration, negations), and the prompt generator."""
