"""The plans dock: library listing, launch against the roster, the task board and escalation on it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from commandcenter.paths import DATA_DIR
from commandcenter.ui import translations
from commandcenter.ui.main_window import MainWindow
from commandcenter.ui.plan_panel import PlanPanel

DAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_main_window_has_the_plans_dock_listing_the_library(qtbot, demo_plant):
    win = MainWindow()
    qtbot.addWidget(win)
    win.set_plant(demo_plant)
    panel = win.plan_dock.widget()
    assert isinstance(panel, PlanPanel)
    n = len(list((DATA_DIR / "plans").glob("*.yaml")))
    assert panel.plan_table.rowCount() == n >= 12
    assert all(panel.plan_table.item(i, 2).text() in ("valid", "有效") for i in range(n))
    action = win.plan_dock.toggleViewAction()
    assert action in win.view_menu.actions()
    assert action in win.hazard_tool.menu.actions()
    assert win.plan_dock.isHidden()  # the map keeps its size until the dock is asked for
    action.trigger()
    assert not win.plan_dock.isHidden()
    assert panel.plant is demo_plant


def test_launch_fills_the_task_board_and_escalation_shows(qtbot, tmp_path, demo_plant):
    """The board is the task projection of the log: the launch is recorded through the runtime, and an
    hour later the unacknowledged tasks show overdue (the runtime's tick records the escalation)."""
    from commandcenter.runtime import ManualClock
    from commandcenter.ui.session import IncidentSession

    session = IncidentSession()
    panel = PlanPanel(session=session)
    qtbot.addWidget(panel)
    session.set_plant(demo_plant)
    panel.set_plant(demo_plant)
    clock = ManualClock(DAY)
    session.open_log(tmp_path / "log.db", resume=False)
    session.new_incident("t", exercise=True, clock=clock)
    session.timer.stop()  # drive the clock by hand
    panel.select_plan("h2s-release")
    assert panel.launch_button.isEnabled()
    with qtbot.waitSignal(session.changed):
        events = panel.launch("h2s-release", "L2")
    assigned = [e for e in events if e.type == "task.assigned"]
    assert panel.board.rowCount() == len(assigned) > 10
    states = {panel.board.item(i, 3).text() for i in range(panel.board.rowCount())}
    assert states <= {"assigned", "已分派"}
    assert all(panel.board.item(i, 1).text() for i in range(panel.board.rowCount()))
    clock.advance(3600)
    with qtbot.waitSignal(session.changed):
        session.heartbeat()
    states = [panel.board.item(i, 3).text() for i in range(panel.board.rowCount())]
    assert "overdue" in states or "已超时" in states
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
    assert not panel.launch_button.isEnabled()


def test_chinese_titles_in_chinese_ui(qapp, qtbot, demo_plant):
    translations.install_translations(qapp, "zh_CN")
    try:
        panel = PlanPanel()
        qtbot.addWidget(panel)
        titles = [panel.plan_table.item(i, 0).text() for i in range(panel.plan_table.rowCount())]
        assert "硫化氢泄漏中毒事故专项应急预案" in titles
        assert panel.launch_button.text() == "按级别启动…"
    finally:
        translations.remove_translations(qapp)
