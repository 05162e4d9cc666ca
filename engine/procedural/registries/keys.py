"""Keys and origin primitives of every registry aspect.

A key is what makes an entry unique within its aspect. Pure keys quantise a measured value
(a pixel's colour, an audio instant) onto a fixed grid; blended keys are formatted tuples over
small vocabularies; semantic keys are lower-cased values. The origins listed here are the
primitives every depth breakdown decomposes into. This module has no database access, so
extraction code can import it freely.
"""

from __future__ import annotations

import math
from functools import lru_cache

from engine.core.errors import DailiesError


class RegistryKeyError(DailiesError):
    """A key or a key part that is not valid for its aspect."""



# --- Colour -------------------------------------------------------------------------------

COLOUR_ORIGINS: dict[str, tuple[int, int, int]] = {
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "red": (255, 0, 0),
    "green": (0, 255, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "cyan": (0, 255, 255),
    "magenta": (255, 0, 255),
    "orange": (255, 165, 0),
    "purple": (128, 0, 128),
    "pink": (255, 192, 203),
    "brown": (165, 42, 42),
    "navy": (0, 0, 128),
    "gray": (128, 128, 128),
    "olive": (128, 128, 0),
    "teal": (0, 128, 128),
}

COLOUR_STEP = 25
COLOUR_LEVELS = tuple(range(0, 256, COLOUR_STEP))  # 0, 25, ... 250: 11 levels
OPACITY_STEP = 0.05
OPACITY_LEVELS = tuple(round(i * OPACITY_STEP, 2) for i in range(21))  # 0.0 ... 1.0
COLOUR_GRID_CELLS = len(COLOUR_LEVELS) ** 3 * len(OPACITY_LEVELS)  # 27,951


def quantise_channel(c: float) -> int:
    """A channel clamped to 0-255 and floored onto the 25-step grid."""
    if c != c:  # NaN
        raise RegistryKeyError("colour channel is not a number")
    c = min(255.0, max(0.0, float(c)))
    return int(math.floor(c / COLOUR_STEP) * COLOUR_STEP)


def quantise_opacity(a: float) -> float:
    """Opacity clamped to 0-1 and rounded to the nearest of 21 steps of 0.05."""
    if a != a:
        raise RegistryKeyError("opacity is not a number")
    a = min(1.0, max(0.0, float(a)))
    return OPACITY_LEVELS[int(round(a / OPACITY_STEP))]


def colour_key(r: float, g: float, b: float, a: float = 1.0) -> str:
    """`"R,G,B_opacity"`, e.g. colour_key(124.2, 124.3, 160.4) == "100,100,150_1.0"."""
    return (
        f"{quantise_channel(r)},{quantise_channel(g)},{quantise_channel(b)}"
        f"_{quantise_opacity(a)}"
    )


def parse_colour_key(key: str) -> tuple[int, int, int, float]:
    """(r, g, b, opacity) of a colour key; raises RegistryKeyError naming what is wrong."""
    if not isinstance(key, str):
        raise RegistryKeyError(f"colour key {key!r} is not text")
    rgb, sep, alpha = key.partition("_")
    if not sep:
        raise RegistryKeyError(f"colour key '{key}' has no opacity (expected 'R,G,B_opacity')")
    parts = rgb.split(",")
    if len(parts) != 3:
        raise RegistryKeyError(f"colour key '{key}' needs three channels 'R,G,B' before '_'")
    try:
        channels = [int(p) for p in parts]
        opacity = float(alpha)
    except ValueError:
        raise RegistryKeyError(f"colour key '{key}' has a part that is not a number") from None
    for c in channels:
        if c not in COLOUR_LEVELS:
            raise RegistryKeyError(f"colour key '{key}': channel {c} is not one of 0, 25, ... 250")
    if round(opacity, 2) not in OPACITY_LEVELS:
        raise RegistryKeyError(f"colour key '{key}': opacity {alpha} is not a step of 0.05 in 0-1")
    return channels[0], channels[1], channels[2], round(opacity, 2)


def colour_depth(r: float, g: float, b: float) -> dict[str, int]:
    """The two nearest colour origins with weights d2/(d1+d2) and d1/(d1+d2) in integer
    percent summing to 100 (an exact origin is 100 of itself)."""
    ranked = sorted(
        (math.dist((r, g, b), rgb), name) for name, rgb in COLOUR_ORIGINS.items()
    )
    (d1, first), (d2, second) = ranked[0], ranked[1]
    if d1 == 0 or d1 + d2 == 0:
        return {first: 100}
    p1 = int(round(100 * d2 / (d1 + d2)))
    if p1 >= 100:
        return {first: 100}
    return {first: p1, second: 100 - p1}


# --- Sound --------------------------------------------------------------------------------

SOUND_ORIGINS: tuple[str, ...] = (
    "silence", "rumble", "hum", "tone", "hiss", "rustle", "thump", "click", "whoosh", "drip",
)
SOUND_TONES: tuple[str, ...] = ("low", "mid", "high", "silent")
_TONES, _TIMBRES = frozenset(SOUND_TONES), frozenset(SOUND_ORIGINS)
SILENT_BELOW = 0.01
LOW_BELOW_HZ = 200.0
MID_BELOW_HZ = 2000.0


def tone_for(amplitude: float, freq_hz: float) -> str:
    """The measured band: silent under amplitude 0.01, else <200 Hz low, <2 kHz mid, high."""
    if amplitude < SILENT_BELOW:
        return "silent"
    if freq_hz < LOW_BELOW_HZ:
        return "low"
    if freq_hz < MID_BELOW_HZ:
        return "mid"
    return "high"


def sound_key(amplitude: float, tone: str, timbre: str) -> str:
    """`"0.10_low_rumble"`: amplitude to 2 decimals, a measured tone band, an origin noise.

    Mood words (calm, dark, ...) are refused in the tone slot: tone is a measurement."""
    if tone not in SOUND_TONES:
        raise RegistryKeyError(
            f"sound tone '{tone}' is not one of {', '.join(SOUND_TONES)} "
            "(tone is a measured band, never a mood)"
        )
    if timbre not in SOUND_ORIGINS:
        raise RegistryKeyError(f"sound timbre '{timbre}' is not an origin noise ({', '.join(SOUND_ORIGINS)})")
    amp = float(amplitude)
    if not 0.0 <= amp <= 1.0 or amp != amp:
        raise RegistryKeyError(f"sound amplitude {amplitude!r} is outside 0-1")
    return f"{amp:.2f}_{tone}_{timbre}"


def parse_sound_key(key: str) -> tuple[float, str, str]:
    """(amplitude, tone, timbre) of a sound key; raises RegistryKeyError naming the bad part."""
    if not isinstance(key, str):
        raise RegistryKeyError(f"sound key {key!r} is not text")
    parts = key.split("_")
    if len(parts) != 3:
        raise RegistryKeyError(f"sound key '{key}' should be 'amplitude_tone_timbre'")
    try:
        amp = float(parts[0])
    except ValueError:
        raise RegistryKeyError(f"sound key '{key}': amplitude '{parts[0]}' is not a number") from None
    if not (parts[1] in _TONES and parts[2] in _TIMBRES and 0.0 <= amp <= 1.0):
        sound_key(amp, parts[1], parts[2])  # names what is wrong
    return round(amp, 2), parts[1], parts[2]


COMPOSITE_SEPARATOR = "+"


def _sound_part(key: str, whole: str) -> tuple[float, str, str]:
    try:
        return parse_sound_key(key)
    except RegistryKeyError as exc:
        raise RegistryKeyError(f"composite sound key '{whole}': part '{key}': {exc}") from None


def composite_order(parts: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """The canonical order of a composite's parts: loudest first, ties by timbre then tone."""
    return sorted(parts, key=lambda p: (-p[0], p[2], p[1]))


def parse_composite_sound_key(key: str) -> tuple[tuple[float, str, str], ...]:
    """The parts (amplitude, tone, timbre) of a composite sound key in canonical order.

    A composite joins two or more sound keys with '+' ("0.10_low_hum+0.05_high_hiss"): each
    part is a valid sound key, each origin noise appears once, and silence is no part of a
    mixture (a silent frame is the plain key of silence)."""
    if not isinstance(key, str):
        raise RegistryKeyError(f"sound key {key!r} is not text")
    return _composite_parts(key)


@lru_cache(maxsize=1 << 16)  # a key is read again and again (import, canonical form, depth, names)
def _composite_parts(key: str) -> tuple[tuple[float, str, str], ...]:
    pieces = [p.strip() for p in key.split(COMPOSITE_SEPARATOR)]
    if len(pieces) < 2:
        raise RegistryKeyError(f"composite sound key '{key}' needs two or more parts joined by '+'")
    if any(not p for p in pieces):
        raise RegistryKeyError(f"composite sound key '{key}' has an empty part")
    parts = [_sound_part(p, key) for p in pieces]
    timbres = [t for _a, _tone, t in parts]
    if "silence" in timbres:
        raise RegistryKeyError(f"composite sound key '{key}': silence cannot be part of a mixture")
    twice = sorted({t for t in timbres if timbres.count(t) > 1})
    if twice:
        raise RegistryKeyError(
            f"composite sound key '{key}' names {', '.join(twice)} more than once (one part per origin noise)"
        )
    return tuple(composite_order(parts))


def composite_sound_key(parts) -> str:
    """The canonical composite key of (amplitude, tone, timbre) parts: the same mixture
    always gives the same key, whatever order the parts come in."""
    keys = [sound_key(a, tone, timbre) for a, tone, timbre in parts]
    return canonical_sound_key(COMPOSITE_SEPARATOR.join(keys))


def canonical_sound_key(key: str) -> str:
    """A plain sound key as given (checked); a composite with its parts re-written in the
    canonical order and format."""
    if COMPOSITE_SEPARATOR not in key:
        parse_sound_key(key)
        return key.strip()
    parts = parse_composite_sound_key(key)
    return COMPOSITE_SEPARATOR.join(sound_key(a, tone, timbre) for a, tone, timbre in parts)


def sound_parts(key: str) -> tuple[tuple[float, str, str], ...]:
    """(amplitude, tone, timbre) of each part of a plain or composite sound key."""
    if COMPOSITE_SEPARATOR in key:
        return parse_composite_sound_key(key)
    return (parse_sound_key(key),)


def sound_depth(key: str) -> dict[str, int]:
    """A sound's depth {timbre: percent}: 100 of its timbre for a plain key; for a composite
    each part's share of the power (amplitude squared), in integer percent summing to 100,
    the rounding remainder going to the loudest part."""
    parts = sound_parts(key)
    if len(parts) == 1:
        return {parts[0][2]: 100}
    power = {t: a * a for a, _tone, t in parts}
    total = sum(power.values())
    if total == 0:
        power = {t: 1.0 for t in power}
        total = float(len(power))
    shares = {t: int(round(100 * p / total)) for t, p in power.items()}
    shares[parts[0][2]] += 100 - sum(shares.values())
    return shares


# --- Blended ------------------------------------------------------------------------------

CAMERA_MOTIONS: tuple[str, ...] = (
    "static", "pan", "tilt", "dolly", "crane", "zoom", "zoom_out", "handheld", "roll",
    "truck", "pedestal", "arc", "tracking", "birds_eye", "whip_pan", "rotate",
)
CAMERA_SPEEDS: tuple[str, ...] = ("slow", "medium", "fast")
CAMERA_STEADINESS: tuple[str, ...] = ("locked", "steady", "loose", "shaky")

GRADIENT_TYPES: tuple[str, ...] = ("vertical", "horizontal", "radial", "angled")

MOTION_TRENDS: tuple[str, ...] = ("steady", "increasing", "decreasing", "pulsing")
MOTION_DIRECTIONS: tuple[str, ...] = ("none", "left", "right", "up", "down", "in", "out")
MOTION_RHYTHMS: tuple[str, ...] = ("still", "even", "pulsing", "wave", "random")

LIGHTING_BRIGHTNESS: tuple[str, ...] = ("dark", "dim", "mid", "bright", "blown")
LIGHTING_CONTRAST: tuple[str, ...] = ("flat", "normal", "high")
LIGHTING_SATURATION: tuple[str, ...] = ("muted", "natural", "vivid")

COMPOSITION_FRAMING: tuple[str, ...] = ("extreme_close", "close", "medium", "wide", "extreme_wide")
COMPOSITION_BALANCE: tuple[str, ...] = ("symmetric", "asymmetric")
COMPOSITION_PLACEMENT: tuple[str, ...] = ("left", "center", "right", "top", "bottom")

# Finite key grids of blended aspects (density coverage = observed cells / grid cells).
GRADIENT_STRENGTH_STEPS = 101  # 0.00 .. 1.00
BLENDED_GRID_CELLS: dict[str, int] = {
    "camera": len(CAMERA_MOTIONS) * len(CAMERA_SPEEDS) * len(CAMERA_STEADINESS),  # 192
    "gradient": len(GRADIENT_TYPES) * GRADIENT_STRENGTH_STEPS,  # 404
    "lighting": len(LIGHTING_BRIGHTNESS) * len(LIGHTING_CONTRAST) * len(LIGHTING_SATURATION),  # 45
    "composition": len(COMPOSITION_FRAMING) * len(COMPOSITION_BALANCE) * len(COMPOSITION_PLACEMENT),  # 50
}


def _check(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise RegistryKeyError(f"{what} '{value}' is not one of {', '.join(allowed)}")
    return value


def camera_key(motion_type: str, speed: str, steadiness: str) -> str:
    """`{motion_type}_{speed}_{steadiness}`, e.g. "whip_pan_fast_shaky"."""
    _check(motion_type, CAMERA_MOTIONS, "camera motion")
    _check(speed, CAMERA_SPEEDS, "camera speed")
    _check(steadiness, CAMERA_STEADINESS, "camera steadiness")
    return f"{motion_type}_{speed}_{steadiness}"


def gradient_key(gradient_type: str, strength: float) -> str:
    """`{type}_{strength}` with strength in 0-1 to two decimals, e.g. "radial_0.40"."""
    _check(gradient_type, GRADIENT_TYPES, "gradient type")
    s = float(strength)
    if not 0.0 <= s <= 1.0:
        raise RegistryKeyError(f"gradient strength {strength!r} is outside 0-1")
    return f"{gradient_type}_{s:.2f}"


def motion_key(level: float, trend: str, direction: str, rhythm: str) -> str:
    """`{level:.1f}_{trend}_{direction}_{rhythm}`, e.g. "3.5_steady_left_even"."""
    _check(trend, MOTION_TRENDS, "motion trend")
    _check(direction, MOTION_DIRECTIONS, "motion direction")
    _check(rhythm, MOTION_RHYTHMS, "motion rhythm")
    lvl = float(level)
    if lvl < 0 or lvl != lvl:
        raise RegistryKeyError(f"motion level {level!r} is negative or not a number")
    return f"{lvl:.1f}_{trend}_{direction}_{rhythm}"


def lighting_key(brightness: str, contrast: str, saturation: str) -> str:
    """`{brightness}_{contrast}_{saturation}` bands, e.g. "dim_high_muted"."""
    _check(brightness, LIGHTING_BRIGHTNESS, "lighting brightness")
    _check(contrast, LIGHTING_CONTRAST, "lighting contrast")
    _check(saturation, LIGHTING_SATURATION, "lighting saturation")
    return f"{brightness}_{contrast}_{saturation}"


def lighting_bands(brightness: float, contrast: float, saturation: float) -> tuple[str, str, str]:
    """Measured lighting (brightness 0-255, contrast as luma std-dev, saturation 0-1) as bands."""
    b = LIGHTING_BRIGHTNESS[min(4, max(0, int(brightness // 52)))]
    c = "flat" if contrast < 30 else "normal" if contrast < 60 else "high"
    s = "muted" if saturation < 0.3 else "natural" if saturation < 0.65 else "vivid"
    return b, c, s


def composition_key(framing: str, balance: str, placement: str) -> str:
    """`{framing}_{balance}_{placement}`, e.g. "wide_asymmetric_left"."""
    _check(framing, COMPOSITION_FRAMING, "composition framing")
    _check(balance, COMPOSITION_BALANCE, "composition balance")
    _check(placement, COMPOSITION_PLACEMENT, "composition placement")
    return f"{framing}_{balance}_{placement}"


# --- Semantic -----------------------------------------------------------------------------

SEMANTIC_ORIGINS: dict[str, tuple[str, ...]] = {
    "genre": (
        "cinematic", "documentary", "drama", "comedy", "thriller", "horror", "romance",
        "action", "adventure", "fantasy", "science_fiction", "mystery", "music", "abstract",
        "minimal", "educational", "explainer", "tutorial", "ad", "western", "noir",
        "animation", "experimental", "general",
    ),
    "mood": (
        "uplifting", "tense", "dramatic", "harsh", "soft", "intense", "neutral", "chaotic",
        "peaceful", "bright", "calm", "dreamy", "dark", "energetic", "moody", "melancholic",
        "joyful", "eerie", "romantic", "nostalgic",
    ),
    "style": (
        "abstract", "anime", "cinematic", "minimal", "realistic", "documentary", "painterly",
        "surreal", "vintage", "noir", "watercolor",
    ),
    "plots": ("flat", "slow_build", "standard", "immediate"),
    "settings": (
        "neutral", "golden_hour", "night", "dawn", "dusk", "forest", "ocean", "sea", "city",
        "urban", "neon", "desert", "mountain", "interior", "exterior", "studio", "nature",
        "outdoor", "water", "countryside", "space", "underwater", "rooftop", "street", "home",
    ),
    "themes": (
        "love", "loss", "hope", "conflict", "connection", "identity", "journey",
        "transformation", "freedom", "power", "memory", "nature", "isolation", "redemption",
        "growth", "family", "time",
    ),
    "scene_type": (
        "close", "closeup", "medium", "wide", "establishing", "pov", "handheld", "action",
        "dialogue", "montage", "b-roll", "tracking", "aerial", "insert", "reaction",
        "transition", "over_the_shoulder",
    ),
}

SEMANTIC_ASPECTS: tuple[str, ...] = tuple(SEMANTIC_ORIGINS)


def semantic_key(value: str) -> str:
    """A semantic entry's key: its value stripped and lower-cased."""
    key = str(value).strip().lower()
    if not key:
        raise RegistryKeyError("a semantic value is empty")
    return key


def semantic_name(value: str) -> str:
    """The value in Title Case, words split on '_' and '-': "golden_hour" -> "Golden Hour"."""
    words = str(value).replace("_", " ").replace("-", " ").split()
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


def blended_grid(aspect: str) -> list[str]:
    """Every key of the aspect's finite grid (BLENDED_GRID_CELLS), in a fixed order."""
    from itertools import product

    if aspect == "camera":
        return [camera_key(*c) for c in product(CAMERA_MOTIONS, CAMERA_SPEEDS, CAMERA_STEADINESS)]
    if aspect == "gradient":
        return [gradient_key(t, i / 100) for t in GRADIENT_TYPES for i in range(GRADIENT_STRENGTH_STEPS)]
    if aspect == "lighting":
        return [lighting_key(*c) for c in product(LIGHTING_BRIGHTNESS, LIGHTING_CONTRAST, LIGHTING_SATURATION)]
    if aspect == "composition":
        return [composition_key(*c) for c in product(COMPOSITION_FRAMING, COMPOSITION_BALANCE, COMPOSITION_PLACEMENT)]
    raise RegistryKeyError(f"blended aspect '{aspect}' has no finite key grid")
