"""Creation: procedural clips whose every choice (palette, motion, camera, gradient,
lighting, sounds) is drawn from the registries, biased toward underused and recent values."""
