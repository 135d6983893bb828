"""One evacuation of a site, everyone alarmed at once: the movement model on SimPy's clock, and its figures.

:func:`evacuate` is what ``commandcenter simulate`` runs: everyone in the population is alarmed at
t = 0, waits their pre-movement time, walks to their join node and follows their route from
``gis.routing`` (by default the hazard-aware shortest route to the nearest safe assembly point; or the
capacity-aware plan the command center can issue) through the crowd and the queues of
:mod:`simulation.movement` to an assembly point with room. :class:`EvacuationRun` holds the result;
:meth:`EvacuationRun.to_json` is the JSON object of the command.

Definitions (seconds after the alarm):

* ``arrival_s`` — when a person reaches the assembly point itself (not its walkway node);
* ``evacuation_time_s`` — the last arrival of anyone who arrived;
* ``mustered_90_s`` / ``mustered_100_s`` — when 90 % / all of the people in the population file have
  arrived; null when that never happens (somebody has no route, or the run was cut off).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import simpy

from gis.routing.hazard_graph import Hazard
from gis.routing.people import People
from gis.routing.plan import METHODS, plan_evacuation
from gis.routing.shortest import RoutingNetwork, route_shortest
from gis.routing.site import Site
from simulation.clocked import Mover
from simulation.movement import STATE_NAMES, Movement


def muster_time(arrivals: np.ndarray, expected: int, fraction: float) -> float | None:
    """When ``fraction`` of ``expected`` people have arrived (the ⌈fraction·expected⌉-th arrival time, s),
    or None when fewer ever arrive. ``arrivals`` may hold NaN for who never arrived."""
    if expected <= 0:
        return None
    need = max(1, math.ceil(fraction * expected - 1e-9))
    t = np.sort(arrivals[np.isfinite(arrivals)])
    return float(t[need - 1]) if len(t) >= need else None


@dataclass
class EvacuationRun:
    """A finished evacuation: the model (its trajectories and queues), the people and the wall time."""

    site: Site
    people: People
    movement: Movement
    wall_s: float
    until_s: float | None = None
    cpu_s: float = 0.0
    stuck: list[int] = field(default_factory=list)

    @property
    def arrival_s(self) -> np.ndarray:
        """Arrival time at the assembly point per person (NaN: did not arrive)."""
        return np.asarray(self.movement.arrived_at, dtype=float)

    @property
    def evacuation_time_s(self) -> float | None:
        """The last arrival (None when nobody arrived)."""
        a = self.arrival_s
        return float(np.nanmax(a)) if np.isfinite(a).any() else None

    def mustered_s(self, fraction: float) -> float | None:
        """When ``fraction`` of everyone in the population had arrived (None: never)."""
        return muster_time(self.arrival_s, len(self.people) + len(self.people.rejected), fraction)

    def assembly_point_id(self, i: int) -> str | None:
        """The id of the assembly point person ``i`` reached, or was heading for."""
        k = self.movement.arrived_ap[i] if self.movement.arrived_ap[i] >= 0 else self.movement.goal_ap[i]
        return None if k < 0 else str(self.site.aps.ids[k])

    def person(self, i: int) -> dict[str, object]:
        """The JSON object of person ``i``."""
        m = self.movement
        arr = m.arrived_at[i]
        return {
            "id": str(self.people.ids[i]),
            "assembly_point": self.assembly_point_id(i),
            "premovement_s": round(float(self.people.premovement[i]), 3),
            "speed_mps": round(float(self.people.speed[i]), 3),
            "mobility": "impaired" if self.people.impaired[i] else "normal",
            "departure_s": None if math.isnan(m.departed_at[i]) else round(m.departed_at[i], 3),
            "arrival_s": None if math.isnan(arr) else round(arr, 3),
            "wait_s": round(m.wait_s[i], 3),
            "over_capacity": bool(m.over_capacity[i]),
            "state": STATE_NAMES[m.state[i]],
        }

    def bottlenecks(self, top: int = 10) -> list[dict[str, object]]:
        """The edges with the longest queues: walkway id, kind, width, capacity and the longest queue."""
        g = self.site.graph
        q = sorted(self.movement.queue_max().items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return [{"walkway": str(g.edge_walkway[e]), "kind": str(g.edge_kind[e]), "width_m": float(g.edge_width[e]),
                 "capacity_pps": round(float(g.edge_capacity[e]), 3), "max_queue": int(n)} for e, n in q]

    def assembly_points(self) -> list[dict[str, object]]:
        """Per assembly point: people arrived, capacity, how many beyond it."""
        aps = self.site.aps
        got = np.bincount([a for a in self.movement.arrived_ap if a >= 0], minlength=len(aps))
        over = np.bincount([a for a, o in zip(self.movement.arrived_ap, self.movement.over_capacity, strict=True)
                            if a >= 0 and o], minlength=len(aps))
        return [{"id": str(aps.ids[k]), "arrived": int(got[k]), "capacity": float(aps.capacity[k]),
                 "over_capacity": int(over[k])} for k in range(len(aps))]

    def unroutable(self) -> list[dict[str, str]]:
        """Who could not be routed (and rows of the file that could not be read), with the reason."""
        out = [dict(r) for r in self.people.rejected]
        for i in self.stuck:
            code, _, msg = self.movement.reason.get(i, "no-route: no route").partition(": ")
            out.append({"id": str(self.people.ids[i]), "code": code, "reason": msg})
        return out

    def to_json(self) -> dict[str, object]:
        """The ``commandcenter simulate --json`` object."""
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 3)

        return {
            "evacuation_time_s": r(self.evacuation_time_s),
            "mustered_90_s": r(self.mustered_s(0.9)),
            "mustered_100_s": r(self.mustered_s(1.0)),
            "wall_s": round(self.wall_s, 4),
            "cpu_s": round(self.cpu_s, 4),
            "people_total": len(self.people) + len(self.people.rejected),
            "arrived": int(np.isfinite(self.arrival_s).sum()),
            "people": [self.person(i) for i in range(len(self.people))],
            "unroutable": self.unroutable(),
            "assembly_points": self.assembly_points(),
            "bottlenecks": self.bottlenecks(),
        }


def plan_routes(net: RoutingNetwork, people: People, method: str) -> tuple[np.ndarray, list, dict]:
    """Everyone's assembly point and route by ``gis.routing``: ``capacity`` — the capacity-aware plan the
    command center issues (assembly points filled within their capacity); ``shortest`` — each to the
    nearest safe assembly point. Returns (assembly point index per person, arc lists, reasons)."""
    if method not in METHODS:
        raise ValueError(f"unknown route method {method!r}: use one of {', '.join(METHODS)}")
    if method == "shortest":
        a = route_shortest(net, people)
        return a.ap, a.routes, a.reasons
    plan = plan_evacuation(net.site, people, net.hazard, method, net=net, with_bound=False)
    a = plan.assignment
    return a.ap, a.routes, a.reasons


def evacuate(site: Site, people: People, hazard: Hazard | None = None, *, method: str = "shortest",
             until_s: float | None = None, record_flow: bool = False,
             net: RoutingNetwork | None = None) -> EvacuationRun:
    """Evacuate ``people`` from ``site`` around ``hazard`` (static zones) by the routes of ``method``
    (:func:`plan_routes`), everyone alarmed at t = 0; stop at ``until_s`` (None: when everyone who can has
    arrived). ``wall_s`` is the wall time of this call: the routing network, the routes and the
    simulation, not the loading of the plant."""
    t0, c0 = time.perf_counter(), time.process_time()
    net = net or RoutingNetwork(site, hazard)
    env = simpy.Environment()
    movement = Movement(net, people, record_flow=record_flow)
    movement.use_plan(*plan_routes(net, people, method))
    mover = Mover(env, movement)
    stuck = mover.alarm(range(len(people)))
    env.run(until=until_s)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    del mover
    return EvacuationRun(site, people, movement, wall, until_s=until_s, cpu_s=cpu, stuck=stuck)
