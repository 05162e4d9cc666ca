"""The Sounds view: every Pure sound the registry holds, seen and heard.

A lazy table (name, key, components, count) read a page at a time off the GUI thread, with
a search that runs a quarter of a second after the last keystroke; the selected sound
re-synthesised from its key (engine.procedural.discovery.sound_render, off the GUI thread too) and
painted as a waveform and a spectrum; Space plays it, a loop toggle repeats it, Stop stops, and a
composite's components can be played one by one. Where there is no sound output the
panel says why in a banner and everything else keeps working.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.entry_pages import EntryPagesModel
from desktop.ops import Op
from desktop.sound_view import SoundDrawing, SoundView, sound_drawing
from desktop.theme import MUTED
from engine.procedural.audio.playback import Player
from engine.procedural.discovery.sound_render import RenderedSound, describe, render
from engine.procedural.registries.catalog import EntryRecord
from engine.store.db import Store

COLUMNS = ("Name", "Key", "Components", "Count")
COLUMN_WIDTHS = (200, 150, None, 56)  # None: stretches; never sized from the rows' contents
PART_GAP_MS = 150
SEARCH_DELAY_MS = 250
MUTED_TEXT = QColor(MUTED)


class SoundsModel(EntryPagesModel):
    """Pure sound entries, read a page at a time off the GUI thread; rows are EntryRecords."""

    HEADERS = COLUMNS

    def __init__(self, store: Store, parent=None):
        super().__init__(store, "pure", "sound", parent)

    def cells(self, e: EntryRecord) -> tuple:
        return (e.name, e.key, describe(e.key), e.count)

    def tooltip(self, e: EntryRecord) -> str:
        depth = ", ".join(f"{k} {v}%" for k, v in sorted(e.depth.items(), key=lambda kv: -kv[1]))
        return f"{e.name}\n{e.key}\n{depth}"

    STYLE = {
        (3, Qt.ItemDataRole.TextAlignmentRole): int(Qt.AlignRight | Qt.AlignVCenter),
        (1, Qt.ItemDataRole.ForegroundRole): MUTED_TEXT,
        (2, Qt.ItemDataRole.ForegroundRole): MUTED_TEXT,
    }

    def row(self, r: int) -> EntryRecord:
        return self.entry(r)


class _OutputStarting:
    """Stands in for the Player while the sound output is being looked for (off the GUI
    thread: loading PortAudio and asking for the devices takes a while)."""

    available, reason, playing, looping = False, "Sound output is still starting.", False, False

    def play(self, *_args, **_kw) -> bool:
        return False

    def stop(self) -> None:
        pass


class SoundsPanel(QWidget):
    """The "sounds" view of the desk."""

    sound_selected = Signal(str)  # the key now shown
    part_started = Signal(int, str)  # index and label of the component now playing

    def __init__(self, store: Store, parent=None, player: Player | None = None):
        super().__init__(parent)
        self.store = store
        self.player = player or _OutputStarting()
        self.current: RenderedSound | None = None
        self.current_entry: EntryRecord | None = None
        self._queue: list[int] = []
        self._part_timer = QTimer(self)
        self._part_timer.setSingleShot(True)
        self._part_timer.timeout.connect(self._next_part)

        self.banner = QLabel()
        self.banner.setObjectName("soundBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#soundBanner { background: #3d2e12; color: #f0c674; border: 1px solid #6b5220;"
            " border-radius: 4px; padding: 6px 10px; }"
        )
        self.banner.setVisible(False)
        self._player_pending = player is None

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search sounds by name or key (hum, 0.12, +)")
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._search)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self._rendering = False
        self.count_label = QLabel()
        self.count_label.setObjectName("caption")

        self.model = SoundsModel(store, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        head = self.table.horizontalHeader()
        # Set widths the reviewer can drag, never measured from the rows (a composite's key
        # is long: the full key is in the tooltip and the detail pane).
        for column, width in enumerate(COLUMN_WIDTHS):
            if width is None:
                head.setSectionResizeMode(column, QHeaderView.Stretch)
            else:
                head.setSectionResizeMode(column, QHeaderView.Interactive)
                head.resizeSection(column, width)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.setTextElideMode(Qt.ElideMiddle)
        head.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.model.loaded.connect(self._first_page)
        self.model.failed.connect(lambda line: self.count_label.setText(f"Could not read the sounds: {line}"))

        self.title = QLabel("No sound selected")
        self.title.setObjectName("title")
        self.detail = QLabel("")
        self.detail.setObjectName("caption")
        self.detail.setWordWrap(True)
        self.view = SoundView()

        self.play_button = QPushButton("▶  Play  (Space)")
        self.play_button.clicked.connect(self.play)
        self.loop_button = QPushButton("⟳  Loop")
        self.loop_button.setCheckable(True)
        self.loop_button.toggled.connect(self._loop_toggled)
        self.stop_button = QPushButton("■  Stop")
        self.stop_button.clicked.connect(self.stop)
        self.parts_button = QPushButton("Play components one by one")
        self.parts_button.clicked.connect(self.play_components)
        self.now_playing = QLabel("")
        self.now_playing.setObjectName("caption")
        for b in (self.play_button, self.loop_button, self.stop_button, self.parts_button):
            b.setEnabled(False)
            b.setFocusPolicy(Qt.NoFocus)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.search)
        lv.addWidget(self.table, 1)
        lv.addWidget(self.count_label)

        right = QWidget()
        right.setObjectName("panel")
        rv = QVBoxLayout(right)
        rv.setContentsMargins(12, 10, 12, 10)
        rv.addWidget(self.title)
        rv.addWidget(self.detail)
        rv.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        for b in (self.play_button, self.loop_button, self.stop_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.parts_button)
        rv.addLayout(buttons)
        rv.addWidget(self.now_playing)

        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        split.setSizes([520, 640])

        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 10, 10, 10)
        outer.addWidget(self.banner)
        outer.addWidget(split, 1)

        space = QShortcut(QKeySequence(Qt.Key_Space), self)
        space.setContext(Qt.WidgetWithChildrenShortcut)
        space.activated.connect(self.toggle_play)
        self._update_count()
        self.model.set_query("pure", "sound")
        if self._player_pending:
            Op(store, self, lambda _job: Player(), self._player_ready).on(ops.FRAMES).failure(self._no_player).start()
        else:
            self._player_ready(self.player)

    def _player_ready(self, player: Player) -> None:
        self._player_pending = False
        self.player = player
        self.banner.setText((player.reason or "") + "  Waveforms and spectra still work.")
        self.banner.setVisible(not player.available)

    def _no_player(self, line: str) -> None:
        self._player_pending = False
        self.banner.setText(f"No sound: {line}  Waveforms and spectra still work.")
        self.banner.setVisible(True)

    # -- showing --------------------------------------------------------------------------
    def _search(self) -> None:
        self.search_timer.stop()
        self.model.set_query("pure", "sound", self.search.text().strip())

    def _first_page(self) -> None:
        """A new list: select the first discovered sound, else the first origin."""
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            rows = range(self.model.rowCount())
            self.table.selectRow(next((r for r in rows if not self.model.row(r).is_origin), 0))

    def _update_count(self, *_args) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        if total is None:
            self.count_label.setText("Reading the sounds…")
        elif shown >= total and not self.model.capped():
            self.count_label.setText(f"{total:,} sounds")
        else:
            self.count_label.setText(f"{shown:,} of {self.model.total_text('sounds')}")

    def is_ready(self) -> bool:
        """The list, the count and the selected sound are all shown."""
        return (self.model.is_ready() and not self.search_timer.isActive() and not self._rendering
                and not self._player_pending)

    def _row_changed(self, current: QModelIndex, _previous=None) -> None:
        if current.isValid():
            self.show_entry(self.model.row(current.row()))

    def show_entry(self, entry: EntryRecord) -> None:
        self.current_entry = entry
        depth = ", ".join(f"{k} {v}%" for k, v in sorted(entry.depth.items(), key=lambda kv: -kv[1]))
        extra = f"  ·  depth: {depth}" if depth else ""
        self.show_sound(entry.key, entry.name, f"{entry.key}  ·  seen {entry.count}×{extra}")

    def show_sound(self, key: str, name: str, detail: str = "") -> None:
        """Render the sound a key stands for (a component, a composite, an origin) off the GUI
        thread and draw it; a newer selection drops an older one's render."""
        self.stop()
        self._rendering = True
        self.current = None
        self.title.setText(name)
        self.detail.setText(detail or key)
        self._enable(False)

        def work(_job):
            sound = render(key)
            return sound, sound_drawing(sound)

        (Op(self.store, self, work, lambda got: self._rendered(key, *got))
         .failure(self._not_rendered).on(ops.FRAMES).latest("sound").start())

    def _rendered(self, key: str, sound: RenderedSound, drawing: SoundDrawing) -> None:
        self._rendering = False
        self.current = sound
        self.view.set_sound(sound, drawing)
        self._enable(True)
        self.parts_button.setEnabled(len(sound.parts) > 1)
        self.sound_selected.emit(key)

    def _not_rendered(self, line: str) -> None:
        self._rendering = False
        self.current = None
        self.detail.setText(f"Cannot render this key: {line}")
        self.view.set_sound(None)

    def _enable(self, on: bool) -> None:
        for b in (self.play_button, self.loop_button, self.stop_button, self.parts_button):
            b.setEnabled(on)

    # -- sound ----------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.now_playing.setText(text)

    def _unavailable(self) -> bool:
        if self.player.available and self.player.reason is None:
            return False
        self.banner.setText((self.player.reason or "No sound.") + "  Waveforms and spectra still work.")
        self.banner.setVisible(True)
        return True

    def play(self) -> None:
        if self.current is None:
            return
        self._queue = []
        self._part_timer.stop()
        if self.player.play(self.current.samples, self.current.rate, loop=self.loop_button.isChecked()):
            self._say(("Looping " if self.loop_button.isChecked() else "Playing ") + self.title.text())
        else:
            self._unavailable()

    def toggle_play(self) -> None:
        if self.player.playing or self._queue:
            self.stop()
        else:
            self.play()

    def _loop_toggled(self, on: bool) -> None:
        if self.player.playing and not self._queue:
            self.play()  # restart with the new setting
        elif not on and self.player.looping:
            self.stop()

    def stop(self) -> None:
        self._queue = []
        self._part_timer.stop()
        self.player.stop()
        self._say("")

    def play_components(self) -> None:
        """Each component of the sound on its own, loudest first, one after another."""
        if self.current is None:
            return
        self.player.stop()
        self._queue = list(range(len(self.current.parts)))
        self._next_part()

    def _next_part(self) -> None:
        if not self._queue or self.current is None:
            self._say("")
            return
        i = self._queue.pop(0)
        part = self.current.parts[i]
        self.part_started.emit(i, part.label)
        self._say(f"Component {i + 1} of {len(self.current.parts)}: {part.label}")
        if not self.player.play(part.samples, self.current.rate):
            self._unavailable()
        self._part_timer.start(int(len(part.samples) / self.current.rate * 1000) + PART_GAP_MS)
