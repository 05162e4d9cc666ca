"""prompt_constants.json: every guard, footer and casting text the prompt builder writes.

Each section is an object of known keys; every text is non-empty, every list non-empty, and
`casting.expression_emotions` holds 9 emotions of 3 intensities each.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from engine.core.settings.common import Text, Texts
from engine.core.settings.loading import ConfigModel


class Emotion(ConfigModel):
    emotion: Text
    intensities: Annotated[list[Text], Field(min_length=3, max_length=3)]


class Production(ConfigModel):
    camera_body: Text
    film_stock: Text
    film_style_suffix: Text
    quality_guard: Text
    human_texture_guard: Text
    non_human_quality_guard: Text
    non_human_footer: Text
    wide_shot_footer: Text
    medium_shot_footer: Text
    close_shot_footer: Text
    non_human_identity_lock: Text
    camera_direction_guard: Text
    env_only_guard: Text
    env_footer: Text
    medium_clause: Text
    video_medium_clause: Text
    emotion_clause: Text
    emotion_adjective_clause: Text
    wardrobe_clause: Text
    video_padding: Texts


class Casting(ConfigModel):
    casting_camera: Text
    casting_lighting: Text
    casting_texture_human: Text
    casting_texture_synthetic: Text
    casting_background: Text
    casting_background_final: Text
    casting_anti_airbrush: Text
    grid_diegetic_framing: Text
    grid_layout: Text
    turnaround_angles: Texts
    turnaround_framing: Text
    screen_test_framing: Text
    location_ref_framing: Text
    expression_framing: Text
    expression_emotions: Annotated[list[Emotion], Field(min_length=9, max_length=9)]


class Shared(ConfigModel):
    kinetic_fallback: Text
    universal_expression_subject: Text


class ConstantsFile(ConfigModel):
    production: Production
    casting: Casting
    shared: Shared

    def flat(self) -> dict[str, Any]:
        """key -> value over every section: texts as str, lists as tuples, emotions as
        (emotion, (intensity, ...)) pairs."""
        out: dict[str, Any] = {}
        for section in (self.production, self.casting, self.shared):
            for key in type(section).model_fields:
                value = getattr(section, key)
                if isinstance(value, list) and value and isinstance(value[0], Emotion):
                    value = tuple((e.emotion, tuple(e.intensities)) for e in value)
                elif isinstance(value, list):
                    value = tuple(value)
                out[key] = value
        return out
