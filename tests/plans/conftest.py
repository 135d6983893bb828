"""Shared fixtures for the plan tests: the plan library and the demo roster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

REPO = Path(__file__).resolve().parents[2]
PLANS_DIR = REPO / "data" / "plans"
SHANGHAI = ZoneInfo("Asia/Shanghai")
#: a Tuesday 10:00 local: crew of the morning period and day staff on duty
DAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)
#: the same Tuesday 02:00 local: only the night crew on duty
NIGHT = dt.datetime(2026, 3, 10, 2, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="session")
def library():
    """The validated plan library of data/plans, by id."""
    from plans.library import load_library, valid_plans

    return valid_plans(load_library(PLANS_DIR))


@pytest.fixture(scope="session")
def demo_roster_frame(demo_plant):
    """The demo plant loaded once (session), for building fresh rosters."""
    return demo_plant


@pytest.fixture
def engine(library, demo_plant):
    """A fresh engine over the whole library and the demo plant's roster."""
    from plans.engine import PlanEngine
    from plans.roster import Roster
    from plans.shifts import ShiftCalendar

    return PlanEngine(library, Roster.from_plant(demo_plant), ShiftCalendar(demo_plant.timezone))
