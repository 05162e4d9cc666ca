"""The deterministic prompt builder: a shot plan in, named parts and one text out.

Production order (keyframe, video, previz): the medium/camera/format opening clause; each
subject with its identity lock and emotion directly after its name; the action with its
kinetic descriptor; environment; lighting; quality guard, shot-size footer and the
camera-direction guard. ENV-only shots drop every human-presence clause, carry no subject and
no identity lock, and end with the ENV guard. Pre-production pipelines have their own
builders (engine.prompting.preproduction). Every text comes from config; the same plan
always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import PlanError
from engine.plans import ShotPlan, Subject
from engine.prompting.config import Profile, PromptConfig, load_config
from engine.prompting.fitting import fit
from engine.prompting.presence import strip_people

SHOT_SIZE_WORDS = {"wide": "wide shot", "medium": "medium shot", "close": "close-up"}
FOOTER_KEYS = {"wide": "wide_shot_footer", "medium": "medium_shot_footer", "close": "close_shot_footer"}
# Kling image-to-video: the start frame carries look and place; the text carries motion.
MOTION_ONLY_PARTS = ("subject", "action", "camera_guard")


@dataclass(frozen=True)
class BuiltPrompt:
    parts: tuple[tuple[str, str], ...]  # (name, text) in prompt order
    text: str  # the deterministic prompt, fitted to the target's limits
    locked_terms: tuple[str, ...]
    target: str = ""
    pipeline: str = ""
    env_only: bool = False

    def part(self, name: str) -> str:
        return dict(self.parts).get(name, "")


def sentence(text: str) -> str:
    """`text` trimmed and ending with one full stop (or its own ! or ?)."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def kinetic_descriptor(action: str, cfg: PromptConfig) -> str:
    """The lexicon descriptor of the first kinetic pattern the action matches, else the fallback."""
    if action:
        for entry in cfg.kinetic:
            if entry.regex.search(action):
                return entry.descriptor
    return cfg.kinetic_fallback


def subject_text(subject: Subject, cfg: PromptConfig, *, with_lock: bool = True) -> str:
    text = subject.name
    if subject.description:
        text += f", {subject.description}"
    if subject.wardrobe:
        text += f", {cfg.text('wardrobe_clause')} {subject.wardrobe}"
    if subject.emotion:
        text += f", {cfg.text('emotion_clause')} {subject.emotion}"
    text = sentence(text)
    if not subject.is_human and with_lock:
        text += " " + cfg.text("non_human_identity_lock")
    return text


def locked_for(plan: ShotPlan, profile: Profile, cfg: PromptConfig, env: bool) -> tuple[str, ...]:
    """Names of the subjects, the profile's locked constants, and the identity lock of a
    non-human subject where the target has no word limit to squeeze it out."""
    terms: list[str] = []
    if env:
        terms.append(cfg.text("env_only_guard"))
    elif plan.pipeline != "expression_matrix":
        terms.extend(s.name for s in plan.subjects)
        if profile.limits.max_words is None and any(not s.is_human for s in plan.subjects):
            terms.append(cfg.text("non_human_identity_lock"))
    for key in profile.locked:
        if cfg.text(key) not in terms:
            terms.append(cfg.text(key))
    return tuple(terms)


def _production_parts(plan: ShotPlan, cfg: PromptConfig) -> list[tuple[str, str]]:
    env = plan.env_only
    opening = (
        f"{cfg.text('medium_clause')}, {SHOT_SIZE_WORDS[plan.shot_size]}, shot on "
        f"{cfg.text('camera_body')} with {cfg.text('film_stock')}, {cfg.text('film_style_suffix')}"
    )
    parts = [("format", sentence(opening))]
    if env:
        action = strip_people(plan.action)
        parts += [
            ("action", sentence(action)),
            ("environment", sentence(strip_people(plan.environment))),
            ("lighting", sentence(strip_people(plan.lighting))),
            ("footer", cfg.text("env_footer")),
            ("env_guard", cfg.text("env_only_guard")),
        ]
        return [(n, t) for n, t in parts if t]
    if not plan.subjects:
        raise PlanError(f"plan for {plan.target_model}: key 'subjects' is empty, but the shot is not ENV-only")
    parts.append(("subject", " ".join(subject_text(s, cfg) for s in plan.subjects)))
    kinetic = kinetic_descriptor(plan.action, cfg)
    action = f"{plan.action.rstrip(' .')}, {kinetic}" if plan.action.strip() else kinetic
    parts += [
        ("action", sentence(action)),
        ("environment", sentence(plan.environment)),
        ("lighting", sentence(plan.lighting)),
        ("quality", sentence(cfg.text("quality_guard"))),
        ("footer", cfg.text(FOOTER_KEYS[plan.shot_size])),
        ("camera_guard", cfg.text("camera_direction_guard")),
    ]
    return [(n, t) for n, t in parts if t]


def build_prompt(plan: ShotPlan, target: str | None = None) -> BuiltPrompt:
    """Build the deterministic prompt of `plan` for its target model (or `target`)."""
    from engine.prompting import preproduction

    cfg = load_config()
    target = target or plan.target_model
    profile = cfg.profile(target)
    if plan.pipeline not in profile.pipelines:
        raise PlanError(
            f"plan: key 'target_model' is '{target}', which serves {', '.join(profile.pipelines)}, "
            f"not the {plan.pipeline} pipeline"
        )
    special = preproduction.BUILDERS.get(plan.pipeline)
    if special is not None:
        parts, env = special(plan, cfg), plan.pipeline == "location_ref"
    else:
        parts, env = _production_parts(plan, cfg), plan.env_only
    locked = locked_for(plan, profile, cfg, env)
    texts = [t for n, t in parts if target != "kling_i2v" or n in MOTION_ONLY_PARTS]
    padding = cfg.constants["video_padding"] if profile.media_kind == "clip" else ()
    text = fit(texts, profile.limits, locked, padding)
    return BuiltPrompt(
        parts=tuple(parts),
        text=text,
        locked_terms=locked,
        target=target,
        pipeline=plan.pipeline,
        env_only=env,
    )
