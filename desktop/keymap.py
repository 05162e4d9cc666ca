"""Review keys: the defaults from config/review.json ("keys" and each rejection tag's key),
rebindable per user through the desk settings (group "keys", e.g. `approve=Y`)."""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, QSettings, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from engine.core.review_config import ReviewConfig

TAG_PREFIX = "tag:"
# Keys the desk has even when config/review.json does not name them (rebindable the same way).
BUILT_IN = {"play": "Space", "draw": "M"}  # M: mark up the frame with notes


class KeyMap:
    def __init__(self, config: ReviewConfig, settings: QSettings | None = None):
        self.config = config
        defaults: dict[str, str] = {**BUILT_IN, **config.keys}
        for tag in config.taxonomy:
            defaults[TAG_PREFIX + tag.tag] = tag.key
        if settings is not None:
            settings.beginGroup("keys")
            for name in settings.childKeys():
                value = settings.value(name)
                if isinstance(value, str) and value.strip():
                    defaults[name.replace("tag_", TAG_PREFIX, 1) if name.startswith("tag_") else name] = value
            settings.endGroup()
        self.keys = {name: QKeySequence(text) for name, text in defaults.items()}
        self._by_key = {seq: name for name, seq in self.keys.items() if not seq.isEmpty()}

    def action_for(self, event: QKeyEvent) -> str | None:
        key = event.key()
        if key in (Qt.Key_Shift, Qt.Key_Control, Qt.Key_Alt, Qt.Key_Meta):
            return None
        mods = event.modifiers() & ~Qt.KeypadModifier
        found = self._by_key.get(QKeySequence(QKeyCombination(mods, Qt.Key(key))))
        if found is None and key == Qt.Key_Enter:
            found = self._by_key.get(QKeySequence(QKeyCombination(mods, Qt.Key_Return)))
        return found

    def text(self, action: str) -> str:
        seq = self.keys.get(action)
        return seq.toString(QKeySequence.NativeText) if seq is not None else ""
