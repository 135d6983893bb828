"""The launch confirmation at 02:00 names the roles with nobody on shift and the tasks nobody will get, in the UI
language, instead of a bare "0 people notified". The roster, plan and shift rule are those of
``tests/commandcenter/test_launch_preview_staffing.py``, where the expected lists are worked out by hand.
``CC_SCREENSHOT_DIR`` names a folder to keep the dialog as PNG (one per language)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from commandcenter.runtime import ManualClock
from commandcenter.ui import translations
from commandcenter.ui.fonts import ensure_cjk_font
from commandcenter.ui.plan_panel import PlanPanel
from commandcenter.ui.session import IncidentSession
from gis.loader import load_plant
from tests.commandcenter.test_launch_preview_staffing import NIGHT, PLAN, ROSTER
from tests.conftest import MINI_PLANT


@pytest.fixture
def night(tmp_path, monkeypatch):
    """The mini plant with the night roster, the night plan as the whole library (the panel's and the
    incident's), and the plant loaded."""
    plant_dir = tmp_path / "plant"
    shutil.copytree(MINI_PLANT, plant_dir)
    (plant_dir / "personnel.csv").write_text(ROSTER, encoding="utf-8")
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "night.yaml").write_text(PLAN, encoding="utf-8")
    monkeypatch.setattr("commandcenter.runtime.plan_host.default_plans_dir", lambda: plans)
    return load_plant(plant_dir), plans


def _confirmation(qtbot, tmp_path, night) -> tuple[IncidentSession, QMessageBox]:
    plant, plans = night
    session = IncidentSession()
    panel = PlanPanel(plans, session=session)
    qtbot.addWidget(panel)
    session.set_plant(plant)
    panel.set_plant(plant)
    session.open_log(tmp_path / "log.db", resume=False)
    session.new_incident("night", exercise=True, clock=ManualClock(NIGHT))
    session.timer.stop()
    panel.select_plan("night-check")
    panel.level_combo.setCurrentIndex(panel.level_combo.findData("L1"))
    box = panel.request_launch()
    assert isinstance(box, QMessageBox)
    return session, box


def _keep(box: QMessageBox, tmp_path: Path, lang: str) -> None:
    out = Path(os.environ.get("CC_SCREENSHOT_DIR") or tmp_path / "shots") / lang
    out.mkdir(parents=True, exist_ok=True)
    assert box.grab().save(str(out / "launch_confirm_night.png"))


def test_the_night_confirmation_names_the_missing_roles_and_the_unassigned_tasks(qtbot, tmp_path, night):
    session, box = _confirmation(qtbot, tmp_path, night)
    plain = " ".join(box.text().replace("<br>", " ").split())
    assert ("Firefighter (on shift from 08:00), Fire captain (on shift from 16:00), Medic (on shift from 08:00), "
            "Doctor (nobody on the roster), Security guard (nobody on the roster).") in plain
    assert "No one on shift for:" in plain
    assert ("4 task(s) will be unassigned:</b> Fight the fire; First aid; Test the air (nobody qualified on shift); "
            "Doctor treats the injured.") in plain
    assert "4 unassigned" in plain
    _keep(box, tmp_path, "en")
    box.reject()
    session.shutdown()


def test_in_chinese_the_roles_and_tasks_are_named_in_chinese(qapp, qtbot, tmp_path, night):
    ensure_cjk_font(qapp)  # as the app does: the screenshot shows Chinese, not boxes
    translations.install_translations(qapp, "zh_CN")
    try:
        session, box = _confirmation(qtbot, tmp_path, night)
        text = box.text()
        # role names from the roster vocabulary's Chinese, task titles from the plan's zh
        for word in ("消防员", "消防队长", "医护员", "医生", "保安"):
            assert word in text, word
        assert "灭火；现场急救；气体检测" in text
        assert "Fight the fire" not in text
        _keep(box, tmp_path, "zh")
        box.reject()
        session.shutdown()
    finally:
        translations.remove_translations(qapp)


def test_a_fully_staffed_launch_adds_no_warning(qtbot, tmp_path, night):
    """With every role of the plan held, gas-tested, on each of crews A, B and C, nothing is missing at 02:00."""
    _plant, plans = night
    roles = ["shift_supervisor", "control_room_operator", "firefighter", "fire_captain", "medic", "operator",
             "doctor", "security_guard"]
    rows = [f"Q{i}{c},n,{r},,,gas_testing,Z1,,{c}" for i, r in enumerate(roles) for c in ("A", "B", "C")]
    plant_dir = tmp_path / "plant"
    (plant_dir / "personnel.csv").write_text(
        "id,name,role,team,phone,qualifications,home_zone,device_id,shift\n" + "\n".join(rows) + "\n",
        encoding="utf-8")
    session, box = _confirmation(qtbot, tmp_path, (load_plant(plant_dir), plans))
    assert "No one on shift" not in box.text()
    assert "will be unassigned" not in box.text()
    box.reject()
    session.shutdown()
