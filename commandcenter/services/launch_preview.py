"""What a launch (or a level change) would order, before it is confirmed; and which plan an alarm calls for.

The duty officer confirms a launch knowing its level, its evacuation scope and how many people and field
devices it will order. :func:`preview` runs the incident's own plans engine on a copy (the engine is
deterministic, so the copy gives exactly the tasks and notices the launch will record) and counts the
people inside the level's evacuation scope around the alarm. :func:`staffing` says which roles the launch calls
on have nobody on shift at that moment (from the plant's roster and shift calendar, as the engine picks people)
and which tasks are therefore left unassigned, so "0 people notified" at 3 a.m. comes with its reason.
:func:`proposal` picks the plan and level for
an alarm: the plans engine's own proposal when one of its sensor triggers was met, else the plan written for
the alarm's substance at the highest level whose sensor threshold the reading reaches.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gis.positions import PersonStatus
from vocabulary.events import level_rank


@dataclass
class LaunchPreview:
    """What launching ``plan_id`` at ``level`` (or raising/lowering to it) orders."""

    plan_id: str
    level: str
    title: dict[str, str]
    scope: str | None = None
    radius_m: float | None = None
    agencies: list[str] = field(default_factory=list)
    tasks: int = 0
    assignees: list[str] = field(default_factory=list)
    unassignable: int = 0
    notified: list[str] = field(default_factory=list)
    evacuate: list[str] | None = None
    devices: list[str] = field(default_factory=list)
    lowering: bool = False
    unstaffed_roles: list[RoleGap] = field(default_factory=list)
    unassigned_tasks: list[UnassignedTask] = field(default_factory=list)

    @property
    def people(self) -> int:
        """Distinct people who get an order: a task, a notice or the evacuation order."""
        return len(set(self.assignees) | set(self.notified) | set(self.evacuate or []))


@dataclass(frozen=True)
class RoleGap:
    """A role the launch calls on with nobody on shift: ``reason`` is ``no_one_on_shift`` (``on_roster`` people
    hold it, none on duty now; ``next_on_shift`` is when the first of them comes on, plant local time, None when
    their shift is not in the calendar) or ``role_not_on_roster`` (nobody holds it). ``tasks`` are the ids of the
    tasks that looked for it; ``notify`` says the level notifies it."""

    role: str
    reason: str
    on_roster: int
    next_on_shift: dt.datetime | None
    tasks: tuple[str, ...] = ()
    notify: bool = False

    def to_dict(self) -> dict[str, Any]:
        """As JSON: ``role, reason, on_roster, next_on_shift`` (ISO 8601 with the plant's offset, or null),
        ``tasks``, ``notify``."""
        return {"role": self.role, "reason": self.reason, "on_roster": self.on_roster,
                "next_on_shift": None if self.next_on_shift is None else self.next_on_shift.isoformat(),
                "tasks": list(self.tasks), "notify": self.notify}


@dataclass(frozen=True)
class UnassignedTask:
    """A task the launch leaves with nobody: ``reason`` is the engine's (``no_one_on_shift``,
    ``role_not_on_roster``, ``no_qualified_person_on_shift``, ``all_qualified_tried``)."""

    task_id: str
    kind: str
    title: dict[str, str]
    roles: tuple[str, ...]
    qualifications: tuple[str, ...]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """As JSON: ``task_id, kind, title`` ({zh, en}), ``roles, qualifications, reason``."""
        return {"task_id": self.task_id, "kind": self.kind, "title": dict(self.title), "roles": list(self.roles),
                "qualifications": list(self.qualifications), "reason": self.reason}


@dataclass(frozen=True)
class Proposal:
    """A plan and level proposed for an alarm, and why (``trigger`` id or ``substance``)."""

    plan_id: str
    level: str
    reason: str


def preview(runtime: Any, plan_id: str, level: str, *, origin: tuple[float, float] | None = None,
            positions: Any = None) -> LaunchPreview:
    """The orders of launching ``plan_id`` at ``level`` in ``runtime`` now (a level change when the plan is
    running); ``origin`` (m, plant CRS) centres a radius evacuation; ``positions`` (a PositionStore) says who is
    where. Raises ``KeyError``/``ValueError`` as the engine does for an unknown plan or level."""
    host = runtime.plans
    if host.engine is None:
        raise ValueError("this incident has no plant, so no plan can be launched")
    plan = host.plans.get(plan_id)
    if plan is None:
        raise KeyError(f"no valid plan {plan_id!r} in the library")
    title = plan.title.to_dict()
    out = LaunchPreview(plan_id, level, title)
    spec = plan.levels.get(level)
    if spec is None:
        raise ValueError(f"plan {plan_id!r} has no level {level!r}")
    out.scope, out.radius_m, out.agencies = spec.evacuation.scope, spec.evacuation.radius_m, list(spec.agencies)
    radii = assessed_radii(runtime.state)
    if spec.evacuation.scope == "radius" and radii.get("evacuation_m"):
        out.radius_m = radii["evacuation_m"]  # the engine evacuates the assessed distance, not the plan's default
    engine = copy.deepcopy(host.engine)
    now = max(runtime.now(), engine.now) if engine.now is not None else runtime.now()
    active = host.active
    if active is not None and level_rank(level) < level_rank(active.level):
        out.lowering = True
        return out
    if active is not None:
        drafts = engine.raise_level(active.id, level, now) if level != active.level else []
    else:
        drafts = engine.launch(plan_id, level, now, incident_id=runtime.incident_id, origin_xy=origin,
                               radii=radii or None)
    for d in drafts:
        p = d.payload
        if d.type == "task.assigned":
            out.tasks += 1
            out.assignees.append(str(p["person_id"]))
        elif d.type == "task.unassignable":
            out.tasks += 1
            out.unassignable += 1
        elif d.type == "notification.sent" and p.get("person_id"):
            out.notified.append(str(p["person_id"]))
    out.assignees = list(dict.fromkeys(out.assignees))
    out.notified = list(dict.fromkeys(out.notified))
    out.unstaffed_roles, out.unassigned_tasks = staffing(engine, drafts, now)
    out.evacuate = evacuees(runtime.plant, spec.evacuation.scope, out.radius_m, origin, positions)
    out.devices = devices_of(runtime.plant, set(out.assignees) | set(out.notified) | set(out.evacuate or []))
    return out


def staffing(engine: Any, events: Iterable[Any], t: dt.datetime) -> tuple[list[RoleGap], list[UnassignedTask]]:
    """Who is missing for a launch or level change: the roles its ``events`` (the engine's ``task.assigned``,
    ``task.unassignable`` and level ``notification.sent``; drafts or recorded events) call on that have nobody
    on shift at ``t``, and the tasks left unassigned. A task calls on its roles in order up to the one that took
    it (the engine's rule: an alternate only when the roles before it have nobody), an unassigned task on all of
    them; a level's notice on each of its roles. Roles in the order first called on."""
    needs: dict[str, list[str]] = {}
    notify: set[str] = set()
    unassigned: list[UnassignedTask] = []
    for e in events:
        p = e.payload
        if e.type == "task.assigned":
            for r in _called_on([str(r) for r in p.get("roles") or ()], str(p.get("role"))):
                needs.setdefault(r, []).append(str(p["task_id"]))
        elif e.type == "task.unassignable":
            for r in p.get("roles") or ():
                needs.setdefault(str(r), []).append(str(p["task_id"]))
            unassigned.append(UnassignedTask(str(p["task_id"]), *_run_text(engine, p), tuple(p.get("roles") or ()),
                                             tuple(p.get("qualifications") or ()), str(p.get("reason") or "")))
        elif e.type == "notification.sent" and p.get("reason") == "level" and p.get("role"):
            needs.setdefault(str(p["role"]), [])
            notify.add(str(p["role"]))
    return _gaps(engine, needs, notify, t), unassigned


def staffing_of_running(engine: Any, t: dt.datetime) -> tuple[list[RoleGap], list[UnassignedTask]]:
    """:func:`staffing` of the engine's running plan as it stands at ``t``: its tasks still with nobody (never
    assigned, or no one left to escalate to) and the roles of its current level, for a console that finds the
    plan already launched."""
    running = [i for i in engine.incidents.values() if not i.closed]
    if not running:
        return [], []
    inc = running[0]
    needs: dict[str, list[str]] = {}
    unassigned: list[UnassignedTask] = []
    for run in inc.tasks.values():
        if run.state in ("done", "skipped"):
            continue
        if run.assignee is None:
            _rows, why = engine.candidates(inc, run, t)
            unassigned.append(UnassignedTask(run.id, run.kind, inc.fill(run.title).to_dict(), tuple(run.roles),
                                             tuple(run.qualifications), why or "no_one_on_shift"))
            took = None
        else:
            row = engine.roster.row.get(run.assignee)
            took = None if row is None else str(engine.roster.roles[row])
        for r in _called_on(list(run.roles), took):
            needs.setdefault(r, []).append(run.id)
    notify = set(inc.plan.levels[inc.level].notify)
    for r in inc.plan.levels[inc.level].notify:
        needs.setdefault(r, [])
    return _gaps(engine, needs, notify, t), unassigned


def _called_on(roles: list[str], took: str | None) -> list[str]:
    """The roles a task called on, in order: up to the one that took it (the engine tries an alternate only
    when the roles before it have nobody), all of them when none did."""
    return roles[:roles.index(took) + 1] if took in roles else roles


def _gaps(engine: Any, needs: dict[str, list[str]], notify: set[str], t: dt.datetime) -> list[RoleGap]:
    """:func:`role_gaps` of the roles in ``needs`` (role → the tasks that called on it), each with its tasks and
    whether the level notifies it."""
    return [dataclasses.replace(g, tasks=tuple(dict.fromkeys(needs[g.role])), notify=g.role in notify)
            for g in role_gaps(engine.roster, engine.calendar, needs, t)]


def role_gaps(roster: Any, calendar: Any, roles: Iterable[str], t: dt.datetime) -> list[RoleGap]:
    """Of ``roles`` (in order), those nobody on ``roster`` (:class:`plans.roster.Roster`) holding them is on
    shift at ``t`` by ``calendar`` (:class:`plans.shifts.ShiftCalendar`), each with when its first holder comes
    on (see :func:`next_on_shift`)."""
    on = calendar.on_duty(t)
    out = []
    for role in dict.fromkeys(roles):
        held = roster.roles == role
        shifts = {str(s) for s in roster.shifts[held]}
        if shifts & set(on):
            continue
        if not shifts:
            out.append(RoleGap(role, "role_not_on_roster", 0, None))
        else:
            out.append(RoleGap(role, "no_one_on_shift", int(held.sum()), next_on_shift(calendar, shifts, t)))
    return out


def next_on_shift(calendar: Any, shifts: set[str], t: dt.datetime, days: int = 8) -> dt.datetime | None:
    """The first moment after ``t`` (within ``days``) when one of ``shifts`` is on duty by ``calendar``, in the
    plant's local time; None when none is within reach (a shift code the calendar does not know). Duty only
    starts at a crew change (every ``shift_hours`` from local midnight) or at the day staff's start, so those
    instants are the only candidates."""
    lt = calendar.local(t)
    midnight = lt.replace(hour=0, minute=0, second=0, microsecond=0)
    starts = sorted({midnight + dt.timedelta(days=d, hours=h) for d in range(days + 1)
                     for h in (*range(0, 24, calendar.shift_hours), calendar.day_start_h)})
    for c in starts:
        if c > lt and calendar.on_duty(c) & shifts:
            return calendar.local(c)
    return None


def _run_text(engine: Any, payload: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The kind and title ({zh, en}, radii filled in) of the engine's task named in ``payload``."""
    inc = engine.incidents.get(payload.get("incident_id"))
    run = inc.tasks.get(payload.get("task_id")) if inc is not None else None
    if run is None:
        tid = str(payload.get("task_id"))
        return "task", {"zh": tid, "en": tid}
    return run.kind, inc.fill(run.title).to_dict()


def assessed_radii(state: dict[str, Any] | None) -> dict[str, float]:
    """The radii a launch carries from the incident's current hazard assessment (``state["hazard"]["current"]``,
    :func:`commandcenter.services.assessment` records them): ``cordon_m`` (the red zone's reach) and
    ``evacuation_m`` in metres, only those the zones gave (none beyond 10 km); empty without an assessment.
    A launch on an assessment must cordon and evacuate what the zones say, not the plan's default 200/500 m."""
    cur = (state or {}).get("hazard", {}).get("current")
    out: dict[str, float] = {}
    for k in ("cordon_m", "evacuation_m"):
        v = (cur or {}).get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0:
            out[k] = float(v)
    return out


def evacuees(plant: Any, scope: str, radius_m: float | None, origin: tuple[float, float] | None,
             positions: Any) -> list[str] | None:
    """Who a level's evacuation scope takes in, from where they are: the whole site, everyone within
    ``radius_m`` of ``origin``, or everyone in the plant zone holding ``origin``; None when the scope needs
    an origin that is not known. Mustered and off-site people are not ordered again."""
    if positions is None or not len(positions):
        return []
    ok = (np.isfinite(positions.x) & np.isfinite(positions.y)
          & ~np.isin(positions.status, [PersonStatus.MUSTERED, PersonStatus.OFF_SITE]))
    if scope == "site":
        sel = ok
    elif origin is None:
        return None
    elif scope == "radius" and radius_m is not None:
        sel = ok & (np.hypot(positions.x - origin[0], positions.y - origin[1]) <= float(radius_m))
    elif scope == "zone":
        import shapely

        zones = plant.layers.get("zones") if plant is not None else None
        if zones is None or not len(zones):
            return None
        polys = np.asarray(zones.geometry.values, dtype=object)
        hit = np.flatnonzero(shapely.contains_xy(polys, *origin))
        if not len(hit):
            return []
        sel = ok & shapely.contains_xy(polys[int(hit[0])], positions.x, positions.y)
    else:
        return []
    return positions.ids[sel].astype(str).tolist()


def devices_of(plant: Any, people: set[str]) -> list[str]:
    """The field devices (roster ``device_id``) of ``people``."""
    roster = plant.personnel if plant is not None else None
    if roster is None or "device_id" not in roster.columns or not people:
        return []
    dev = roster["device_id"].reindex(sorted(people)).dropna().astype(str).str.strip()
    return sorted(set(dev[dev != ""].tolist()))


def proposal(state: dict[str, Any], alarm: dict[str, Any], plans: dict[str, Any]) -> Proposal | None:
    """The plan and level for ``alarm`` (an entry of the ``alarms`` projection) from the valid ``plans``
    (id → :class:`plans.model.Plan`), or None when no plan is written for it (see the module docstring)."""
    sensors = set(alarm.get("sensors") or [])
    for p in reversed(state["alarms"]["proposals"]):
        mine = p.get("alarm_id") == alarm.get("id") or sensors & set(p.get("sensor_ids") or [])
        if mine and p.get("plan_id") in plans:
            return Proposal(p["plan_id"], p["level"], f"trigger {p.get('trigger_id') or ''}".strip())
    substance = _norm(alarm.get("substance"))
    kind = alarm.get("kind")
    value = alarm.get("value")
    for sid in sensors:  # the highest reading of the alarm's detectors now
        for r in (state["incident"]["alarms"].get(sid, {}).get("value"), (state["incident"]["readings"].get(sid)
                                                                           or [None])[0]):
            if isinstance(r, (int, float)) and (not isinstance(value, (int, float)) or r > value):
                value = r
    best: tuple[tuple, Proposal] | None = None
    for pid in sorted(plans):
        plan = plans[pid]
        listed = substance is not None and substance in {_norm(s) for s in getattr(plan, "substances", ()) or ()}
        triggers = [t for t in plan.triggers if t.kind == "sensor" and t.sensor_kind == kind
                    and (not substance or _norm(t.substance) == substance)]
        if not listed and not triggers:
            continue
        level, met = plan.level_names[0], False
        for t in triggers:
            unit_ok = not (t.unit and alarm.get("unit") and t.unit != alarm.get("unit"))
            if unit_ok and isinstance(value, (int, float)) and t.meets(float(value)) and (
                    t.min_detectors <= max(len(sensors), 1)):
                met = True
                if level_rank(t.level) > level_rank(level):
                    level = t.level
        # a plan whose own trigger the reading meets, then one written for the detector's substance, then the level
        score = (met, bool(triggers), listed, level_rank(level))
        cand = Proposal(pid, level, f"substance {alarm.get('substance')}" if substance else f"sensor {kind}")
        if best is None or score > best[0]:
            best = (score, cand)
    return best[1] if best is not None else None


def _norm(s: Any) -> str | None:
    if not s:
        return None
    from gis.substances import normalise_substance

    return normalise_substance(str(s))

