"""Local search on a timed plan: re-route the people who arrive last.

A plan's clearance time is set by its last arrivals. For each of the
:data:`LAST` latest people (latest first) every other route they may take (the
candidate routes of their group, the time-expanded optimum's route, the routes of
anyone who starts at the same node) is tried; the plan is re-timed by the flow
model (:mod:`gis.routing.flow_model`) and the first change that makes it better
is kept — better means an earlier clearance time, or the same clearance time and
fewer people arriving at it, or the same and a smaller total arrival time. It
stops when no move among the latest people helps, or at the deadline. This is a
first-improvement local search (Aarts & Lenstra, *Local Search in Combinatorial
Optimization*, Wiley 1997, ch. 1) on the CCRP plan, whose weak spot is known: the
people routed last get what capacity is left.

Re-timing is incremental: people before the moved person in the priority order
are not affected by the move, so the reservation table at that point is built
once per person tried and copied for each of their routes; only the rest of the
order is walked again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from gis.routing.flow_model import SlotTable
from gis.routing.shortest import RoutingNetwork

LAST = 12  # how many of the latest arrivals are tried per pass
_TOL = 1e-9


@dataclass
class SearchResult:
    """The improved routes and assembly points, their arrival times and what the search did."""

    routes: list[list[int] | None]
    ap: np.ndarray
    eta_s: np.ndarray
    moves: int
    trials: int
    stopped: str  # "local optimum" or "deadline"


def _score(eta: np.ndarray) -> tuple[float, int, float]:
    fin = eta[np.isfinite(eta)]
    if not len(fin):
        return (0.0, 0, 0.0)
    last = float(fin.max())
    return (last, int(np.sum(fin >= last - 1e-6)), float(fin.sum()))


def _better(a: tuple[float, int, float], b: tuple[float, int, float]) -> bool:
    if a[0] < b[0] - 1e-6:
        return True
    if a[0] > b[0] + 1e-6:
        return False
    if a[1] != b[1]:
        return a[1] < b[1]
    return a[2] < b[2] - 1e-6


class _Timer:
    """Times a plan in the flow model, from any position of the priority order on."""

    def __init__(self, net: RoutingNetwork, start_s: np.ndarray, speed: np.ndarray, profile: np.ndarray,
                 order: np.ndarray):
        self.cap = net.edge_capacity
        self.arc_edge = net.arc_edge_list
        self.unit = net.unit_lists
        self.starts, self.speeds, self.profiles = start_s.tolist(), speed.tolist(), profile.tolist()
        self.order = order.tolist()
        self.pos = np.empty(len(order), dtype=np.int64)
        self.pos[order] = np.arange(len(order))

    def prefix(self, routes: list[list[int] | None], pos: int) -> SlotTable:
        """The reservation table after everyone before ``pos`` in the order."""
        table = SlotTable(self.cap)
        for i in self.order[:pos]:
            if routes[i] is not None:
                table.take(table.walk(self.starts[i], routes[i], self.arc_edge, self.unit[self.profiles[i]],
                                      self.speeds[i])[1])
        return table

    def suffix(self, table: SlotTable, routes: list[list[int] | None], pos: int, eta: np.ndarray) -> np.ndarray:
        """Arrival times with everyone from ``pos`` on re-walked on a copy of ``table``."""
        t = SlotTable.__new__(SlotTable)
        t.n_edges, t.cap, t._next = table.n_edges, table.cap, dict(table._next)
        out = eta.copy()
        for i in self.order[pos:]:
            r = routes[i]
            if r is None:
                continue
            arr, keys = t.walk(self.starts[i], r, self.arc_edge, self.unit[self.profiles[i]], self.speeds[i])
            t.take(keys)
            out[i] = arr
        return out


def improve_last(net: RoutingNetwork, routes: list[list[int] | None], ap: np.ndarray, eta: np.ndarray,
                 options: list[list[tuple[int, list[int]]]], start_s: np.ndarray, speed: np.ndarray,
                 profile: np.ndarray, order: np.ndarray, deadline: float) -> SearchResult:
    """Re-route the latest arrivals while it helps (see the module docstring). ``options[i]`` lists the
    ``(assembly point, route)`` person ``i`` may take; assembly point capacities are kept. ``deadline`` is on
    the :func:`time.process_time` clock (processor time, so the result does not depend on the machine's load)."""
    routes = list(routes)
    ap = ap.copy()
    eta = eta.copy()
    timer = _Timer(net, start_s, speed, profile, order)
    unit = net.unit
    load = np.bincount(ap[ap >= 0], minlength=len(net.site.aps))
    room = np.floor(net.site.aps.capacity) - load
    score = _score(eta)
    moves = trials = 0
    stopped = "local optimum"
    tried: set[tuple[int, tuple[int, ...]]] = set()
    while True:
        if time.process_time() > deadline:
            stopped = "deadline"
            break
        fin = np.where(np.isfinite(eta), eta, -np.inf)
        late = np.argsort(-fin, kind="stable")[:LAST]
        moved = False
        for i in late.tolist():
            if not np.isfinite(eta[i]) or routes[i] is None:
                continue
            current = tuple(routes[i])
            trial_opts = []
            for a, r in options[i]:
                key = (i, tuple(r))
                if tuple(r) == current or key in tried:
                    continue
                if a != ap[i] and room[a] < 1:
                    continue
                free = start_s[i] + float(unit[profile[i]][r].sum()) / speed[i]
                if free >= eta[i] - _TOL:
                    continue
                trial_opts.append((free, a, r, key))
            if not trial_opts:
                continue
            pos = int(timer.pos[i])
            table = timer.prefix(routes, pos)
            for _, a, r, key in sorted(trial_opts, key=lambda x: x[0]):
                if time.process_time() > deadline:
                    break
                trials += 1
                tried.add(key)
                old = routes[i]
                routes[i] = r
                new_eta = timer.suffix(table, routes, pos, eta)
                new_score = _score(new_eta)
                if _better(new_score, score):
                    if a != ap[i]:
                        room[ap[i]] += 1
                        room[a] -= 1
                        ap[i] = a
                    eta, score = new_eta, new_score
                    moves += 1
                    moved = True
                    tried.clear()
                    break
                routes[i] = old
            if moved:
                break
        if not moved:
            break
    return SearchResult(routes, ap, eta, moves, trials, stopped)
