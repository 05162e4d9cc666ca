"""The desk's look: a dark, neutral theme (frames are judged against grey, not colour) with
clear status colours used everywhere a take's status shows."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

STATUS_COLOURS = {
    "approved": "#3fb950",
    "rejected": "#f85149",
    "pending_review": "#8b949e",
    "failed": "#a371f7",
    "writing": "#d29922",  # decided here, not yet confirmed by the store
}
STATUS_LABELS = {
    "approved": "APPROVED",
    "rejected": "REJECTED",
    "pending_review": "UNDECIDED",
    "failed": "FAILED",
    "writing": "SAVING",
}
ACCENT = "#e3b341"
BACKGROUND = "#16181c"
PANEL = "#1f2228"
RAISED = "#2a2e36"
TEXT = "#d7dae0"
MUTED = "#8b929e"
FRAME_BG = "#0b0c0e"
# Region notes drawn on a frame: a rejection region (tagged) in the rejected colour, others amber.
NOTE = ACCENT
NOTE_TAGGED = STATUS_COLOURS["rejected"]


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours (1 to 21; text wants at least 4.5)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def status_colour(status: str) -> QColor:
    return QColor(STATUS_COLOURS.get(status, STATUS_COLOURS["pending_review"]))


STYLESHEET = f"""
QWidget {{ background: {BACKGROUND}; color: {TEXT}; font-size: 10pt; }}
QMainWindow::separator {{ background: {RAISED}; width: 1px; height: 1px; }}
QToolBar {{ background: {PANEL}; border: none; border-bottom: 1px solid {RAISED}; spacing: 2px; padding: 3px; }}
QToolButton {{ background: transparent; color: {MUTED}; padding: 5px 12px; border-radius: 4px; font-weight: 600; }}
QToolButton:hover {{ background: {RAISED}; color: {TEXT}; }}
QToolButton:checked {{ background: {RAISED}; color: {ACCENT}; }}
QStatusBar {{ background: {PANEL}; color: {MUTED}; border-top: 1px solid {RAISED}; }}
QStatusBar QLabel {{ background: transparent; color: {MUTED}; padding: 0 6px; }}
QLabel#caption {{ color: {MUTED}; font-size: 9pt; background: transparent; }}
QLabel#title {{ font-size: 13pt; font-weight: 700; background: transparent; }}
QLabel#chip {{ border-radius: 3px; padding: 2px 8px; font-weight: 700; font-size: 9pt; color: #0b0c0e; }}
QLabel#keyhint {{ color: {MUTED}; background: {PANEL}; border: 1px solid {RAISED}; border-radius: 4px; padding: 3px 8px; font-size: 9pt; }}
QLabel#keyhint[active="true"] {{ color: #0b0c0e; background: {ACCENT}; border-color: {ACCENT}; }}
QLabel#keyhint[standing="true"] {{ color: {TEXT}; border-color: {STATUS_COLOURS["rejected"]}; }}
QLabel#draftchip {{ border-radius: 3px; padding: 2px 8px; font-weight: 700; font-size: 9pt; color: #0b0c0e; background: {ACCENT}; }}
QLabel#decision {{ color: {TEXT}; font-size: 9pt; background: {PANEL}; border-radius: 4px; padding: 3px 8px; }}
QFrame#panel, QWidget#panel {{ background: {PANEL}; border-radius: 6px; }}
QListView {{ background: {PANEL}; border: none; }}
QPlainTextEdit, QTextEdit, QTextBrowser {{ background: {FRAME_BG}; border: 1px solid {RAISED}; border-radius: 4px; selection-background-color: #3b4252; }}
QLineEdit, QComboBox {{ background: {RAISED}; border: 1px solid #3a3f48; border-radius: 4px; padding: 3px 6px; }}
QComboBox QAbstractItemView {{ background: {RAISED}; selection-background-color: #3b4252; }}
QPushButton {{ background: {RAISED}; border: 1px solid #3a3f48; border-radius: 4px; padding: 4px 10px; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:checked {{ background: #3b4252; color: {ACCENT}; border-color: {ACCENT}; }}
QTableView, QTreeView {{ background: {PANEL}; alternate-background-color: #23262d; gridline-color: {RAISED}; border: none; }}
QHeaderView::section {{ background: {RAISED}; color: {MUTED}; border: none; padding: 4px; }}
QScrollBar:horizontal {{ height: 8px; background: {PANEL}; }}
QScrollBar:vertical {{ width: 8px; background: {PANEL}; }}
QScrollBar::handle {{ background: #3a3f48; border-radius: 4px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    pal = QPalette()
    for role, colour in (
        (QPalette.Window, BACKGROUND),
        (QPalette.Base, PANEL),
        (QPalette.AlternateBase, RAISED),
        (QPalette.Text, TEXT),
        (QPalette.WindowText, TEXT),
        (QPalette.Button, RAISED),
        (QPalette.ButtonText, TEXT),
        (QPalette.Highlight, "#3b4252"),
        (QPalette.HighlightedText, ACCENT),
        (QPalette.ToolTipBase, RAISED),
        (QPalette.ToolTipText, TEXT),
    ):
        pal.setColor(role, QColor(colour))
    app.setPalette(pal)
    font = QFont("DejaVu Sans", 10)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)


def mono_font(size: int = 10) -> QFont:
    font = QFont("DejaVu Sans Mono", size)
    font.setStyleHint(QFont.Monospace)
    return font
