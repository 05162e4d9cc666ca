"""The words registry names are made from, written for this product.

Colour families by hue and lightness; thematic words per blended aspect; nature roots and
endings for one-word compounds (Mist + light = Mistlight); modifiers and place nouns for
longer names. Every word here passes the gibberish check (a test holds that).
"""

from __future__ import annotations

NEUTRAL_BY_LIGHTNESS: dict[str, tuple[str, ...]] = {
    "dark": ("Charcoal", "Soot", "Onyx", "Ink", "Coal", "Graphite", "Raven", "Obsidian"),
    "middark": ("Iron", "Pewter", "Smoke", "Ash", "Stone", "Gunmetal", "Basalt", "Cinder"),
    "midlight": ("Silver", "Fog", "Pebble", "Dove", "Cloud", "Haze", "Nickel", "Platinum"),
    "light": ("Pearl", "Chalk", "Ivory", "Snow", "Linen", "Frost", "Porcelain", "Cotton"),
}

MUTED_BY_HUE: dict[str, tuple[str, ...]] = {
    "red": ("Clay", "Terracotta", "Brick", "Adobe", "Rosewood", "Cinnamon"),
    "orange": ("Taupe", "Camel", "Biscuit", "Tan", "Fawn", "Cork"),
    "yellow": ("Sand", "Flax", "Straw", "Wheat", "Oat", "Parchment"),
    "green": ("Sage", "Moss", "Lichen", "Fern", "Willow", "Thyme"),
    "cyan": ("Seaglass", "Eucalyptus", "Celadon", "Verdigris", "Spruce", "Harbor"),
    "blue": ("Slate", "Flint", "Steel", "Denim", "Storm", "Heron", "Tarn", "Dusk"),
    "purple": ("Heather", "Mauve", "Lilac", "Thistle", "Wisteria", "Twilight"),
    "pink": ("Blush", "Dustrose", "Quartz", "Shell", "Petal", "Sorbet"),
}

VIVID_BY_HUE: dict[str, tuple[str, ...]] = {
    "red": ("Crimson", "Scarlet", "Ruby", "Cherry", "Garnet", "Poppy", "Cardinal", "Vermilion"),
    "orange": ("Amber", "Tangerine", "Apricot", "Copper", "Rust", "Ember", "Saffron", "Marigold"),
    "yellow": ("Lemon", "Canary", "Gold", "Honey", "Mustard", "Butter", "Sunflower", "Citrine"),
    "green": ("Emerald", "Jade", "Clover", "Lime", "Pine", "Basil", "Ivy", "Meadow"),
    "cyan": ("Teal", "Lagoon", "Aqua", "Turquoise", "Seafoam", "Mint", "Cyan", "Glacier"),
    "blue": ("Cobalt", "Azure", "Sapphire", "Navy", "Cornflower", "Ocean", "Sky", "Indigo"),
    "purple": ("Violet", "Amethyst", "Plum", "Iris", "Lavender", "Grape", "Mulberry", "Aubergine"),
    "pink": ("Magenta", "Fuchsia", "Rose", "Peony", "Orchid", "Raspberry", "Flamingo", "Carnation"),
}

BROWNS: tuple[str, ...] = (
    "Umber", "Sienna", "Chestnut", "Walnut", "Mahogany", "Cocoa", "Hazel", "Bronze",
    "Coffee", "Toffee", "Caramel", "Russet",
)

COLOUR_MODIFIERS: dict[str, tuple[str, ...]] = {
    "dark": ("Deep", "Dark", "Dusky", "Shadowed", "Night"),
    "light": ("Pale", "Light", "Soft", "Misty", "Washed"),
    "vivid": ("Bright", "Vivid", "Bold", "Glowing", "Radiant"),
    "muted": ("Dusty", "Smoky", "Muted", "Faded", "Quiet"),
    "sheer": ("Sheer", "Veiled", "Glassy", "Hazy", "Ghost"),
}

ASPECT_WORDS: dict[str, tuple[str, ...]] = {
    "sound": (
        "Murmur", "Whisper", "Echo", "Drone", "Patter", "Chime", "Hush", "Thrum", "Rustle",
        "Crackle", "Hum", "Purr", "Ripple", "Knell", "Rattle", "Clatter", "Sigh", "Lull",
    ),
    "audio": (
        "Cadence", "Chorus", "Refrain", "Lilt", "Pulse", "Anthem", "Ballad", "Overture",
        "Lullaby", "Serenade", "Nocturne", "Reverie", "Undertone", "Tempo",
    ),
    "motion": (
        "Drift", "Sway", "Glide", "Surge", "Flutter", "Swirl", "Tumble", "Stride", "Wander",
        "Rush", "Spiral", "Float", "Cascade", "Shimmer", "Quiver", "Roll", "Sweep", "Dart",
    ),
    "camera": (
        "Orbit", "Perch", "Vantage", "Lookout", "Prowl", "Hover", "Pivot", "Rise", "Descent",
        "Approach", "Retreat", "Circle", "Glance", "Gaze", "Watch", "Follow",
    ),
    "gradient": (
        "Fade", "Veil", "Bloom", "Wash", "Blend", "Horizon", "Halo", "Aurora", "Tint",
        "Glaze", "Blush", "Melt", "Dawning", "Afterglow",
    ),
    "lighting": (
        "Glow", "Gleam", "Ember", "Beacon", "Lantern", "Candle", "Dusk", "Noon", "Sunbeam",
        "Moonbeam", "Glint", "Flicker", "Radiance", "Gloaming", "Spotlight", "Torchlight",
    ),
    "composition": (
        "Frame", "Vista", "Niche", "Alcove", "Portal", "Window", "Tableau", "Panorama",
        "Corner", "Arch", "Threshold", "Balance", "Symmetry", "Margin",
    ),
    "blends": (
        "Medley", "Mosaic", "Tapestry", "Weave", "Alloy", "Confluence", "Harmony", "Fusion",
        "Quilt", "Braid", "Patchwork", "Marble", "Amalgam", "Kaleidoscope",
    ),
}

# How each origin noise feels, for naming mixtures (a hum with a hiss: Drone-Whisper).
SOUND_FEEL: dict[str, tuple[str, ...]] = {
    "silence": ("Hush", "Stillness", "Calm"),
    "rumble": ("Thunder", "Rumble", "Growl", "Roar"),
    "hum": ("Drone", "Hum", "Thrum", "Buzz"),
    "tone": ("Chime", "Bell", "Note", "Tone"),
    "hiss": ("Whisper", "Hiss", "Sizzle", "Fizz"),
    "rustle": ("Rustle", "Leaves", "Crackle", "Shuffle"),
    "thump": ("Thud", "Knock", "Beat", "Pound"),
    "click": ("Tick", "Click", "Tap", "Snap"),
    "whoosh": ("Gust", "Swoosh", "Sweep", "Breeze"),
    "drip": ("Drop", "Drip", "Patter", "Plink"),
}

# The loudness of a mixture's loudest part, as a modifier (RMS bands).
LOUDNESS_MODIFIERS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.06, ("Faint", "Distant", "Hushed", "Muffled")),
    (0.15, ("Soft", "Gentle", "Low", "Mellow")),
    (1.01, ("Loud", "Heavy", "Bold", "Full")),
)

ROOTS: tuple[str, ...] = (
    "Mist", "Haze", "Rain", "Frost", "Snow", "Storm", "Cloud", "Wind", "Sun", "Moon", "Star",
    "Dawn", "Dusk", "Leaf", "Fern", "Moss", "Pine", "Oak", "Willow", "Maple", "River",
    "Brook", "Sea", "Lake", "Tide", "Wave", "Shore", "Stone", "Ember", "Flame", "Ash",
    "Glow", "Drift", "Flow", "Cool", "Warm", "Silver", "Gold", "Amber", "Rose",
)

ENDINGS: tuple[str, ...] = (
    "light", "stream", "well", "field", "wood", "shore", "haven", "brook", "fall", "crest",
    "glen", "vale", "ridge", "song", "wind", "fire", "bloom", "shade", "veil", "drift",
    "mere", "hollow", "gate", "watch", "mark", "cliff", "fold", "spring",
)

PLACE_NOUNS: tuple[str, ...] = (
    "Harbor", "Meadow", "Hollow", "Ridge", "Canyon", "Garden", "Orchard", "Valley",
    "Summit", "Lantern", "Feather", "Petal", "River", "Brook", "Grove", "Dune", "Tide",
    "Cove", "Field", "Glade", "Moor", "Heath", "Marsh", "Prairie", "Delta", "Reef",
    "Island", "Forest", "Mountain", "Desert", "Tundra", "Lagoon", "Bay", "Cape", "Cliff",
    "Spring", "Creek", "Pond", "Lake", "Fountain", "Bridge", "Tower", "Castle", "Chapel",
    "Cottage", "Garret", "Hearth", "Courtyard", "Terrace", "Balcony", "Pier", "Lighthouse",
    "Market", "Library", "Studio", "Gallery", "Theater", "Station", "Harvest", "Morning",
    "Evening", "Midnight", "Solstice", "Equinox", "Winter", "Autumn", "Summer", "Season",
    "Journey", "Voyage", "Passage", "Path", "Trail", "Road", "Lane", "Avenue", "Crossing",
    "Compass", "Anchor", "Sail", "Keel", "Oar", "Kite", "Mirror", "Ribbon", "Thread",
    "Velvet", "Silk", "Linen", "Lace", "Quill", "Ink", "Letter", "Story", "Song", "Verse",
    "Chorus", "Echo", "Dream", "Memory", "Promise", "Secret", "Riddle", "Wonder", "Hope",
    "Whisper", "Shadow", "Reflection", "Horizon", "Meridian", "Zenith", "Nadir", "Orbit",
    "Comet", "Nebula", "Galaxy", "Planet", "Crater", "Glacier", "Iceberg", "Volcano",
)

GENERAL_MODIFIERS: tuple[str, ...] = (
    "Quiet", "Bright", "Gentle", "Hidden", "Silent", "Distant", "Golden", "Silver", "Wild",
    "Still", "Swift", "Slow", "Hollow", "Open", "Secret", "Ancient", "Early", "Late",
    "Northern", "Southern", "Eastern", "Western", "Upper", "Lower", "Inner", "Outer",
    "Lone", "Twin", "Restless", "Patient", "Tender", "Steady", "Wandering", "Sleeping",
)

NUMBER_WORDS: tuple[str, ...] = (
    "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen",
    "Eighteen", "Nineteen",
)
TENS_WORDS: tuple[str, ...] = (
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
)

# Real words whose shape resembles a root plus a made-up ending (wind + ow): never gibberish.
KNOWN_WORDS: frozenset[str] = frozenset(
    w.lower()
    for w in (
        "Window", "Shadow", "Meadow", "Willow", "Hollow", "Yellow", "Sparrow", "Pillar",
        "Cellar", "Collar", "Solar", "Lunar", "Cedar", "Marine", "Sunshine", "Moonshine",
        "Seal", "Season", "Stardust", "Rosin", "Sunder", "Glen", "Worth", "Velvet",
        "Bramble", "Emlyn", "Starling", "Rainier", "Ashen", "Golden", "Silken", "Oaken",
        "Wooden", "Plumber", "Murmur", "Sandal", "Corker", "Linen", "Ember", "Amber", "Silver",
    )
)
