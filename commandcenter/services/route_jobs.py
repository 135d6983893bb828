"""An evacuation plan computed in a worker process (:class:`~commandcenter.services.process_jobs.ProcessPool`).

The request carries only what changes between plans: the plant's path and file stamps (the worker loads
the plant once and keeps it while the files are unchanged), the people's table, the hazard zones as WKB and
the method. The answer is compact arrays — everyone's assembly point, routes as one flat arc array
(:class:`gis.routing.network.RouteList`), times, the bound — not the graph. The calling thread rebuilds the
routing network from its own copy of the plant (tens of milliseconds, vectorised) while the worker plans,
and assembles the same :class:`~gis.routing.plan.EvacuationPlan` an in-process
:func:`~gis.routing.plan.plan_evacuation` returns.
"""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from commandcenter.services.jobs import CancelToken, JobCancelled
from commandcenter.services.process_jobs import ProcessPool
from gis.plant import Plant
from gis.routing.hazard_graph import Hazard
from gis.routing.lower_bound import LowerBound
from gis.routing.network import RouteList
from gis.routing.people import People
from gis.routing.plan import EvacuationPlan
from gis.routing.shortest import Assignment, RoutingNetwork
from gis.routing.site import Site

POLL_S = 0.05  # how often (s) the waiting thread looks at its cancel token
POPULATION_COLUMNS = ("id", "x", "y", "speed_mps", "premovement_s", "mobility")
# the worker's plants, keyed by (path, file stamps): loaded once per worker process while the files are unchanged
_PLANTS: dict[tuple[str, tuple[tuple[str, int, int], ...]], tuple[Plant, Site]] = {}


def planning_pool() -> ProcessPool:
    """The pool evacuation plans run in: one worker at the default lower CPU priority. The forkserver preloads
    nothing: it runs at the window's priority, and importing the routing stack there (seconds of CPU) made the
    window stutter on a busy machine (bench/ui.py, cold worker); the worker imports it at its lower priority."""
    return ProcessPool(max_workers=1)


def plant_stamp(path: str | Path) -> tuple[tuple[str, int, int], ...]:
    """(relative name, mtime ns, size) of every file of the plant package at ``path`` (a file or a folder)."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    out = []
    for f in files:
        st = f.stat()
        out.append((str(f.relative_to(path)) if f != path else f.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


def can_plan_in_worker(plant: Plant) -> bool:
    """True when ``plant`` was loaded from a package still on disk (the worker loads it from there)."""
    source = getattr(plant, "source", None)
    return source is not None and Path(source).exists()


@dataclass(frozen=True)
class PlanRequest:
    """What the worker needs for one plan (all small and picklable)."""

    plant_path: str
    stamp: tuple[tuple[str, int, int], ...]
    population: pd.DataFrame | None
    zones_wkb: tuple[bytes, ...]
    levels: tuple[str, ...]
    method: str


@dataclass
class PlanArrays:
    """A plan as compact arrays (the worker's answer); :func:`assemble` makes it an :class:`EvacuationPlan`."""

    method: str
    n_nodes: int
    n_edges: int
    people: People
    ap: np.ndarray
    flat: np.ndarray
    bounds: np.ndarray
    ref: np.ndarray
    length_m: np.ndarray
    unit_s: np.ndarray
    escape: np.ndarray
    profile: np.ndarray
    reasons: dict[int, tuple[str, str]]
    over_capacity: np.ndarray | None
    planned_eta_s: np.ndarray | None
    planned_order: np.ndarray | None
    start_s: np.ndarray
    free_eta_s: np.ndarray
    eta_s: np.ndarray
    order: np.ndarray
    bound: LowerBound
    timings: dict[str, float] = field(default_factory=dict)
    optimiser: dict[str, object] | None = None


def make_request(plant: Plant, hazard: Hazard | None, method: str,
                 population: pd.DataFrame | None = None) -> PlanRequest:
    """The request for planning ``population`` (default: the plant's population file) on ``plant`` around
    ``hazard`` by ``method``."""
    pop = None if population is None else population.loc[:, list(POPULATION_COLUMNS)].reset_index(drop=True)
    zones = tuple(shapely.to_wkb(p) for p in hazard.polygons) if hazard is not None else ()
    levels = tuple(hazard.levels) if hazard is not None else ()
    return PlanRequest(str(Path(plant.source).resolve()), plant_stamp(plant.source), pop, zones, levels, method)


def _plant(request: PlanRequest) -> tuple[Plant, Site]:
    from gis.loader import load_plant

    key = (request.plant_path, request.stamp)
    if key not in _PLANTS:
        _PLANTS.clear()
        plant = load_plant(request.plant_path)
        _PLANTS[key] = (plant, Site.of_plant(plant))
    return _PLANTS[key]


def load_site(plant_path: str, stamp: tuple[tuple[str, int, int], ...]) -> int:
    """Worker side of :func:`warm`: load the plant into the worker's cache; its number of graph nodes."""
    return _plant(PlanRequest(plant_path, stamp, None, (), (), "shortest"))[0].graph.n_nodes


def warm(pool: ProcessPool, plant: Plant) -> Future[int] | None:
    """Start ``pool``'s worker and load ``plant`` into it ahead of a plan (a first plan then skips the
    worker's start-up and the plant's loading, seconds on a busy machine); None for a plant not on disk."""
    if not can_plan_in_worker(plant):
        return None
    return pool.submit(load_site, str(Path(plant.source).resolve()), plant_stamp(plant.source))


def compute_plan(request: PlanRequest) -> PlanArrays:
    """The worker's side: plan and reduce the plan to arrays (runs in the worker process; no Qt)."""
    from gis.routing.people import people_of_plant
    from gis.routing.plan import plan_evacuation

    plant, site = _plant(request)
    hazard = (Hazard(list(shapely.from_wkb(list(request.zones_wkb))), list(request.levels))
              if request.zones_wkb else None)
    plan = plan_evacuation(site, people_of_plant(plant, request.population), hazard, request.method)
    a = plan.assignment
    routes = a.routes
    if not isinstance(routes, RouteList):
        routes = RouteList.of(routes)
    return PlanArrays(plan.method, plant.graph.n_nodes, len(plant.graph.edge_coords), plan.people, a.ap,
                      routes.flat, routes.bounds, routes.ref, a.length_m, a.unit_s, a.escape, a.profile,
                      dict(a.reasons), a.over_capacity, a.eta_s, a.eta_order, plan.start_s, plan.free_eta_s,
                      plan.eta_s, plan.order, plan.bound, dict(plan.timings), plan.optimiser)


def assemble(arrays: PlanArrays, net: RoutingNetwork) -> EvacuationPlan:
    """The :class:`EvacuationPlan` of the worker's ``arrays`` on ``net`` (this process's network for the same
    plant and hazard). Refuses arrays planned on a different graph (the plant's files changed on disk)."""
    g = net.graph
    if (arrays.n_nodes, arrays.n_edges) != (g.n_nodes, len(g.edge_coords)):
        raise ValueError("the plant's files changed on disk since it was loaded: reload the plant and plan again")
    routes = RouteList(arrays.flat, arrays.bounds, arrays.ref)  # not 10,000 lists: fewer objects for the collector
    a = Assignment(arrays.ap, routes, arrays.length_m, arrays.unit_s, arrays.escape, arrays.profile,
                   arrays.reasons, arrays.over_capacity, arrays.planned_eta_s, arrays.planned_order)
    return EvacuationPlan(arrays.method, net, arrays.people, a, arrays.start_s, arrays.free_eta_s, arrays.eta_s,
                          arrays.order, arrays.bound, arrays.timings, arrays.optimiser)


def plan_in_worker(pool: ProcessPool, plant: Plant, hazard: Hazard | None, method: str = "capacity",
                   population: pd.DataFrame | None = None, token: CancelToken | None = None) -> EvacuationPlan:
    """Plan in ``pool``'s worker and wait for it (call on a job thread, never the UI thread). The routing
    network is built here meanwhile. Raises :class:`JobCancelled` soon after ``token`` is cancelled (the
    worker's answer is dropped) and :class:`~commandcenter.services.process_jobs.JobFailed` with a one-line
    message when the worker fails."""
    future = pool.submit(compute_plan, make_request(plant, hazard, method, population))
    try:
        net = RoutingNetwork(Site.of_plant(plant), hazard)
        while True:
            if token is not None and token.cancelled:
                raise JobCancelled
            try:
                arrays = future.result(POLL_S)
                break
            except FutureTimeout:
                continue
    except BaseException:
        future.cancel()
        raise
    return assemble(arrays, net)
