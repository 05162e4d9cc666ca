"""Filters and saved views above the filmstrip: status, rejection tag, system-prompt version,
model. The last filter and every saved view are remembered in the desk settings. The versions
and models on offer are read from the store off the GUI thread and added when they arrive."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QLabel, QPushButton, QWidget

from desktop import ops
from engine.core.errors import DailiesError
from engine.core.review_config import review_config
from engine.store.filters import STATUSES, TakeCriteria, filter_choices

LAST_KEY = "views/last"
SAVED_GROUP = "views_saved"


class FiltersBar(QWidget):
    def __init__(self, session, settings, parent=None):
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.status = self._combo([("All takes", None)] + [(status.capitalize(), status) for status in STATUSES])
        self.tag = self._combo([("Any tag", None)] + [(t.label, t.tag) for t in review_config().taxonomy])
        self.version = self._combo([("Any prompt version", None)])
        self.model = self._combo([("Any model", None)])
        self._shown = TakeCriteria()
        self.saved = QComboBox()
        self.saved.setFocusPolicy(Qt.NoFocus)
        self.saved.setMinimumWidth(160)
        save = QPushButton("Save view…")
        save.setFocusPolicy(Qt.NoFocus)
        save.clicked.connect(self._ask_save)
        delete = QPushButton("Delete")
        delete.setFocusPolicy(Qt.NoFocus)
        delete.clicked.connect(lambda: self.delete_view(self.saved.currentText()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("FILTER", objectName="caption")
        layout.addWidget(label)
        for w in (self.status, self.tag, self.version, self.model):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addWidget(QLabel("SAVED VIEW", objectName="caption"))
        layout.addWidget(self.saved)
        layout.addWidget(save)
        layout.addWidget(delete)
        self._refresh_saved()
        self.saved.activated.connect(lambda _i: self.apply_saved(self.saved.currentText()))
        for w in (self.status, self.tag, self.version, self.model):
            w.activated.connect(lambda _i: self.apply(self.criteria()))
        ops.query(session.store, self, filter_choices, self._offer).start()

    def _offer(self, choices) -> None:
        """The store's versions and models arrived: offer them, keeping the filter shown."""
        for box, values in ((self.version, choices.system_prompt_versions), (self.model, choices.models)):
            while box.count() > 1:
                box.removeItem(1)
            for v in values:
                if v:
                    box.addItem(v, v)
        self.show_criteria(self._shown)

    def _combo(self, items) -> QComboBox:
        box = QComboBox()
        box.setFocusPolicy(Qt.NoFocus)
        for label, value in items:
            box.addItem(label, value)
        return box

    @staticmethod
    def _select(box: QComboBox, value) -> None:
        index = box.findData(value)
        box.setCurrentIndex(index if index >= 0 else 0)

    # -- criteria -----------------------------------------------------------------------
    def criteria(self) -> TakeCriteria:
        def one(box):
            value = box.currentData()
            return (value,) if value else ()

        return TakeCriteria(
            status=self.status.currentData(),
            tags=one(self.tag),
            system_prompt_versions=one(self.version),
            models=one(self.model),
        )

    def show_criteria(self, c: TakeCriteria) -> None:
        self._shown = c
        self._select(self.status, c.status)
        self._select(self.tag, c.tags[0] if c.tags else None)
        self._select(self.version, c.system_prompt_versions[0] if c.system_prompt_versions else None)
        self._select(self.model, c.models[0] if c.models else None)

    def initial_criteria(self) -> TakeCriteria:
        """The filter in use when the desk was last closed."""
        text = self.settings.value(LAST_KEY)
        try:
            c = TakeCriteria.from_json(text, "last filter") if text else TakeCriteria()
        except DailiesError:
            c = TakeCriteria()
        self.show_criteria(c)
        return c

    def apply(self, c: TakeCriteria) -> None:
        self.show_criteria(c)
        self.settings.setValue(LAST_KEY, c.to_json())
        self.settings.sync()
        self.session.reload(c)

    # -- saved views --------------------------------------------------------------------
    def saved_views(self) -> dict[str, TakeCriteria]:
        out = {}
        self.settings.beginGroup(SAVED_GROUP)
        for name in self.settings.childKeys():
            try:
                out[name] = TakeCriteria.from_json(self.settings.value(name), f"saved view '{name}'")
            except DailiesError:
                continue
        self.settings.endGroup()
        return out

    def save_view(self, name: str) -> None:
        name = name.strip()
        if not name:
            return
        self.settings.setValue(f"{SAVED_GROUP}/{name}", self.criteria().to_json())
        self.settings.sync()
        self._refresh_saved(select=name)

    def delete_view(self, name: str) -> None:
        if name in self.saved_views():
            self.settings.remove(f"{SAVED_GROUP}/{name}")
            self.settings.sync()
            self._refresh_saved()

    def apply_saved(self, name: str) -> None:
        views = self.saved_views()
        if name in views:
            self.apply(views[name])

    def _ask_save(self) -> None:
        name, ok = QInputDialog.getText(self, "Save view", "Name of this view:")
        if ok:
            self.save_view(name)

    def _refresh_saved(self, select: str | None = None) -> None:
        self.saved.clear()
        self.saved.addItem("—")
        for name in sorted(self.saved_views()):
            self.saved.addItem(name)
        if select:
            self.saved.setCurrentText(select)
