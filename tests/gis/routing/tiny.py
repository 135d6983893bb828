"""Hand-built routing networks for the tests: lines in local metres, assembly points, people."""

from __future__ import annotations

import numpy as np
import shapely

from gis.routing.people import People, make_people
from gis.routing.site import AssemblyPoints, Site
from gis.walkway_graph import build_walkway_graph

SPEED_FACTOR = {"stair": 0.6, "ladder": 0.3}


def site(lines: list[tuple], aps: list[tuple], names: dict[str, tuple[str, str]] | None = None,
         polygon: shapely.Geometry | None = None) -> Site:
    """``lines``: (id, kind, width or capacity dict, [(x, y), ...], one_way); ``aps``: (id, (x, y), capacity)."""
    ids, kinds, widths, caps, one_way, geoms = [], [], [], [], [], []
    for wid, kind, width, pts, *rest in lines:
        ids.append(wid)
        kinds.append(kind)
        if isinstance(width, dict):
            caps.append(width["capacity"])
            widths.append(width.get("width", 1.0))
        else:
            widths.append(width)
            caps.append(width * 1.3)
        one_way.append(bool(rest[0]) if rest else False)
        geoms.append(shapely.LineString(pts))
    sf = [SPEED_FACTOR.get(k, 1.0) for k in kinds]
    g = build_walkway_graph(np.asarray(geoms, dtype=object), np.asarray(ids, dtype=object),
                            np.asarray(kinds, dtype=object), np.asarray(widths, float), np.asarray(sf, float),
                            np.asarray(one_way, bool), np.asarray(caps, float))
    xy = np.array([p for _, p, _ in aps], dtype=float).reshape(-1, 2)
    nodes, _ = g.nearest_nodes(xy)
    a = AssemblyPoints([i for i, _, _ in aps], nodes, [c for _, _, c in aps], xy)
    return Site(g, a, names or {}, [], polygon)


def people(s: Site, xy: list[tuple[float, float]], speed: float | list[float] = 1.0,
           premovement: float | list[float] = 0.0, mobility: list[str] | None = None) -> People:
    """People at ``xy`` with the given speeds and pre-movement times."""
    n = len(xy)
    arr = np.asarray(xy, dtype=float).reshape(-1, 2)
    sp = np.broadcast_to(np.asarray(speed, float), (n,))
    pm = np.broadcast_to(np.asarray(premovement, float), (n,))
    return make_people(s.graph, [f"p{i}" for i in range(n)], arr[:, 0], arr[:, 1], sp, pm, mobility, s.polygon)
