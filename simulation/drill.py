"""A simulated drill on SimPy's clock, written through an incident exactly as a live one is.

:class:`Drill` plays a :class:`simulation.scenario.DrillScenario` in a ``simpy.Environment``:

1. **the release** (:class:`simulation.exposure.ReleaseField`) grows from t = 0; every
   ``hazard_period_s`` its threat zones are computed again and, when a zone's reach changed by more than
   :data:`ZONE_CHANGE`, re-route everyone on their way (:meth:`Mover.set_network`);
2. **detectors** of the released substance read the modelled concentration at their position every
   ``sensor_period_s`` (``sensor.reading``) and raise ``sensor.alarm`` at their warn and alarm levels;
   the plans engine inside the incident turns readings into plan proposals (and auto-launches);
3. **the duty officer** (a control-room operator on shift) reacts to the first alarm or proposal after
   a reaction time and launches the proposed plan through the incident (``launch``), or raises its level;
4. **the evacuation**: a launch or level change alarms everyone in its evacuation scope (the incident
   zone, a radius around the origin, or the site; control-room staff stay at their post), records the
   ``evacuation.planned`` they act on, and they walk (:mod:`simulation.movement`); each arrival at an
   assembly point is a ``person.mustered``, and people on their way report positions;
5. **responders**: every ``task.assigned`` the engine records starts its assignee: acknowledgement after
   a delay (or never, and the engine escalates), waiting for the tasks it depends on, fetching
   breathing apparatus from the nearest resource point with a free set (``resource.taken``), walking to
   the task through the crowd, ``task.started``, the work, ``task.done``. Isolating the source ends
   the release;
6. at the end every person's **exposure** along their path is recorded (``exposure.assessed``) and the
   incident is closed.

The incident is reached through :class:`IncidentPort` — the incident runtime's ``submit``/``launch``/
``change_level``/``tick``/``subscribe``/``now`` — so nothing here knows about the log. Drafts are
collected and submitted in batches, in time order, whenever an action needs the engine's answer (and at
least every ``position_period_s``); deadlines are ticked at the times the engine announced them. See
docs/simulation.md.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
import simpy
from scipy.spatial import cKDTree

from gis.routing.network import search_to_targets
from gis.routing.people import People, people_of_plant
from gis.routing.shortest import RoutingNetwork
from gis.routing.site import Site
from gis.substances import normalise_substance
from plans.roster import Roster
from plans.shifts import ShiftCalendar
from resources import ledger as res_ledger
from resources.inventory import load_inventory
from simulation.clocked import Mover
from simulation.exposure import ReleaseField, exposures
from simulation.movement import ACCESS, FINAL, ON_EDGE, QUEUED, Movement
from simulation.response import POST_ROLES, ResponseParams, is_field_task, lognormal, needs_scba
from simulation.scenario import DrillScenario
from vocabulary.events import Draft, level_rank, parse_time

_MOVING = (ACCESS, ON_EDGE, QUEUED, FINAL)
#: a change of a zone's reach (relative) that re-routes people and is recorded as a new assessment
ZONE_CHANGE = 0.1


class IncidentPort(Protocol):
    """What a drill needs of an open incident (the incident runtime has exactly this)."""

    def submit(self, drafts: Draft | Iterable[Draft]) -> list[Any]:
        """Record drafts and what they imply; return the new events."""
        ...

    def launch(self, plan_id: str, level: str, *, by: str | None = None, console: str | None = None,
               reason: str | None = None, origin: tuple[float, float] | None = None) -> list[Any]:
        """Launch a plan through the plans engine."""
        ...

    def change_level(self, level: str, *, by: str | None = None, reason: str = "manual") -> list[Any]:
        """Raise the running plan's level."""
        ...

    def tick(self) -> list[Any]:
        """Record the deadlines and escalations due up to now."""
        ...

    def subscribe(self, fn: Callable[[list[Any]], None]) -> Callable[[], None]:
        """Be told of every new batch of events."""
        ...

    def now(self) -> dt.datetime:
        """The incident's clock."""
        ...


@dataclass
class DrillOutcome:
    """What the drill did (the log holds the rest): seconds simulated, people, drafts submitted, and the
    wall time spent recording them in the incident (``log_s``)."""

    simulated_s: float
    people: int
    drafts: int
    submits: int
    launched: bool
    log_s: float = 0.0
    exposed: list[str] = field(default_factory=list)


def on_site(plant: Any, population: pd.DataFrame | None, start: dt.datetime) -> pd.DataFrame:
    """Who is on site at ``start``: the population file's people who are on shift (roster people whose
    crew is on duty by the plans calendar) or not on the roster (contractors, visitors), plus on-shift
    roster people missing from the file, placed at their home zone's centroid."""
    pop = plant.population if population is None else population
    cols = ["id", "x", "y", "speed_mps", "premovement_s", "mobility"]
    pop = pd.DataFrame(columns=cols) if pop is None else pop[cols].copy()
    roster = plant.personnel
    on = ShiftCalendar(plant.timezone).on_duty(start)
    shift = roster["shift"].fillna("day").astype(str) if "shift" in roster.columns else pd.Series("day", roster.index)
    duty = set(roster.index[shift.isin(on)].astype(str))
    ids = pop["id"].astype(str)
    keep = ~ids.isin(roster.index.astype(str)) | ids.isin(duty)
    pop = pop[keep.to_numpy()]
    missing = sorted(duty - set(ids))
    if missing:
        r = Roster.from_plant(plant)
        home = np.array([r.home_xy[r.row[p]] for p in missing]).reshape(-1, 2)
        ok = np.isfinite(home).all(axis=1)
        extra = pd.DataFrame({"id": np.asarray(missing)[ok], "x": home[ok, 0], "y": home[ok, 1],
                              "speed_mps": np.nan, "premovement_s": np.nan, "mobility": "normal"})
        pop = pd.concat([pop, extra], ignore_index=True) if len(pop) else extra
    return pop.reset_index(drop=True)


class Drill:
    """One simulated drill (see the module docstring). Build it, then :meth:`run`."""

    def __init__(self, env: simpy.Environment, port: IncidentPort, plant: Any, scenario: DrillScenario,
                 plans: dict[str, Any], *, params: ResponseParams | None = None,
                 population: pd.DataFrame | None = None):
        self.env = env
        self.port = port
        self.plant = plant
        self.scenario = scenario
        self.plans = plans
        self.params = params or ResponseParams()
        self.start = scenario.start
        seed = int(scenario.seed)
        self.rng = {k: np.random.default_rng([seed, i]) for i, k in enumerate(("officer", "ack", "task", "scba"))}
        self.site = Site.of_plant(plant)
        self.people: People = people_of_plant(plant, on_site(plant, population, self.start), seed=seed)
        self.row = {str(p): i for i, p in enumerate(self.people.ids.tolist())}
        self.roles = {str(k): str(v) for k, v in plant.personnel["role"].items()} if len(plant.personnel) else {}
        self.movement = Movement(RoutingNetwork(self.site), self.people)
        self.mover = Mover(env, self.movement)
        self.field = ReleaseField.build(scenario.release(), scenario.weather_model(), scenario.source_xy)
        self.inventory = load_inventory(plant, ShiftCalendar(plant.timezone).local(self.start).date())
        self.ledger = res_ledger.empty()
        self.protected_from = np.full(len(self.people), np.inf)
        self.outbox: list[Draft] = []
        self.inbox: list[Any] = []
        self.unsubscribe = port.subscribe(self.inbox.extend)
        self.drafts = 0
        self.submits = 0
        self.log_s = 0.0  # wall time spent in the incident (submits and ticks)
        self.launched = False
        self.level: str | None = None
        self.origin: tuple[float, float] | None = None
        self.proposals: list[dict[str, Any]] = []
        self.first_alert = env.event()
        self.assignee: dict[str, str] = {}
        self.done: dict[str, float] = {}
        self.done_events: dict[str, simpy.Event] = {}
        self.tick_times: set[float] = set()
        self.answered: set[str] = set()  # tasks whose current assignee acknowledged
        self.closed = False
        self.zone_reach: dict[str, float] = {}
        self.hazard_id = 0
        self.evac_id = 0
        self.sensors = self._sensors()
        self.triggers = self._triggers()
        self.source_node = int(self.site.graph.nearest_nodes(np.array([scenario.source_xy]))[0][0])

    # ------------------------------------------------------------------ time and drafts
    def time(self, t_s: float | None = None) -> dt.datetime:
        """The incident time of drill second ``t_s`` (default: now)."""
        return self.start + dt.timedelta(seconds=float(self.env.now if t_s is None else t_s))

    def seconds(self, t: dt.datetime | str) -> float:
        """Drill seconds of an incident time (aware datetime or ISO text)."""
        tt = parse_time(t) if isinstance(t, str) else t
        return (tt - self.start).total_seconds()

    def emit(self, event_type: str, payload: dict[str, Any], t_s: float | None = None) -> None:
        """Queue one draft at drill second ``t_s`` (default now); :meth:`flush` submits it. Nothing is
        queued once the incident is closed."""
        if not self.closed:
            self.outbox.append(Draft(event_type, self.time(t_s), payload))

    def flush(self) -> None:
        """Submit what is queued (assembly-point arrivals up to now first), in time order, then record the
        deadlines due, then act on what the incident recorded; repeat while acting queued more."""
        if self.closed:
            return
        for _ in range(20):
            for a in self.mover.new_arrivals():
                pid = str(self.people.ids[a.row])
                ap = str(self.site.aps.ids[a.ap])
                self.outbox.append(Draft("person.mustered", self.time(a.t), {
                    "person_id": pid, "assembly_point_id": ap, "method": "simulated",
                    **({"over_capacity": True} if a.over_capacity else {})}))
            batch = sorted(self.outbox, key=lambda d: d.time)
            self.outbox = []
            t0 = time.perf_counter()
            if batch:
                self.port.submit(batch)
                self.drafts += len(batch)
                self.submits += 1
            due = [t for t in self.tick_times if t <= self.env.now]
            if due:
                self.tick_times.difference_update(due)
                self.port.tick()
            self.log_s += time.perf_counter() - t0
            if not self._dispatch() and not self.outbox:
                return

    def _tick_at(self, t_s: float, task_id: str | None = None) -> None:
        """Hear from the engine at ``t_s`` (a trigger may fire, or a task's deadline passes). For a task's
        deadline only when it is still unanswered then: an answered task past its deadline is marked overdue
        by the engine at that very time anyway, with the next submission, and nobody here acts on it."""
        if t_s <= self.params.duration_s and t_s not in self.tick_times:
            self.tick_times.add(t_s)
            self.env.process(self._wake(t_s, task_id))

    def _wake(self, t_s: float, task_id: str | None):  # type: ignore[no-untyped-def]
        yield self.env.timeout(max(0.0, t_s - self.env.now))
        if task_id is not None and (task_id in self.answered or task_id in self.done):
            self.tick_times.discard(t_s)
            return
        self.flush()

    # ------------------------------------------------------------------ reacting to the log
    def _dispatch(self) -> bool:
        events, self.inbox[:] = list(self.inbox), []
        for e in events:
            p = e.payload
            if e.type == "plan.proposed":
                self.proposals.append(p)
                if not self.first_alert.triggered:
                    self.first_alert.succeed(self.env.now)
            elif e.type == "plan.launched":
                self.launched, self.level = True, str(p["level"])
                o = p.get("origin")
                self.origin = (float(o["x"]), float(o["y"])) if isinstance(o, dict) else self.scenario.source_xy
                scope = {"scope": "site"} if self.params.evacuation_scope == "site" else p.get("evacuation")
                self._evacuate(scope or {})
                self._assess(force=True)
            elif e.type == "level.changed":
                self.level = str(p["to"])
                self._evacuate(p.get("evacuation") or {})
            elif e.type == "task.assigned" and p.get("person_id"):
                tid, pid = str(p["task_id"]), str(p["person_id"])
                self.assignee[tid] = pid
                self.answered.discard(tid)
                for key in ("respond_by", "deadline"):
                    if p.get(key):
                        self._tick_at(self.seconds(str(p[key])) + 1e-6, tid)
                self.env.process(self._responder(tid, pid, p))
            elif e.type in ("task.done", "task.skipped"):
                self._mark_done(str(p["task_id"]))
        return bool(events)

    def _mark_done(self, tid: str) -> None:
        self.done.setdefault(tid, self.env.now)
        ev = self.done_events.pop(tid, None)
        if ev is not None and not ev.triggered:
            ev.succeed()

    # ------------------------------------------------------------------ the evacuation
    def _scope_rows(self, evacuation: dict[str, Any]) -> np.ndarray:
        scope = evacuation.get("scope") or "none"
        n = len(self.people)
        if scope == "none" or n == 0:
            return np.zeros(0, dtype=np.int64)
        if scope == "site":
            inside = np.ones(n, bool)
        else:
            ox, oy = self.origin or self.scenario.source_xy
            d = np.hypot(self.people.x - ox, self.people.y - oy)
            if scope == "radius":
                inside = d <= float(evacuation.get("radius_m") or 0.0)
            else:
                import shapely

                zones = self.plant.layers["zones"]
                hit = zones[zones.geometry.contains(shapely.Point(ox, oy))] if len(zones) else zones
                inside = (shapely.contains_xy(shapely.union_all(hit.geometry.values), self.people.x, self.people.y)
                          if len(hit) else d <= 100.0)
        stay = np.array([self.roles.get(str(p)) in POST_ROLES for p in self.people.ids], dtype=bool)
        return np.flatnonzero(inside & ~stay)

    def _evacuate(self, evacuation: dict[str, Any]) -> None:
        rows = self._scope_rows(evacuation)
        if len(rows) == 0:
            return
        stuck = set(self.mover.alarm(rows.tolist()))
        m = self.movement
        ids = self.site.aps.ids
        people = [{"person_id": str(self.people.ids[i]), "assembly_point_id": str(ids[m.goal_ap[i]])}
                  for i in rows.tolist() if i not in stuck and m.goal_ap[i] >= 0]
        if not people and not stuck:
            return
        self.evac_id += 1
        self.emit("evacuation.planned", {
            "evacuation_id": f"EV-{self.evac_id}", "method": self.params.route_method, "people": people,
            "by": "simulation", "scope": evacuation.get("scope"), "radius_m": evacuation.get("radius_m"),
            "unroutable": [{"person_id": str(self.people.ids[i]), "reason": m.reason.get(i, "")}
                           for i in sorted(stuck)]})

    def _assess(self, force: bool = False) -> None:
        """The zones now: when they grew or shrank by :data:`ZONE_CHANGE` of their reach (or appeared or
        vanished), everyone on their way is re-routed and, after the launch, a ``hazard.assessed`` records
        what the command center sees (``force``: record it anyway, at the launch)."""
        hazard, fc = self.field.zones(self.env.now)
        reach = {f["properties"]["level"]: f["properties"]["distance_m"] for f in fc["features"]}
        reach = {lv: (d if isinstance(d, (int, float)) else 1e4) for lv, d in reach.items()}
        old = self.zone_reach
        changed = set(reach) != set(old) or any(abs(reach[lv] - old[lv]) > ZONE_CHANGE * max(old[lv], 1.0)
                                                for lv in reach)
        if not changed and not (force and self.hazard_id == 0 and reach):
            return
        self.zone_reach = reach
        self.mover.set_network(RoutingNetwork(self.site, hazard))
        if self.launched:
            self.hazard_id += 1
            sc = self.scenario
            self.emit("hazard.assessed", {
                "assessment_id": f"HZ-{self.hazard_id}", "zones": fc["features"], "model": "gaussian",
                "substance": sc.substance, "rate_kg_s": sc.rate_kg_s, "by": "simulation",
                "source": {"id": sc.source_id, "x": sc.source_xy[0], "y": sc.source_xy[1]},
                "weather": dict(sc.weather),
                "reach_m": dict(reach)})

    # ------------------------------------------------------------------ processes
    def _hazard(self):  # type: ignore[no-untyped-def]
        while True:
            self._assess()
            yield self.env.timeout(self.params.hazard_period_s)

    def _sensors(self) -> dict[str, Any]:
        s = self.plant.layers["sensors"]
        if not len(s):
            return {"ids": []}
        sub = self.scenario.substance
        mask = (s["kind"].astype(str) == "gas").to_numpy() & np.array(
            [normalise_substance(str(v)) == sub if isinstance(v, str) else False for v in s["substance"]])
        sel = s[mask]
        lel = self.field.substance.lel
        unit = sel["unit"].astype(str).to_numpy()
        per_ppm = np.where(unit == "%LEL", (100.0 / (lel * 1e6)) if lel else np.nan,
                           np.where(unit == "%vol", 1e-4, 1.0))
        warn = (pd.to_numeric(sel["warn"], errors="coerce").to_numpy(float) if "warn" in sel
                else np.full(len(sel), np.nan))
        return {"ids": [str(i) for i in sel.index], "x": sel.geometry.x.to_numpy(float),
                "y": sel.geometry.y.to_numpy(float), "unit": unit, "per_ppm": per_ppm,
                "warn": warn, "alarm": pd.to_numeric(sel["alarm"], errors="coerce").to_numpy(float),
                "level": np.zeros(len(sel), np.int8), "reporting": np.zeros(len(sel), bool),
                "last": np.zeros(len(sel))}

    def _triggers(self) -> list[tuple[float, float, str]]:
        """(threshold, duration s, unit) of every sensor trigger of the library on the released substance:
        when a detector crosses one, the engine may propose or launch ``duration`` later, so the drill
        submits then and hears of it at once."""
        out = set()
        for plan in self.plans.values():
            for tr in plan.triggers:
                if (tr.kind == "sensor" and tr.sensor_kind == "gas" and tr.threshold is not None
                        and normalise_substance(str(tr.substance or "")) == self.scenario.substance):
                    out.add((float(tr.threshold), float(tr.duration_s), str(tr.unit or "ppm")))
        return sorted(out)

    def _detectors(self):  # type: ignore[no-untyped-def]
        s = self.sensors
        if not s["ids"]:
            return
        names = ("clear", "warn", "alarm")
        while True:
            ok = np.isfinite(s["per_ppm"])
            value = np.where(ok, self.field.ppm(s["x"], s["y"], self.env.now) * np.nan_to_num(s["per_ppm"]), 0.0)
            warn = np.where(np.isfinite(s["warn"]), s["warn"], s["alarm"])
            level = np.where(value >= s["alarm"], 2, np.where(value >= warn, 1, 0)).astype(np.int8)
            report = ok & ((value >= 0.1 * warn) | s["reporting"])
            for k in np.flatnonzero(report).tolist():
                self.emit("sensor.reading", {
                    "sensor_id": s["ids"][k], "value": round(float(value[k]), 3), "unit": str(s["unit"][k]),
                    "substance": self.scenario.substance, "kind": "gas", "x": float(s["x"][k]), "y": float(s["y"][k])})
            for k in np.flatnonzero(level != s["level"]).tolist():
                self.emit("sensor.alarm", {"sensor_id": s["ids"][k], "level": names[int(level[k])],
                                           "value": round(float(value[k]), 3), "unit": str(s["unit"][k]),
                                           "substance": self.scenario.substance, "kind": "gas"})
            for thr, dur, unit in self.triggers:
                crossed = ok & (s["unit"] == unit) & (value >= thr) & (s["last"] < thr)
                if crossed.any():
                    self._tick_at(self.env.now + dur + 1e-6)
            s["reporting"] = ok & (value >= 0.1 * warn)
            alarm_changed = bool((level != s["level"]).any())
            if (level == 2).any() and not self.first_alert.triggered:
                self.first_alert.succeed(self.env.now)
            s["level"], s["last"] = level, value
            if alarm_changed:
                self.flush()
            yield self.env.timeout(self.params.sensor_period_s)

    def _officer_id(self) -> str:
        on = ShiftCalendar(self.plant.timezone).on_duty(self.time())
        r = self.plant.personnel
        if not len(r):
            return "duty-officer"
        shift = r["shift"].fillna("day").astype(str) if "shift" in r.columns else pd.Series("day", r.index)
        ok = r.index[(r["role"].astype(str) == "control_room_operator") & shift.isin(on)]
        return str(sorted(ok.astype(str))[0]) if len(ok) else "duty-officer"

    def _officer(self):  # type: ignore[no-untyped-def]
        yield self.first_alert
        seen = 0
        while True:
            yield self.env.timeout(lognormal(self.rng["officer"], self.params.officer_reaction))
            self.flush()
            best = max(self.proposals, key=lambda p: level_rank(str(p["level"])), default=None)
            seen = len(self.proposals)
            if not self.launched:
                plan_id = str(best["plan_id"]) if best else self.scenario.plan_id
                level = str(best["level"]) if best else self.plans[plan_id].level_names[0]
                o = best.get("origin") if best else None
                origin = (float(o["x"]), float(o["y"])) if isinstance(o, dict) else self.scenario.source_xy
                self.port.launch(plan_id, level, by=self._officer_id(), console="control-room",
                                 reason="alarm confirmed by the duty officer", origin=origin)
            elif best and self.level and level_rank(str(best["level"])) > level_rank(self.level):
                self.port.change_level(str(best["level"]), by=self._officer_id(), reason="alarm escalated")
            self.flush()
            while len(self.proposals) == seen:  # proposals come with detector readings
                yield self.env.timeout(self.params.sensor_period_s)

    def _positions(self):  # type: ignore[no-untyped-def]
        """Every ``position_period_s``, a position report from each person on their way who moved at least
        ``position_min_move_m`` since their last report (field devices report on movement)."""
        m = self.movement
        last = np.column_stack([self.people.x, self.people.y])
        while True:
            yield self.env.timeout(self.params.position_period_s)
            rows = np.array([i for i, st in enumerate(m.state) if st in _MOVING], dtype=np.int64)
            if not len(rows):
                continue
            xy = m.positions(rows.tolist(), self.env.now)
            moved = np.hypot(*(xy - last[rows]).T) >= self.params.position_min_move_m
            for i, (x, y) in zip(rows[moved].tolist(), xy[moved].tolist(), strict=True):
                self.emit("position.reported", {"person_id": str(self.people.ids[i]), "x": round(x, 2),
                                                "y": round(y, 2), "status": "moving"})
            last[rows[moved]] = xy[moved]

    def _flusher(self):  # type: ignore[no-untyped-def]
        while True:
            yield self.env.timeout(self.params.flush_s)
            self.flush()

    def _task_plan(self, payload: dict[str, Any]) -> tuple[list[str], dict[str, int]]:
        plan = self.plans.get(str(payload.get("plan_id")))
        task = next((t for t in plan.tasks if t.id == payload.get("task_id")), None) if plan else None
        return ([str(q) for q in payload.get("qualifications") or []],
                {r.kind: r.quantity for r in task.resources} if task else {})

    def _responder(self, tid: str, pid: str, p: dict[str, Any]):  # type: ignore[no-untyped-def]
        rng = self.rng["ack"]
        delay = lognormal(rng, self.params.ack_delay)
        if rng.random() < self.params.ack_miss_p:
            return
        yield self.env.timeout(delay)
        if self.assignee.get(tid) != pid or tid in self.done:
            return
        ref = {"task_id": tid, "person_id": pid, **({"incident_id": p["incident_id"]} if p.get("incident_id") else {})}
        self.emit("task.acknowledged", dict(ref))
        self.answered.add(tid)
        for dep in p.get("depends_on") or []:
            while str(dep) not in self.done:
                ev = self.done_events.setdefault(str(dep), self.env.event())
                yield ev
            if self.assignee.get(tid) != pid:
                return
        quals, need = self._task_plan(p)
        row = self.row.get(pid)
        field_task = is_field_task(str(p.get("kind") or "task"), self.roles.get(pid), quals, list(need))
        if field_task and row is not None:
            scba = needs_scba(quals, list(need))
            if scba:
                got = yield from self._fetch_scba(row, pid, tid, max(1, int(need.get("scba", 1))))
                if not got or self.assignee.get(tid) != pid:
                    return
            target = self.source_node if scba else self._standoff()
            arrived = self.mover.send(row, target, protected=scba)
            if arrived is None:
                return
            yield arrived
            if self.assignee.get(tid) != pid:
                return
        self.emit("task.started", dict(ref))
        deadline_s = float(p.get("deadline_s") or 300.0)
        work = lognormal(self.rng["task"], (self.params.task_fraction * deadline_s, self.params.task_log_sd))
        yield self.env.timeout(work)
        if self.assignee.get(tid) != pid or tid in self.done:
            return
        if tid.startswith("isolate"):
            self.field = self.field.isolated(self.env.now)
        self.emit("task.done", dict(ref))
        self._mark_done(tid)

    def _fetch_scba(self, row: int, pid: str, tid: str, quantity: int):  # type: ignore[no-untyped-def]
        """Walk to the nearest resource point with a free breathing set, take up to ``quantity`` (the pair's
        sets), try the next one if others emptied it first, don; False when none is left or reachable."""
        inv = self.inventory
        g = self.site.graph
        scba = np.flatnonzero((inv.kinds == "scba") & inv.usable)
        nodes, dist = g.nearest_nodes(inv.xy[scba]) if len(scba) else (np.zeros(0, int), np.zeros(0))
        scba, nodes = scba[dist <= 50.0], nodes[dist <= 50.0]
        for _ in range(len(scba)):
            free = res_ledger.free_units(inv, self.ledger)[scba]
            ok = free >= 1
            if not ok.any():
                break
            net = self.movement.net
            tree = search_to_targets(net.arcs, net.weight(self.movement.profile[row]), nodes[ok])
            start = self.movement._next_node(row)
            k = int(tree.target[start]) if start >= 0 else -1
            if k < 0:
                break
            item = int(scba[ok][k])
            arrived = self.mover.send(row, int(nodes[ok][k]))
            if arrived is None:
                break
            yield arrived
            if self.assignee.get(tid) != pid:
                return False
            q = int(min(quantity, res_ledger.free_units(inv, self.ledger)[item]))
            if q < 1:
                continue  # emptied by someone else on the way: the next cabinet
            d = res_ledger.take(inv, self.ledger, str(inv.ids[item]), self.time(), q, person_id=pid, task_id=tid)
            res_ledger.apply(self.ledger, d.type, d.payload)
            self.outbox.append(d)
            yield self.env.timeout(lognormal(self.rng["scba"], self.params.scba_don))
            self.protected_from[row] = self.env.now
            return True
        self.emit("note.added", {"text": f"{pid}: no breathing apparatus left within reach for task {tid}",
                                 "by": pid})
        return False

    def _standoff(self) -> int:
        g = self.site.graph
        hazard, _ = self.field.zones(self.env.now)
        k = min(64, g.n_nodes)
        _, idx = cKDTree(g.node_xy).query(np.array(self.scenario.source_xy), k=k)
        idx = np.atleast_1d(idx)
        rank = hazard.rank_at(g.node_xy[idx, 0], g.node_xy[idx, 1]) if len(hazard) else np.zeros(len(idx))
        outside = idx[rank == 0]
        return int(outside[0]) if len(outside) else int(idx[-1])

    def _end(self):  # type: ignore[no-untyped-def]
        yield self.env.timeout(self.params.duration_s)
        self.flush()
        m = self.movement
        paths = [m.trajectory(i) for i in range(len(self.people))]
        start_xy = np.column_stack([self.people.x, self.people.y])
        ex = exposures(paths, start_xy, self.field, self.env.now, dt_s=self.params.exposure_dt_s,
                       protected_from=self.protected_from)
        rows = np.flatnonzero(ex.dose_ppm_min > 0)
        self.exposed = [str(self.people.ids[i]) for i in np.flatnonzero(ex.exceeded)]
        self.emit("exposure.assessed", {
            "assessment_id": "EXPOSURE-1", "substance": self.scenario.substance, "guideline": ex.guideline,
            "threshold_ppm": round(ex.threshold_ppm, 4), "model": "gaussian+toxic-load", "by": "simulation",
            "exceeded": self.exposed,
            "people": [{"person_id": str(self.people.ids[i]), "dose_ppm_min": round(float(ex.dose_ppm_min[i]), 4),
                        "peak_ppm": round(float(ex.peak_ppm[i]), 4), "load_ratio": round(float(ex.load_ratio[i]), 4),
                        "exceeded": bool(ex.exceeded[i])} for i in rows.tolist()]})
        self.emit("incident.closed", {"reason": "end of drill", "by": "simulation"})
        self.flush()
        self.closed = True

    def run(self) -> DrillOutcome:
        """Run the drill to its end and close the incident."""
        self.exposed: list[str] = []
        for proc in (self._hazard(), self._detectors(), self._officer(), self._positions(), self._flusher()):
            self.env.process(proc)
        end = self.env.process(self._end())
        self.env.run(until=end)
        self.unsubscribe()
        return DrillOutcome(float(self.env.now), len(self.people), self.drafts, self.submits, self.launched,
                            self.log_s, self.exposed)

