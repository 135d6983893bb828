"""Near-exact evacuation plans within a budget: the time-expanded optimum where it fits, local search always.

Given the reservation (CCRP-style) plan and a valid lower bound, within
``budget_s`` seconds:

1. if the plan already meets the bound, it is optimal: stop;
2. re-plan with the priority order that gives way, at shared doors, to the
   people with the latest free-flow arrival — the longest way still to go
   (Schrage's rule for the latest completion time: L. Schrage, "Obtaining
   optimal solutions to resource constrained network scheduling problems",
   1971; see also Carlier, *EJOR* 11 (1982) 42–47) — and keep it if it clears
   sooner; who goes first at a door is part of a plan, as CCRP's own order is;
3. if the time-expanded network fits (:mod:`gis.routing.quickest`), solve it
   coarse then fine, turn its flow into routes, time them with the flow model and
   keep them if they clear sooner; also re-run the reservation planner with each
   person's time-expanded route as one more candidate and keep that if better;
4. re-route the last arrivals by local search (:mod:`gis.routing.improve`) in the
   time left.

:class:`Report` says which stage produced the plan, whether the time-expanded
optimum is exact for the flow model (then it is also a lower bound, and the gap
to it is the gap to the true optimum), and what each stage cost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from gis.routing.capacity_plan import CandidateSet, plan_capacity
from gis.routing.flow_model import simulate
from gis.routing.improve import improve_last
from gis.routing.people import People
from gis.routing.quickest import TimeExpanded, quickest_time_expanded
from gis.routing.shortest import Assignment, RoutingNetwork, route_sums

TEN_SHARE = 0.6  # of the budget the time-expanded solve may use


@dataclass
class Report:
    """What the optimiser did: the stage that produced the plan (``reservation``, ``time-expanded`` or
    ``local-search``), the clearance time after each stage, the time-expanded solve and the search."""

    result: str = "reservation"
    budget_s: float = 0.0
    seconds: float = 0.0
    reservation_s: float = 0.0
    time_expanded: dict[str, object] | None = None
    local_search: dict[str, object] | None = None
    stopped: str = ""
    stages: dict[str, float] = field(default_factory=dict)
    order: str = "earliest free-flow arrival first"

    def to_json(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"result": self.result, "order": self.order, "budget_s": round(self.budget_s, 3),
                "seconds": round(self.seconds, 3),
                "stopped": self.stopped, "clearance_s": {k: round(v, 1) for k, v in self.stages.items()},
                "time_expanded": self.time_expanded, "local_search": self.local_search}


def _score(eta: np.ndarray) -> tuple[float, float]:
    fin = eta[np.isfinite(eta)]
    return (float(fin.max()), float(fin.sum())) if len(fin) else (0.0, 0.0)


def optimise(net: RoutingNetwork, people: People, shortest: Assignment, plan: Assignment,
             candidates: CandidateSet, start_s: np.ndarray, order: np.ndarray,
             bound_s: float, budget_s: float) -> tuple[Assignment, Report, TimeExpanded | None]:
    """Improve ``plan`` (a reservation plan with its ``eta_s``) within ``budget_s`` (see the module docstring).
    Returns the plan (whose ``eta_order`` is the priority order it was timed in), the report and the
    time-expanded solution (None when not solved)."""
    t0 = time.perf_counter()
    # the budget is processor time, not wall time: the same input gives the same plan on a loaded machine
    deadline = time.process_time() + budget_s
    assert plan.eta_s is not None
    routes, ap, eta = list(plan.routes), plan.ap.copy(), plan.eta_s.copy()
    report = Report(budget_s=budget_s, reservation_s=_score(eta)[0])
    report.stages["reservation"] = report.reservation_s
    ten: TimeExpanded | None = None
    if budget_s <= 0 or not np.isfinite(eta).any():
        report.stopped = "no budget" if budget_s <= 0 else "nobody routed"
        return plan, report, None
    if report.reservation_s <= bound_s * (1 + 1e-9):
        report.stopped = "at the lower bound"
        report.seconds = time.perf_counter() - t0
        return plan, report, None
    speed, profile = people.speed, shortest.profile
    # Who goes first at a shared door is part of the plan: try giving way to the people with the latest
    # free-flow arrival (the longest way still to go), Schrage's rule for the latest completion.
    free = start_s + plan.unit_s / speed
    critical = np.lexsort((np.arange(len(free)), -np.where(np.isfinite(free), free, -np.inf)))
    again = plan_capacity(net, people, shortest, critical, start_s, candidates=candidates)
    assert again.eta_s is not None
    report.stages["critical_first"] = _score(again.eta_s)[0]
    if _score(again.eta_s) < _score(eta):
        routes, ap, eta, order = list(again.routes), again.ap.copy(), again.eta_s.copy(), critical
        report.result, report.order = "reservation", "latest free-flow arrival first"

    if _score(eta)[0] <= bound_s * (1 + 1e-9):
        return _finish(net, people, shortest, plan, routes, ap, eta, order, report, t0, "at the lower bound"), \
            report, None

    def timed(rs: list[list[int] | None]) -> np.ndarray:
        return simulate(rs, start_s, speed, profile, net.unit_lists, net.arc_edge_list, net.edge_capacity, order)

    t = time.perf_counter()
    ten = quickest_time_expanded(net, people, shortest, start_s, bound_s, report.reservation_s,
                                 TEN_SHARE * budget_s)
    if ten is not None:
        report.time_expanded = {"step_s": round(ten.step_s, 6), "optimum_s": round(ten.value_s, 3),
                                "exact": ten.exact, "levels": [{k: round(v, 4) for k, v in lv.items()}
                                                               for lv in ten.levels],
                                "seconds": round(time.perf_counter() - t, 3)}
        mixed = [r if r is not None else old for r, old in zip(ten.routes, routes, strict=True)]
        mixed_ap = np.where(ten.ap >= 0, ten.ap, ap)
        if _fits(net, mixed_ap):
            mixed_eta = timed(mixed)
            if _score(mixed_eta) < _score(eta):
                routes, ap, eta, report.result = mixed, mixed_ap, mixed_eta, "time-expanded"
        extra = {i: [(int(ten.ap[i]), r)] for i, r in enumerate(ten.routes) if r is not None}
        again = plan_capacity(net, people, shortest, order, start_s, extra_routes=extra, candidates=candidates)
        assert again.eta_s is not None
        if _score(again.eta_s) < _score(eta):
            routes, ap, eta, report.result = list(again.routes), again.ap.copy(), again.eta_s.copy(), "time-expanded"
        report.stages["time_expanded"] = _score(eta)[0]
    group_of, options, bank = candidates
    node = people.node

    def options_of(i: int) -> list[tuple[int, list[int]]]:
        out = [(a, bank.route(ref)) for _, a, ref in options[group_of[i]]] if group_of[i] >= 0 else []
        if ten is not None and ten.routes[i] is not None:
            out.append((int(ten.ap[i]), ten.routes[i]))
        same = np.flatnonzero((node == node[i]) & (profile == profile[i]) & (shortest.escape == shortest.escape[i]))
        out.extend((int(ap[j]), routes[j]) for j in same[:64].tolist() if routes[j] is not None)
        return out

    if _score(eta)[0] > bound_s * (1 + 1e-9) and time.process_time() < deadline:
        res = improve_last(net, routes, ap, eta, _Options(options_of), start_s, speed, profile, order, deadline)
        report.local_search = {"moves": res.moves, "trials": res.trials, "stopped": res.stopped}
        if res.moves:
            routes, ap, eta, report.result = res.routes, res.ap, res.eta_s, "local-search"
        report.stopped = res.stopped
        report.stages["local_search"] = _score(eta)[0]
    else:
        report.stopped = "at the lower bound" if _score(eta)[0] <= bound_s * (1 + 1e-9) else "deadline"
    return _finish(net, people, shortest, plan, routes, ap, eta, order, report, t0, report.stopped), report, ten


def _finish(net: RoutingNetwork, people: People, shortest: Assignment, plan: Assignment,
            routes: list[list[int] | None], ap: np.ndarray, eta: np.ndarray, order: np.ndarray, report: Report,
            t0: float, stopped: str) -> Assignment:
    """The optimised assignment (timed in ``order``), the report's closing figures filled in."""
    length, unit = route_sums(net, routes, shortest.profile)
    over = plan.over_capacity if plan.over_capacity is not None else np.zeros(len(people), bool)
    report.stopped = stopped
    report.seconds = time.perf_counter() - t0
    return Assignment(ap, routes, length, unit, shortest.escape, shortest.profile, dict(shortest.reasons), over,
                      eta_s=eta, eta_order=order)


def _fits(net: RoutingNetwork, ap: np.ndarray) -> bool:
    """Whether an assignment keeps every assembly point within its capacity."""
    load = np.bincount(ap[ap >= 0], minlength=len(net.site.aps))
    return bool(np.all(load <= np.floor(net.site.aps.capacity)))


class _Options:
    """``options[i]`` computed on demand (the local search asks only about the latest arrivals)."""

    def __init__(self, fn):  # type: ignore[no-untyped-def]
        self._fn = fn

    def __getitem__(self, i: int) -> list[tuple[int, list[int]]]:
        return self._fn(i)
