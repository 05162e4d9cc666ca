"""The deterministic prompt builder: a shot plan in, named parts and one text out.

Production order (keyframe, video, previz): the medium/camera/format opening clause; each
subject with its identity lock and emotion directly after its name; the action with its
kinetic descriptor; environment; lighting; quality guard, shot-size footer and the
camera-direction guard. ENV-only shots drop every human-presence clause, carry no subject and
no identity lock, and end with the ENV guard. Pre-production pipelines have their own
builders (engine.takes.prompting.preproduction). Every text comes from config; the same plan
always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lemminflect import getAllLemmas

from engine.core.errors import PlanError
from engine.core.plans import ShotPlan, Subject
from engine.takes.prompting.config import Profile, PromptConfig, load_config
from engine.takes.prompting.fitting import fit
from engine.takes.prompting.kinetic import kinetic_descriptor
from engine.takes.prompting.presence import strip_people

SHOT_SIZE_WORDS = {"wide": "wide shot", "medium": "medium shot", "close": "close-up"}
FOOTER_KEYS = {"wide": "wide_shot_footer", "medium": "medium_shot_footer", "close": "close_shot_footer"}


@dataclass(frozen=True)
class BuiltPrompt:
    parts: tuple[tuple[str, str], ...]  # (name, text) in prompt order
    text: str  # the deterministic prompt, fitted to the target's limits
    locked_terms: tuple[str, ...]
    target: str = ""
    pipeline: str = ""
    env_only: bool = False
    subjects_human: bool = True  # False: every subject is non-human (no human traits may be added)
    names: tuple[str, ...] = ()  # the episode's character names

    def part(self, name: str) -> str:
        return dict(self.parts).get(name, "")


@lru_cache(maxsize=16384)
def sentence(text: str) -> str:
    """`text` trimmed and ending with one full stop (or its own ! or ?)."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def emotion_phrase(emotion: str, cfg: PromptConfig) -> str:
    return _emotion_phrase(emotion, cfg.text("emotion_clause"), cfg.text("emotion_adjective_clause"))


@lru_cache(maxsize=4096)
def _emotion_phrase(emotion: str, noun_clause: str, adjective_clause: str) -> str:
    """The emotion clause: the configured noun form for a noun emotion (grim resolve), the
    adjective form for an adjective ("a lonely expression", never "of lonely")."""
    emotion = " ".join(emotion.split()).rstrip(" .")
    last = emotion.split()[-1].lower() if emotion else ""
    forms = getAllLemmas(last)
    if last and ("ADJ" in forms or last.endswith(("ful", "less", "ous", "ive", "ed", "ish", "ic", "ant", "ent", "able", "ible", "y")))\
            and "NOUN" not in forms:
        return f"{_article(emotion)} {emotion} {adjective_clause}"
    return f"{noun_clause} {emotion}"


def subject_text(subject: Subject, cfg: PromptConfig, *, with_lock: bool = True) -> str:
    """The subject, its identity lock right after it (a non-human subject), then its
    emotion: "Unit 7, a scarred service droid. <lock> A wary expression."."""
    text = subject.name
    if subject.description:
        text += f", {subject.description}"
    if subject.wardrobe:
        text += f", {cfg.text('wardrobe_clause')} {subject.wardrobe}"
    if not subject.is_human and with_lock:
        text = sentence(text) + " " + cfg.text("non_human_identity_lock")
        return text + (" " + sentence(emotion_phrase(subject.emotion, cfg)) if subject.emotion else "")
    if subject.emotion:
        text += f", {emotion_phrase(subject.emotion, cfg)}"
    return sentence(text)


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


def _opening(plan: ShotPlan, cfg: PromptConfig, media_kind: str) -> str:
    medium = cfg.text("video_medium_clause" if media_kind == "clip" else "medium_clause")
    return sentence(
        f"{medium}, {SHOT_SIZE_WORDS[plan.shot_size]}, shot on "
        f"{cfg.text('camera_body')} with {cfg.text('film_stock')}, {cfg.text('film_style_suffix')}"
    )


def _action(plan: ShotPlan, cfg: PromptConfig) -> str:
    kinetic = kinetic_descriptor(plan.action, cfg)
    return sentence(f"{plan.action.rstrip(' .')}, {kinetic}" if plan.action.strip() else kinetic)


def _production_parts(plan: ShotPlan, cfg: PromptConfig, media_kind: str, names: tuple[str, ...]) -> list[tuple[str, str]]:
    parts = [("format", _opening(plan, cfg, media_kind))]
    if plan.env_only:
        parts += [
            ("action", sentence(strip_people(plan.action, names))),
            ("environment", sentence(strip_people(plan.environment, names))),
            ("lighting", sentence(strip_people(plan.lighting, names))),
            ("footer", cfg.text("env_footer")),
            ("env_guard", cfg.text("env_only_guard")),
        ]
        return [(n, t) for n, t in parts if t]
    if not plan.subjects:
        raise PlanError(f"plan for {plan.target_model}: key 'subjects' is empty, but the shot is not ENV-only")
    human = any(s.is_human for s in plan.subjects)
    quality = f"{cfg.text('quality_guard')}, {cfg.text('human_texture_guard')}" if human else cfg.text("non_human_quality_guard")
    parts += [
        ("subject", " ".join(subject_text(s, cfg) for s in plan.subjects)),
        ("action", _action(plan, cfg)),
        ("environment", sentence(plan.environment)),
        ("lighting", sentence(plan.lighting)),
        ("quality", sentence(quality)),
        ("footer", cfg.text(FOOTER_KEYS[plan.shot_size]) if human else cfg.text("non_human_footer")),
        ("camera_guard", cfg.text("camera_direction_guard")),
    ]
    return [(n, t) for n, t in parts if t]


def _motion_texts(plan: ShotPlan, parts: list[tuple[str, str]], cfg: PromptConfig) -> list[str]:
    """Kling image-to-video: the start frame carries look and place, the text carries the
    motion, so the subject is named (no description, no lock) and the action comes next."""
    texts = []
    if plan.subjects:
        names = " and ".join(s.name for s in plan.subjects)
        if not any(s.name.lower() in plan.action.lower() for s in plan.subjects):
            texts.append(sentence(names))
    texts += [t for n, t in parts if n in ("action", "camera_guard")]
    return texts


def build_prompt(plan: ShotPlan, target: str | None = None, names: Iterable[str] = ()) -> BuiltPrompt:
    """Build the deterministic prompt of `plan` for its target model (or `target`).

    `names` are the episode's character names: an ENV-only shot or a location reference
    drops them like any other person."""
    from engine.takes.prompting import preproduction

    cfg = load_config()
    target = target or plan.target_model
    profile = cfg.profile(target)
    if plan.pipeline not in profile.pipelines:
        raise PlanError(
            f"plan: key 'target_model' is '{target}', which serves {', '.join(profile.pipelines)}, "
            f"not the {plan.pipeline} pipeline"
        )
    special = preproduction.BUILDERS.get(plan.pipeline)
    names = tuple(names)
    if special is not None:
        parts, env = special(plan, cfg, names), plan.pipeline == "location_ref"
    else:
        parts, env = _production_parts(plan, cfg, profile.media_kind, names), plan.env_only
    locked = locked_for(plan, profile, cfg, env)
    if target == "kling_i2v" and not env:
        texts = _motion_texts(plan, parts, cfg)
    else:
        texts = [t for _, t in parts]
    padding = cfg.constants["video_padding"] if profile.media_kind == "clip" else ()
    text = fit(texts, profile.limits, locked, padding)
    return BuiltPrompt(
        parts=tuple(parts),
        text=text,
        locked_terms=locked,
        target=target,
        pipeline=plan.pipeline,
        env_only=env,
        subjects_human=not plan.subjects or any(s.is_human for s in plan.subjects),
        names=names,
    )
