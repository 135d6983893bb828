"""Evacuation plans in the log: an :class:`gis.routing.plan.EvacuationPlan` as an ``evacuation.planned``
draft, and what the map draws of a recorded one.

The payload keeps, for everyone, the assembly point, the arrival time and the route as walkway edge ids
(compact; the plant's graph gives the geometry), so a restart or a replay draws exactly the routes the
commander saw, and the after-action report can check who reached the point they were sent to.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vocabulary.events import Draft


def _finite_or_none(v: float) -> float | None:
    return round(float(v), 1) if math.isfinite(float(v)) else None


def evacuation_draft(plan: Any, time: dt.datetime, *, assessment_id: str | None = None,
                     by: str | None = None) -> Draft:
    """The ``evacuation.planned`` draft of ``plan`` at ``time``."""
    a, people, net = plan.assignment, plan.people, plan.net
    aps = net.site.aps
    rows = []
    for i in range(len(people.ids)):
        k = int(a.ap[i])
        route = a.routes[i]
        rows.append({"person_id": str(people.ids[i]), "assembly_point_id": str(aps.ids[k]) if k >= 0 else None,
                     "eta_s": _finite_or_none(plan.eta_s[i]) if k >= 0 else None,
                     "edges": [] if route is None else net.arcs.edge[route].astype(int).tolist()})
    payload: dict[str, Any] = {
        "evacuation_id": f"EVAC-{uuid.uuid4().hex[:8].upper()}", "method": str(plan.method), "people": rows,
        "eta_s": _finite_or_none(plan.evacuation_time_s), "bound_s": _finite_or_none(plan.lower_bound_s),
        "unroutable": [{"id": str(u["id"]), "code": str(u.get("code", "")), "reason": str(u.get("reason", ""))}
                       for u in plan.unroutable()]}
    if plan.optimiser and isinstance(plan.optimiser.get("solver"), str):
        payload["solver"] = plan.optimiser["solver"]
    if assessment_id:
        payload["assessment_id"] = assessment_id
    if by:
        payload["by"] = by
    return Draft("evacuation.planned", time, payload)


@dataclass
class RouteView:
    """What the map draws of a recorded evacuation plan: the walkway edges used per assembly point,
    each assembly point's load, and who has no route (with their last position)."""

    method: str
    eta_s: float | None
    bound_s: float | None
    edges_by_ap: dict[str, np.ndarray] = field(default_factory=dict)
    load_by_ap: dict[str, int] = field(default_factory=dict)
    unroutable: list[dict[str, str]] = field(default_factory=list)
    person_ap: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Clearance time over the bound (None without a bound)."""
        return self.eta_s / self.bound_s if self.eta_s and self.bound_s else None


def route_view(payload: dict[str, Any], n_edges: int) -> RouteView:
    """The :class:`RouteView` of an evacuation projection entry (``state["hazard"]["evacuation"]``);
    edge ids outside the plant's ``n_edges`` edges are dropped (a log from another plant)."""
    by_ap: dict[str, list[list[int]]] = {}
    load: dict[str, int] = {}
    person_ap: dict[str, str] = {}
    for row in payload.get("people") or []:
        ap = row.get("assembly_point_id")
        if not ap:
            continue
        person_ap[str(row["person_id"])] = ap
        load[ap] = load.get(ap, 0) + 1
        by_ap.setdefault(ap, []).append([e for e in row.get("edges") or [] if 0 <= int(e) < n_edges])
    edges = {ap: np.unique(np.fromiter((e for r in lists for e in r), dtype=np.int64)) for ap, lists in by_ap.items()}
    return RouteView(method=str(payload.get("method") or ""), eta_s=payload.get("eta_s"),
                     bound_s=payload.get("bound_s"), edges_by_ap=edges, load_by_ap=load,
                     unroutable=list(payload.get("unroutable") or []), person_ap=person_ap)


# ---------------------------------------------------------------------------------- a new wind re-plans
#: who records what a wind reading re-planned (the ``by`` of its events)
WIND_REPLAN_BY = "wind-replan"
#: a reading is a new wind when it differs from the assessment's by more than two readings' uncertainty:
#: WMO-No. 8 (2018, vol. I, ch. 5, annex 1.A) asks ±5° in direction and ±0.5 m/s (±10 % above 5 m/s) in speed
#: of each, so two readings of one steady wind may differ by 10° and by max(1 m/s, 20 %)
WIND_TURN_DEG = 10.0
WIND_SPEED_MPS = 1.0
WIND_SPEED_REL = 0.20
JOB_KIND = "wind-replan"


def _angle(a: float, b: float) -> float:
    d = abs(float(a) - float(b)) % 360.0
    return min(d, 360.0 - d)


def wind_change(assessed: dict[str, Any], reading: dict[str, Any]) -> str | None:
    """What changed between the weather of an assessment and a new one (``wind_speed_mps``, ``wind_from_deg``,
    ``stability``: the resolved weather of a reading, whose class may come from its cloud cover), in words, or
    None when it is the same wind within measurement uncertainty (see :data:`WIND_TURN_DEG`) and the same class."""
    parts = []
    u0, u1 = float(assessed.get("wind_speed_mps") or 0.0), float(reading["wind_speed_mps"])
    turn = _angle(assessed.get("wind_from_deg") or 0.0, reading["wind_from_deg"])
    if turn > WIND_TURN_DEG:
        parts.append(f"wind turned {turn:.0f}° (from {float(assessed.get('wind_from_deg') or 0):.0f}° to "
                     f"{float(reading['wind_from_deg']) % 360:.0f}°)")
    if abs(u1 - u0) > max(WIND_SPEED_MPS, WIND_SPEED_REL * max(u0, u1)):
        parts.append(f"wind speed {u0:g} → {u1:g} m/s")
    cls = reading.get("stability")
    if cls is not None and str(cls).strip().upper() != str(assessed.get("stability") or "").upper():
        parts.append(f"stability {assessed.get('stability')} → {str(cls).strip().upper()}")
    return "; ".join(parts) or None


def routing_change(old: Any, new: Any, people: Any, old_hazard: Any, new_hazard: Any) -> str | None:
    """Whether new zones change anything routing reads, in words, or None: the hazard level of a walkway edge,
    whether an assembly point is safe, or the zone level a person stands in. ``old``/``new`` are the
    :class:`gis.routing.shortest.RoutingNetwork` of each hazard. Zones that moved over open ground only
    change no route, so they are recorded as an assessment and re-plan nobody."""
    parts = []
    edges = int(np.count_nonzero(old.edge_hazard.rank != new.edge_hazard.rank))
    if edges:
        parts.append(f"{edges} walkway edges change zone")
    aps = int(np.count_nonzero(old.ap_safe != new.ap_safe))
    if aps:
        parts.append(f"{aps} assembly points change safety")
    if len(people):
        moved = int(np.count_nonzero(old_hazard.rank_at(people.x, people.y) != new_hazard.rank_at(people.x, people.y)))
        if moved:
            parts.append(f"{moved} people are now in another zone")
    return "; ".join(parts) or None


@dataclass
class WindReplan:
    """What one wind reading led to: ``outcome`` (``replanned``, ``reassessed`` — new zones, no route
    affected or no plan to change —, ``unchanged`` — the same wind within measurement uncertainty —,
    ``no-assessment``, ``refused``), why, the drafts to record, and who got a new route."""

    outcome: str
    reason: str
    drafts: list[Draft] = field(default_factory=list)
    assessment_id: str | None = None
    evacuation_id: str | None = None
    changes: list[Any] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the CLI's ``replan`` object)."""
        return {"outcome": self.outcome, "reason": self.reason, "assessment_id": self.assessment_id,
                "evacuation_id": self.evacuation_id, "rerouted": [c.to_dict() for c in self.changes]}


def replan_for_weather(plant: Any, state: dict[str, Any], reading: dict[str, Any], time: dt.datetime, *,
                       people_model: Any = None, plan: Any = None) -> WindReplan:
    """What a ``weather.observed`` ``reading`` at ``time`` changes in an incident whose folded projections are
    ``state``: pure (no I/O), the caller records ``drafts``.

    With a current assessment and a wind that differs from its wind beyond measurement uncertainty
    (:func:`wind_change`), the same release is assessed again in the new weather (a new ``hazard.assessed``).
    When the incident has an evacuation plan and the new zones change what routing reads (:func:`routing_change`),
    the plan is re-made for the people the change affects (:func:`gis.routing.reroute.reroute`: everyone else
    keeps their route and assembly point) and recorded as a new ``evacuation.planned``. The plan being
    re-routed is rebuilt from where everyone is now under the old zones, by the recorded plan's method."""
    from commandcenter.services.assessment import assessed_draft, reassess_in_weather, weather_of_reading
    from commandcenter.services.people import PeopleModel, routing_population
    from commandcenter.services.zones import hazard_from_payload
    from gis.hazards.refusals import HazardInputError
    from gis.routing.people import people_of_plant
    from gis.routing.plan import plan_evacuation
    from gis.routing.reroute import reroute
    from gis.routing.shortest import RoutingNetwork
    from gis.routing.site import Site

    hz = state.get("hazard") or {}
    cur, evac = hz.get("current"), hz.get("evacuation")
    if cur is None:
        return WindReplan("no-assessment", "no hazard assessment to re-assess")
    try:
        weather = weather_of_reading(plant, reading, time, cur.get("weather"))
    except HazardInputError as exc:
        return WindReplan("refused", f"not re-assessed: {exc}", assessment_id=cur.get("id"))
    change = wind_change(cur.get("weather") or {}, {"wind_speed_mps": weather.wind_speed_mps,
                                                    "wind_from_deg": weather.wind_from_deg,
                                                    "stability": weather.stability})
    if change is None:
        return WindReplan("unchanged", "the same wind as the assessment's within measurement uncertainty",
                          assessment_id=cur.get("id"))
    model = people_model or PeopleModel(plant)
    try:
        a = reassess_in_weather(plant, cur, weather, positions=model.positions(state), plan=plan)
    except HazardInputError as exc:
        return WindReplan("refused", f"{change}; not re-assessed: {exc}", assessment_id=cur.get("id"))
    assessed = assessed_draft(a, time, by=WIND_REPLAN_BY)
    out = WindReplan("reassessed", change, [assessed], a.assessment_id)
    if evac is None:
        out.reason += "; no evacuation plan to re-route"
        return out
    people = people_of_plant(plant, routing_population(plant, state, model))
    if not len(people):
        out.reason += "; nobody left to route"
        return out
    old_hazard, new_hazard = hazard_from_payload(cur.get("zones")), hazard_from_payload(assessed.payload["zones"])
    site = Site.of_plant(plant)
    method = evac.get("method") if evac.get("method") in ("shortest", "capacity") else "capacity"
    old = plan_evacuation(site, people, old_hazard, method, with_bound=False, optimise_s=0.0)
    new_net = RoutingNetwork(site, new_hazard, old.net.penalties)
    moved = routing_change(old.net, new_net, people, old_hazard, new_hazard)
    if moved is None:
        out.reason += "; the zones moved over no walkway, assembly point or person: routes unchanged"
        return out
    new_plan, changes = reroute(old, new_hazard, net=new_net)
    planned = evacuation_draft(new_plan, time, assessment_id=a.assessment_id, by=WIND_REPLAN_BY)
    out.drafts.append(planned)
    out.outcome, out.reason = "replanned", f"{change}; {moved}"
    out.evacuation_id, out.changes = planned.payload["evacuation_id"], changes
    return out


def replan_after_weather(rt: Any, events: list[Any], *, people_model: Any = None) -> list[WindReplan]:
    """For each ``weather.observed`` among ``events`` of the runtime ``rt``, :func:`replan_for_weather` on the
    runtime's current state, recording its drafts through ``rt.submit`` at ``rt.now()``. Never call it from
    inside a runtime notification (a subscriber): :class:`WindReplanner` runs it on a worker instead."""
    out = []
    for ev in events:
        if ev.type != "weather.observed" or rt.plant is None or rt.read_only or rt.closed:
            continue
        try:
            r = replan_for_weather(rt.plant, rt.state, ev.payload, rt.now(), people_model=people_model)
        except ValueError as exc:  # a recorded assessment or plan this plant cannot read again (another plant's log)
            r = WindReplan("refused", f"not re-planned: {exc}")
        if r.drafts:
            rt.submit(r.drafts)
        out.append(r)
    return out


class WindReplanner:
    """Re-plan an incident when a new wind is recorded, whoever records it (field stations, the window, the
    CLI, a drill script): a runtime subscriber that hands each ``weather.observed`` to one background job
    (:class:`commandcenter.services.jobs.JobRunner`, a newer reading supersedes one still computing), which
    records the new assessment and plan through the runtime. Attach it where an incident is served live:
    ``WindReplanner.attach(rt)``; ``close()`` detaches it."""

    def __init__(self, rt: Any, runner: Any = None) -> None:
        from commandcenter.services.jobs import JobRunner

        self.rt = rt
        self.runner = runner or JobRunner(max_workers=1)
        self._own_runner = runner is None
        self.job: Any = None
        self.results: list[WindReplan] = []
        self._unsubscribe = rt.subscribe(self._on_events)

    @classmethod
    def attach(cls, rt: Any, runner: Any = None) -> WindReplanner:
        """Subscribe a re-planner to ``rt`` (nothing is re-planned for a replay or without a plant)."""
        return cls(rt, runner)

    def _on_events(self, events: list[Any]) -> None:
        weather = [e for e in events if e.type == "weather.observed"]
        if not weather or self.rt.plant is None or self.rt.read_only:
            return
        latest = weather[-1:]

        def work(token: Any) -> list[WindReplan]:
            token.check()
            done = replan_after_weather(self.rt, latest)
            self.results.extend(done)
            return done

        self.job = self.runner.submit(f"{JOB_KIND}:{self.rt.incident_id}", work)

    def wait(self, timeout: float | None = None) -> list[WindReplan]:
        """Block until the latest re-plan ends (tests and the CLI; never on a UI thread); its results."""
        return [] if self.job is None else self.job.result(timeout)

    def close(self) -> None:
        """Unsubscribe (a running job finishes)."""
        self._unsubscribe()
        if self._own_runner:
            self.runner.shutdown()
