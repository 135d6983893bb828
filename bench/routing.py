"""Evacuation routing: 10,000 people on the ten-times plant under a hazard, the bottleneck quality
scenario, and the naive baseline (one networkx shortest path per person) measured in the same run.

Figures: the shortest routes for everyone (hazard applied to the graph, the multi-source searches and
every route extracted) under 1 s; the whole capacity-aware plan (candidate searches, reservations, the
flow model and the lower bound) under 10 s; on the bottleneck scenario the ratio of each plan to the
lower bound (capacity <= 1.10, shortest >= 1.40); the baseline on a subset of 200 people, extrapolated
to 10,000, and the speed-up.
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

from bench.common import Figure
from gis.loader import load_plant
from gis.plantgen import generate_plant
from gis.routing.people import make_people, people_of_plant, site_polygon
from gis.routing.plan import plan_evacuation
from gis.routing.shortest import RoutingNetwork, route_shortest
from gis.routing.site import Site
from tests.gis.routing.scenarios import random_crowd, ring_hazard, write_bottleneck_plant

N_PEOPLE = 10_000
BASELINE_SAMPLE = 200


def _median(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _naive_baseline(net: RoutingNetwork, people, rows: np.ndarray) -> tuple[float, float]:
    """(graph build s, seconds per person) of one networkx Dijkstra per person to a sink behind the safe
    assembly points, over the same hazard-weighted arcs."""
    t0 = time.perf_counter()
    g = nx.DiGraph()
    w = [net.weight(0), net.weight(1)]
    for t, h, wt in zip(net.arcs.tail.tolist(), net.arcs.head.tolist(), w[0].tolist(), strict=True):
        if np.isfinite(wt) and (not g.has_edge(t, h) or g[t][h]["weight"] > wt):
            g.add_edge(t, h, weight=wt)
    for k in np.flatnonzero(net.ap_safe).tolist():
        g.add_edge(int(net.site.aps.nodes[k]), "sink", weight=0.0)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in rows.tolist():
        with contextlib.suppress(nx.NetworkXNoPath):
            nx.dijkstra_path(g, int(people.node[i]), "sink", weight="weight")
    return build, (time.perf_counter() - t0) / len(rows)


def run(repeat: int = 3) -> list[Figure]:
    """Routing figures (see the module docstring)."""
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "park10"
        generate_plant(big, scale=10)
        plant = load_plant(big)
        site = Site.of_plant(plant)
        xy = random_crowd(plant.graph, N_PEOPLE, seed=1)
        mobility = np.where(np.arange(N_PEOPLE) % 50 == 0, "impaired", "normal")
        people = make_people(plant.graph, [f"Q{i:05d}" for i in range(N_PEOPLE)], xy[:, 0], xy[:, 1],
                             mobility=mobility, site=site_polygon(plant))
        src = plant.layers["hazard_sources"].geometry.iloc[len(plant.layers["hazard_sources"]) // 2]
        hazard = ring_hazard(src.x, src.y, 80.0, 200.0, 350.0)
        size = f"{plant.graph.n_edges} edges, {len(site.aps)} assembly points, hazard 80/200/350 m rings"

        def shortest():
            net = RoutingNetwork(site, hazard)
            return net, route_shortest(net, people)

        t_short, (net, short) = _median(shortest, repeat)
        routed = int(short.routed.sum())
        figures.append(Figure(f"shortest routes, {N_PEOPLE:,} people (hazard + searches + routes)", t_short, "s",
                              target="< 1 s", ok=t_short < 1.0, note=f"{size}; {routed} routed"))
        t_cap, cap = _median(lambda: plan_evacuation(site, people, hazard, "capacity"), max(1, repeat - 1))
        figures.append(Figure(f"capacity-aware plan, {N_PEOPLE:,} people (incl. flow model + bound)", t_cap, "s",
                              target="< 10 s", ok=t_cap < 10.0,
                              note=", ".join(f"{k} {v:.2f}" for k, v in cap.timings.items())))
        t_sp, sp = _median(lambda: plan_evacuation(site, people, hazard, "shortest"), 1)
        figures.append(Figure("shortest plan timed by the flow model + bound", t_sp, "s"))
        figures.append(Figure("ten-times plant: clearance, shortest plan", sp.evacuation_time_s, "s",
                              note=f"x{sp.ratio:.3f} of the bound {sp.lower_bound_s:.0f} s"))
        figures.append(Figure("ten-times plant: clearance, capacity plan", cap.evacuation_time_s, "s",
                              note=f"x{cap.ratio:.3f} of the bound {cap.lower_bound_s:.0f} s"))

        rows = np.flatnonzero(short.routed)[:BASELINE_SAMPLE]
        build, per_person = _naive_baseline(net, people, rows)
        naive = build + per_person * N_PEOPLE
        figures.append(Figure(f"naive baseline: networkx path per person, {N_PEOPLE:,} (extrapolated)", naive, "s",
                              note=f"graph {build:.2f} s + {per_person * 1000:.1f} ms/person measured on "
                                   f"{len(rows)} people"))
        figures.append(Figure("speed-up of the multi-source search over the baseline", naive / t_short, "x"))

        bottleneck = load_plant(write_bottleneck_plant(Path(tmp) / "bottleneck"))
        bsite, bpeople = Site.of_plant(bottleneck), people_of_plant(bottleneck)
        b_short = plan_evacuation(bsite, bpeople, method="shortest")
        b_cap = plan_evacuation(bsite, bpeople, method="capacity")
        note = f"400 people, 0.8 m door vs 3 m door + 170 m detour; bound {b_cap.lower_bound_s:.0f} s"
        figures.append(Figure("bottleneck: capacity plan / lower bound", b_cap.ratio, "x", target="<= 1.10",
                              ok=b_cap.ratio <= 1.10, note=f"{b_cap.evacuation_time_s:.0f} s; {note}"))
        figures.append(Figure("bottleneck: shortest plan / lower bound", b_short.ratio, "x", target=">= 1.40",
                              ok=b_short.ratio >= 1.40, note=f"{b_short.evacuation_time_s:.0f} s"))
    return figures
