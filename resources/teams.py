"""Emergency teams and qualifications from the roster, with qualification expiry and who is on shift.

The roster is the plant's ``personnel`` table (what :class:`plans.roster.Roster` reads too). Who is on
duty is the plans engine's shift rule: the caller hands in its calendar (a
:class:`plans.shifts.ShiftCalendar`, or the running engine's ``calendar``) — this package may not import
``plans`` (the layers contract in pyproject.toml), and there must not be a second calendar. A roster row
without a shift counts as ``day`` staff, as in :mod:`plans.shifts`.

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
from typing import Protocol
from zoneinfo import ZoneInfo

import numpy as np

from gis import schema
from gis.issues import Issue, IssueCollector

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


class Calendar(Protocol):
    """The shift rule: which shift codes are on duty at an aware time (``plans.shifts.ShiftCalendar``)."""

    def on_duty(self, t: dt.datetime) -> frozenset[str]:
        """Shift codes on duty at ``t``."""


def _split(text: object) -> list[str]:
    if isinstance(text, (tuple, list)):
        return [str(p).strip() for p in text if str(p).strip()]
    return [] if schema.is_missing(text) else [p.strip() for p in str(text).replace(",", ";").split(";") if p.strip()]


@dataclass
class Teams:
    """The roster as arrays with teams and qualification expiry.

    ``held[row, q]`` says person ``row`` holds qualification ``quals[q]``; ``expiry[row, q]`` is the
    proleptic ordinal of its last valid day (never = int64 max); ``members[team]`` a row mask;
    ``issues`` the warnings found at load (codes ``qualification-expired``, ``qualification-expiring``,
    ``unknown-reference``).
    """

    ids: np.ndarray
    names: np.ndarray
    roles: np.ndarray
    shifts: np.ndarray
    quals: tuple[str, ...]
    held: np.ndarray
    expiry: np.ndarray
    members: dict[str, np.ndarray]
    calendar: Calendar
    timezone: str
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.row = {pid: i for i, pid in enumerate(self.ids.tolist())}

    def __len__(self) -> int:
        return len(self.ids)

    def local_date(self, t: dt.datetime) -> dt.date:
        """The plant's local date at aware time ``t``."""
        return t.astimezone(ZoneInfo(self.timezone)).date()

    def on_shift(self, t: dt.datetime) -> np.ndarray:
        """Who is on duty at ``t`` (aware), by the plans engine's calendar."""
        return np.isin(self.shifts, list(self.calendar.on_duty(t)))

    def valid(self, today: dt.date) -> np.ndarray:
        """``held`` without what expired before ``today``."""
        return self.held & (self.expiry >= today.toordinal())

    def qualified(self, quals: tuple[str, ...] | list[str], today: dt.date) -> np.ndarray:
        """Who holds every one of ``quals``, unexpired on ``today`` (a qualification nobody holds: nobody)."""
        ok = np.ones(len(self), bool)
        valid = self.valid(today)
        for q in quals:
            ok &= valid[:, self.quals.index(q)] if q in self.quals else False
        return ok

    def select(self, t: dt.datetime, *, team: str | None = None, quals: tuple[str, ...] = (),
               on_shift: bool = True) -> np.ndarray:
        """Rows in ``team`` (any when None) holding ``quals`` valid on ``t``'s local date, on shift at ``t``."""
        m = np.ones(len(self), bool) if team is None else self.members[team].copy()
        if quals:
            m &= self.qualified(quals, self.local_date(t))
        if on_shift:
            m &= self.on_shift(t)
        return m

    def teams_of(self, row: int) -> list[str]:
        """The emergency teams of person ``row``."""
        return [t for t in TEAMS if self.members[t][row]]

    def person(self, row: int, t: dt.datetime) -> dict[str, object]:
        """One person as a JSON-ready dict: id, name, role, teams, valid qualifications, shift, on duty."""
        valid = self.valid(self.local_date(t))[row]
        return {"id": str(self.ids[row]), "name": str(self.names[row]), "role": str(self.roles[row]),
                "teams": self.teams_of(row), "shift": str(self.shifts[row]),
                "on_shift": str(self.shifts[row]) in self.calendar.on_duty(t),
                "qualifications": [q for q, ok in zip(self.quals, valid, strict=True) if ok]}

    def summary(self, t: dt.datetime) -> list[dict[str, object]]:
        """Per team: members, members on shift at ``t``, and those of them with a valid ``scba`` ticket."""
        on = self.on_shift(t)
        scba = self.qualified(("scba",), self.local_date(t))
        return [{"team": team, "members": int(m.sum()), "on_shift": int((m & on).sum()),
                 "on_shift_scba": int((m & on & scba).sum()), "on_shift_ids": [str(i) for i in self.ids[m & on]]}
                for team, m in self.members.items()]


def load_teams(plant, today: dt.date, calendar: Calendar) -> Teams:
    """Teams of a loaded plant; warnings dated ``today`` (local); ``calendar`` the plans engine's shift rule.

    Raises :class:`gis.issues.PlantError` for a ``qualification_expiry`` entry that is not
    ``qualification=YYYY-MM-DD``, or an unknown ``emergency_team``, naming the person and field.
    """
    pers = plant.personnel
    n = len(pers)
    issues = IssueCollector()
    held_lists = [_split(q) for q in (pers["qualifications"] if "qualifications" in pers.columns else [()] * n)]
    quals = tuple(sorted({q for qs in held_lists for q in qs}))
    qi = {q: i for i, q in enumerate(quals)}
    held = np.zeros((n, len(quals)), bool)
    for row, qs in enumerate(held_lists):
        held[row, [qi[q] for q in qs]] = True
    expiry = np.full((n, len(quals)), _NEVER, dtype=np.int64)
    named: list[list[str]] = [[] for _ in range(n)]
    ids = pers.index.astype(str).to_numpy(object)
    exp_col = pers["qualification_expiry"].tolist() if "qualification_expiry" in pers.columns else [None] * n
    team_col = pers["emergency_team"].tolist() if "emergency_team" in pers.columns else [None] * n
    for row, pid in enumerate(ids.tolist()):
        for part in _split(exp_col[row]):
            q, sep, when = (s.strip() for s in part.partition("="))
            if not sep or not q:
                issues.error("bad-value", _SOURCE, f"{part!r} is not qualification=YYYY-MM-DD", pid,
                             "qualification_expiry")
                continue
            try:
                day = dt.date.fromisoformat(when)
            except ValueError:
                issues.error("bad-value", _SOURCE, f"{q}: expected an ISO date (YYYY-MM-DD), got {when!r}", pid,
                             "qualification_expiry")
                continue
            if q not in qi or not held[row, qi[q]]:
                issues.warn("unknown-reference", _SOURCE, f"expiry given for {q}, which the person does not hold",
                            pid, "qualification_expiry")
                continue
            expiry[row, qi[q]] = day.toordinal()
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
                named[row].append(team)
    issues.raise_if_errors()
    roles = pers["role"].astype(str).to_numpy(object) if n else np.zeros(0, object)
    shifts = np.array([_split(s)[0] if _split(s) else "day" for s in
                       (pers["shift"] if "shift" in pers.columns else [None] * n)], dtype=object)
    members = {}
    for team, (team_roles, need) in TEAM_RULES.items():
        by_role = np.isin(roles, list(team_roles)) if team_roles else np.zeros(n, bool)
        by_qual = (held[:, [qi[q] for q in need]].all(axis=1) if need and all(q in qi for q in need)
                   else np.zeros(n, bool))
        members[team] = by_role | by_qual | np.array([team in t for t in named], dtype=bool).reshape(n)
    names = pers["name"].astype(str).to_numpy(object) if "name" in pers.columns else np.full(n, "", object)
    return Teams(ids, names, roles, shifts, quals, held, expiry, members, calendar, plant.timezone, issues.warnings)
