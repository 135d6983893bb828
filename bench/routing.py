"""Evacuation routing: 10,000 people on the ten-times plant under a hazard against the best plain baseline,
the capacity plan's speed, and the quality of plans against the exact quickest evacuation.

Baseline (the same job on the same arrays, the way a competent scipy user would write it): the penalised
arc weights of each mobility profile as a CSR matrix built once (outside the timing), one multi-source
``scipy.sparse.csgraph.dijkstra`` per profile from the safe assembly points (``min_only``) and a predecessor
walk per person. Our figure is ``route_shortest`` on a network whose sparse graph the site built once, with
the hazard already applied: searches (clean and red-zone escape trees), assembly points and every route
(kept as one flat arc array; a list per person is made when read, and the figure that also makes all of them
is given). Both are timed interleaved and compared by median CPU time (the machine is shared).

Quality: on the random plants of ``tests/gis/routing/test_quickest.py`` (a grid of roads, rooms with
1 person/s doors, 30-90 people) the time-expanded optimum is exact (checked there against an independent
networkx solver); the figures are the worst and mean ratio of each plan to it, and of the lower bound
without its time-expanded part. On realistic plants (doors 0.8-1.5 m, 50-500 people with drawn speeds and
leaving within a minute) the figure is the ratio to the lower bound.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from bench.common import Figure
from gis.loader import load_plant
from gis.routing.people import make_people, people_of_plant, site_polygon
from gis.routing.plan import plan_evacuation
from gis.routing.shortest import RoutingNetwork, route_shortest
from gis.routing.site import Site
from tests.gis.routing import tiny
from tests.gis.routing.scenarios import random_crowd, ring_hazard, write_bottleneck_plant
from tests.gis.routing.test_quickest import random_plant

N_PEOPLE = 10_000
SEEDS = range(12)


CPU: dict[int, float] = {}  # median CPU seconds of the last timing, by id of the function timed


def _median(fn, repeat: int) -> tuple[float, object]:
    """Median wall-clock seconds of ``fn`` (and its median CPU seconds in :data:`CPU`, for a shared machine)."""
    times, cpu, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU[id(fn)] = statistics.median(cpu)
    return statistics.median(times), out


def _load() -> str:
    """The machine's 1-minute load average (the figures are wall-clock)."""
    try:
        return f"load average {Path('/proc/loadavg').read_text().split()[0]} on {os.cpu_count()} cores"
    except OSError:
        return "load average unknown"


def _generate(out: Path) -> None:
    """The ten-times plant, written by the project's own command (``main.py plant generate --scale 10``)."""
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, str(root / "main.py"), "plant", "generate", str(out), "--scale", "10"],
                   check=True, capture_output=True, cwd=root)


def baseline(net: RoutingNetwork, people) -> tuple[object, object]:  # type: ignore[no-untyped-def]
    """(the prepared CSR matrices, a function routing everyone with them): see the module docstring."""
    n = net.arcs.n_nodes
    mats = []
    for p in range(len(net.unit)):
        w = net.weight(p)
        ok = np.flatnonzero(np.isfinite(w))
        rows, cols = net.arcs.head[ok], net.arcs.tail[ok]
        order = np.lexsort((w[ok], cols, rows))  # parallel walkways: keep the cheapest (a COO matrix would sum)
        key = rows[order] * n + cols[order]
        first = np.concatenate([[True], key[1:] != key[:-1]])
        pick = order[first]
        mats.append(csr_matrix((np.maximum(w[ok][pick], 1e-9), (rows[pick], cols[pick])), shape=(n, n)))
    targets = net.site.aps.nodes[net.ap_safe]
    profile = net.profile_of(people)

    def run() -> list[list[int] | None]:
        out: list[list[int] | None] = [None] * len(people)
        for p, m in enumerate(mats):
            _, pred, _ = dijkstra(m, directed=True, indices=targets, min_only=True, return_predecessors=True)
            pl = pred.tolist()
            for i in np.flatnonzero((profile == p) & (people.node >= 0)).tolist():
                v = int(people.node[i])
                path = [v]
                while pl[v] >= 0:
                    v = pl[v]
                    path.append(v)
                out[i] = path
        return out

    return mats, run


def _interleaved(fns: dict[str, object], repeat: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each function, run in turn ``repeat`` times (A, B, A, B, ...: on a shared
    machine a change of load then falls on all of them alike)."""
    wall: dict[str, list[float]] = {k: [] for k in fns}
    cpu: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            t0, c0 = time.perf_counter(), time.process_time()
            fn()  # type: ignore[operator]
            wall[k].append(time.perf_counter() - t0)
            cpu[k].append(time.process_time() - c0)
    return {k: (statistics.median(wall[k]), statistics.median(cpu[k])) for k in fns}


def _python_speed() -> float:
    """Nanoseconds per iteration of an empty Python loop (CPU time): how fast this machine runs Python right
    now (about 15-20 ns on a quiet 2-core Xeon; more under load), to read the absolute figures against."""
    c0 = time.process_time()
    for _ in range(2_000_000):
        pass
    return (time.process_time() - c0) / 2_000_000 * 1e9


def realistic_plant(seed: int):  # type: ignore[no-untyped-def]
    """A grid of roads (6 m) with buildings on it: each building a room joined to the grid by one or two doors
    0.8-1.5 m wide (1.04-1.95 persons/s), 50-500 people with speeds drawn as the population model draws
    them and leaving within the first minute; one to three assembly points on corners of the grid."""
    rng = np.random.default_rng(1000 + seed)
    nx_, ny_, sp = int(rng.integers(4, 7)), int(rng.integers(3, 6)), float(rng.integers(30, 60))
    lines = []
    for i in range(nx_):
        for j in range(ny_):
            if i + 1 < nx_:
                lines.append((f"h{i}{j}", "road", 6.0, [(i * sp, j * sp), ((i + 1) * sp, j * sp)]))
            if j + 1 < ny_:
                lines.append((f"v{i}{j}", "road", 6.0, [(i * sp, j * sp), (i * sp, (j + 1) * sp)]))
    rooms = []
    for b in range(int(rng.integers(3, 8))):
        i, j = int(rng.integers(0, nx_ - 1)), int(rng.integers(0, ny_ - 1))
        room = ((i + 0.5) * sp + b * 0.01, (j + 0.5) * sp)
        if any(abs(room[0] - q[0]) < 1 and abs(room[1] - q[1]) < 1 for q in rooms):
            continue
        lines.append((f"d{b}a", "door", float(rng.uniform(0.8, 1.5)), [room, ((i + 0.5) * sp, j * sp)]))
        if rng.random() < 0.6:
            lines.append((f"d{b}b", "door", float(rng.uniform(0.8, 1.5)), [room, ((i + 0.5) * sp, (j + 1) * sp)]))
        rooms.append(room)
    # A door's far end sits mid-way along a road: the graph builder nodes the road there.
    corners = [(0.0, 0.0), ((nx_ - 1) * sp, 0.0), (0.0, (ny_ - 1) * sp), ((nx_ - 1) * sp, (ny_ - 1) * sp)]
    aps = [(f"AP{k}", corners[c], 10_000) for k, c in enumerate(rng.choice(4, int(rng.integers(1, 4)), replace=False))]
    site = tiny.site(lines, aps)
    n = int(rng.integers(50, 501))
    where = [rooms[int(rng.integers(len(rooms)))] for _ in range(n)]
    premove = rng.uniform(0.0, 60.0, n)  # an alarm everyone hears: people leave within the first minute
    people = make_people(site.graph, [f"R{k}" for k in range(n)], [w[0] for w in where], [w[1] for w in where],
                         premovement=premove)
    return site, people


def _quality() -> list[Figure]:
    figures: list[Figure] = []
    res_ratio, opt_ratio, short_ratio, bound_ratio, te_time = [], [], [], [], []
    for seed in SEEDS:
        site, people = random_plant(seed)
        short = plan_evacuation(site, people, method="shortest")
        res = plan_evacuation(site, people, method="capacity", optimise_s=0.0)
        t0 = time.perf_counter()
        opt = plan_evacuation(site, people, method="capacity")
        te_time.append(time.perf_counter() - t0)
        te = opt.optimiser.get("time_expanded") if opt.optimiser else None
        exact = te["optimum_s"] if te and te["exact"] else opt.evacuation_time_s
        short_ratio.append(short.evacuation_time_s / exact)
        res_ratio.append(res.evacuation_time_s / exact)
        opt_ratio.append(opt.evacuation_time_s / exact)
        bound_ratio.append(short.lower_bound_s / exact)
    note = f"{len(SEEDS)} random plants, 30-90 people, 1 person/s doors (exact instances)"
    figures.append(Figure("random plants: shortest plan / exact optimum, worst", max(short_ratio), "x", note=note))
    figures.append(Figure("random plants: reservation plan alone / exact optimum, worst", max(res_ratio), "x",
                          note=f"mean {statistics.mean(res_ratio):.3f}"))
    figures.append(Figure("random plants: capacity plan (optimised) / exact optimum, worst", max(opt_ratio), "x",
                          target="<= 1.03", ok=max(opt_ratio) <= 1.03,
                          note=f"mean {statistics.mean(opt_ratio):.3f}; median {statistics.median(te_time):.2f} s"))
    figures.append(Figure("random plants: cut lower bound / exact optimum, worst", min(bound_ratio), "x",
                          note=f"mean {statistics.mean(bound_ratio):.3f} (individual + three cut families)"))
    gaps_res, gaps_opt, gaps_short = [], [], []
    for seed in SEEDS:
        site, people = realistic_plant(seed)
        gaps_short.append(plan_evacuation(site, people, method="shortest").ratio or 1.0)
        gaps_res.append(plan_evacuation(site, people, method="capacity", optimise_s=0.0).ratio or 1.0)
        gaps_opt.append(plan_evacuation(site, people, method="capacity").ratio or 1.0)
    note = f"{len(SEEDS)} plants: road grids, 0.8-1.5 m doors, 50-500 people, drawn speeds"
    figures.append(Figure("realistic plants: shortest plan / lower bound, mean", statistics.mean(gaps_short), "x",
                          note=f"worst {max(gaps_short):.3f}; {note}"))
    figures.append(Figure("realistic plants: reservation plan / lower bound, mean", statistics.mean(gaps_res), "x",
                          note=f"worst {max(gaps_res):.3f}"))
    figures.append(Figure("realistic plants: capacity plan (optimised) / lower bound, mean",
                          statistics.mean(gaps_opt), "x", note=f"worst {max(gaps_opt):.3f}"))
    return figures


def run(repeat: int = 3) -> list[Figure]:
    """Routing figures (see the module docstring)."""
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "park10"
        _generate(big)
        plant = load_plant(big)
        site = Site.of_plant(plant)
        xy = random_crowd(plant.graph, N_PEOPLE, seed=1)
        mobility = np.where(np.arange(N_PEOPLE) % 50 == 0, "impaired", "normal")
        people = make_people(plant.graph, [f"Q{i:05d}" for i in range(N_PEOPLE)], xy[:, 0], xy[:, 1],
                             mobility=mobility, site=site_polygon(plant))
        src = plant.layers["hazard_sources"].geometry.iloc[len(plant.layers["hazard_sources"]) // 2]
        hazard = ring_hazard(src.x, src.y, 80.0, 200.0, 350.0)
        size = f"{plant.graph.n_edges} edges, {len(site.aps)} assembly points, hazard 80/200/350 m rings"
        net = RoutingNetwork(site, hazard)
        _, base = baseline(net, people)

        def ours():  # type: ignore[no-untyped-def]
            net._trees.clear()  # the hazard is applied (as the baseline's weights are); every search runs again
            return route_shortest(net, people)

        def ours_lists():  # type: ignore[no-untyped-def]
            return list(ours().routes)

        speed = _python_speed()
        t = _interleaved({"base": base, "ours": ours, "lists": ours_lists}, repeat + 6)
        (t_base, c_base), (t_short, c_short), (_, c_lists) = t["base"], t["ours"], t["lists"]
        short = ours()
        routed = int(short.routed.sum())
        machine = f"{_load()}; an empty Python loop takes {speed:.0f} ns/iteration now"
        figures.append(Figure(f"baseline: scipy multi-source Dijkstra + predecessor walk, {N_PEOPLE:,} people, CPU",
                              c_base, "s", note=f"{size}; CSR built once, one search per profile; wall {t_base:.3f} s; "
                                               f"median of {repeat + 6}, interleaved; {machine}"))
        figures.append(Figure(f"shortest routes, {N_PEOPLE:,} people (searches + routes, graph reused), CPU", c_short,
                              "s", target="<= baseline", ok=c_short <= c_base,
                              note=f"{routed} routed; x{c_short / c_base:.2f} the baseline's CPU; "
                                   f"wall {t_short:.3f} s; "
                                   "also red-zone escapes, assembly points, lengths and times; routes kept flat"))
        figures.append(Figure("shortest routes + every route turned into a Python list, CPU", c_lists, "s",
                              note=f"x{c_lists / c_base:.2f} the baseline's CPU (the baseline's output is such lists)"))
        t_full, _ = _median(lambda: route_shortest(RoutingNetwork(site, hazard), people), repeat)
        figures.append(Figure("shortest routes incl. applying the hazard to the graph", t_full, "s"))

        def capacity():  # type: ignore[no-untyped-def]
            return plan_evacuation(site, people, hazard, "capacity", optimise_s=0.0)

        capacity()  # the site's plain-list views are built once per plant, as its sparse graph is
        t_cap, cap = _median(capacity, max(repeat, 5))
        c_cap = CPU[id(capacity)]
        figures.append(Figure(f"capacity plan, {N_PEOPLE:,} people (reservations + bound), CPU", c_cap, "s",
                              target="< 1 s", ok=c_cap < 1.0,
                              note=f"wall {t_cap:.2f} s; median of {max(repeat, 5)}; {machine}; "
                                   + ", ".join(f"{k} {v:.2f}" for k, v in cap.timings.items())))
        t_opt, opt = _median(lambda: plan_evacuation(site, people, hazard, "capacity"), 1)
        o = opt.optimiser or {}
        figures.append(Figure(f"capacity plan + optimiser (budget {o.get('budget_s', 0)} s)", t_opt, "s",
                              note=f"{o.get('result')}; stopped: {o.get('stopped')}"))
        t_sp, sp = _median(lambda: plan_evacuation(site, people, hazard, "shortest"), 1)
        figures.append(Figure("shortest plan timed by the flow model + bound", t_sp, "s"))
        figures.append(Figure("ten-times plant: clearance, shortest plan", sp.evacuation_time_s, "s",
                              note=f"x{sp.ratio:.3f} of the bound {sp.lower_bound_s:.0f} s"))
        figures.append(Figure("ten-times plant: clearance, capacity plan", opt.evacuation_time_s, "s",
                              note=f"x{opt.ratio:.3f} of the bound {opt.lower_bound_s:.0f} s ("
                                   f"{'individual' if opt.bound.individual >= opt.bound.cut else opt.bound.cut_family}"
                                   " bound binding)"))

        bottleneck = load_plant(write_bottleneck_plant(Path(tmp) / "bottleneck"))
        bsite, bpeople = Site.of_plant(bottleneck), people_of_plant(bottleneck)
        b_short = plan_evacuation(bsite, bpeople, method="shortest")
        b_cap = plan_evacuation(bsite, bpeople, method="capacity")
        note = f"400 people, 0.8 m door vs 3 m door + 170 m detour; bound {b_cap.lower_bound_s:.0f} s"
        figures.append(Figure("bottleneck: capacity plan / lower bound", b_cap.ratio, "x", target="<= 1.10",
                              ok=b_cap.ratio <= 1.10, note=f"{b_cap.evacuation_time_s:.0f} s; {note}"))
        figures.append(Figure("bottleneck: shortest plan / lower bound", b_short.ratio, "x", target=">= 1.40",
                              ok=b_short.ratio >= 1.40, note=f"{b_short.evacuation_time_s:.0f} s"))
    figures.extend(_quality())
    return figures
