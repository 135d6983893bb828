"""Every role of the demo plant's roster reads as a job title in both languages, through Qt's translation system
(the muster and plan panels' role-name table): "HSE officer", not the code with its underscores dropped
("hse officer"). The expected titles are written out here by hand; the roster is read straight from its CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest

from commandcenter.services.muster_board import MusterBoard, Unaccounted
from commandcenter.ui import translations
from commandcenter.ui.muster_panel import ROLE_NAMES, MusterPanel, role_title
from commandcenter.ui.session import IncidentSession
from tests.conftest import DEMO_PLANT

ENGLISH = {
    "operator": "Operator", "contractor": "Contractor", "firefighter": "Firefighter",
    "security_guard": "Security guard", "control_room_operator": "Control room operator",
    "maintenance_technician": "Maintenance technician", "visitor": "Visitor", "unit_supervisor": "Unit supervisor",
    "lab_analyst": "Laboratory analyst", "admin_staff": "Administrative staff", "canteen_staff": "Canteen staff",
    "electrician": "Electrician", "instrument_technician": "Instrument technician", "hse_officer": "HSE officer",
    "process_engineer": "Process engineer", "warehouse_keeper": "Warehouse keeper", "driver": "Driver",
    "department_manager": "Department manager", "equipment_engineer": "Equipment engineer", "welder": "Welder",
    "deputy_manager": "Deputy plant manager", "shift_supervisor": "Shift supervisor", "fire_captain": "Fire captain",
    "medic": "Medic", "electrical_engineer": "Electrical engineer", "instrument_engineer": "Instrument engineer",
    "nurse": "Nurse", "trainer": "Trainer", "plant_manager": "Plant manager", "fire_chief": "Fire chief",
    "maintenance_supervisor": "Maintenance supervisor", "warehouse_supervisor": "Warehouse supervisor",
    "security_chief": "Security chief", "doctor": "Doctor",
}
CHINESE = {
    "operator": "操作工", "contractor": "承包商", "firefighter": "消防员", "security_guard": "保安",
    "control_room_operator": "中控操作员", "maintenance_technician": "维修技工", "visitor": "访客",
    "unit_supervisor": "装置主管", "lab_analyst": "化验分析员", "admin_staff": "行政人员",
    "canteen_staff": "食堂人员", "electrician": "电工", "instrument_technician": "仪表工", "hse_officer": "安全环保员",
    "process_engineer": "工艺工程师", "warehouse_keeper": "仓管员", "driver": "司机", "department_manager": "部门经理",
    "equipment_engineer": "设备工程师",
    "welder": "焊工", "deputy_manager": "副厂长", "shift_supervisor": "值班长", "fire_captain": "消防队长",
    "medic": "医护员", "electrical_engineer": "电气工程师", "instrument_engineer": "仪表工程师", "nurse": "护士",
    "trainer": "培训师", "plant_manager": "厂长", "fire_chief": "消防负责人", "maintenance_supervisor": "维修主管",
    "warehouse_supervisor": "仓储主管", "security_chief": "保卫负责人", "doctor": "医生",
}


def _roster() -> list[dict[str, str]]:
    with open(DEMO_PLANT / "personnel.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ROSTER = _roster()
ROLES = sorted({row["role"] for row in ROSTER})


@pytest.fixture(params=["en", "zh_CN"])
def language(request, qapp) -> Iterator[str]:
    """The UI in English, then in Chinese (the shipped catalogue)."""
    yield translations.install_translations(qapp, request.param)
    translations.remove_translations(qapp)


def _expected(lang: str) -> dict[str, str]:
    return ENGLISH if lang == "en" else CHINESE


def test_the_expected_titles_cover_every_role_of_the_demo_roster() -> None:
    assert len(ROLES) == 34
    assert set(ROLES) == set(ENGLISH) == set(CHINESE)


def test_every_demo_role_is_in_the_translated_table_not_the_fallback() -> None:
    missing = [r for r in ROLES if r not in ROLE_NAMES]
    assert not missing, f"roles shown by the fallback: {missing}"


def test_every_demo_role_has_its_job_title_in_each_language(language) -> None:
    assert translations.current_language() == language
    got = {r: role_title(r) for r in ROLES}
    wrong = {r: (t, _expected(language)[r]) for r, t in got.items() if t != _expected(language)[r]}
    assert not wrong, f"{language}: (shown, expected) {wrong}"
    assert all(t != r.replace("_", " ") for r, t in got.items())


def test_an_unlisted_role_code_still_reads_as_words_with_a_capital() -> None:
    assert role_title("crane_operator") == "Crane operator"
    assert role_title("") == ""


def test_the_muster_board_shows_each_unaccounted_persons_job_title(language, qtbot, monkeypatch) -> None:
    """One unaccounted person per role, taken from the demo roster, drawn by the panel itself."""
    first = {}
    for row in ROSTER:
        first.setdefault(row["role"], row)
    people = [Unaccounted(row["id"], row["name"], role, None, None, None, None, None) for role, row in first.items()]
    panel = MusterPanel(IncidentSession())
    qtbot.addWidget(panel)
    board = MusterBoard(ordered=len(people), on_site=len(people), unaccounted=people)
    monkeypatch.setattr(panel, "compute", lambda: board)
    panel.redraw()
    table = panel.unaccounted
    assert table.rowCount() == len(people)
    shown = {table.item(i, 0).text(): table.item(i, 2).text() for i in range(table.rowCount())}
    expected = _expected(language)
    assert shown == {p.person_id: expected[p.role] for p in people}


def test_the_reassign_list_names_each_candidate_by_job_title(language, qtbot, monkeypatch, demo_plant) -> None:
    """The Tasks panel's reassign choices: the roster's people, the assignee's role first, each with its title."""
    from commandcenter.ui.task_panel import TaskPanel

    officer = next(row["id"] for row in ROSTER if row["role"] == "hse_officer")
    panel = TaskPanel(IncidentSession())
    qtbot.addWidget(panel)
    panel.plant = demo_plant  # the roster only: no redraw of the stand-in task
    monkeypatch.setattr(panel, "tasks", lambda: {"T1": {"to": officer}})
    choices = panel.candidates("T1")
    role = {row["id"]: row["role"] for row in ROSTER}
    assert len(choices) == len(ROSTER) - 1
    expected = _expected(language)
    assert all(label.endswith(" — " + expected[role[pid]]) for label, pid in choices)
    same = sum(1 for r in role.values() if r == "hse_officer") - 1
    assert [role[pid] for _label, pid in choices[:same]] == ["hse_officer"] * same
