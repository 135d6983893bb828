"""Simulation benchmarks (#13): the 200-person room against JuPedSim, 2,000 people in a 30-minute drill on the
demo plant, a 100-run Monte Carlo batch on two cores, and the people-as-SimPy-processes alternative.

Figures:

* the 200-person room (20 m × 20 m, one 1 m door): our simulation's wall time (median of 5) and JuPedSim's
  (CollisionFreeSpeedModel, dt 0.01 s, same positions and speeds; from ``bench/jupedsim``), the speed-up
  (target ≥ 100×);
* the side-by-side evacuation times on the three geometries of ``bench/jupedsim/geometries.py`` (ours /
  JuPedSim, target within 15 % where JuPedSim is sound);
* a 30-minute blind drill on the demo plant with 2,000 people on site, a site-wide evacuation and the
  full response (detectors, duty officer, plan, responders, SCBA, exposure), written to a SQLite log
  through the incident runtime: wall time (target < 10 s);
* 100 drills (Monte Carlo) on two worker processes (target < 5 min);
* the same evacuation with every person a SimPy process (the speed set at each edge's entry instead of
  the virtual-clock crowd model): the alternative the model was measured against, in processor time
  and on RiMEA Test 4.
"""

from __future__ import annotations

import math
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import simpy

from bench.common import Figure
from gis.loader import load_plant
from gis.routing.people import make_people, site_polygon
from gis.routing.shortest import RoutingNetwork, route_shortest
from gis.routing.site import Site
from simulation.evacuation import evacuate
from simulation.walking import moving_factor

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo_plant"
N_DEMO = 2000
MC_RUNS = 100


def simpy_processes(site: Site, people) -> tuple[float, np.ndarray]:  # type: ignore[no-untyped-def]
    """The evacuation with one SimPy process per person (speed fixed at each edge's entry from the crowd on
    it, the same flow limits, no assembly-point overflow); returns (processor s, arrival times)."""
    t0 = time.process_time()
    net = RoutingNetwork(site)
    a = route_shortest(net, people)
    g = site.graph
    env = simpy.Environment()
    gap = (1.0 / np.where(g.edge_capacity > 0, g.edge_capacity, np.inf)).tolist()
    length, width = g.edge_length.tolist(), g.edge_width.tolist()
    free = [-math.inf] * g.n_edges
    count = [0] * g.n_edges
    arc_edge = net.arcs.edge.tolist()
    unit = [u.tolist() for u in net.unit]
    arrival = [math.nan] * len(people)
    aps = site.aps

    def person(i: int, route: list[int]):  # type: ignore[no-untyped-def]
        v, prof = float(people.speed[i]), int(people.impaired[i])
        yield env.timeout(float(people.premovement[i] + people.access_m[i] / v))
        for arc in route:
            e = arc_edge[arc]
            entry = max(env.now, free[e])
            free[e] = entry + gap[e]
            if entry > env.now:
                yield env.timeout(entry - env.now)
            f = moving_factor(count[e], length[e], width[e])
            count[e] += 1
            yield env.timeout(unit[prof][arc] / v / f)
            count[e] -= 1
        k = int(a.ap[i])
        node = int(aps.nodes[k])
        yield env.timeout(float(np.hypot(*(aps.xy[k] - g.node_xy[node]))) / v)
        arrival[i] = env.now

    for i in np.flatnonzero(a.routed).tolist():
        env.process(person(i, a.routes[i]))
    env.run()
    return time.process_time() - t0, np.asarray(arrival)


def ours_cpu(site: Site, people) -> tuple[float, np.ndarray]:  # type: ignore[no-untyped-def]
    """Our model on the same terms as :func:`simpy_processes` (no assembly-point overflow): (processor s,
    arrival times)."""
    from simulation.clocked import Mover
    from simulation.movement import Movement

    t0 = time.process_time()
    m = Movement(RoutingNetwork(site), people, ap_overflow=False)
    env = simpy.Environment()
    Mover(env, m).alarm(range(len(people)))
    env.run()
    return time.process_time() - t0, np.asarray(m.arrived_at)


def rimea4(tmp: Path, rho: float = 1.5) -> tuple[float, float, float]:
    """RiMEA Test 4 on one 100 m × 10 m edge at ``rho``: Weidmann's speed, ours, people-as-processes (m/s)."""
    from gis.routing.people import people_of_plant
    from tests.simulation.plants import corridor, write_layout

    n = round(rho * 1000) + 1
    plant = load_plant(write_layout(tmp / f"r4-{rho}", corridor(100.0, 10.0, capacity=1000.0), np.zeros((n, 2)),
                                    1.34, 0.0))
    site, people = Site.of_plant(plant), people_of_plant(plant)
    w = 1.34 * (1 - math.exp(-1.913 * (1 / rho - 1 / 5.4)))
    return (w, float(np.median(100.0 / ours_cpu(site, people)[1])),
            float(np.median(100.0 / simpy_processes(site, people)[1])))


def _demo_population(plant, n: int, seed: int = 1) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    nodes = rng.integers(0, plant.graph.n_nodes, n)
    xy = plant.graph.node_xy[nodes] + rng.uniform(-5.0, 5.0, (n, 2))
    return pd.DataFrame({"id": [f"W{i:05d}" for i in range(n)], "x": xy[:, 0], "y": xy[:, 1],
                         "speed_mps": np.nan, "premovement_s": np.nan, "mobility": "normal"})


def _side_by_side(figures: list[Figure]) -> float | None:
    """Rows of the side-by-side (bench/jupedsim); returns JuPedSim's median wall time on the 200-person room
    (CollisionFreeSpeedModel, runs that evacuated everyone)."""
    from bench.jupedsim.compare import FORCE_MODELS, compare

    rows = compare() + compare(FORCE_MODELS, cases=("room200",))
    if all(r["jupedsim"] is None for r in rows):
        figures.append(Figure("side by side with JuPedSim", 0.0, "", note="no JuPedSim environment and no cached "
                              "results: run bench/jupedsim/setup_env.sh"))
        return None
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        if r["jupedsim"] is not None:
            groups.setdefault((r["case"].split("-")[0], r["model"]), []).append(r)
    room_walls: list[float] = []
    for (case, model), rs in groups.items():
        ok = [r for r in rs if r["jupedsim"].get("evacuation_time_s")]
        jam = [r for r in rs if r["jupedsim"].get("jammed_at_s") is not None or r["jupedsim"].get("error")]
        label = f"{case} ({rs[0]['people']} people) vs JuPedSim {model}"
        if jam:
            def why(r: dict) -> str:
                j = r["jupedsim"]
                if j.get("error"):
                    return f"{r['case']}: failed after {j['iterations'] * 0.01:.0f} s ({j['error'][:70]})"
                return f"{r['case']}: {j.get('remaining')} left, last exit at {j.get('jammed_at_s'):.0f} s"

            figures.append(Figure(f"{label}: runs where JuPedSim deadlocked or failed", len(jam), f"of {len(rs)}",
                                  note="; ".join(why(r) for r in jam)))
        if not ok:
            continue
        ratio = statistics.median(r["ratio"] for r in ok)
        ours = statistics.median(r["ours"]["evacuation_time_s"] for r in ok)
        jt = statistics.median(r["jupedsim"]["evacuation_time_s"] for r in ok)
        jw = statistics.median(r["jupedsim"]["wall_s"] for r in ok)
        ow = statistics.median(r["ours"]["wall_s"] for r in ok)
        figures.append(Figure(f"{label}: evacuation time, ours / JuPedSim", ratio, "x", target="0.85–1.15",
                              ok=abs(ratio - 1.0) <= 0.15,
                              note=f"ours {ours:.1f} s, JuPedSim {jt:.1f} s ({len(ok)} runs); wall ours "
                                   f"{ow * 1000:.1f} ms, JuPedSim {jw:.1f} s ({jw / ow:,.0f}x)"))
        eff = [r for r in ok if r.get("ratio_effective_doors")]
        if eff:
            re = statistics.median(r["ratio_effective_doors"] for r in eff)
            te = statistics.median(r["ours_effective_doors"]["evacuation_time_s"] for r in eff)
            figures.append(Figure(f"{label}: same, doors at SFPE effective width", re, "x", target="0.85–1.15",
                                  ok=abs(re - 1.0) <= 0.15,
                                  note=f"ours {te:.1f} s: door capacity 1.3 × (width − 0.3 m), given as capacity_pps"))
        if case == "room200" and model == "CollisionFreeSpeedModel":
            room_walls = [r["jupedsim"]["wall_s"] for r in ok]
    return statistics.median(room_walls) if room_walls else None


def run(repeat: int = 5) -> list[Figure]:
    """The simulation figures (see the module docstring)."""
    from bench.jupedsim.geometries import room200_case

    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        case = room200_case()
        plant = load_plant(case.write_package(Path(tmp) / "room"))
        site = Site.of_plant(plant)
        from gis.routing.people import people_of_plant

        people = people_of_plant(plant)
        walls = [evacuate(site, people).wall_s for _ in range(repeat)]
        ours = statistics.median(walls)
        jps = _side_by_side(figures)
        figures.insert(0, Figure("200-person room: our simulation wall time (median)", ours * 1000, "ms",
                                 note=f"routing + simulation, {repeat} runs"))
        if jps:
            figures.insert(1, Figure("200-person room: JuPedSim CollisionFreeSpeedModel wall time", jps, "s",
                                     note="median of the runs that evacuated; dt 0.01 s, same positions and "
                                          "speeds, its own environment"))
            figures.insert(2, Figure("200-person room: speed-up over JuPedSim", jps / ours, "x", target=">= 100",
                                     ok=jps / ours >= 100))
        demo = load_plant(DEMO)
        dsite = Site.of_plant(demo)
        pop = _demo_population(demo, N_DEMO)
        dpeople = make_people(demo.graph, pop["id"], pop["x"], pop["y"], site=site_polygon(demo))
        t_ev = statistics.median([evacuate(dsite, dpeople).cpu_s for _ in range(3)])
        figures.append(Figure(f"demo plant, {N_DEMO:,} people, evacuation only: processor time", t_ev, "s",
                              note="routing + simulation, assembly-point overflow on"))
        c_ours = statistics.median([ours_cpu(dsite, dpeople)[0] for _ in range(3)])
        c_proc = statistics.median([simpy_processes(dsite, dpeople)[0] for _ in range(3)])
        figures.append(Figure(f"same, {N_DEMO:,} people, no overflow: virtual-clock model (ours)", c_ours, "s"))
        figures.append(Figure(f"same, {N_DEMO:,} people, no overflow: people as SimPy processes", c_proc, "s",
                              note=f"{c_ours / c_proc:.2f}x faster than ours, but pace fixed at edge entry"))
        w, v_ours, v_proc = rimea4(Path(tmp))
        figures.append(Figure("RiMEA 4 at 1.5 persons/m²: speed, ours vs Weidmann", v_ours, "m/s",
                              target=f"{w:.3f} ± 1 %", ok=abs(v_ours / w - 1) <= 0.01))
        figures.append(Figure("RiMEA 4 at 1.5 persons/m²: speed, people as SimPy processes vs Weidmann", v_proc,
                              "m/s", target=f"{w:.3f} ± 1 %", ok=None,
                              note="the process variant does not reproduce the fundamental diagram"))

        from commandcenter.services.drill_service import load_plans, run_drill
        from simulation.response import ResponseParams

        plans = load_plans()
        res = run_drill(demo, Path(tmp) / "drill2000.db", seed=3, plans=plans, population=pop,
                        params=ResponseParams(duration_s=1800.0, evacuation_scope="site"))
        m = res["metrics"]
        figures.append(Figure(f"30-min drill, demo plant, {res['people']:,} people, site evacuation + responders",
                              res["wall_s"], "s", target="< 10 s", ok=res["wall_s"] < 10.0,
                              note=f"processor {res['cpu_s']:.1f} s, of which the log {res['log_s']:.1f} s wall; "
                                   f"{res['events']:,} events in {res['submits']} commits; 90 % mustered "
                                   f"{m['mustered_90_s']} s; {len(m['tasks'])} tasks"))

        from commandcenter.services.drill_service import run_batch

        t0 = time.perf_counter()
        summary = run_batch(DEMO, MC_RUNS, Path(tmp) / "mc", workers=2)
        t_mc = time.perf_counter() - t0
        worst = summary["most_often_late"]
        figures.append(Figure(f"Monte Carlo, {MC_RUNS} drills on 2 worker processes", t_mc, "s", target="< 300 s",
                              ok=t_mc < 300.0,
                              note=f"drills' processor time {summary['drill_cpu_s']:.0f} s in all (each creating its "
                                   "log and loading the plan library)"
                                   + (f"; most often late: {worst['task_id']} ({worst['runs']} runs, "
                                      f"{worst['delay_mean_s']:.0f} s)" if worst else "")))
    return figures
