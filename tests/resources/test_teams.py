"""Teams and qualifications from the roster: membership rules, qualification expiry, who is on shift."""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pytest

from gis.issues import PlantError
from gis.loader import load_plant
from plans.shifts import ShiftCalendar
from resources.teams import load_teams
from tests.conftest import DEMO_PLANT

from .conftest import EVENING, MORNING, SHANGHAI
from .plants import PERSONNEL, write_plant


def _ids(teams, mask) -> set[str]:
    return {str(i) for i in teams.ids[mask]}


@pytest.fixture(scope="module")
def teams(detour):
    return load_teams(detour, MORNING.date(), ShiftCalendar(detour.timezone))


def test_team_membership_by_role_and_qualification(teams):
    assert _ids(teams, teams.members["fire_brigade"]) == {"F1", "F2", "F3"}
    assert _ids(teams, teams.members["medical"]) == {"M1"}
    assert _ids(teams, teams.members["hazmat"]) == {"F1"}  # the only one with both hazmat and scba
    assert not teams.members["maintenance"].any()


def test_who_is_on_shift_follows_the_plans_calendar(teams):
    # see conftest: on Monday 2026-11-23 crew A works 08-16, B 16-24, C 00-08; day staff 08-17 on weekdays
    assert _ids(teams, teams.on_shift(MORNING)) == {"F1", "F3", "O1", "M1"}
    assert _ids(teams, teams.on_shift(EVENING)) == {"F2"}
    sunday = dt.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)  # week 45 = 0 (mod 3): B mornings; no day staff
    assert _ids(teams, teams.on_shift(sunday)) == {"F2"}


def test_an_expired_qualification_does_not_count(teams):
    # F3's SCBA ticket ran out on 2026-01-01; F1's runs to 2030; F2's and O1's never expire
    assert _ids(teams, teams.qualified(("scba",), dt.date(2026, 11, 23))) == {"F1", "F2", "O1"}
    assert _ids(teams, teams.qualified(("scba",), dt.date(2026, 1, 1))) == {"F1", "F2", "F3", "O1"}
    assert _ids(teams, teams.select(MORNING, quals=("scba",))) == {"F1", "O1"}
    assert _ids(teams, teams.select(MORNING, team="fire_brigade", quals=("scba", "first_aid"))) == {"F1"}
    assert not teams.qualified(("crane",), dt.date(2026, 11, 23)).any()
    warned = {(w.feature, w.code) for w in teams.issues}
    assert warned == {("F3", "qualification-expired")}


def test_expiring_ticket_is_warned(detour_dir, tmp_path):
    plant = load_plant(write_plant(tmp_path / "p", personnel=PERSONNEL.replace("scba=2030-01-01", "scba=2026-12-10")))
    teams = load_teams(plant, dt.date(2026, 11, 23), ShiftCalendar(plant.timezone))
    assert ("F1", "qualification-expiring") in {(w.feature, w.code) for w in teams.issues}


@pytest.mark.parametrize(("cell", "code", "text"), [
    ("scba:2027-01-01", "bad-value", "not qualification=YYYY-MM-DD"),
    ("scba=next year", "bad-value", "ISO date"),
])
def test_bad_expiry_is_refused_naming_person_and_field(tmp_path, cell, code, text):
    plant = load_plant(write_plant(tmp_path / "p", personnel=PERSONNEL.replace("scba=2030-01-01", cell)))
    with pytest.raises(PlantError) as err:
        load_teams(plant, dt.date(2026, 11, 23), ShiftCalendar(plant.timezone))
    (e,) = err.value.errors
    assert (e.code, e.feature, e.field) == (code, "F1", "qualification_expiry")
    assert text in e.message


def test_expiry_for_a_qualification_not_held_is_a_warning(tmp_path):
    plant = load_plant(write_plant(tmp_path / "p", personnel=PERSONNEL.replace("scba=2030-01-01", "crane=2030-01-01")))
    teams = load_teams(plant, dt.date(2026, 11, 23), ShiftCalendar(plant.timezone))
    assert ("F1", "unknown-reference") in {(w.feature, w.code) for w in teams.issues}


def test_named_emergency_team_column(tmp_path):
    text = PERSONNEL.replace("qualification_expiry\n", "qualification_expiry,emergency_team\n", 1)
    lines = text.splitlines()
    lines = [lines[0]] + [ln + (",maintenance;security" if ln.startswith("O1") else ",") for ln in lines[1:]]
    plant = load_plant(write_plant(tmp_path / "p", personnel="\n".join(lines) + "\n"))
    teams = load_teams(plant, dt.date(2026, 11, 23), ShiftCalendar(plant.timezone))
    assert teams.teams_of(teams.row["O1"]) == ["maintenance", "security"]
    bad = load_plant(write_plant(tmp_path / "q", personnel="\n".join(lines).replace("security", "wizards") + "\n"))
    with pytest.raises(PlantError, match="unknown team 'wizards'"):
        load_teams(bad, dt.date(2026, 11, 23), ShiftCalendar(plant.timezone))


def test_demo_plant_teams_match_the_roster_file(demo_plant):
    with (DEMO_PLANT / "personnel.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fire = {r["id"] for r in rows if r["role"] in ("firefighter", "fire_captain", "fire_chief")}
    hazmat = {r["id"] for r in rows if {"hazmat", "scba"} <= set(r["qualifications"].split(";"))}
    t = dt.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)  # week 47: crew C mornings, day staff on
    on = {r["id"] for r in rows if (r.get("shift") or "day") in ("C", "day")}
    teams = load_teams(demo_plant, t.date(), ShiftCalendar(demo_plant.timezone))
    assert _ids(teams, teams.members["fire_brigade"]) == fire
    assert _ids(teams, teams.members["hazmat"]) == hazmat
    assert _ids(teams, teams.on_shift(t)) == on
    summary = {s["team"]: s for s in teams.summary(t)}
    assert summary["fire_brigade"]["on_shift"] == len(fire & on)
    assert np.all(teams.held.sum(axis=1) == [len([q for q in r["qualifications"].split(";") if q]) for r in rows])
