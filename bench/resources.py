"""Nearest resources by walking time on the demo plant — target: a query under 50 ms.

A query is what the Resources panel runs when the commander clicks a place: join the place to the
walkway graph, one multi-target Dijkstra rooted there (scipy, on the graph built once per plant and
hazard), price every item of the inventory by lookup, and draw the paths of the ones listed. Measured
at 50 seeded places, for SCBA sets only, for every kind (the fire trucks add a road search), and under
a red/orange hazard with the place inside red (the staging search added).

Baseline, measured in the same run: networkx's single-source Dijkstra from the place over the same
arcs (a reversed ``DiGraph`` built once, excluded from the per-query time), then the same lookups —
the best plain way, one search per query, not one per resource.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from pathlib import Path

import networkx as nx
import numpy as np

from bench.common import Figure
from gis.loader import load_plant
from gis.routing.hazard_graph import Hazard
from resources.inventory import load_inventory
from resources.nearest import nearest_resources
from resources.walking import WalkNetwork

N_PLACES = 50
DEMO_PLANT = Path(__file__).resolve().parent.parent / "data" / "demo_plant"
TODAY = dt.date(2026, 11, 30)


def _places(graph, n: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return graph.node_xy[rng.integers(0, graph.n_nodes, n)] + rng.uniform(-15, 15, (n, 2))


def _median_ms(fn, args_list) -> float:
    fn(*args_list[0])
    times = []
    for args in args_list:
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000.0


def _baseline(net: WalkNetwork, inv, kind: str):
    """(build s, query function) of networkx single-source Dijkstra from the place on the reversed arcs."""
    t0 = time.perf_counter()
    g = nx.DiGraph()
    w = net.walk_weight
    for t, h, wt in zip(net.net.arcs.tail.tolist(), net.net.arcs.head.tolist(), w.tolist(), strict=True):
        if np.isfinite(wt) and (not g.has_edge(h, t) or g[h][t]["weight"] > wt):
            g.add_edge(h, t, weight=wt)
    build = time.perf_counter() - t0
    rows = inv.of_kind(kind)
    rows = rows[inv.usable[rows]]
    nodes, dist = net.graph.nearest_nodes(inv.xy[rows])

    def query(x: float, y: float) -> list[tuple[float, list[int]]]:
        q, dq = net.graph.nearest_nodes(np.array([[x, y]]))
        d, paths = nx.single_source_dijkstra(g, int(q[0]), weight="weight")
        found = sorted((d[n] + a + dq[0], n) for n, a in zip(nodes.tolist(), dist.tolist(), strict=True) if n in d)
        return [(c / net.speed, paths[n][::-1]) for c, n in found[:5]]

    return build, query


def run(repeat: int = 1) -> list[Figure]:
    """The nearest-resource figures (see the module docstring)."""
    plant = load_plant(DEMO_PLANT)
    inv = load_inventory(plant, TODAY)
    t0 = time.perf_counter()
    net = WalkNetwork.of_plant(plant)
    build = time.perf_counter() - t0
    places = [tuple(p) for p in _places(plant.graph, N_PLACES)]
    size = f"{plant.graph.n_nodes} nodes, {plant.graph.n_edges} edges, {len(inv)} items, {N_PLACES} places"
    figures = [Figure("walk network build (once per plant and hazard)", build * 1000, "ms", note=size)]

    def scba(x, y):
        return nearest_resources(net.reach(x, y), inv, kind="scba", limit=5)

    def every(x, y):
        return nearest_resources(net.reach(x, y), inv, limit=5)

    t_scba = _median_ms(scba, places * repeat)
    figures.append(Figure("nearest query: 5 SCBA sets with paths (median)", t_scba, "ms", target="< 50 ms",
                          ok=t_scba < 50.0, note="join + 1 Dijkstra + lookups + paths"))
    t_all = _median_ms(every, places * repeat)
    figures.append(Figure("nearest query: any kind, all 289 items priced (median)", t_all, "ms", target="< 50 ms",
                          ok=t_all < 50.0, note="+ the fire trucks' road search"))

    src = plant.layers["hazard_sources"].geometry["HZ-301"]
    red, orange = src.buffer(60.0), src.buffer(150.0)
    hz_net = net.with_hazard(Hazard([red, orange.difference(red)], ["red", "orange"]))
    inside = [(src.x + dx, src.y + dy) for dx, dy in np.random.default_rng(5).uniform(-30, 30, (N_PLACES, 2))]
    t_hz = _median_ms(lambda x, y: nearest_resources(hz_net.reach(x, y), inv, kind="scba", limit=5),
                      inside * repeat)
    figures.append(Figure("nearest query inside a red zone (staging search too)", t_hz, "ms", target="< 50 ms",
                          ok=t_hz < 50.0, note="60 m red, 150 m orange around HZ-301"))

    nx_build, nx_query = _baseline(net, inv, "scba")
    t_nx = _median_ms(nx_query, places * repeat)
    figures.append(Figure("baseline: networkx single-source Dijkstra per query (median)", t_nx, "ms",
                          note=f"same arcs and lookups; its graph build {nx_build * 1000:.0f} ms not counted"))
    figures.append(Figure("speed-up over the baseline (SCBA query)", t_nx / t_scba, "x"))
    # the two agree on the answer (same walking times to 0.1 s)
    for x, y in places[:10]:
        ours = [r["walk_s"] for r in scba(x, y)["results"]]
        theirs = [round(c, 1) for c, _ in nx_query(x, y)]
        if not np.allclose(ours, theirs, atol=0.11):
            raise AssertionError(f"nearest at ({x:.1f}, {y:.1f}) disagrees with networkx: {ours} vs {theirs}")
    return figures


if __name__ == "__main__":
    for f in run():
        print(f.line())
