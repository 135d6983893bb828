"""Which roster shift is on duty at a given moment.

Rule (documented in docs/plans.md): three crews A, B, C work a 3-shift, 8-hour rotation in the
plant's local time — night 00:00–08:00, morning 08:00–16:00, evening 16:00–24:00. A crew keeps the
same period for a week (Monday 00:00 to Monday 00:00) and then rotates forward (night → morning →
evening → night). In the week starting on the anchor Monday (2026-01-05) crew A works nights, B
mornings and C evenings. Day staff (``day``) work Monday to Friday 08:00–17:00 local time (public
holidays are not modelled). A roster row without a shift counts as ``day``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

CREWS = ("A", "B", "C")
PERIODS = ("night", "morning", "evening")


@dataclass(frozen=True)
class ShiftCalendar:
    """The shift rule of one plant: its time zone, the anchor Monday, crews and day-staff hours."""

    timezone: str = "Asia/Shanghai"
    anchor: dt.date = dt.date(2026, 1, 5)
    crews: tuple[str, ...] = CREWS
    shift_hours: int = 8
    day_start_h: float = 8.0
    day_end_h: float = 17.0
    day_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)

    def __post_init__(self) -> None:
        if self.anchor.weekday() != 0:
            raise ValueError(f"ShiftCalendar anchor {self.anchor} must be a Monday")
        if 24 % self.shift_hours or 24 // self.shift_hours != len(self.crews):
            raise ValueError(f"{len(self.crews)} crews cannot cover 24 h with {self.shift_hours} h shifts")

    def local(self, t: dt.datetime) -> dt.datetime:
        """``t`` in the plant's local time (``t`` must be timezone-aware)."""
        if t.tzinfo is None or t.utcoffset() is None:
            raise ValueError(f"time {t.isoformat()} is not timezone-aware")
        return t.astimezone(ZoneInfo(self.timezone))

    def crew_on_duty(self, t: dt.datetime) -> str:
        """The crew (A, B or C) working its shift at ``t``."""
        lt = self.local(t)
        period = lt.hour // self.shift_hours
        week = (lt.date() - self.anchor).days // 7
        return self.crews[(period - week) % len(self.crews)]

    def day_staff_on_duty(self, t: dt.datetime) -> bool:
        """True during day-staff hours (Mon–Fri 08:00–17:00 local by default)."""
        lt = self.local(t)
        h = lt.hour + lt.minute / 60 + lt.second / 3600
        return lt.weekday() in self.day_weekdays and self.day_start_h <= h < self.day_end_h

    def on_duty(self, t: dt.datetime) -> frozenset[str]:
        """The shift codes on duty at ``t``: the crew, plus ``day`` in day-staff hours."""
        return frozenset({self.crew_on_duty(t), *(("day",) if self.day_staff_on_duty(t) else ())})
