"""Nearest resources and qualified people to a place, by walking time around the hazard.

Both queries price every candidate from one :class:`resources.walking.Reach` (one search rooted at
the place), sort by walking time (ties by id) and draw the path of the ones returned only. What is
left out is listed with a stable reason, so the commander sees why the closest-looking SCBA is not
offered: ``expired``, ``not-ready``, ``none-left`` (all units taken, used or returned damaged),
``inside-red-zone``, ``too-far-from-walkway``, ``bad-position``, ``position-unknown`` and
``unreachable`` (no route outside red: another walkway component, or cut off by the zone).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from resources.inventory import Inventory
from resources.teams import Teams
from resources.walking import VEHICLE_KINDS, Joined, Reach


def _r(v: float, nd: int = 1) -> float:
    return round(float(v), nd)


def _path(pts: list[list[float]]) -> list[list[float]]:
    return [[round(p[0], 2), round(p[1], 2)] for p in pts]


def resource_availability(inv: Inventory, free: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(units available per item, reason per item: "" or ``expired``/``not-ready``/``none-left``).
    ``free`` is the units not taken, used or damaged per item (default: the shelf quantity)."""
    free = inv.quantity.astype(float) if free is None else np.asarray(free, float)
    reason = np.full(len(inv), "", dtype=object)
    reason[free <= 0] = "none-left"
    reason[inv.state != "ready"] = "not-ready"
    reason[inv.expired] = "expired"
    return np.where(reason == "", free, 0.0), reason


def nearest_resources(reach: Reach, inv: Inventory, *, kind: str | None = None, limit: int = 5,
                      free: np.ndarray | None = None, joined: Joined | None = None,
                      paths: bool = True) -> dict[str, object]:
    """The ``limit`` items (of ``kind``, any when None) nearest to the place of ``reach`` by walking time
    (fire trucks by driving, then walking), with paths; and the items left out, with why.

    ``free``: units per item not taken, used or damaged (:func:`resources.ledger.free_units`);
    ``joined``: ``reach.network.join(inv.xy)`` when the caller keeps it; ``paths=False`` leaves the paths out
    (empty lists: for counting). Returns
    ``{"results": [{id, kind, name, walk_s, distance_m, path, available, mode, cost_s, drive_s}],
    "excluded": [{id, kind, reason}], "destination": {...}}``; times in s, distances in m.
    """
    rows = inv.of_kind(kind)
    joined = joined if joined is not None else reach.network.join(inv.xy)
    avail, why = resource_availability(inv, free)
    walk, dist, cost = reach.walk(joined)
    drive_s = np.full(len(inv), np.nan)
    vehicle = np.isin(inv.kinds, list(VEHICLE_KINDS))
    problem, node = joined.problem, joined.node
    if vehicle[rows].any():
        road = reach.network.join(inv.xy, road=True)
        vw, vd, vdr, vc = reach.drive(road)
        walk, dist, cost = (np.where(vehicle, a, b) for a, b in ((vw, walk), (vd, dist), (vc, cost)))
        drive_s = np.where(vehicle, vdr, np.nan)
        problem, node = np.where(vehicle, road.problem, problem), np.where(vehicle, road.node, node)
    why = np.where(why != "", why, problem)
    why = np.where((why == "") & ~np.isfinite(walk), "unreachable", why)
    ok = rows[why[rows] == ""]
    order = ok[np.lexsort((inv.ids[ok].astype(str), walk[ok]))][:max(int(limit), 0)]
    results = []
    for i in order.tolist():
        xy = (float(inv.xy[i, 0]), float(inv.xy[i, 1]))
        path = [] if not paths else reach.drive_path(xy, node[i]) if vehicle[i] else reach.path(xy, node[i])
        results.append({
            "id": str(inv.ids[i]), "kind": str(inv.kinds[i]), "name": inv.names_en[i] or inv.names[i],
            "walk_s": _r(walk[i]), "distance_m": _r(dist[i]), "path": _path(path),
            "available": int(avail[i]), "mode": "drive" if vehicle[i] else "walk", "cost_s": _r(cost[i]),
            "drive_s": _r(drive_s[i]) if vehicle[i] else None,
        })
    excluded = [{"id": str(inv.ids[i]), "kind": str(inv.kinds[i]), "reason": str(why[i])}
                for i in rows.tolist() if why[i]]
    return {"results": results, "excluded": excluded, "destination": reach.destination()}


def nearest_people(reach: Reach, teams: Teams, t: dt.datetime, xy: np.ndarray, *, team: str | None = None,
                   quals: tuple[str, ...] = (), limit: int = 5, on_shift: bool = True) -> dict[str, object]:
    """The ``limit`` people in ``team`` holding ``quals`` (valid on ``t``'s local date) and on shift at
    ``t`` nearest to the place of ``reach`` by walking time, with paths; and who was left out, with why.

    ``xy`` holds everyone's best known position, one row per roster row (metres; NaN: unknown) — in an
    incident the log's last reports, else e.g. :meth:`plans.roster.Roster.where`. People inside a red zone
    are left out: they are to be got out, not sent.
    """
    pick = np.flatnonzero(teams.select(t, team=team, quals=tuple(quals), on_shift=on_shift))
    pos = np.asarray(xy, float).reshape(len(teams), 2)
    joined = reach.network.join(pos[pick])
    walk, dist, cost = reach.walk(joined)
    why = np.where(np.isnan(pos[pick]).any(axis=1), "position-unknown", joined.problem)
    why = np.where((why == "") & ~np.isfinite(walk), "unreachable", why)
    ok = np.flatnonzero(why == "")
    ids = teams.ids[pick].astype(str)
    order = ok[np.lexsort((ids[ok], walk[ok]))][:max(int(limit), 0)]
    results = []
    for k in order.tolist():
        row = int(pick[k])
        info = teams.person(row, t)
        results.append({
            "id": info["id"], "kind": "person", "name": info["name"], "role": info["role"], "teams": info["teams"],
            "qualifications": info["qualifications"], "walk_s": _r(walk[k]), "distance_m": _r(dist[k]),
            "path": _path(reach.path((float(pos[row, 0]), float(pos[row, 1])), joined.node[k])),
            "cost_s": _r(cost[k]),
        })
    excluded = [{"id": str(ids[k]), "kind": "person", "reason": str(why[k])} for k in np.flatnonzero(why != "")]
    return {"results": results, "excluded": excluded, "destination": reach.destination()}
