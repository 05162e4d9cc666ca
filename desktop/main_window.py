"""The desk's main window: one store, a row of views (Dailies, Inspector, Compare, and the
panels other parts of the product add when they are installed), and a status bar saying what
the store and the decision queue are doing."""

from __future__ import annotations

import importlib

from PySide6.QtCore import QByteArray, QRect, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QToolBar, QWidget

from desktop import collector, ops
from desktop.dailies_view import DailiesView
from desktop.decision_poller import DecisionPoller
from desktop.decision_writer import DecisionWriter
from desktop.frame_cache import FrameCache, FrameLoader
from desktop.keymap import KeyMap
from desktop.note_board import note_board_for
from desktop.review_actions import ReviewActions
from desktop.review_session import ReviewSession
from desktop.settings import cache_bytes, desk_settings, reviewer_name
from engine.core.review_config import review_config
from engine.store.db import Store

# The desk's other views, made the first time they are shown: (name, label, module, class).
PANELS = (
    ("weekly", "Weekly", "desktop.weekly_view", "WeeklyView"),
    ("registries", "Registries", "desktop.registries_panel", "RegistriesPanel"),
    ("backfill", "Backfill", "desktop.backfill_panel", "BackfillPanel"),
    ("sounds", "Sounds", "desktop.sounds_panel", "SoundsPanel"),
)
CORE_VIEWS = ("dailies", "inspector", "compare")
VIEW_NAMES = CORE_VIEWS + tuple(p[0] for p in PANELS)
GEOMETRY_KEY = "window/geometry"
PREFERRED_SIZE = (1600, 960)


class MainWindow(QMainWindow):
    view_changed = Signal(str)

    def __init__(self, store: Store, view: str = "dailies", settings=None, poll_ms: int | None = None):
        super().__init__()
        collector.install()  # lane threads never free the desk's Qt objects
        self.store = store
        self.settings = settings or desk_settings()
        config = review_config()
        self.setWindowTitle(f"Dailies — {store.display()}")
        self.session = ReviewSession(store, reviewer_name(self.settings), self)
        self.loader = FrameLoader(FrameCache(cache_bytes(self.settings)), store.media_dir, parent=self)
        self.writer = DecisionWriter(store, parent=self)
        self.actions = ReviewActions(self.session, self.writer, config, self)
        self.notes = note_board_for(self.session, self.writer)  # every view's region notes
        self.keymap = KeyMap(config, self.settings)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.views: dict[str, QWidget] = {}
        self._factories = {name: (lambda n=name: self._make_view(n)) for name in VIEW_NAMES}
        self.dailies = self._view("dailies")
        self._build_toolbar()
        self._build_status()
        ops.set_failure_handler(self.flash)  # ops that say nothing of their own failures

        self.writer.queue_changed.connect(self._show_queue)
        self.writer.store_unavailable.connect(self._on_store_unavailable)
        self.writer.journal_unwritable.connect(self._on_journal_unwritable)
        self.actions.message.connect(self.flash)
        self.session.current_changed.connect(self._show_position)

        from desktop.filters_bar import FiltersBar

        self.filters = FiltersBar(self.session, self.settings, self)
        self.dailies.filter_slot.addWidget(self.filters)
        self.session.reload(self.filters.initial_criteria())
        recovered = self.writer.recover()
        if recovered:
            self.flash(f"{recovered} decision(s) from an earlier session are being written now")
        kw = {"interval_ms": poll_ms} if poll_ms else {}
        self.poller = DecisionPoller(store, parent=self, **kw)
        self.poller.decisions_arrived.connect(self._on_remote_decisions)
        self.poller.notes_arrived.connect(self.notes.apply_changes)
        self.notes.message.connect(self.flash)
        self.poller.store_unreachable.connect(lambda e: self.flash(f"Store not answering: {e}"))
        self.poller.start()
        self.show_view(view)

    # -- views --------------------------------------------------------------------------
    def _make_view(self, name: str) -> QWidget:
        if name == "dailies":
            view = DailiesView(self.session, self.loader, self.actions, self.keymap)
            view.view_requested.connect(self.show_view)
            return view
        if name == "inspector":
            from desktop.inspector_view import InspectorView

            return InspectorView(self.session, self)
        if name == "compare":
            from desktop.compare_view import CompareView

            view = CompareView(self.session, self.loader)
            view.view_requested.connect(self.show_view)
            return view
        for panel, _label, module, cls in PANELS:
            if panel == name:
                return getattr(importlib.import_module(module), cls)(self.store)
        raise KeyError(name)

    def _view(self, name: str) -> QWidget:
        if name not in self.views:
            widget = self._factories[name]()
            self.views[name] = widget
            self.stack.addWidget(widget)
        return self.views[name]

    def show_view(self, name: str) -> None:
        widget = self._view(name)
        self.stack.setCurrentWidget(widget)
        for action in self._view_actions.actions():
            action.setChecked(action.data() == name)
        widget.setFocus()
        self.view_changed.emit(name)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Views")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        brand = QLabel("  DAILIES  ")
        brand.setStyleSheet("font-weight: 800; letter-spacing: 2px; color: #e3b341; background: transparent;")
        bar.addWidget(brand)
        self._view_actions = QActionGroup(self)
        labels = {"dailies": "Dailies", "inspector": "Inspector", "compare": "Compare"}
        labels.update({p[0]: p[1] for p in PANELS})
        for i, name in enumerate(VIEW_NAMES):
            action = QAction(labels[name], self, checkable=True)
            action.setData(name)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _c=False, n=name: self.show_view(n))
            self._view_actions.addAction(action)
            bar.addAction(action)
        self.addToolBar(Qt.TopToolBarArea, bar)

    def _build_status(self) -> None:
        status = self.statusBar()
        self.store_label = QLabel(f"Store: {self.store.display()}")
        self.reviewer_label = QLabel(f"At the desk: {self.session.reviewer}")
        self.queue_label = QLabel("All decisions saved")
        self.position_label = QLabel("")
        for w in (self.store_label, self.reviewer_label, self.queue_label):
            status.addPermanentWidget(w)
        status.addWidget(self.position_label)

    # -- status ---------------------------------------------------------------------------
    def flash(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _show_queue(self, n: int) -> None:
        if n == 0:
            self.queue_label.setText("All decisions saved")
            self.queue_label.setStyleSheet("")
        elif self.writer.last_error:
            self.queue_label.setText(f"{n} decision(s) held: {self.writer.last_error}")
            self.queue_label.setStyleSheet("color: #f85149;")
        else:
            self.queue_label.setText(f"Saving {n} decision(s)…")
            self.queue_label.setStyleSheet("")

    def _on_store_unavailable(self, reason: str) -> None:
        n = len(self.writer.pending())
        self.queue_label.setText(f"{n} decision(s) held, retrying: {reason}")
        self.queue_label.setStyleSheet("color: #f85149;")
        self.flash(f"Store unavailable — {n} decision(s) kept and retried: {reason}")

    def _on_journal_unwritable(self, reason: str) -> None:
        n = len(self.writer.pending())
        self._show_queue(n)
        self.flash(f"Keep the desk open until the {n} decision(s) are saved: {reason}")

    def _show_position(self) -> None:
        self.position_label.setText(self.session.criteria.describe())

    def _on_remote_decisions(self, fresh: dict) -> None:
        mine = {p.take_id for p in self.writer.pending()}
        self.session.model.update_takes({k: v for k, v in fresh.items() if k not in mine})
        self.session.forget_records(list(fresh))
        self.session.current_changed.emit()

    # -- where the window opens -------------------------------------------------------------
    def place_on_screen(self) -> QRect:
        """Open where the window was last closed if that still fits the screen, else at the
        preferred size shrunk to the available screen (task bars excluded), centred."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        saved = self.settings.value(GEOMETRY_KEY)
        if isinstance(saved, QByteArray) and self.restoreGeometry(saved):
            if available.contains(self.frameGeometry()) or available.contains(self.geometry()):
                return self.geometry()
        frame_w = self.frameGeometry().width() - self.geometry().width()
        frame_h = self.frameGeometry().height() - self.geometry().height()
        width = min(PREFERRED_SIZE[0], available.width() - frame_w)
        height = min(PREFERRED_SIZE[1], available.height() - frame_h)
        self.resize(width, height)
        self.move(available.x() + (available.width() - width - frame_w) // 2,
                  available.y() + (available.height() - height - frame_h) // 2)
        return self.geometry()

    # -- readiness (screenshots, benches) -------------------------------------------------
    def is_ready(self) -> bool:
        view = self.stack.currentWidget()
        check = getattr(view, "is_ready", None)
        return bool(check()) if check else True

    def closeEvent(self, event) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.sync()
        self.poller.stop()
        ops.set_failure_handler(None)
        self.loader.wait()
        if not self.writer.wait_idle(10_000):
            self.flash("Some decisions are not saved yet; they are kept and retried next time")
        super().closeEvent(event)
