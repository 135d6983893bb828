"""The command window's menus: the Emergency and hazard entries, File → Replay / Export report, Quit during an
open incident, the language switched from the menu for every dock, and the shortcuts the help overlay lists."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QFileDialog, QLabel, QMessageBox, QTableWidget

from commandcenter.runtime import ManualClock
from commandcenter.ui import translations
from commandcenter.ui.main_window import MainWindow

START = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _incident(win: MainWindow, tmp_path, title: str = "H2S 101") -> ManualClock:
    win.session.open_log(tmp_path / "log.db", resume=False)
    clock = ManualClock(START)
    win.session.new_incident(title, exercise=True, clock=clock)
    win.session.timer.stop()
    return clock


def _names(menu) -> list[str]:
    return [a.objectName() for a in menu.actions()]


def test_the_emergency_menu_has_the_hazard_tools_and_they_open(window, qtbot):
    emergency = window.hazard_tool.menu
    names = _names(emergency)
    for name in ("hazardZoneAction", "launchAction", "ackAction", "rollCallAction", "hazardDockAction",
                 "resourcesDockAction"):
        assert name in names, name
    assert emergency.menuAction() in window.menuBar().actions()
    assert window.hazard_tool.panel_dock is window.hazard_dock
    assert window.findChild(QDockWidget, "hazardDock") is window.hazard_dock
    window.hazard_tool.action.trigger()
    dialog = window.hazard_tool.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.close()
    emergency_action = next(a for a in emergency.actions() if a.objectName() == "resourcesDockAction")
    emergency_action.trigger()
    qtbot.waitUntil(window.resources_dock.isVisible)


def test_file_menu_replays_the_incident_and_exports_its_report(window, qtbot, tmp_path, monkeypatch):
    names = _names(window.file_menu)
    for name in ("replayLogAction", "replayCurrentAction", "exportReportAction"):
        assert name in names, name
    tools = window.replay_tools
    assert not tools.replay_current_action.isEnabled()  # nothing open yet
    _incident(window, tmp_path)
    assert tools.replay_current_action.isEnabled()
    assert not tools.export_action.isEnabled()  # the report covers a finished incident
    tools.replay_current_action.trigger()
    assert len(tools.windows) == 1
    replay = tools.windows[0]
    qtbot.waitUntil(replay.isVisible)
    replay.close()
    qtbot.waitUntil(lambda: not tools.windows)

    window.session.record("incident.closed", {"reason": "all clear"})
    qtbot.waitUntil(tools.export_action.isEnabled)
    target = tmp_path / "out" / "report.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    tools.exporter.open_when_done = False
    with qtbot.waitSignal(tools.exporter.finished, timeout=120_000) as done:
        tools.export_action.trigger()
    assert done.args[0]["pdf"] == target or str(done.args[0]["pdf"]) == str(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert target.with_suffix(".html").exists()


@pytest.mark.parametrize(("answer", "closes"), [(QMessageBox.StandardButton.No, False),
                                             (QMessageBox.StandardButton.Yes, True)])
def test_quit_during_an_open_incident_asks_first(window, qtbot, tmp_path, monkeypatch, answer, closes):
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    _incident(window, tmp_path)
    iid = window.session.runtime.incident_id
    window.quit_action.trigger()
    assert len(asked) == 1
    assert iid in asked[0]
    assert window.isVisible() is not closes
    if closes:  # nothing is lost: the log still has the incident, open
        from commandcenter.store import EventStore

        store = EventStore(str(tmp_path / "log.db"))
        try:
            assert [e.type for e in store.events(iid)][-1] != "incident.closed"
        finally:
            store.close()


def test_quit_without_an_incident_does_not_ask(window, qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: pytest.fail("asked")))
    window.quit_action.trigger()
    assert not window.isVisible()


_WORDS = re.compile(r"[A-Za-z]{3,}[ ,.:;]+[A-Za-z]{3,}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _texts(win: MainWindow) -> dict[str, str]:
    """Every fixed text of the docks and menus: dock titles, labels, buttons, table headers, menu entries."""
    out: dict[str, str] = {}
    for dock in win.findChildren(QDockWidget):
        name = dock.objectName()
        out[f"{name}:title"] = dock.windowTitle()
        for i, w in enumerate(dock.findChildren(QLabel)):
            if w.text() and not w.text().startswith("<"):
                out[f"{name}:label{i}:{w.objectName()}"] = w.text()
        for i, w in enumerate(dock.findChildren(QAbstractButton)):
            if w.text():
                out[f"{name}:button{i}:{w.objectName()}"] = w.text()
        for i, t in enumerate(dock.findChildren(QTableWidget)):
            for c in range(t.columnCount()):
                item = t.horizontalHeaderItem(c)
                if item is not None and item.text():
                    out[f"{name}:table{i}:col{c}"] = item.text()
    for m, menu in enumerate(a.menu() for a in win.menuBar().actions()):
        out[f"menu{m}"] = menu.title()
        for i, a in enumerate(menu.actions()):
            if a.text():
                out[f"menu{m}:{i}"] = a.text()
    return out


def test_the_language_menu_switches_every_dock_at_run_time(window, qtbot, tmp_path, qapp):
    _incident(window, tmp_path)
    for dock in window.findChildren(QDockWidget):
        dock.show()
    QCoreApplication.processEvents()
    english = _texts(window)
    try:
        window.lang_zh_action.trigger()
        qtbot.waitUntil(lambda: window.file_menu.title() == "文件(&F)")
        for panel in window.panels:
            panel.refresh()
        chinese = _texts(window)
        assert translations.current_language() == "zh"
        untranslated = {k: v for k, v in chinese.items()
                        if k in english and v == english[k] and _WORDS.search(v) and not _CJK.search(v)}
        assert not untranslated, untranslated
        for dock in window.findChildren(QDockWidget):
            assert _CJK.search(dock.windowTitle()), dock.objectName()
        window.lang_en_action.trigger()
        qtbot.waitUntil(lambda: window.file_menu.title() == "&File")
        back = _texts(window)
        static = [k for k in english if k.startswith("menu") or k.endswith(":title")]
        assert {k: back[k] for k in static} == {k: english[k] for k in static}
    finally:
        translations.remove_translations(qapp)


def test_the_help_overlay_lists_the_duty_officers_shortcuts(window, qtbot):
    window.help_action.trigger()
    overlay = window.help_overlay
    qtbot.waitUntil(overlay.isVisible)
    rows = dict(overlay.rows())
    texts = " | ".join(f"{k} = {v}" for k, v in rows.items())
    for keys, what in (("Ctrl+L", "Launch"), ("Ctrl+F", "Find"), ("Ctrl+K", "Acknowledge"),
                       ("Ctrl+R", "Roll call"), ("Space", "pause"), ("Right", "step forward"),
                       ("Left", "step back")):
        assert keys in rows, (keys, texts)
        assert what.lower() in rows[keys].lower(), (keys, texts)
    shown = [w.text() for w in overlay.findChildren(QLabel)]
    assert "Ctrl+L" in shown
    assert any("Launch" in t for t in shown)
    window.help_action.trigger()
    qtbot.waitUntil(lambda: not overlay.isVisible())
