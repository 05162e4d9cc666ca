"""What a value is, in words a person uses: the family of a colour, and the words that say
a sound's noises and band, a motion's speed and steadiness, a camera move's move.

A colour's family is computed from its RGB (HSV hue, value and saturation): one of the
basic colour terms (red, orange, yellow, green, teal, blue, purple, pink, brown, grey,
black, white). A colour close to the edge of its family (a hue a few degrees from the next
family, a blue so greyed it is nearly a grey) also belongs to the neighbouring family, so a
name that carries either word says what the value is. No database access here.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

from engine.procedural.registries import colour_words as cw

# Hue bands in degrees (HSV): (upper bound, family). Red wraps around 360.
_HUES: tuple[tuple[float, str], ...] = (
    (15, "red"), (45, "orange"), (70, "yellow"), (165, "green"), (195, "teal"),
    (255, "blue"), (320, "purple"), (345, "pink"), (360, "red"),
)
HUE_MARGIN = 12.0  # degrees from a band's edge within which the neighbour counts too


@dataclass(frozen=True)
class ColourFamily:
    family: str  # the basic term: red ... white
    near: tuple[str, ...]  # neighbouring families the value also belongs to
    tone: str  # dark | light | muted | vivid

    @property
    def families(self) -> frozenset[str]:
        return frozenset((self.family, *self.near))

    def describe(self) -> str:
        """'a greyish blue', 'a dark brown', 'a grey'."""
        if self.family in ("grey", "black", "white"):
            adj = {"dark": "dark ", "light": "light "}.get(self.tone, "") if self.family == "grey" else ""
            return f"a {adj}{self.family}"
        adj = {"dark": "dark", "light": "pale", "muted": "greyish", "vivid": "vivid"}[self.tone]
        return f"a {adj} {self.family}"


def _hue_family(deg: float) -> tuple[str, tuple[str, ...]]:
    lower = 0.0
    for i, (upper, fam) in enumerate(_HUES):
        if deg < upper:
            near = []
            if deg - lower < HUE_MARGIN:
                near.append(_HUES[i - 1][1] if i else "pink")
            if upper - deg < HUE_MARGIN:
                near.append(_HUES[(i + 1) % len(_HUES)][1])
            return fam, tuple(n for n in near if n != fam)
        lower = upper
    return "red", ()


def colour_family(r: float, g: float, b: float) -> ColourFamily:
    """The family of an RGB colour (0-255 channels)."""
    h, s, v = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    lightness = colorsys.rgb_to_hls(r / 255, g / 255, b / 255)[1]
    chroma = (max(r, g, b) - min(r, g, b)) / 255
    tone = ("dark" if lightness < 0.3 else "light" if lightness > 0.75
            else "muted" if s < 0.4 else "vivid")
    if chroma < 0.08 or s < 0.1:
        if lightness < 0.12:
            return ColourFamily("black", ("grey",) if lightness > 0.07 else (), tone)
        if lightness > 0.93:
            return ColourFamily("white", ("grey",) if lightness < 0.97 else (), tone)
        near = ("black",) if lightness < 0.18 else ("white",) if lightness > 0.86 else ()
        return ColourFamily("grey", near, tone)
    family, hue_near = _hue_family(h * 360)
    near: dict[str, int] = {n: 2 for n in hue_near}  # neighbour -> how soon a name says it

    def done(fam: str) -> ColourFamily:
        if v < 0.2:
            near["black"] = 0  # so dark that it is nearly black
        if lightness > 0.88:
            near["white"] = 0
        if chroma < 0.16 or s < 0.18:
            near["grey"] = 1 if chroma < 0.12 else 4  # a greyed hue, first when nearly grey
        ordered = sorted((n for n in near if n != fam), key=lambda n: near[n])
        return ColourFamily(fam, tuple(ordered), tone)

    if family in ("red", "orange", "yellow") and v < 0.7:
        # dark warm hues are browns (a dark yellow is an olive: brown or green)
        if family == "yellow" and v < 0.6:
            near.update({"brown": 2, "yellow": 2, "green": 2})
            return done("green" if h * 360 > 55 else "brown")
        if v < 0.62 or (family == "orange" and v < 0.7):
            if v > 0.5:
                near[family] = 1  # its own hue before the hue's neighbours
            return done("brown")
        near["brown"] = 3
    if family == "red" and lightness > 0.72:
        near.clear()
        if lightness < 0.8:
            near["red"] = 2
        return done("pink")
    if family in ("red", "pink") and lightness > 0.65:
        near["pink" if family == "red" else "red"] = 2
    if family == "purple" and h * 360 > 285:
        near["pink"] = 2  # a magenta is as much pink as purple
    return done(family)




def families_of_word(word: str) -> frozenset[str]:
    """The colour families a word names ('Flax' -> yellow; 'Slate' -> blue, grey); empty
    when the word is no colour word."""
    return cw.WORD_FAMILIES.get(word.lower(), frozenset())


# --- sound --------------------------------------------------------------------------------

# Each origin noise and the words that say it (the noise's own word first).
NOISE_WORDS: dict[str, tuple[str, ...]] = {
    "silence": ("Silence", "Silent", "Hush", "Stillness", "Quiet"),
    "rumble": ("Rumble", "Thunder", "Growl", "Roar"),
    "hum": ("Hum", "Drone", "Buzz", "Thrum"),
    "tone": ("Tone", "Chime", "Bell", "Note", "Ring"),
    "hiss": ("Hiss", "Sizzle", "Fizz", "Static"),
    "rustle": ("Rustle", "Crackle", "Shuffle", "Leaves"),
    "thump": ("Thump", "Thud", "Knock", "Pound"),
    "click": ("Click", "Tick", "Tap", "Snap"),
    "whoosh": ("Whoosh", "Swoosh", "Gust", "Rush"),
    "drip": ("Drip", "Drop", "Patter", "Plink"),
}
BAND_WORDS: dict[str, tuple[str, ...]] = {
    "low": ("Low", "Deep", "Bass"),
    "mid": ("Mid", "Middle", "Midrange"),
    "high": ("High", "Shrill", "Treble"),
    "silent": ("Silent", "Hushed", "Still"),
}
# Loudness of a sound (RMS amplitude), quietest first: (upper bound, words).
LOUDNESS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.04, ("Faint", "Distant", "Muffled", "Hushed")),
    (0.10, ("Soft", "Gentle", "Mellow", "Quiet")),
    (0.25, ("Steady", "Clear", "Round", "Warm")),
    (1.01, ("Loud", "Heavy", "Bold", "Booming")),
)


def loudness_words(amplitude: float) -> tuple[str, ...]:
    """Loudness words for an amplitude, the nearest band first, then the others."""
    idx = next(i for i, (upper, _w) in enumerate(LOUDNESS) if amplitude < upper or i == len(LOUDNESS) - 1)
    order = sorted(range(len(LOUDNESS)), key=lambda i: abs(i - idx))
    return tuple(w for i in order for w in LOUDNESS[i][1])


# --- motion -------------------------------------------------------------------------------

# Motion level (mean movement per frame) bands: (upper bound, speed word).
MOTION_SPEEDS: tuple[tuple[float, str], ...] = (
    (0.5, "Still"), (3.0, "Slow"), (6.0, "Moderate"), (9.0, "Fast"), (float("inf"), "Rapid"),
)
SPEED_WORDS = frozenset(("still", "slow", "moderate", "fast", "rapid", "medium", "quick", "brisk"))
TREND_WORDS: dict[str, str] = {
    "steady": "Steady", "increasing": "Accelerating", "decreasing": "Slowing", "pulsing": "Pulsing",
}
STEADINESS_WORDS = frozenset((
    "steady", "accelerating", "slowing", "pulsing", "even", "constant", "smooth", "shaky",
    "locked", "loose", "handheld", "jittery", "rising", "falling",
))
DIRECTION_WORDS: dict[str, str] = {
    "left": "Leftward", "right": "Rightward", "up": "Upward", "down": "Downward", "in": "Inward",
    "out": "Outward", "horizontal": "Sideways", "vertical": "Vertical",
}
RHYTHM_NOUNS: dict[str, tuple[str, ...]] = {
    "even": ("Drift", "Glide", "Flow", "Sway", "Float", "Sweep", "Slide", "Stream"),
    "steady": ("Drift", "Glide", "Flow", "Sway", "Float", "Sweep", "Slide", "Stream"),
    "pulsing": ("Pulse", "Throb", "Beat", "Surge", "Bounce", "Flutter", "Quiver", "Swell"),
    "wave": ("Wave", "Ripple", "Undulation", "Swell", "Roll", "Sway", "Tide", "Billow"),
    "random": ("Jitter", "Scatter", "Tumble", "Flicker", "Shuffle", "Swirl", "Flurry", "Bustle"),
    "still": ("Hold", "Rest", "Pause", "Calm", "Lull", "Stillness", "Hush", "Poise"),
}
MOTION_NUANCES: tuple[str, ...] = (
    "Gentle", "Smooth", "Easy", "Soft", "Calm", "Light", "Quiet", "Loose", "Lazy", "Lively",
    "Graceful", "Fluid", "Restless", "Patient", "Tender", "Wandering",
)


def motion_speed(level: float) -> str:
    return next(word for upper, word in MOTION_SPEEDS if level < upper)


@dataclass(frozen=True)
class MotionParts:
    level: float
    trend: str | None
    direction: str | None
    rhythm: str | None


def parse_motion(key: str) -> MotionParts | None:
    """A motion key in any form the registries hold: '3.5_steady_left_even' (ours),
    '3.5_steady_horizontal_pulsing' (imported) or '3.5_steady' (short imported form)."""
    parts = key.split("_")
    try:
        level = float(parts[0])
    except ValueError:
        return None
    if level != level or level < 0:
        return None
    trend = parts[1] if len(parts) > 1 else None
    direction = parts[2] if len(parts) > 2 else None
    rhythm = parts[3] if len(parts) > 3 else None
    if trend is not None and trend not in TREND_WORDS:
        return None
    return MotionParts(level, trend, direction if direction in DIRECTION_WORDS else None, rhythm)


# --- camera -------------------------------------------------------------------------------

CAMERA_MOVE_WORDS: dict[str, tuple[str, ...]] = {
    "static": ("Static", "Still", "Fixed"),
    "pan": ("Pan",),
    "tilt": ("Tilt",),
    "dolly": ("Dolly",),
    "crane": ("Crane", "Jib"),
    "zoom": ("Zoom",),
    "zoom_out": ("Zoom",),
    "handheld": ("Handheld",),
    "roll": ("Roll",),
    "truck": ("Truck",),
    "pedestal": ("Pedestal",),
    "arc": ("Arc", "Orbit"),
    "tracking": ("Tracking", "Track"),
    "birds_eye": ("Overhead", "Bird's"),
    "whip_pan": ("Whip",),
    "rotate": ("Rotation", "Rotate", "Spin"),
}
CAMERA_MOVE_NAMES: dict[str, str] = {
    "static": "Static Shot", "pan": "Pan", "tilt": "Tilt", "dolly": "Dolly", "crane": "Crane",
    "zoom": "Zoom In", "zoom_out": "Zoom Out", "handheld": "Handheld", "roll": "Roll",
    "truck": "Truck", "pedestal": "Pedestal", "arc": "Arc", "tracking": "Tracking Shot",
    "birds_eye": "Overhead View", "whip_pan": "Whip Pan", "rotate": "Rotation",
}
CAMERA_SPEED_WORDS: dict[str, str] = {"slow": "Slow", "medium": "Moderate", "fast": "Fast"}
CAMERA_STEADY_WORDS: dict[str, str] = {
    "locked": "Locked", "steady": "Steady", "loose": "Loose", "shaky": "Shaky",
}
CAMERA_NUANCES: tuple[str, ...] = ("Gentle", "Smooth", "Quiet", "Easy", "Patient", "Graceful")


# --- other blended aspects ---------------------------------------------------------------

# Words that say a blended value's parts (lighting, gradient, composition, audio).
PART_WORDS: dict[str, str] = {
    "dark": "Dark", "dim": "Dim", "mid": "Even", "bright": "Bright", "blown": "Blown",
    "flat": "Flat", "normal": "", "high": "Contrasty", "muted": "Muted", "natural": "Natural",
    "vivid": "Vivid", "vertical": "Vertical", "horizontal": "Horizontal", "radial": "Radial",
    "angled": "Angled", "extreme": "Extreme", "close": "Close", "medium": "Medium", "wide": "Wide",
    "symmetric": "Symmetric", "asymmetric": "Asymmetric", "left": "Left", "center": "Centred",
    "right": "Right", "top": "Top", "bottom": "Bottom", "ambient": "Ambient", "music": "Music",
    "sfx": "Foley", "silence": "Silence", "full": "Full", "calm": "Calm", "tense": "Tense",
    "uplifting": "Uplifting", "neutral": "Neutral", "slow": "Slow", "fast": "Fast", "static": "Static",
}
AUDIO_PRESENCE: dict[str, str] = {
    "ambient": "Ambience", "music": "Music", "sfx": "Foley", "silence": "Silence", "full": "Soundtrack",
}
AUDIO_TEMPO: dict[str, str] = {"slow": "Slow", "medium": "Moderate", "fast": "Fast"}
