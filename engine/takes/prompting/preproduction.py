"""Builders of the pre-production assets: casting grid, turnaround, screen test, location
reference and the expression matrix. All texts come from the casting section of
prompt_constants.json; the order follows the production builder (format first, then the
subject, then the look)."""

from __future__ import annotations

from engine.core.errors import PlanError
from engine.core.plans import ShotPlan
from engine.takes.prompting.builder import sentence, subject_text
from engine.takes.prompting.config import PromptConfig
from engine.takes.prompting.presence import strip_people


def _need_subject(plan: ShotPlan) -> None:
    if not plan.subjects:
        raise PlanError(f"plan for {plan.pipeline}: key 'subjects' is empty; a {plan.pipeline} needs a subject")


def _texture(plan: ShotPlan, cfg: PromptConfig) -> str:
    human = any(s.is_human for s in plan.subjects)
    synthetic = any(not s.is_human for s in plan.subjects)
    texts = []
    if human:
        texts.append(cfg.text("casting_texture_human"))
    if synthetic:
        texts.append(cfg.text("casting_texture_synthetic"))
    return " ".join(texts)


def _subjects(plan: ShotPlan, cfg: PromptConfig) -> str:
    return " ".join(subject_text(s, cfg) for s in plan.subjects)


def _look(plan: ShotPlan, cfg: PromptConfig, background: str) -> list[tuple[str, str]]:
    lighting = cfg.text("casting_lighting")
    if plan.lighting.strip():
        lighting = f"{lighting}; {plan.lighting.strip().rstrip('.')}"
    return [
        ("texture", _texture(plan, cfg)),
        ("background", sentence(cfg.text(background))),
        ("lighting", sentence(lighting)),
        ("anti_airbrush", cfg.text("casting_anti_airbrush")),
    ]


def casting_grid(plan: ShotPlan, cfg: PromptConfig, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    _need_subject(plan)
    opening = f"{cfg.text('grid_diegetic_framing')}, {cfg.text('grid_layout')}, shot on {cfg.text('casting_camera')}"
    return [("format", sentence(opening)), ("subject", _subjects(plan, cfg))] + _look(
        plan, cfg, "casting_background"
    )


def casting_turnaround(plan: ShotPlan, cfg: PromptConfig, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    _need_subject(plan)
    opening = f"{cfg.text('turnaround_framing')}, shot on {cfg.text('casting_camera')}"
    angles = cfg.constants["turnaround_angles"]
    panels = f"{len(angles)} panels, left to right: " + ", ".join(angles)
    return [
        ("format", sentence(opening)),
        ("subject", _subjects(plan, cfg)),
        ("angles", sentence(panels)),
    ] + _look(plan, cfg, "casting_background_final")


def screen_test(plan: ShotPlan, cfg: PromptConfig, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    _need_subject(plan)
    opening = f"{cfg.text('screen_test_framing')}, shot on {cfg.text('casting_camera')}"
    parts = [("format", sentence(opening)), ("subject", _subjects(plan, cfg))]
    if plan.environment.strip():
        parts.append(("environment", sentence(plan.environment)))
    return parts + _look(plan, cfg, "casting_background_final")


def location_ref(plan: ShotPlan, cfg: PromptConfig, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    opening = (
        f"{cfg.text('location_ref_framing')}, shot on {cfg.text('camera_body')} with "
        f"{cfg.text('film_stock')}, {cfg.text('film_style_suffix')}"
    )
    parts = [
        ("format", sentence(opening)),
        ("environment", sentence(strip_people(plan.environment, names))),
        ("lighting", sentence(strip_people(plan.lighting, names))),
        ("footer", cfg.text("env_footer")),
        ("env_guard", cfg.text("env_only_guard")),
    ]
    return [(n, t) for n, t in parts if t]


def expression_matrix(plan: ShotPlan, cfg: PromptConfig, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    opening = f"{cfg.text('expression_framing')}, shot on {cfg.text('casting_camera')}"
    rows = [
        f"row {i} {emotion}: {', '.join(levels)}"
        for i, (emotion, levels) in enumerate(cfg.constants["expression_emotions"], start=1)
    ]
    return [
        ("format", sentence(opening)),
        ("subject", cfg.text("universal_expression_subject")),
        ("grid", sentence("; ".join(rows))),
        ("texture", cfg.text("casting_texture_human")),
        ("background", sentence(cfg.text("casting_background"))),
        ("lighting", sentence(cfg.text("casting_lighting"))),
        ("anti_airbrush", cfg.text("casting_anti_airbrush")),
    ]


BUILDERS = {
    "casting_grid": casting_grid,
    "casting_turnaround": casting_turnaround,
    "screen_test": screen_test,
    "location_ref": location_ref,
    "expression_matrix": expression_matrix,
}
