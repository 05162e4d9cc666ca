"""The Inspector shows the take's picture beside its provenance; Compare says what differs
between A and B (seed, model, version, the prompts' words)."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_the_inspector_shows_the_takes_picture(window, qtbot):
    window.show_view("inspector")
    inspector = window.views["inspector"]
    qtbot.waitUntil(inspector.is_ready, timeout=5000)
    take = window.session.current_take()
    assert inspector.picture.shown == window.session.media_path(take)
    image = inspector.picture.pixmap().toImage()
    assert not image.isNull() and image.width() > 100
    # the picture is the take's frame (build_store paints each take one flat colour)
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert (centre.red(), centre.green(), centre.blue()) != (11, 12, 14)
    qtbot.keyClick(inspector, Qt.Key_Down)  # the next take: its own picture
    qtbot.waitUntil(inspector.is_ready, timeout=5000)  # what the inspector shows is read off the GUI thread
    assert inspector.picture.shown == window.session.media_path(window.session.current_take())
    assert inspector.picture.shown != window.session.media_path(take)
    assert "of the text as sent" in inspector.fact_labels["System prompt"].text()


def test_compare_lists_what_differs_between_a_and_b(window, qtbot):
    window.session.move_take(1)  # A is take 2, B take 1
    window.show_view("compare")
    qtbot.waitUntil(window.views["compare"].is_ready, timeout=5000)  # read off the GUI thread
    text = window.views["compare"].differences.toPlainText()
    assert "seed" in text and "A 1001 · B 1000" in text
    assert "A nbp-1 · B imagen-3" in text
    assert "A v1.1 · B v1.0" in text
    assert "nbp (same)" in text  # the same target is said to be the same
    html = window.views["compare"].differences.toHtml()
    # the prompts word by word: B's "1" marked removed, A's "2" marked added
    assert "take 12, shot" in text and "#5c1d1d" in html and "#1f4d2c" in html
