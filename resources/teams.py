"""Emergency teams and qualifications from the roster, with qualification expiry and who is on shift.

The roster is the plans engine's (:class:`plans.roster.Roster`: roles, qualification bit masks, shifts,
positions) and so is the shift rule (:class:`plans.shifts.ShiftCalendar`): this module adds no second
calendar and no second copy of the roster, only what the engine does not hold.

**Teams.** A person belongs to an emergency team by role or qualification (rule below), and also to
every team named in the optional roster column ``emergency_team`` (``;``-separated):

- ``fire_brigade``: roles firefighter, fire_captain, fire_chief;
- ``medical``: roles medic, doctor, nurse, or the ``emergency_medical`` qualification;
- ``hazmat``: holds both ``hazmat`` and ``scba`` (may enter a toxic atmosphere);
- ``maintenance``: roles maintenance_technician, maintenance_supervisor, electrician,
  instrument_technician, welder;
- ``security``: roles security_guard, security_chief.

**Qualification expiry.** The optional roster column ``qualification_expiry`` holds
``qualification=YYYY-MM-DD`` pairs separated by ``;`` (``scba=2027-03-31;first_aid=2026-12-01``): the
last day the certificate is valid. A qualification without a date does not expire. An expired
qualification does not count (:meth:`Teams.qualified`) and is warned about at load.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from gis import schema
from gis.issues import Issue, IssueCollector
from plans.roster import Roster, qualification_mask
from plans.shifts import ShiftCalendar
from plans.vocabulary import QUALIFICATIONS

TEAM_RULES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    # team -> (roles, qualifications all held)
    "fire_brigade": (frozenset({"firefighter", "fire_captain", "fire_chief"}), ()),
    "medical": (frozenset({"medic", "doctor", "nurse"}), ("emergency_medical",)),
    "hazmat": (frozenset(), ("hazmat", "scba")),
    "maintenance": (frozenset({"maintenance_technician", "maintenance_supervisor", "electrician",
                               "instrument_technician", "welder"}), ()),
    "security": (frozenset({"security_guard", "security_chief"}), ()),
}
TEAMS: tuple[str, ...] = tuple(TEAM_RULES)
EXPIRY_NOTICE_DAYS = 30
_NEVER = np.iinfo(np.int64).max
_SOURCE = "personnel.csv"
_QINDEX = {q: i for i, q in enumerate(QUALIFICATIONS)}


@dataclass
class Teams:
    """The roster with teams and qualification expiry (rows as in ``roster``).

    ``members[team]`` is a boolean row mask; ``expiry[row, q]`` the proleptic ordinal of the last valid
    day of qualification ``q`` (index into :data:`plans.vocabulary.QUALIFICATIONS`; never = int64 max);
    ``issues`` the problems found at load (codes ``qualification-expired``, ``qualification-expiring``,
    ``unknown-reference``).
    """

    roster: Roster
    calendar: ShiftCalendar
    members: dict[str, np.ndarray]
    expiry: np.ndarray
    teams_of_row: list[tuple[str, ...]]
    issues: list[Issue] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.roster)

    def on_shift(self, t: dt.datetime) -> np.ndarray:
        """Who is on duty at ``t`` (aware): the engine's calendar applied to the roster's shifts."""
        return np.isin(self.roster.shifts, list(self.calendar.on_duty(t)))

    def valid_quals(self, today: dt.date) -> np.ndarray:
        """Each person's qualification bit mask without the qualifications expired before ``today``."""
        dead = self.expiry < today.toordinal()
        bits = (dead * (np.int64(1) << np.arange(len(QUALIFICATIONS), dtype=np.int64))).sum(axis=1)
        return self.roster.quals & ~bits.astype(np.int64)

    def qualified(self, quals: tuple[str, ...] | list[str], today: dt.date) -> np.ndarray:
        """Who holds every one of ``quals``, unexpired on ``today``."""
        need = qualification_mask(quals)
        return (self.valid_quals(today) & need) == need

    def select(self, t: dt.datetime, *, team: str | None = None, quals: tuple[str, ...] = (),
               on_shift: bool = True) -> np.ndarray:
        """Rows in ``team`` (any when None) holding ``quals`` valid on ``t``'s local date, on shift at ``t``."""
        m = np.ones(len(self), bool) if team is None else self.members[team].copy()
        if quals:
            m &= self.qualified(quals, self.calendar.local(t).date())
        if on_shift:
            m &= self.on_shift(t)
        return m

    def person(self, row: int, t: dt.datetime) -> dict[str, object]:
        """One person as a JSON-ready dict: id, name, role, teams, valid qualifications, shift, on duty."""
        r = self.roster
        today = self.calendar.local(t).date()
        mask = int(self.valid_quals(today)[row])
        return {"id": str(r.ids[row]), "name": str(r.names[row]), "role": str(r.roles[row]),
                "teams": list(self.teams_of_row[row]), "shift": str(r.shifts[row]),
                "on_shift": bool(self.on_shift(t)[row]),
                "qualifications": [q for q in QUALIFICATIONS if mask & (1 << _QINDEX[q])]}

    def summary(self, t: dt.datetime) -> list[dict[str, object]]:
        """Per team: members, members on shift at ``t``, and those of them with a valid ``scba`` ticket."""
        on = self.on_shift(t)
        scba = self.qualified(("scba",), self.calendar.local(t).date())
        return [{"team": team, "members": int(m.sum()), "on_shift": int((m & on).sum()),
                 "on_shift_scba": int((m & on & scba).sum()),
                 "on_shift_ids": [str(i) for i in self.roster.ids[m & on]]}
                for team, m in self.members.items()]


def _split(text: object) -> list[str]:
    return [] if schema.is_missing(text) else [p.strip() for p in str(text).replace(",", ";").split(";") if p.strip()]


def load_teams(plant, today: dt.date, calendar: ShiftCalendar | None = None, roster: Roster | None = None) -> Teams:
    """Teams of a loaded plant (``roster`` default :meth:`Roster.from_plant`, ``calendar`` default the plant's
    time zone's :class:`ShiftCalendar`, as the plans engine builds them). Warnings are dated ``today``.

    Raises :class:`gis.issues.PlantError` for a ``qualification_expiry`` entry that is not
    ``qualification=YYYY-MM-DD`` or names an unknown qualification, or an unknown ``emergency_team``.
    """
    roster = roster if roster is not None else Roster.from_plant(plant)
    calendar = calendar or ShiftCalendar(plant.timezone)
    pers = plant.personnel
    n = len(roster)
    issues = IssueCollector()
    expiry = np.full((n, len(QUALIFICATIONS)), _NEVER, dtype=np.int64)
    extra_teams: list[list[str]] = [[] for _ in range(n)]
    exp_col = pers["qualification_expiry"].tolist() if "qualification_expiry" in pers.columns else [None] * n
    team_col = pers["emergency_team"].tolist() if "emergency_team" in pers.columns else [None] * n
    for row, pid in enumerate(roster.ids.tolist()):
        held = int(roster.quals[row])
        for part in _split(exp_col[row]):
            q, sep, when = (s.strip() for s in part.partition("="))
            if not sep or q not in _QINDEX:
                what = f"unknown qualification {q!r}" if sep else f"{part!r} is not qualification=YYYY-MM-DD"
                issues.error("bad-value", _SOURCE, what, pid, "qualification_expiry")
                continue
            try:
                day = dt.date.fromisoformat(when)
            except ValueError:
                issues.error("bad-value", _SOURCE, f"{q}: expected an ISO date (YYYY-MM-DD), got {when!r}", pid,
                             "qualification_expiry")
                continue
            if not held & (1 << _QINDEX[q]):
                issues.warn("unknown-reference", _SOURCE, f"expiry given for {q}, which the person does not hold",
                            pid, "qualification_expiry")
                continue
            expiry[row, _QINDEX[q]] = day.toordinal()
            if day < today:
                issues.warn("qualification-expired", _SOURCE, f"{q} certificate expired on {day.isoformat()}",
                            pid, "qualification_expiry")
            elif (day - today).days < EXPIRY_NOTICE_DAYS:
                issues.warn("qualification-expiring", _SOURCE, f"{q} certificate expires on {day.isoformat()}",
                            pid, "qualification_expiry")
        for team in _split(team_col[row]):
            if team not in TEAM_RULES:
                issues.error("unknown-enum", _SOURCE, f"unknown team {team!r}; allowed: {', '.join(TEAMS)}", pid,
                             "emergency_team")
            else:
                extra_teams[row].append(team)
    issues.raise_if_errors()
    members = {}
    for team, (roles, quals) in TEAM_RULES.items():
        need = qualification_mask(quals)
        by_role = np.isin(roster.roles, list(roles)) if roles else np.zeros(n, bool)
        by_qual = ((roster.quals & need) == need) if quals else np.zeros(n, bool)
        named = np.array([team in t for t in extra_teams], dtype=bool).reshape(n)
        members[team] = by_role | by_qual | named
    teams_of_row = [tuple(t for t in TEAMS if members[t][row]) for row in range(n)]
    return Teams(roster, calendar, members, expiry, teams_of_row, issues.warnings)
