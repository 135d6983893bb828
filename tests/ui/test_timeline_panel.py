"""The Timeline dock fits its dock: raised from behind the Comms tab in the middle of an incident, its dock
shows no scroll bars of its own and "Follow the latest" is drawn whole."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QScrollArea

from vocabulary.events import Draft


def test_the_timeline_dock_raised_from_a_tab_has_no_outer_scroll_bars_and_shows_follow_whole(
        demo_window, qtbot, tmp_path):
    win = demo_window
    win.session.open_log(tmp_path / "log.db", resume=False)
    win.session.new_incident("timeline", exercise=True)
    win.comms_dock.raise_()  # the timeline waits behind the Comms tab, as in the full flow
    qtbot.waitUntil(lambda: win.timeline_panel.visibleRegion().isEmpty())
    win.session.submit([Draft("note.added", win.session.now(), {"text": f"note {i}: a line of the log"})
                        for i in range(60)])
    panel = win.timeline_panel
    qtbot.waitUntil(lambda: panel.table.rowCount() >= 60)  # drawn behind the tab
    win.timeline_dock.raise_()
    area = panel.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    for moment in ("at once", "settled"):
        if moment == "settled":
            qtbot.waitUntil(lambda: panel.width() == area.viewport().width())
        assert not area.horizontalScrollBar().isVisible(), moment
        assert not area.verticalScrollBar().isVisible(), moment
    # the check box lies whole inside what the dock shows, at no less than its own size
    follow = panel.follow
    shown = QRect(area.viewport().mapTo(win, QPoint(0, 0)), area.viewport().size())
    box = QRect(follow.mapTo(win, QPoint(0, 0)), follow.size())
    assert shown.contains(box), (shown, box)
    assert follow.width() >= follow.sizeHint().width()
    assert panel.table.rowCount() >= 60
