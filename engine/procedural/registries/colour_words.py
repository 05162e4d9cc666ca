"""Colour words and the families they name, written for this product.

`EVOCATIVE` holds the words our colour names are made of, per family and tone: a name is an
evocative word and the family's basic term ("Slate Blue", "Ember Orange"). `WORD_FAMILIES`
maps every colour word a name may carry (ours, the basic terms, and the colour words people
and older registries use: flax, mint, mist, cherry ...) to the families it names, so a name
that names another family ("Flax" on a slate blue) can be found. A word naming several
families (slate: blue and grey) lists them all.
"""

from __future__ import annotations

BASIC: dict[str, str] = {
    "red": "Red", "orange": "Orange", "yellow": "Yellow", "green": "Green", "teal": "Teal",
    "blue": "Blue", "purple": "Purple", "pink": "Pink", "brown": "Brown", "grey": "Grey",
    "black": "Black", "white": "White",
}

# family -> tone -> evocative words (each also listed under its families below)
EVOCATIVE: dict[str, dict[str, tuple[str, ...]]] = {
    "red": {
        "vivid": ("Crimson", "Scarlet", "Cherry", "Poppy", "Ruby", "Cardinal", "Vermilion", "Flame"),
        "dark": ("Garnet", "Oxblood", "Wine", "Claret", "Burgundy", "Maroon", "Cranberry", "Merlot"),
        "light": ("Coral", "Salmon", "Rosy", "Blush", "Watermelon", "Strawberry", "Flamingo", "Peach"),
        "muted": ("Brick", "Clay", "Terracotta", "Rust", "Adobe", "Rosewood", "Cinnabar", "Madder"),
    },
    "orange": {
        "vivid": ("Tangerine", "Pumpkin", "Marigold", "Ember", "Saffron", "Carrot", "Mango", "Blaze"),
        "dark": ("Copper", "Rust", "Amber", "Bronze", "Cinnamon", "Paprika", "Ginger", "Spice"),
        "light": ("Apricot", "Peach", "Melon", "Cantaloupe", "Papaya", "Nectarine", "Sherbet", "Honey"),
        "muted": ("Clay", "Terracotta", "Caramel", "Camel", "Tawny", "Ochre", "Copper", "Cinnamon"),
    },
    "yellow": {
        "vivid": ("Lemon", "Canary", "Sunflower", "Daffodil", "Gold", "Citrine", "Dandelion", "Buttercup"),
        "dark": ("Mustard", "Ochre", "Brass", "Olive", "Bronze", "Honey", "Amber", "Saffron"),
        "light": ("Butter", "Cream", "Vanilla", "Primrose", "Custard", "Lemonade", "Straw", "Chiffon"),
        "muted": ("Flax", "Straw", "Wheat", "Sand", "Khaki", "Oat", "Hay", "Parchment"),
    },
    "green": {
        "vivid": ("Emerald", "Lime", "Clover", "Kelly", "Shamrock", "Grass", "Leaf", "Jade"),
        "dark": ("Forest", "Pine", "Hunter", "Bottle", "Ivy", "Spruce", "Fir", "Olive"),
        "light": ("Mint", "Pistachio", "Celery", "Honeydew", "Pear", "Apple", "Spring", "Lettuce"),
        "muted": ("Sage", "Moss", "Lichen", "Fern", "Willow", "Olive", "Thyme", "Artichoke"),
    },
    "teal": {
        "vivid": ("Turquoise", "Aqua", "Cyan", "Lagoon", "Peacock", "Caribbean", "Tropical", "Reef"),
        "dark": ("Deep", "Petrol", "Spruce", "Pine", "Harbor", "Abyss", "Marine", "Kelp"),
        "light": ("Seafoam", "Aquamarine", "Glacier", "Surf", "Spray", "Pool", "Mint", "Lagoon"),
        "muted": ("Seaglass", "Verdigris", "Celadon", "Eucalyptus", "Patina", "Harbor", "Jade", "Sage"),
    },
    "blue": {
        "vivid": ("Cobalt", "Azure", "Sapphire", "Royal", "Electric", "Ultramarine", "Cornflower", "Sky"),
        "dark": ("Navy", "Midnight", "Indigo", "Ink", "Ocean", "Prussian", "Marine", "Night"),
        "light": ("Sky", "Powder", "Baby", "Ice", "Periwinkle", "Cornflower", "Cloud", "Robin"),
        "muted": ("Slate", "Steel", "Denim", "Storm", "Dusk", "Flint", "Pewter", "Smoke"),
    },
    "purple": {
        "vivid": ("Violet", "Amethyst", "Grape", "Iris", "Royal", "Orchid", "Ultraviolet", "Magenta"),
        "dark": ("Plum", "Aubergine", "Eggplant", "Mulberry", "Blackberry", "Raisin", "Damson", "Wine"),
        "light": ("Lavender", "Lilac", "Wisteria", "Thistle", "Heather", "Mauve", "Orchid", "Iris"),
        "muted": ("Mauve", "Heather", "Dusk", "Twilight", "Smoke", "Thistle", "Plum", "Lilac"),
    },
    "pink": {
        "vivid": ("Magenta", "Fuchsia", "Hot", "Cerise", "Raspberry", "Orchid", "Bubblegum", "Flamingo"),
        "dark": ("Berry", "Raspberry", "Plum", "Mulberry", "Cerise", "Wine", "Cranberry", "Orchid"),
        "light": ("Blush", "Rose", "Petal", "Peony", "Ballet", "Candy", "Carnation", "Cotton"),
        "muted": ("Dusty", "Rosewood", "Mauve", "Quartz", "Shell", "Antique", "Rose", "Heather"),
    },
    "brown": {
        "vivid": ("Chestnut", "Copper", "Rust", "Sienna", "Cinnamon", "Toffee", "Caramel", "Auburn"),
        "dark": ("Chocolate", "Coffee", "Espresso", "Walnut", "Mahogany", "Cocoa", "Umber", "Bark"),
        "light": ("Tan", "Fawn", "Beige", "Biscuit", "Camel", "Sand", "Latte", "Almond"),
        "muted": ("Taupe", "Mocha", "Hazel", "Umber", "Cork", "Mushroom", "Walnut", "Khaki"),
    },
    "grey": {
        "vivid": ("Silver", "Steel", "Pewter", "Nickel", "Platinum", "Chrome", "Iron", "Zinc"),
        "dark": ("Charcoal", "Graphite", "Slate", "Iron", "Gunmetal", "Lead", "Smoke", "Basalt"),
        "light": ("Silver", "Fog", "Dove", "Cloud", "Pearl", "Ash", "Mist", "Pebble"),
        "muted": ("Stone", "Ash", "Smoke", "Pewter", "Flint", "Pebble", "Concrete", "Granite"),
    },
    "black": {
        "vivid": ("Jet", "Onyx", "Ink", "Raven", "Coal", "Pitch", "Obsidian", "Midnight"),
        "dark": ("Jet", "Onyx", "Ink", "Raven", "Coal", "Pitch", "Obsidian", "Midnight"),
        "light": ("Soot", "Charcoal", "Ebony", "Shadow", "Night", "Tar", "Sable", "Licorice"),
        "muted": ("Soot", "Charcoal", "Ebony", "Shadow", "Night", "Tar", "Sable", "Licorice"),
    },
    "white": {
        "vivid": ("Snow", "Chalk", "Ivory", "Pearl", "Frost", "Porcelain", "Milk", "Linen"),
        "dark": ("Snow", "Chalk", "Ivory", "Pearl", "Frost", "Porcelain", "Milk", "Linen"),
        "light": ("Snow", "Chalk", "Ivory", "Pearl", "Frost", "Porcelain", "Milk", "Linen"),
        "muted": ("Bone", "Cotton", "Lace", "Cream", "Eggshell", "Alabaster", "Paper", "Cloud"),
    },
}

# Colour words people and older registries use, beyond the ones above.
_MORE: dict[str, tuple[str, ...]] = {
    "red": ("red", "rouge", "blood", "carmine", "cerise", "lipstick", "tomato", "rosso", "ruddy",
            "reddish", "sanguine", "fire", "candy", "brick", "cinnabar"),
    "orange": ("orange", "persimmon", "tiger", "sunset", "flame", "coral", "salmon", "peach",
               "orangey", "apricot", "bronze", "umber"),
    "yellow": ("yellow", "golden", "sun", "sunshine", "banana", "maize", "blonde", "champagne",
               "yellowish", "jasmine", "mimosa", "topaz", "beige", "ecru"),
    "green": ("green", "greenish", "chartreuse", "avocado", "basil", "meadow", "juniper", "cypress",
              "verdant", "malachite", "viridian", "seaweed", "pea", "lichen", "teal", "jade"),
    "teal": ("teal", "cyan", "aqua", "turquoise", "aquamarine", "sea", "seafoam", "ocean", "lagoon",
             "mint", "celadon", "verdigris", "glacier", "caribbean"),
    "blue": ("blue", "bluish", "navy", "azure", "cerulean", "cobalt", "sapphire", "indigo", "sky",
             "denim", "steel", "slate", "periwinkle", "cornflower", "ocean", "sea", "teal", "ice",
             "arctic", "glacier", "storm", "twilight", "dusk", "ink", "lapis", "marine"),
    "purple": ("purple", "purplish", "violet", "lavender", "lilac", "mauve", "plum", "amethyst",
               "grape", "orchid", "magenta", "heliotrope", "wisteria", "periwinkle", "indigo", "royal"),
    "pink": ("pink", "pinkish", "rose", "rosy", "blush", "salmon", "coral", "fuchsia", "magenta",
             "flamingo", "bubblegum", "carnation", "peony", "petal", "candy", "cerise"),
    "brown": ("brown", "brownish", "bronze", "tan", "beige", "khaki", "chocolate", "coffee", "cocoa",
              "mocha", "umber", "sienna", "sepia", "rust", "auburn", "copper", "hazel", "ochre",
              "olive", "amber", "bark", "leather", "wood", "oak", "sand", "earth", "terracotta",
              "clay", "caramel", "toffee", "camel", "taupe", "wheat", "straw", "oat", "flax", "biscuit"),
    "grey": ("grey", "gray", "greyish", "grayish", "silver", "ash", "smoke", "smoky", "fog",
             "mist", "misty", "haze", "hazy", "stone", "slate", "flint", "pewter", "steel",
             "charcoal", "graphite", "gunmetal", "iron", "lead", "dove", "cloud", "cloudy", "taupe",
             "storm", "shadow", "concrete", "cement", "granite", "mushroom", "heather", "platinum"),
    "black": ("black", "jet", "onyx", "ink", "coal", "raven", "obsidian", "ebony", "soot", "pitch",
              "charcoal", "midnight", "night", "shadow", "tar", "sable", "noir", "void"),
    "white": ("white", "snow", "chalk", "ivory", "pearl", "cream", "milk", "frost", "linen",
              "porcelain", "alabaster", "bone", "cotton", "lace", "eggshell", "paper", "vanilla",
              "ghost", "cloud", "mist", "silver"),
}


def _word_families() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for family, tones in EVOCATIVE.items():
        out.setdefault(family, set()).add(family)
        for words in tones.values():
            for w in words:
                out.setdefault(w.lower(), set()).add(family)
    for family, words in _MORE.items():
        for w in words:
            out.setdefault(w, set()).add(family)
    out.setdefault("gray", set()).add("grey")
    # words that only colour a name when they stand beside a basic term
    for neutral in ("deep", "royal", "hot", "dusty", "antique", "electric", "baby", "powder",
                    "ballet", "kelly", "hunter", "bottle", "spring", "tropical", "robin"):
        out.pop(neutral, None)
    return {w: frozenset(f) for w, f in out.items()}


WORD_FAMILIES: dict[str, frozenset[str]] = _word_families()
