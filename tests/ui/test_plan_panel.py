"""The Plan dock: the plan proposed for the alarm, Launch with a confirmation that states level, scope and the
people and devices ordered (checked against what the launch then records and a brute-force head count),
raising and lowering the level, and the library for another plan."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from PySide6.QtWidgets import QInputDialog, QMessageBox

from commandcenter.paths import DATA_DIR
from commandcenter.runtime import ManualClock
from commandcenter.ui import translations
from commandcenter.ui.main_window import MainWindow
from commandcenter.ui.plan_panel import PlanPanel
from commandcenter.ui.session import IncidentSession
from commandcenter.ui.task_panel import TaskPanel
from vocabulary.events import Draft

DAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _session(qtbot, tmp_path, plant) -> tuple[IncidentSession, PlanPanel, TaskPanel, ManualClock]:
    session = IncidentSession()
    panel = PlanPanel(session=session)
    tasks = TaskPanel(session)
    qtbot.addWidget(panel)
    qtbot.addWidget(tasks)
    session.set_plant(plant)
    panel.set_plant(plant)
    tasks.set_plant(plant)
    clock = ManualClock(DAY)
    session.open_log(tmp_path / "log.db", resume=False)
    session.new_incident("t", exercise=True, clock=clock)
    session.timer.stop()  # drive the clock by hand
    return session, panel, tasks, clock


def _alarm(session, clock, plant, sensors: list[str], level: str, value: float) -> None:
    for sid in sensors:
        clock.advance(5)
        session.submit(Draft("sensor.alarm", clock.now(), {"sensor_id": sid, "level": level, "value": value,
                                                            "unit": "ppm", "substance": "H2S", "kind": "gas"}))


def test_main_window_has_the_plan_dock_listing_the_library(qtbot, demo_plant):
    win = MainWindow()
    qtbot.addWidget(win)
    win.set_plant(demo_plant)
    panel = win.plan_panel
    assert isinstance(panel, PlanPanel)
    n = len(list((DATA_DIR / "plans").glob("*.yaml")))
    assert panel.plan_table.rowCount() == n >= 12
    assert all(panel.plan_table.item(i, 2).text() in ("valid", "有效") for i in range(n))
    assert win.plan_dock.toggleViewAction() in win.view_menu.actions()
    assert panel.plant is demo_plant


def test_the_proposal_follows_the_plans_own_triggers(qtbot, tmp_path, demo_plant):
    """Two H2S detectors at the first level propose the H2S plan at L1; at 25 ppm on two detectors, the level of
    the highest trigger they meet in the plan's own YAML (read here by hand: threshold and detector count)."""
    session, panel, _, clock = _session(qtbot, tmp_path, demo_plant)
    _alarm(session, clock, demo_plant, ["GD-001"], "warn", 12.0)
    qtbot.waitUntil(lambda: panel.proposed() is not None)
    assert (panel.proposed().plan_id, panel.proposed().level) == ("h2s-release", "L1")
    _alarm(session, clock, demo_plant, ["GD-002"], "alarm", 25.0)
    raw = yaml.safe_load((DATA_DIR / "plans" / "h2s_release.yaml").read_text(encoding="utf-8"))
    met = [t["level"] for t in raw["triggers"] if t["kind"] == "sensor" and t["threshold"] <= 25.0
           and t["min_detectors"] <= 2]
    qtbot.waitUntil(lambda: sorted(panel.alarm()["sensors"]) == ["GD-001", "GD-002"])  # one alarm, two detectors
    assert panel.proposed().level == max(met)
    session.shutdown()


def test_the_confirmation_states_what_the_launch_then_orders(qtbot, tmp_path, demo_plant):
    session, panel, tasks, clock = _session(qtbot, tmp_path, demo_plant)
    _alarm(session, clock, demo_plant, ["GD-001", "GD-002"], "alarm", 25.0)
    qtbot.waitUntil(lambda: panel.alarm() is not None and len(panel.alarm()["sensors"]) == 2
                    and panel.launch_button.isEnabled())
    panel.level_combo.setCurrentIndex(panel.level_combo.findData("L2"))
    box = panel.request_launch()
    assert isinstance(box, QMessageBox)
    pv = panel.last_preview
    text = box.text()
    assert "L2" in text
    assert "200 m" in text
    assert f"{len(pv.devices)} field devices" in text
    assert "EXERCISE" in text
    # the head count inside 200 m of the alarm, by brute force over the population file
    a = panel.alarm()
    pop = demo_plant.population
    inside = sorted(str(i) for i, x, y in zip(pop["id"], pop["x"], pop["y"], strict=True)
                    if ((x - a["x"]) ** 2 + (y - a["y"]) ** 2) ** 0.5 <= 200.0)
    assert sorted(pv.evacuate) == inside
    with qtbot.waitSignal(panel.launched):
        qtbot.mouseClick(box.launch_button, qtbot_button())
    events = list(session.store.events(session.runtime.incident_id))
    assigned = [e for e in events if e.type == "task.assigned" and e.payload.get("plan_id") == "h2s-release"]
    assert len(assigned) == pv.tasks
    assert {e.payload["person_id"] for e in assigned} == set(pv.assignees)
    notified = {e.payload["person_id"] for e in events
                if e.type == "notification.sent" and e.payload.get("person_id")}
    assert notified == set(pv.notified)
    ordered = [e for e in events if e.type == "evacuation.ordered"]
    assert len(ordered) == 1
    assert sorted(ordered[0].payload["people"]) == inside
    roster = demo_plant.personnel
    people = set(pv.assignees) | set(pv.notified) | set(inside)
    devices = {str(roster.at[p, "device_id"]) for p in people if isinstance(roster.at[p, "device_id"], str)}
    assert set(pv.devices) == devices
    qtbot.waitUntil(lambda: len(tasks.rows()) == len(assigned))  # at the alarm level at once: no check asked
    session.shutdown()


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_launch_fills_the_task_board_and_escalation_shows(qtbot, tmp_path, demo_plant):
    """The board is the task projection of the log: an hour later the unacknowledged tasks are overdue."""
    session, panel, tasks, clock = _session(qtbot, tmp_path, demo_plant)
    panel.select_plan("h2s-release")
    with qtbot.waitSignal(session.changed):
        events = panel.launch("h2s-release", "L2")
    assigned = [e for e in events if e.type == "task.assigned"]
    qtbot.waitUntil(lambda: len(tasks.rows()) == len(assigned) > 10)
    assert {r[3] for r in tasks.rows()} <= {"assigned", "已分派"}
    assert all(r[1] for r in tasks.rows())
    clock.advance(3600)
    with qtbot.waitSignal(session.changed):
        session.heartbeat()
    # nobody acknowledged anything: every open task says so, not a bare "overdue"
    qtbot.waitUntil(lambda: any(r[3] in ("not acknowledged in time", "未按时回复") for r in tasks.rows()))
    assert tasks._groups["overdue"].childCount() > 0
    session.shutdown()


def test_lowering_the_level_asks_why_and_records_it(qtbot, tmp_path, demo_plant, monkeypatch):
    session, panel, _, _ = _session(qtbot, tmp_path, demo_plant)
    panel.launch("h2s-release", "L3")
    qtbot.waitUntil(lambda: panel.lower_button.isEnabled())
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("leak isolated", True)))
    box = panel.request_level_change(-1)
    assert box is not None
    assert "L2" in box.text()
    with qtbot.waitSignal(panel.launched):
        box.launch_button.click()
    assert session.state["incident"]["level"] == "L2"
    last = [e for e in session.store.events(session.runtime.incident_id) if e.type == "level.changed"][-1]
    assert (last.payload["to"], last.payload["reason"], last.payload["by"]) == ("L2", "leak isolated", "window")
    box = panel.request_level_change(+1)
    assert box is not None
    assert "L3" in box.text()
    box.reject()
    session.shutdown()


def test_invalid_plan_is_listed_and_cannot_be_launched(qtbot, tmp_path: Path, demo_plant):
    d = tmp_path / "plans"
    shutil.copytree(DATA_DIR / "plans", d)
    (d / "zz_broken.yaml").write_text("id: broken\ntitle: {zh: 坏预案, en: Broken}\n", encoding="utf-8")
    panel = PlanPanel(d)
    qtbot.addWidget(panel)
    panel.set_plant(demo_plant)
    last = panel.plan_table.rowCount() - 1
    assert panel.plan_table.item(last, 2).text() in ("invalid", "无效")
    assert "is required" in panel.plan_table.item(last, 2).toolTip()
    panel.select_plan("broken")
    assert panel.choice() is None
    assert not panel.launch_button.isEnabled()


def test_chinese_titles_in_chinese_ui(qapp, qtbot, demo_plant):
    translations.install_translations(qapp, "zh_CN")
    try:
        panel = PlanPanel()
        qtbot.addWidget(panel)
        titles = [panel.plan_table.item(i, 0).text() for i in range(panel.plan_table.rowCount())]
        assert "硫化氢泄漏中毒事故专项应急预案" in titles
        assert panel.launch_button.text() == "启动…"
    finally:
        translations.remove_translations(qapp)




def test_the_confirmation_names_outside_agencies_in_the_ui_language(qapp, qtbot, tmp_path, demo_plant):
    """The plan lists agencies by contact id (fire_119 …); the confirmation names them as the plan file does, in
    Chinese in a Chinese UI and in English in an English one."""
    doc = yaml.safe_load((DATA_DIR / "plans" / "h2s_release.yaml").read_text(encoding="utf-8"))
    agencies = doc["levels"]["L3"]["agencies"]
    names = {c["id"]: c["name"] for c in doc["contacts"]}
    assert len(agencies) >= 3
    session, panel, _tasks, _clock = _session(qtbot, tmp_path, demo_plant)
    pv = panel.preview("h2s-release", "L3")
    assert list(pv.agencies) == agencies
    translations.install_translations(qapp, "zh_CN")
    try:
        text = panel.confirmation_text(pv)
    finally:
        translations.remove_translations(qapp)
    for cid in agencies:
        assert cid not in text
        assert names[cid]["zh"] in text
    text = panel.confirmation_text(pv)
    for cid in agencies:
        assert cid not in text
        assert names[cid]["en"] in text
    session.shutdown()


def test_one_responder_is_singular_on_the_muster_board(qtbot, monkeypatch):
    from types import SimpleNamespace

    from commandcenter.ui.muster_panel import MusterPanel

    panel = MusterPanel(IncidentSession())
    qtbot.addWidget(panel)
    words = {}
    for n in (0, 1, 2):
        board = SimpleNamespace(unaccounted=[], ordered=3, on_site=5, mustered=2, responders=set(range(n)), points=[])
        monkeypatch.setattr(panel, "compute", lambda board=board: board)
        panel.redraw()
        words[n] = panel.detail_label.text()
    assert words[1].endswith("1 responder on a task")
    assert words[2].endswith("2 responders on tasks")
    assert words[0].endswith("0 responders on tasks")
