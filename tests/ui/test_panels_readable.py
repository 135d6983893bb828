"""What the duty officer reads at a glance: timeline lines in words, the alarm's state never scrolled away."""

from __future__ import annotations

import datetime as dt

from commandcenter.runtime import ManualClock

START = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _incident(win, tmp_path) -> None:
    win.session.open_log(tmp_path / "log.db", resume=False)
    win.session.new_incident("H2S 101", exercise=True, clock=ManualClock(START))
    win.session.timer.stop()


def test_timeline_details_name_the_person_and_point_to_the_assembly_point(window, tmp_path, mini_plant):
    _incident(window, tmp_path)
    panel = window.timeline_panel
    pid = str(mini_plant.personnel.index[0])
    name = str(mini_plant.personnel.at[pid, "name"])
    text = f"person.mustered person_id={pid} assembly_point_id=AP1 by=window"
    assert panel.details(text) == f"{name} ({pid}) · → AP1 · by window"
    assert panel.details("level.changed level=L3 from=L2 to=L3 reason=wind turned") == \
        "level L3 · from L2 · to L3 · why wind turned"
    assert panel.details("incident.opened title=Leak at T-1") == "Leak at T-1"
    assert panel.details("device.online") == ""


def test_the_alarm_state_stays_in_view_beside_a_long_detector_name(window, qtbot, tmp_path):
    _incident(window, tmp_path)
    window.alarm_dock.show()
    window.new_alarm(100.0, 100.0, "warn", "a very long description of what the operator saw near the unit " * 3)
    panel = window.alarm_panel
    panel.refresh()
    t = panel.table
    qtbot.waitUntil(lambda: t.rowCount() == 1)
    right_of_state = t.columnViewportPosition(3) + t.columnWidth(3)
    assert t.columnViewportPosition(3) >= 0
    assert right_of_state <= t.viewport().width()
    assert t.item(0, 3).toolTip() == t.item(0, 3).text()
    assert t.item(0, 3).font().bold()  # not yet acknowledged


def test_before_any_incident_the_time_columns_carry_the_plants_offset(window, qtbot):
    # the mini plant is in Asia/Shanghai: UTC+08:00 all year (no daylight saving since 1991)
    assert window.session.runtime is None
    for panel in (window.alarm_panel, window.timeline_panel, window.comms_panel):
        qtbot.waitUntil(lambda p=panel: "UTC+08:00" in p.table.horizontalHeaderItem(0).text())


def test_the_help_shows_menu_texts_without_their_mnemonics():
    from commandcenter.ui.help_overlay import plain

    assert plain("新建事件(&N)…") == "新建事件"
    assert plain("&Quit") == "Quit"
    assert plain("Launch the proposed plan…") == "Launch the proposed plan"
