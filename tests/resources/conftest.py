"""Fixtures of the resources tests: the detour plant (built once), its inventory, and the oracle graph."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import networkx as nx
import numpy as np
import pytest
import shapely

from .plants import write_plant

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 30)
#: Monday 2026-11-23 10:00 local, 46 weeks after the shift anchor (2026-01-05, when A worked nights, B mornings,
#: C evenings); 46 = 1 (mod 3) rotations forward, so A works mornings, B evenings, C nights; day staff on duty
MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
EVENING = dt.datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="session")
def detour_dir(tmp_path_factory):
    """The detour plant package folder."""
    return write_plant(tmp_path_factory.mktemp("detour") / "plant")


@pytest.fixture(scope="session")
def detour(detour_dir):
    """The detour plant, loaded."""
    from gis.loader import load_plant

    return load_plant(detour_dir)


def oracle_graph(graph, red: shapely.Geometry | None = None, mult=None) -> nx.DiGraph:
    """An independent networkx view of a walkway graph: one arc per direction allowed, weight = length /
    speed factor (x ``mult(edge line)`` when given), edges meeting ``red`` left out. Parallel arcs keep the
    cheapest."""
    g = nx.DiGraph()
    g.add_nodes_from(range(graph.n_nodes))
    for k in range(graph.n_edges):
        line = shapely.LineString(graph.edge_coords[k])
        if red is not None and line.intersects(red):
            continue
        w = float(graph.edge_length[k]) / float(graph.edge_speed_factor[k])
        if mult is not None:
            w *= mult(line)
        u, v = int(graph.edge_u[k]), int(graph.edge_v[k])
        pairs = [(u, v)] if graph.edge_one_way[k] else [(u, v), (v, u)]
        for a, b in pairs:
            if not g.has_edge(a, b) or g[a][b]["weight"] > w:
                g.add_edge(a, b, weight=w, length=float(graph.edge_length[k]))
    return g


def brute_nearest_node(graph, x: float, y: float) -> tuple[int, float]:
    """The nearest node by scanning every node (not the KD-tree the code uses)."""
    d = np.hypot(graph.node_xy[:, 0] - x, graph.node_xy[:, 1] - y)
    i = int(np.argmin(d))
    return i, float(d[i])
