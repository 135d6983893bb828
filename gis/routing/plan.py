"""One evacuation plan end to end: route, time with the flow model, bound, and report.

:func:`plan_evacuation` routes everyone (``shortest`` or ``capacity``), times the
plan with the flow model (:func:`gis.routing.flow_model.simulate`, the same for
every method), computes the lower bound, and returns an :class:`EvacuationPlan`
whose :meth:`~EvacuationPlan.to_json` is what ``commandcenter route --json``
prints.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from gis.routing.capacity_plan import ROUNDS, capacity_candidates, plan_capacity
from gis.routing.dose import Exposure, dose_routes
from gis.routing.flow_model import priority_order, simulate
from gis.routing.hazard_graph import Hazard, Penalties
from gis.routing.instructions import instructions
from gis.routing.lower_bound import LowerBound, lower_bound
from gis.routing.optimise import optimise
from gis.routing.people import People
from gis.routing.shortest import Assignment, RoutingNetwork, component_text, route_shortest
from gis.routing.site import Site

METHODS: tuple[str, ...] = ("shortest", "capacity", "dose")
OPTIMISE_S = 2.0  # default time budget of the capacity plan's optimiser (s)


@dataclass
class EvacuationPlan:
    """A timed plan: who goes where by which route, when they arrive, and how far from the bound."""

    method: str
    net: RoutingNetwork
    people: People
    assignment: Assignment
    start_s: np.ndarray
    free_eta_s: np.ndarray
    eta_s: np.ndarray
    order: np.ndarray
    bound: LowerBound
    timings: dict[str, float] = field(default_factory=dict)
    optimiser: dict[str, object] | None = None  # what the optimiser did (capacity plans; see gis.routing.optimise)

    @property
    def evacuation_time_s(self) -> float:
        """Clearance time: the last routed person's arrival (0 when nobody is routed)."""
        eta = self.eta_s[np.isfinite(self.eta_s)]
        return float(eta.max()) if len(eta) else 0.0

    @property
    def lower_bound_s(self) -> float:
        """The lower bound on any plan's clearance time."""
        return self.bound.value

    @property
    def ratio(self) -> float | None:
        """Clearance time over the lower bound (None when the bound is 0)."""
        return self.evacuation_time_s / self.lower_bound_s if self.lower_bound_s > 0 else None

    @property
    def routed(self) -> np.ndarray:
        """Rows with a route."""
        return self.assignment.routed

    def path_nodes(self, i: int) -> list[int]:
        """Node ids of person ``i``'s route, from their join node to the assembly point."""
        route = self.assignment.routes[i]
        if route is None:
            return []
        return [int(self.people.node[i]), *self.net.arcs.head[route].tolist()]

    def path_xy(self, i: int) -> np.ndarray:
        """Person ``i``'s path in the plant CRS: their position, then the walkway geometry to the assembly point."""
        route = self.assignment.routes[i]
        if route is None:
            return np.zeros((0, 2))
        g = self.net.graph
        parts = [np.array([[self.people.x[i], self.people.y[i]]]), g.node_xy[[self.people.node[i]]]]
        for a in route:
            c = g.edge_coords[self.net.arcs.edge[a]]
            parts.append((c if self.net.arcs.forward[a] else c[::-1])[1:])
        xy = np.concatenate(parts)
        keep = np.concatenate([[True], np.any(np.abs(np.diff(xy, axis=0)) > 1e-6, axis=1)])
        return xy[keep]

    def distance_m(self, i: int) -> float:
        """Walking distance of person ``i``: the access walk plus the route."""
        return float(self.people.access_m[i] + self.assignment.length_m[i])

    def instructions(self, i: int) -> tuple[list[str], list[str]]:
        """Person ``i``'s turn-by-turn steps in Chinese and English."""
        route = self.assignment.routes[i]
        if route is None:
            return [], []
        return instructions(self.net, route, int(self.assignment.ap[i]), float(self.people.access_m[i]))

    def unroutable(self) -> list[dict[str, str]]:
        """Everyone without a route: ``{id, code, reason}`` (unreadable rows of the file included)."""
        out = [dict(r) for r in self.people.rejected]
        for i, (code, reason) in sorted(self.assignment.reasons.items()):
            if self.assignment.ap[i] < 0:
                out.append({"id": str(self.people.ids[i]), "code": code, "reason": reason})
        return out

    def unroutable_components(self) -> list[dict[str, object]]:
        """Unroutable people grouped by walkway component and reason: one report per component."""
        groups: dict[tuple[int, str], list[str]] = {}
        for i, (code, _) in self.assignment.reasons.items():
            node = int(self.people.node[i])
            if node >= 0 and self.assignment.ap[i] < 0:
                groups.setdefault((int(self.net.graph.node_component[node]), code), []).append(str(self.people.ids[i]))
        return [{"component": comp, "code": code, "people": len(ids), "ids": ids[:20],
                 "walkways": component_text(self.net, comp)} for (comp, code), ids in sorted(groups.items())]

    def assembly_points(self) -> list[dict[str, object]]:
        """Per assembly point: whether it is safe, how many people it gets, its capacity, the overflow."""
        aps = self.net.site.aps
        load = np.bincount(self.assignment.ap[self.routed], minlength=len(aps))
        return [{"id": str(aps.ids[k]), "name": aps.names[k], "name_en": aps.names_en[k],
                 "safe": bool(self.net.ap_safe[k]), "assigned": int(load[k]), "capacity": float(aps.capacity[k]),
                 "over_capacity": int(max(0, load[k] - int(aps.capacity[k])))} for k in range(len(aps))]

    def person(self, i: int, with_instructions: bool = True) -> dict[str, object]:
        """The JSON object of routed person ``i``."""
        ap = int(self.assignment.ap[i])
        d: dict[str, object] = {
            "id": str(self.people.ids[i]),
            "assembly_point": str(self.net.site.aps.ids[ap]),
            "distance_m": round(self.distance_m(i), 1),
            "eta_s": round(float(self.eta_s[i]), 1),
            "free_flow_eta_s": round(float(self.free_eta_s[i]), 1),
            "wait_s": round(float(self.eta_s[i] - self.free_eta_s[i]), 1),
            "start_s": round(float(self.start_s[i]), 1),
            "speed_mps": round(float(self.people.speed[i]), 3),
            "mobility": "impaired" if self.people.impaired[i] else "normal",
            "leaves_red_zone": bool(self.assignment.escape[i]),
            "nodes": self.path_nodes(i),
            "path": np.round(self.path_xy(i), 2).tolist(),
        }
        if self.assignment.over_capacity is not None and self.assignment.over_capacity[i]:
            d["over_capacity"] = True
        if with_instructions:
            zh, en = self.instructions(i)
            d["instructions"] = {"zh": zh, "en": en}
        return d

    def to_json(self, with_instructions: bool = True, crs: str | None = None) -> dict[str, object]:
        """The plan as the JSON object ``commandcenter route --json`` prints."""
        return {
            "method": self.method,
            "crs": crs,
            "evacuation_time_s": round(self.evacuation_time_s, 1),
            "lower_bound_s": round(self.lower_bound_s, 1),
            "ratio_to_bound": None if self.ratio is None else round(self.ratio, 3),
            "gap_to_bound": None if self.ratio is None else round(self.ratio - 1.0, 4),
            "bound": self.bound.to_json(),
            "optimiser": self.optimiser,
            "routed": int(self.routed.sum()),
            "people": [self.person(i, with_instructions) for i in np.flatnonzero(self.routed).tolist()],
            "unroutable": self.unroutable(),
            "unroutable_components": self.unroutable_components(),
            "assembly_points": self.assembly_points(),
            "timings_s": {k: round(v, 4) for k, v in self.timings.items()},
        }


def timing_inputs(people: People, assignment: Assignment) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start time at the first node, free-flow arrival along ``assignment``, scheduling order) of everyone."""
    start = people.premovement + people.access_m / people.speed
    free = start + assignment.unit_s / people.speed
    return start, free, priority_order(np.where(np.isfinite(free), free, np.inf))


def plan_evacuation(site: Site, people: People, hazard: Hazard | None = None, method: str = "capacity",
                    penalties: Penalties | None = None, rounds: int = ROUNDS,
                    net: RoutingNetwork | None = None, with_bound: bool = True,
                    optimise_s: float = OPTIMISE_S, exposure: Exposure | None = None) -> EvacuationPlan:
    """Route ``people`` on ``site`` under ``hazard`` by ``method`` and time the plan (see the module docstring).

    ``optimise_s`` is the time budget (s) of the capacity plan's optimiser (the time-expanded optimum where
    it fits, local search on the last arrivals; 0 turns it off; it runs only with the bound, which tells it
    when a plan is optimal). Pass ``net`` to reuse a network built
    for this site and hazard. ``dose`` routes everyone to their least toxic load through ``exposure`` (a
    concentration field over time, :mod:`gis.routing.dose`); the zones of ``hazard`` are not used by it."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if method == "dose" and exposure is None:
        raise ValueError("the dose method needs an exposure (the release's concentration field)")
    with gc_paused():  # the plan's temporaries die (by reference count) inside: the collector has less to scan
        plan, report = _plan(site, people, hazard, method, penalties, rounds, net, with_bound, optimise_s, exposure)
    plan.optimiser = report
    return plan


def _plan(site: Site, people: People, hazard: Hazard | None, method: str, penalties: Penalties | None, rounds: int,
          net: RoutingNetwork | None, with_bound: bool, optimise_s: float, exposure: Exposure | None
          ) -> tuple[EvacuationPlan, dict[str, object] | None]:
    """The body of :func:`plan_evacuation`: the plan and the optimiser's report."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    net = net or RoutingNetwork(site, hazard, penalties)
    timings["network"] = time.perf_counter() - t0
    t = time.perf_counter()
    shortest = route_shortest(net, people)
    timings["shortest"] = time.perf_counter() - t
    start, _, order = timing_inputs(people, shortest)
    chosen = shortest
    bound = None
    report = None
    if method == "dose":
        t = time.perf_counter()
        assert exposure is not None
        chosen = dose_routes(net, people, shortest, start, exposure)
        timings["dose"] = time.perf_counter() - t
    if method == "capacity":
        t = time.perf_counter()
        cands = capacity_candidates(net, people, shortest, rounds)
        chosen = plan_capacity(net, people, shortest, order, start, rounds, candidates=cands)
        timings["capacity"] = time.perf_counter() - t
        if with_bound:
            t = time.perf_counter()
            bound = lower_bound(net, people, shortest, start)
            timings["lower_bound"] = time.perf_counter() - t
        if optimise_s > 0 and bound is not None and chosen.routed.any():
            t = time.perf_counter()
            chosen, rep, ten = optimise(net, people, shortest, chosen, cands, start, order,
                                        bound.value if bound is not None else 0.0, optimise_s)
            if chosen.eta_order is not None:
                order = chosen.eta_order
            timings["optimise"] = time.perf_counter() - t
            report = rep.to_json()
            if bound is not None and ten is not None and ten.exact and ten.value_s > bound.value:
                bound.time_expanded = ten.value_s
                bound.value = ten.value_s
    plan = finish_plan(method, net, people, chosen, shortest, start, order, timings, with_bound, bound)
    return plan, report


def finish_plan(method: str, net: RoutingNetwork, people: People, chosen: Assignment, shortest: Assignment,
                start: np.ndarray, order: np.ndarray, timings: dict[str, float],
                with_bound: bool = True, bound: LowerBound | None = None) -> EvacuationPlan:
    """Time ``chosen`` with the flow model and bound it (``shortest`` defines who is routable; a ``bound``
    already computed is kept)."""
    t = time.perf_counter()
    if chosen.eta_s is not None and chosen.eta_order is not None and np.array_equal(chosen.eta_order, order):
        eta = chosen.eta_s  # the planner reserved exactly these windows in this order
    else:
        eta = simulate(chosen.routes, start, people.speed, chosen.profile, net.unit_lists, net.arc_edge_list,
                       net.edge_capacity, order)
    timings["flow_model"] = time.perf_counter() - t
    if bound is None:
        t = time.perf_counter()
        bound = lower_bound(net, people, shortest, start) if with_bound else LowerBound(0.0, 0.0, 0.0)
        timings["lower_bound"] = time.perf_counter() - t
    free_chosen = start + chosen.unit_s / people.speed
    return EvacuationPlan(method, net, people, chosen, start, free_chosen, eta, order, bound, timings)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a plan builds many small lists (route lists for
    thousands of people would otherwise trigger repeated full collections); restored afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
