"""The shift calendar: 3 crews × 8 h rotating weekly, day staff Mon–Fri 08–17 local."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from plans.shifts import ShiftCalendar

SH = ZoneInfo("Asia/Shanghai")


def test_anchor_week_crews():
    cal = ShiftCalendar()
    monday = dt.datetime(2026, 1, 5, tzinfo=SH)
    assert [cal.crew_on_duty(monday.replace(hour=h)) for h in (0, 7, 8, 15, 16, 23)] == ["A", "A", "B", "B", "C", "C"]


def test_crews_rotate_forward_each_week():
    cal = ShiftCalendar()
    week2 = dt.datetime(2026, 1, 12, tzinfo=SH)
    # A: nights → mornings, B: mornings → evenings, C: evenings → nights
    assert [cal.crew_on_duty(week2.replace(hour=h)) for h in (2, 10, 18)] == ["C", "A", "B"]


def test_every_moment_has_exactly_one_crew_and_each_works_8h_a_day():
    cal = ShiftCalendar()
    start = dt.datetime(2026, 3, 10, tzinfo=SH)
    hours = [cal.crew_on_duty(start + dt.timedelta(hours=h)) for h in range(24)]
    assert sorted(hours.count(c) for c in "ABC") == [8, 8, 8]


def test_day_staff_hours_and_weekend():
    cal = ShiftCalendar()
    tue = dt.datetime(2026, 3, 10, tzinfo=SH)
    assert "day" in cal.on_duty(tue.replace(hour=8))
    assert "day" in cal.on_duty(tue.replace(hour=16, minute=59))
    assert "day" not in cal.on_duty(tue.replace(hour=17))
    assert "day" not in cal.on_duty(tue.replace(hour=7))
    assert "day" not in cal.on_duty(dt.datetime(2026, 3, 14, 10, tzinfo=SH))  # Saturday


def test_utc_times_use_plant_local_time():
    cal = ShiftCalendar("Asia/Shanghai")
    utc = dt.datetime(2026, 1, 5, 0, 30, tzinfo=dt.UTC)  # 08:30 in Shanghai
    assert cal.crew_on_duty(utc) == "B"
    assert "day" in cal.on_duty(utc)


def test_bad_calendar_and_naive_time_are_refused():
    with pytest.raises(ValueError, match="Monday"):
        ShiftCalendar(anchor=dt.date(2026, 1, 6))
    with pytest.raises(ValueError, match="timezone-aware"):
        ShiftCalendar().on_duty(dt.datetime(2026, 1, 5, 10))
