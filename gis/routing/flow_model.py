"""The capacity-constrained flow model every plan is timed with.

**The model.** Each person leaves at their pre-movement time, walks the straight
line to their graph node, then follows their route at their own free walking
speed (times the edge's speed factor). An edge admits at most ``capacity_pps``
people per second, shared by both directions: time is cut, per edge, into entry
windows of ``1 / capacity`` seconds and each window admits one person. A person
who reaches an edge whose current window is taken waits at its entrance for the
next free window (a queue). People are scheduled one at a time in **priority
order** — earliest free-flow arrival first, the order CCRP (Lu, George &
Shekhar, SSTD 2005) routes in — and each takes the earliest free window of every
edge on the route (a *reservation*: a later person may use a window an earlier
one left free). Speeds do not fall with density: queues form only at edges whose
capacity is exceeded. An assembly point holds ``capacity`` people; arrivals
beyond it are counted as over capacity (reported, not delayed: nothing frees
space at an assembly point during an evacuation).

:class:`SlotTable` is that reservation table (a "next free window" map per edge
with path compression, so a door with thousands of reservations stays cheap);
:func:`simulate` times a whole plan with it. The capacity-aware planner
(``gis.routing.capacity_plan``) chooses routes with the same table, so the time
it reports is exactly what :func:`simulate` gives for its routes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


class SlotTable:
    """Entry windows taken on every edge (see the module docstring)."""

    def __init__(self, edge_capacity: np.ndarray):
        cap = np.asarray(edge_capacity, float)
        self.n_edges = len(cap)
        self.cap: list[float] = np.where(np.isfinite(cap) & (cap > 0), cap, 0.0).tolist()  # 0: unlimited
        self._next: dict[int, int] = {}

    def walk(self, t: float, arcs: Sequence[int], arc_edge: Sequence[int], arc_time: Sequence[float],
             speed: float, cutoff: float = math.inf) -> tuple[float, list[int]]:
        """Walk ``arcs`` from time ``t`` at ``speed`` (``arc_time``: seconds at 1 m/s), queueing for free
        windows; returns the arrival time and the windows used (pass them to :meth:`take`). A walk that
        reaches ``cutoff`` before its end stops there and returns ``inf`` (it cannot be the best)."""
        nxt = self._next
        get = nxt.get
        n = self.n_edges
        cap = self.cap
        keys: list[int] = []
        append = keys.append
        for a in arcs:
            e = arc_edge[a]
            c = cap[e]
            if c:
                key = (t * c).__floor__() * n + e  # = int(t * c) for t >= 0, and cheaper
                later = get(key)
                if later is not None:
                    seen = [key]
                    key = later
                    later = get(key)
                    while later is not None:
                        seen.append(key)
                        key = later
                        later = get(key)
                    for s in seen:
                        nxt[s] = key
                    t = (key // n) / c
                append(key)
            t += arc_time[a] / speed
            if t >= cutoff:
                return math.inf, keys
        return t, keys

    def walk_arcs(self, t: float, arcs: Sequence[int], info: Sequence[tuple[int, float, float]], speed: float,
                  cutoff: float = math.inf) -> tuple[float, list[int]]:
        """:meth:`walk` with the arcs' edge, capacity and unit time read from ``info``
        (:attr:`gis.routing.shortest.RoutingNetwork.arc_infos`):
        the same result, fewer lookups per arc (the planner's inner loop)."""
        nxt = self._next
        get = nxt.get
        n = self.n_edges
        keys: list[int] = []
        append = keys.append
        for a in arcs:
            e, c, u = info[a]
            if c:
                key = (t * c).__floor__() * n + e  # = int(t * c) for t >= 0, and cheaper
                later = get(key)
                if later is not None:
                    seen = [key]
                    key = later
                    later = get(key)
                    while later is not None:
                        seen.append(key)
                        key = later
                        later = get(key)
                    for s in seen:
                        nxt[s] = key
                    t = (key // n) / c
                append(key)
            t += u / speed
            if t >= cutoff:
                return math.inf, keys
        return t, keys

    def take(self, keys: list[int]) -> None:
        """Reserve the windows returned by :meth:`walk`."""
        n = self.n_edges
        nxt = self._next
        for k in keys:
            nxt[k] = k + n


def priority_order(free_eta: np.ndarray) -> np.ndarray:
    """The scheduling order: earliest free-flow arrival first (ties by row)."""
    return np.lexsort((np.arange(len(free_eta)), free_eta))


def simulate(routes: Sequence[Sequence[int] | None], start_s: np.ndarray, speed: np.ndarray, profile: np.ndarray,
             arc_time: Sequence[Sequence[float]], arc_edge: Sequence[int], edge_capacity: np.ndarray,
             order: np.ndarray) -> np.ndarray:
    """Arrival time of every person following ``routes`` (arc lists; None = not routed → NaN).

    ``start_s`` is when each person reaches their first node (pre-movement + access walk),
    ``profile`` indexes ``arc_time`` (unit times per arc for each mobility profile), ``order`` is the
    scheduling priority (:func:`priority_order`)."""
    table = SlotTable(edge_capacity)
    out = np.full(len(routes), np.nan)
    starts, speeds, profiles = start_s.tolist(), speed.tolist(), profile.tolist()
    for i in order.tolist():
        route = routes[i]
        if route is None:
            continue
        t, keys = table.walk(starts[i], route, arc_edge, arc_time[profiles[i]], speeds[i])
        table.take(keys)
        out[i] = t
    return out
