"""The plan engine: launch a plan at a level, assign tasks, track them, escalate, raise levels.

Deterministic: the engine's only inputs are method calls and events, each with a time (the
incident clock: wall clock live, SimPy's clock in a drill, the cursor in a replay), and its only
outputs are :class:`vocabulary.events.Draft` lists. It reads no clock and no files, and holds no
global state, so the same inputs always give the same events. Times must not go backwards.

Assignment rule: a task goes to a person on shift (:class:`plans.shifts.ShiftCalendar`) whose
role is the task's role — or, if nobody with it is available, its first alternate that has
someone, and so on — and who holds every required qualification, has not been tried for this
task before and, among those, has the fewest open tasks in this incident, then is nearest to the
incident origin (last reported position, else home-zone centroid; distance unknown sorts last),
then the smallest id. Escalation: at a task's deadline an unacknowledged task is ``overdue``, goes
to the next such person (``task.escalated`` + ``task.assigned``) and the supervisor — the incident
commander, else the shift supervisor, else a control-room operator on shift — is notified; the new
assignee has ``escalation_s`` to acknowledge before the next escalation. An acknowledged or started
task past its deadline is marked overdue and the supervisor notified, without reassignment.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from plans.model import Plan, Text
from plans.roster import Roster, qualification_mask
from plans.shifts import ShiftCalendar
from plans.triggers import TriggerHit, TriggerMonitor
from plans.vocabulary import LEVEL_NAMES, LEVELS, level_rank
from vocabulary import events as ev
from vocabulary.events import Draft

#: a distance in a task text that the hazard zones decide: ``{cordon_m|200}`` (200 m without a zone)
RADIUS_FIELD = re.compile(r"\{(cordon_m|evacuation_m)(?:\|(\d+(?:\.\d+)?))?\}")
OPEN_STATES = frozenset({"assigned", "acknowledged", "in_progress"})
TERMINAL_STATES = frozenset({"done", "skipped"})
TASK_STATES = ("pending", "assigned", "acknowledged", "in_progress", "done", "skipped", "overdue")


@dataclass
class TaskRun:
    """A task of a running incident (plan task, level command or authority report)."""

    id: str
    kind: str  # "task" | "command" | "report"
    title: Text
    roles: tuple[str, ...]
    qualifications: tuple[str, ...]
    level: str
    deadline_s: float
    depends_on: tuple[str, ...]
    created: dt.datetime
    deadline: dt.datetime
    order: int
    state: str = "pending"
    assignee: str | None = None
    tried: list[str] = field(default_factory=list)
    next_check: dt.datetime | None = None
    overdue: bool = False

    @property
    def board_state(self) -> str:
        """The state shown on the task board: ``overdue`` wins over every open state."""
        return "overdue" if self.overdue and self.state not in TERMINAL_STATES else self.state


@dataclass
class Incident:
    """One launched plan: its level, origin (metres, or None), tasks and per-person task load."""

    id: str
    plan: Plan
    level: str
    launched_at: dt.datetime
    origin: tuple[float, float] | None
    tasks: dict[str, TaskRun] = field(default_factory=dict)
    load: dict[str, int] = field(default_factory=dict)
    closed: bool = False
    #: radii from the hazard assessment the plan was launched on (``cordon_m``, ``evacuation_m``, metres)
    radii: dict[str, float] = field(default_factory=dict)

    def fill(self, title: Text) -> Text:
        """``title`` with ``{cordon_m|200}`` and ``{evacuation_m|500}`` replaced by the radii assessed from the
        hazard zones (metres, rounded), or else by the default written after ``|`` (the plan's own figure)."""
        if "{" not in title.zh and "{" not in title.en:
            return title

        def sub(m: re.Match[str]) -> str:
            value = self.radii.get(m.group(1))
            if value is None:
                return m.group(2) if m.group(2) is not None else m.group(0)
            return f"{float(value):.0f}"
        return Text(RADIUS_FIELD.sub(sub, title.zh), RADIUS_FIELD.sub(sub, title.en))

    @property
    def commander(self) -> str | None:
        """The person holding the command task of the highest level so far, if any."""
        for lv in reversed(LEVELS):
            run = self.tasks.get(f"command:{lv}")
            if run is not None and run.assignee and run.state not in ("skipped",):
                return run.assignee
        return None


class PlanEngine:
    """Runs plans against a roster; see the module docstring for the rules."""

    def __init__(self, plans: dict[str, Plan] | list[Plan], roster: Roster, calendar: ShiftCalendar | None = None,
                 *, sensor_xy: dict[str, tuple[float, float]] | None = None, incident_prefix: str = "INC"):
        self.plans = dict(plans) if isinstance(plans, dict) else {p.id: p for p in plans}
        self.roster = roster
        self.calendar = calendar or ShiftCalendar()
        self.sensor_xy = dict(sensor_xy or {})
        self.incidents: dict[str, Incident] = {}
        self._prefix = incident_prefix
        self._now: dt.datetime | None = None
        self._monitor = TriggerMonitor(list(self.plans.values()))
        self._proposed: set[tuple[str, str]] = set()
        self._role_rows = {r: self.roster.roles == r for r in set(self.roster.roles.tolist())}
        self._shift_cache: dict[frozenset[str], np.ndarray] = {}

    @classmethod
    def for_plant(cls, plans: dict[str, Plan] | list[Plan], plant, **kwargs: Any) -> PlanEngine:
        """An engine over a loaded :class:`gis.plant.Plant`: its roster (with population positions and
        home-zone centroids), its time zone's shift calendar and its sensors' positions (metres)."""
        sensors = plant.layers.get("sensors")
        sensor_xy = {} if sensors is None else {str(i): (float(g.x), float(g.y))
                                                for i, g in zip(sensors.index, sensors.geometry, strict=True)}
        return cls(plans, Roster.from_plant(plant), ShiftCalendar(plant.timezone), sensor_xy=sensor_xy, **kwargs)

    # ------------------------------------------------------------------ clock
    @property
    def now(self) -> dt.datetime | None:
        """The latest time the engine has seen."""
        return self._now

    def _clock(self, t: dt.datetime) -> None:
        if t.tzinfo is None or t.utcoffset() is None:
            raise ValueError(f"time {t.isoformat()} is not timezone-aware")
        if self._now is not None and t < self._now:
            raise ValueError(f"time went backwards: {t.isoformat()} < {self._now.isoformat()}")
        self._now = t

    # ------------------------------------------------------------------ commands
    def launch(self, plan_id: str, level: str, now: dt.datetime, *, incident_id: str | None = None,
               origin_xy: tuple[float, float] | None = None, reason: str = "manual",
               trigger_id: str | None = None, radii: dict[str, float | None] | None = None) -> list[Draft]:
        """Launch ``plan_id`` at ``level`` at time ``now``: create that level's tasks (every task whose
        level is at or below it), assign each, notify the level's roles and agencies. Returns the events.
        ``radii`` (``cordon_m``, ``evacuation_m`` from the computed hazard zones) replace the plan's fixed
        distances: in task texts written with ``{cordon_m}``/``{evacuation_m}`` and in a radius evacuation.

        Raises ``KeyError`` for an unknown (or invalid, hence not loaded) plan and ``ValueError`` for
        a level the plan does not define or an incident id already used.
        """
        if plan_id not in self.plans:
            raise KeyError(f"no launchable plan {plan_id!r} (unknown or invalid)")
        plan = self.plans[plan_id]
        if level not in plan.levels:
            raise ValueError(f"plan {plan_id!r} has no level {level!r} (it has {', '.join(plan.level_names)})")
        out = self.advance(now)
        return out + self._launch(plan, level, now, incident_id, origin_xy, reason, trigger_id, radii)

    def _launch(self, plan: Plan, level: str, now: dt.datetime, incident_id: str | None,
                origin_xy: tuple[float, float] | None, reason: str, trigger_id: str | None,
                radii: dict[str, float | None] | None = None) -> list[Draft]:
        out: list[Draft] = []
        iid = incident_id or f"{self._prefix}-{len(self.incidents) + 1:04d}"
        if iid in self.incidents:
            raise ValueError(f"incident id {iid!r} already used")
        inc = Incident(iid, plan, level, now, tuple(map(float, origin_xy)) if origin_xy is not None else None,
                       radii={k: float(v) for k, v in (radii or {}).items()
                              if k in ("cordon_m", "evacuation_m") and v is not None})
        self.incidents[iid] = inc
        out.append(Draft(ev.PLAN_LAUNCHED, now, {
            "incident_id": iid, "plan_id": plan.id, "title": plan.title.to_dict(), "level": level,
            "reason": reason, "trigger_id": trigger_id,
            "origin": None if inc.origin is None else {"x": inc.origin[0], "y": inc.origin[1]},
            "evacuation": self._evacuation(inc, level), **({"radii": dict(inc.radii)} if inc.radii else {})}))
        out += self._open_level(inc, level, now, "launch")
        return out

    def raise_level(self, incident_id: str, level: str, now: dt.datetime, reason: str = "manual") -> list[Draft]:
        """Raise a running incident to ``level``: add the tasks of the levels in between and of
        ``level`` (deadlines counted from ``now``), its commander, notifications and agencies."""
        inc = self._incident(incident_id)
        if level not in inc.plan.levels:
            raise ValueError(f"plan {inc.plan.id!r} has no level {level!r}")
        if level_rank(level) <= level_rank(inc.level):
            raise ValueError(f"incident {incident_id} is already at {inc.level}; {level} is not higher")
        return self.advance(now) + self._raise(inc, level, now, reason)

    def _raise(self, inc: Incident, level: str, now: dt.datetime, reason: str) -> list[Draft]:
        out: list[Draft] = []
        old, inc.level = inc.level, level
        out.append(Draft(ev.LEVEL_CHANGED, now, {
            "incident_id": inc.id, "plan_id": inc.plan.id, "from": old, "to": level, "reason": reason,
            "evacuation": self._evacuation(inc, level)}))
        out += self._open_level(inc, level, now, "level")
        return out

    @staticmethod
    def _evacuation(inc: Incident, level: str) -> dict[str, Any]:
        spec = inc.plan.levels[level].evacuation
        radius = inc.radii.get("evacuation_m") if spec.scope == "radius" and inc.radii.get("evacuation_m") else None
        return {"scope": spec.scope, "radius_m": radius if radius is not None else spec.radius_m,
                "from_zone": radius is not None}

    def close(self, incident_id: str) -> None:
        """Stop tracking an incident (no more deadlines or escalations); its tasks stay readable."""
        self._incident(incident_id).closed = True

    def acknowledge(self, incident_id: str, task_id: str, person_id: str, now: dt.datetime) -> list[Draft]:
        """A person acknowledges a task: the ``task.acknowledged`` event and what follows from it."""
        return self._apply_input(ev.TASK_ACKNOWLEDGED, incident_id, task_id, person_id, now)

    def start(self, incident_id: str, task_id: str, person_id: str, now: dt.datetime) -> list[Draft]:
        """A person starts a task (``task.started``)."""
        return self._apply_input(ev.TASK_STARTED, incident_id, task_id, person_id, now)

    def complete(self, incident_id: str, task_id: str, person_id: str | None, now: dt.datetime) -> list[Draft]:
        """A task is done (``task.done``); anyone may report it (e.g. the commander from the console)."""
        return self._apply_input(ev.TASK_DONE, incident_id, task_id, person_id, now)

    def skip(self, incident_id: str, task_id: str, person_id: str | None, now: dt.datetime,
             reason: str = "") -> list[Draft]:
        """A task is skipped (``task.skipped``), e.g. not applicable to this incident."""
        return self._apply_input(ev.TASK_SKIPPED, incident_id, task_id, person_id, now, reason=reason)

    def _apply_input(self, etype: str, incident_id: str, task_id: str, person_id: str | None, now: dt.datetime,
                     **extra: Any) -> list[Draft]:
        event = Draft(etype, now, {"incident_id": incident_id, "task_id": task_id, "person_id": person_id,
                                       **extra})
        return [event, *self.handle(event)]

    # ------------------------------------------------------------------ events in
    def handle(self, event: Draft) -> list[Draft]:
        """Consume one event (sensor.reading, sensor.alarm, task.acknowledged/started/done/skipped,
        position.reported); return the events that follow from it (not the input itself). Other
        types and events about unknown incidents or tasks are ignored (an empty list)."""
        out = self.advance(event.time)
        p = event.payload
        if event.type in (ev.SENSOR_READING, ev.SENSOR_ALARM):
            sid = str(p.get("sensor_id", ""))
            if p.get("x") is not None and p.get("y") is not None:
                self.sensor_xy[sid] = (float(p["x"]), float(p["y"]))
            value = p.get("value")
            if value is not None and p.get("kind"):
                self._monitor.reading(sid, str(p["kind"]), p.get("substance"), float(value), p.get("unit"),
                                      event.time)
            out += self._check_triggers(event.time)
        elif event.type == ev.POSITION_REPORTED:
            if p.get("person_id") is not None and p.get("x") is not None and p.get("y") is not None:
                self.roster.set_positions([p["person_id"]], [float(p["x"])], [float(p["y"])])
        elif event.type in (ev.TASK_ACKNOWLEDGED, ev.TASK_STARTED, ev.TASK_DONE, ev.TASK_SKIPPED):
            self._task_input(event)
        return out

    def _task_input(self, event: Draft) -> None:
        p = event.payload
        inc = self.incidents.get(p.get("incident_id")) if p.get("incident_id") else self._only_active()
        run = inc.tasks.get(str(p.get("task_id"))) if inc else None
        if run is None or run.state in TERMINAL_STATES:
            return
        person = p.get("person_id")
        if event.type in (ev.TASK_ACKNOWLEDGED, ev.TASK_STARTED):
            if person is not None and person != run.assignee:
                return
            if event.type == ev.TASK_ACKNOWLEDGED and run.state != "assigned":
                return
            run.state = "acknowledged" if event.type == ev.TASK_ACKNOWLEDGED else "in_progress"
            run.next_check = None if run.overdue else run.deadline
        else:
            run.state = "done" if event.type == ev.TASK_DONE else "skipped"
            run.next_check = None
            if run.assignee:
                inc.load[run.assignee] = max(0, inc.load.get(run.assignee, 0) - 1)

    def _only_active(self) -> Incident | None:
        active = [i for i in self.incidents.values() if not i.closed]
        return active[0] if len(active) == 1 else None

    # ------------------------------------------------------------------ time
    def next_due(self) -> dt.datetime | None:
        """The next time :meth:`advance` would derive something at: the earliest task deadline check of a running
        plan, or the earliest sensor trigger time after the clock (None: nothing pending)."""
        now = self._now
        times = [run.next_check for inc in self.incidents.values() if not inc.closed
                 for run in inc.tasks.values() if run.next_check is not None]
        times += [t for t, _ in self._monitor.next_due() if now is None or t > now]
        return min(times) if times else None

    def advance(self, now: dt.datetime) -> list[Draft]:
        """Move the clock to ``now``: deadlines passed since the last call make tasks overdue and
        escalate them (events stamped at the deadline), and sensor triggers whose duration has
        elapsed propose (or launch) their plans."""
        last = self._now
        self._clock(now)
        out: list[Draft] = []
        trigger_times = sorted({t for t, _ in self._monitor.next_due() if (last is None or t > last) and t < now})
        for tt in trigger_times:
            self._now = tt
            out += self._due_tasks(tt)
            out += self._check_triggers(tt)
        self._now = now
        out += self._due_tasks(now)
        if last is None or now > last:
            out += self._check_triggers(now)
        return out

    def _due_tasks(self, until: dt.datetime) -> list[Draft]:
        out: list[Draft] = []
        while True:
            due = sorted(((run.next_check, i, run.order, inc, run) for i, inc in enumerate(self.incidents.values())
                          if not inc.closed for run in inc.tasks.values()
                          if run.next_check is not None and run.next_check <= until), key=lambda d: d[:3])
            if not due:
                return out
            # checks made now are no earlier than the earliest later one a check can add (a deadline
            # or now + escalation_s), so handle every check due before that horizon in one pass
            horizon = due[0][0] + dt.timedelta(seconds=min(i.plan.escalation_s for i in self.incidents.values()))
            for t, _, _, inc, run in due:
                if t >= horizon:
                    break
                if run.next_check == t:
                    out += self._check(inc, run, t)

    def _check(self, inc: Incident, run: TaskRun, t: dt.datetime) -> list[Draft]:
        run.next_check = None
        out: list[Draft] = []
        if not run.overdue and t >= run.deadline:
            run.overdue = True
            out.append(Draft(ev.TASK_OVERDUE, t, {
                **self._task_ref(inc, run), "person_id": run.assignee, "state": run.state,
                "deadline": run.deadline.isoformat()}))
        if run.state == "assigned":
            prev = run.assignee
            new = self._assign(inc, run, t, "escalation")
            out.append(Draft(ev.TASK_ESCALATED, t, {
                **self._task_ref(inc, run), "from_person_id": prev,
                "to_person_id": run.assignee if run.assignee != prev else None, "reason": "not_acknowledged"}))
            out += new  # the new assignment (or task.unassignable) after the escalation
        elif run.state == "pending":
            out += self._assign(inc, run, t, "retry")
        out += self._notify_supervisor(inc, run, t, "task_overdue" if run.state != "pending" else "task_unassignable")
        return out

    # ------------------------------------------------------------------ levels and assignment
    def _open_level(self, inc: Incident, level: str, now: dt.datetime, reason: str) -> list[Draft]:
        plan, out = inc.plan, []
        new_runs = []
        spec = plan.levels[level]
        new_runs.append(self._new_run(inc, f"command:{level}", "command", Text(
            f"担任{LEVEL_NAMES[level][0]}应急指挥", f"Take command ({level}, {LEVEL_NAMES[level][1]} level)"),
            spec.commander, (), level, plan.command_ack_s, (), now))
        for task in plan.tasks_at(level):
            if task.id not in inc.tasks:
                new_runs.append(self._new_run(inc, task.id, "task", task.title, task.roles, task.qualifications,
                                              task.level, task.deadline_s, task.depends_on, now))
        for rep in plan.reporting:
            rid = f"report:{rep.id}"
            if level_rank(rep.level) <= level_rank(level) and rid not in inc.tasks:
                new_runs.append(self._new_run(inc, rid, "report", rep.description, (rep.role, *rep.alternates), (),
                                              rep.level, rep.deadline_s, (), now))
        for run in new_runs:
            out += self._assign(inc, run, now, reason)
        out += self._notify_level(inc, level, now)
        return out

    def _new_run(self, inc: Incident, tid: str, kind: str, title: Text, roles: tuple[str, ...], quals: tuple[str, ...],
                 level: str, deadline_s: float, deps: tuple[str, ...], now: dt.datetime) -> TaskRun:
        run = TaskRun(tid, kind, title, tuple(roles), tuple(quals), level, float(deadline_s),
                      tuple(d for d in deps), now, now + dt.timedelta(seconds=float(deadline_s)), len(inc.tasks))
        inc.tasks[tid] = run
        return run

    def _on_shift(self, t: dt.datetime) -> np.ndarray:
        on = self.calendar.on_duty(t)
        if on not in self._shift_cache:
            self._shift_cache[on] = np.isin(self.roster.shifts, list(on))
        return self._shift_cache[on]

    def candidates(self, inc: Incident, run: TaskRun, t: dt.datetime) -> tuple[np.ndarray, str]:
        """Roster rows that may take ``run`` at ``t``, best first, and why there are none (or "")."""
        r = self.roster
        on = self._on_shift(t)
        need = qualification_mask(run.qualifications)
        qual_ok = (r.quals & need) == need
        tried = np.zeros(len(r), bool)
        for pid in run.tried:
            if pid in r.row:
                tried[r.row[pid]] = True
        reason = "role_not_on_roster"
        for role in run.roles:
            has_role = self._role_rows.get(role)
            if has_role is None or not has_role.any():
                continue
            m = has_role & on
            if not m.any():
                reason = "no_one_on_shift" if reason == "role_not_on_roster" else reason
                continue
            m &= qual_ok
            if not m.any():
                reason = "no_qualified_person_on_shift" if reason != "all_qualified_tried" else reason
                continue
            m &= ~tried
            if not m.any():
                reason = "all_qualified_tried"
                continue
            idx = np.flatnonzero(m)
            if inc.origin is not None:
                where = r.where()[idx]
                dist = np.hypot(where[:, 0] - inc.origin[0], where[:, 1] - inc.origin[1])
                dist = np.where(np.isnan(dist), np.inf, dist)
            else:
                dist = np.zeros(len(idx))
            load = np.array([inc.load.get(pid, 0) for pid in r.ids[idx]])
            order = np.lexsort((r.ids[idx], dist, load))
            return idx[order], ""
        return np.empty(0, int), reason

    def _assign(self, inc: Incident, run: TaskRun, t: dt.datetime, reason: str) -> list[Draft]:
        rows, why = self.candidates(inc, run, t)
        if not len(rows):
            out = [Draft(ev.TASK_UNASSIGNABLE, t, {
                **self._task_ref(inc, run), "roles": list(run.roles), "qualifications": list(run.qualifications),
                "reason": why, "person_id": run.assignee})]
            if run.state == "pending":
                run.next_check = run.deadline if t < run.deadline else None
            if reason in ("launch", "level"):
                out += self._notify_supervisor(inc, run, t, "task_unassignable")
            return out
        row = int(rows[0])
        pid = str(self.roster.ids[row])
        if run.assignee and run.state in OPEN_STATES:
            inc.load[run.assignee] = max(0, inc.load.get(run.assignee, 0) - 1)
        run.assignee, run.state = pid, "assigned"
        run.tried.append(pid)
        inc.load[pid] = inc.load.get(pid, 0) + 1
        run.next_check = run.deadline if t < run.deadline else t + dt.timedelta(seconds=inc.plan.escalation_s)
        dist = None
        if inc.origin is not None:
            w = self.roster.where()[row]
            dist = None if np.isnan(w[0]) else round(float(np.hypot(w[0] - inc.origin[0], w[1] - inc.origin[1])), 1)
        return [Draft(ev.TASK_ASSIGNED, t, {
            **self._task_ref(inc, run), "kind": run.kind, "title": inc.fill(run.title).to_dict(),
            **({"params": dict(inc.radii)} if inc.radii else {}),
            "person_id": pid, "person_name": str(self.roster.names[row]), "role": str(self.roster.roles[row]),
            "roles": list(run.roles), "qualifications": list(run.qualifications),
            "deadline": run.deadline.isoformat(), "deadline_s": run.deadline_s, "created": run.created.isoformat(),
            "respond_by": run.next_check.isoformat(), "depends_on": list(run.depends_on),
            "attempt": len(run.tried), "reason": reason, "distance_m": dist})]

    def _notify_level(self, inc: Incident, level: str, t: dt.datetime) -> list[Draft]:
        plan, spec = inc.plan, inc.plan.levels[level]
        msg = Text(f"【{plan.title.zh}】启动{level}（{LEVEL_NAMES[level][0]}）响应",
                   f"[{plan.title.en}] {level} ({LEVEL_NAMES[level][1]} level) response launched")
        out = []
        on = self._on_shift(t)
        for role in spec.notify:
            rows = np.flatnonzero(self._role_rows.get(role, np.zeros(len(self.roster), bool)) & on)
            if not len(rows):
                out.append(Draft(ev.NOTIFICATION_SENT, t, {
                    "incident_id": inc.id, "plan_id": plan.id, "level": level, "recipient_kind": "role",
                    "role": role, "person_id": None, "channel": "device", "reason": "level",
                    "delivered": False, "note": "no_one_on_shift", "message": msg.to_dict()}))
            for row in rows:
                out.append(Draft(ev.NOTIFICATION_SENT, t, {
                    "incident_id": inc.id, "plan_id": plan.id, "level": level, "recipient_kind": "person",
                    "role": role, "person_id": str(self.roster.ids[row]), "channel": "device", "reason": "level",
                    "delivered": True, "message": msg.to_dict()}))
        for cid in spec.agencies:
            c = plan.contact(cid)
            out.append(Draft(ev.NOTIFICATION_SENT, t, {
                "incident_id": inc.id, "plan_id": plan.id, "level": level, "recipient_kind": c.kind,
                "contact_id": c.id, "name": c.name.to_dict(), "phone": c.phone, "person_id": None, "channel": "phone",
                "reason": "agency", "delivered": True, "message": msg.to_dict()}))
        return out

    def _notify_supervisor(self, inc: Incident, run: TaskRun, t: dt.datetime, reason: str) -> list[Draft]:
        sup = self.supervisor(inc, run, t, exclude=frozenset(run.tried))
        msg = Text(f"任务「{run.title.zh}」" + ("已超时" if reason == "task_overdue" else "无人可派"),
                   f"Task \"{run.title.en}\" " + ("is overdue" if reason == "task_overdue" else "cannot be assigned"))
        return [Draft(ev.NOTIFICATION_SENT, t, {
            "incident_id": inc.id, "plan_id": inc.plan.id, "level": inc.level, "recipient_kind": "person",
            "role": None if sup is None else str(self.roster.roles[self.roster.row[sup]]), "person_id": sup,
            "channel": "device", "reason": reason, "task_id": run.id, "delivered": sup is not None,
            "message": msg.to_dict()})]

    def supervisor(self, inc: Incident, run: TaskRun, t: dt.datetime,
                   exclude: frozenset[str] = frozenset()) -> str | None:
        """Who is told about a late or unassignable task: the incident commander, else the shift
        supervisor on shift, else a control-room operator on shift (smallest id). Never the task's
        current assignee; preferably nobody in ``exclude`` (those who already failed to answer it),
        but if everyone is, then the one who failed longest ago."""
        on = self._on_shift(t)
        pool: list[str] = [inc.commander] if inc.commander else []
        for role in ("shift_supervisor", "control_room_operator"):
            rows = np.flatnonzero(self._role_rows.get(role, np.zeros(len(self.roster), bool)) & on)
            pool += sorted(str(self.roster.ids[i]) for i in rows)
        pool = [p for p in pool if p != run.assignee]
        fresh = [p for p in pool if p not in exclude]
        if fresh:
            return fresh[0]
        for p in run.tried:
            if p in pool:
                return p
        return None

    # ------------------------------------------------------------------ triggers
    def _check_triggers(self, t: dt.datetime) -> list[Draft]:
        hits = self._monitor.met(t)
        best: dict[str, TriggerHit] = {}
        for h in hits:
            cur = best.get(h.plan.id)
            if cur is None or level_rank(h.trigger.level) > level_rank(cur.trigger.level):
                best[h.plan.id] = h
        self._proposed &= {(h.plan.id, h.trigger.level) for h in hits}
        out: list[Draft] = []
        for pid in sorted(best):
            h = best[pid]
            key = (pid, h.trigger.level)
            active = next((i for i in self.incidents.values() if i.plan.id == pid and not i.closed), None)
            if active is not None and level_rank(h.trigger.level) <= level_rank(active.level):
                continue
            if key in self._proposed:
                continue
            self._proposed.add(key)
            xy = [self.sensor_xy[s] for s in h.sensor_ids if s in self.sensor_xy]
            origin = tuple(np.mean(np.array(xy), axis=0).tolist()) if xy else None
            out.append(Draft(ev.PLAN_PROPOSED, t, {
                "plan_id": pid, "title": h.plan.title.to_dict(), "level": h.trigger.level,
                "trigger_id": h.trigger.id, "sensor_ids": list(h.sensor_ids), "max_value": h.max_value,
                "unit": h.trigger.unit, "substance": h.trigger.substance, "auto_launch": h.trigger.auto_launch,
                "incident_id": active.id if active else None,
                "origin": None if origin is None else {"x": origin[0], "y": origin[1]}}))
            if h.trigger.auto_launch:
                if active is None:
                    out += self._launch(h.plan, h.trigger.level, t, None, origin, "trigger", h.trigger.id)
                else:
                    out += self._raise(active, h.trigger.level, t, "trigger")
        return out

    # ------------------------------------------------------------------ views
    def _incident(self, incident_id: str) -> Incident:
        if incident_id not in self.incidents:
            raise KeyError(f"unknown incident {incident_id!r}")
        return self.incidents[incident_id]

    @staticmethod
    def _task_ref(inc: Incident, run: TaskRun) -> dict[str, Any]:
        return {"incident_id": inc.id, "plan_id": inc.plan.id, "task_id": run.id, "level": run.level}

    def board(self, incident_id: str) -> list[dict[str, Any]]:
        """The task board: one row per task (id, kind, title, level, assignee, role, deadline, state)."""
        inc = self._incident(incident_id)
        rows = []
        for run in inc.tasks.values():
            row = self.roster.row.get(run.assignee) if run.assignee else None
            rows.append({"task_id": run.id, "kind": run.kind, "title": run.title.to_dict(), "level": run.level,
                         "person_id": run.assignee, "person_name": None if row is None else str(self.roster.names[row]),
                         "role": None if row is None else str(self.roster.roles[row]),
                         "deadline": run.deadline.isoformat(), "state": run.board_state})
        return rows
