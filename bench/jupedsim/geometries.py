"""The three side-by-side geometries, built twice from one description: a plant package for our model and a
JuPedSim specification (walkable polygon, exit stages, agents) — same positions, same speeds.

* ``corridor`` — 50 people in the first 20 m of a 4 m × 60 m corridor (0.6 persons/m²), walking to its end;
* ``room200`` — 200 people in a 20 m × 20 m room with one 1 m door, 5.5 m of outside beyond it;
* ``two_exits_1000`` — 1,000 people in a 30 m × 20 m hall with a 2 m exit in each short wall; everyone
  takes the exit whose inner door node is nearer (our shortest route; the same rule is given to JuPedSim).

Speeds are Weidmann's (normal, mean 1.34 m/s, s.d. 0.26, clipped to 0.5–2.0 m/s), drawn once with a
fixed seed; pre-movement 0; positions at least 0.45 m apart (JuPedSim's agents have a 0.2 m radius). In
the plant packages a room is walked as the straight line to its door's inner node (the access walk of
``gis.routing``); the corridor's walkway is cut every metre so everyone joins it beside themselves.
Both sides stop the clock when a person reaches the same line: the assembly point 5.5 m beyond the wall
(our model) is the start of JuPedSim's exit stage. Beyond a door JuPedSim's walkable area is a 10 m wide
open space (with a 4 m wide one, its CollisionFreeSpeedModel deadlocked in the 200-person room at
t ≈ 45 s with 163 agents left — see docs/benchmarks.md).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from tests.simulation.plants import Layout, Line, room, uniform_positions, write_layout

SEED = 2026


@dataclass
class Case:
    """One geometry: our layout, JuPedSim's walkable area and exits (local metres), the agents."""

    name: str
    layout: Layout
    area: shapely.Geometry
    exits: list[shapely.Geometry]
    xy: np.ndarray
    speed: np.ndarray
    exit_of: np.ndarray

    def spec(self, max_time_s: float = 3000.0) -> dict:
        """The JuPedSim specification (see run_jupedsim.py)."""
        return {"name": self.name, "area": self.area.wkt, "exits": [e.wkt for e in self.exits],
                "agents": [[float(x), float(y), float(v), int(k)]
                           for (x, y), v, k in zip(self.xy, self.speed, self.exit_of, strict=True)],
                "max_time_s": max_time_s}

    def write_package(self, out: str | Path, effective_doors: bool = False) -> Path:
        """Our plant package with the population (speeds given, pre-movement 0). ``effective_doors`` gives
        every door the capacity of the SFPE hydraulic model's *effective* width — the clear width less a
        0.15 m boundary layer at each jamb — × 1.3 persons/m/s, as an explicit ``capacity_pps`` (by
        default the plant format derives width × 1.3)."""
        layout = self.layout
        if effective_doors:
            lines = [dataclasses.replace(ln, capacity=round(1.3 * max(ln.width - 0.3, 0.1), 4))
                     if ln.kind == "door" else ln for ln in layout.lines]
            layout = dataclasses.replace(layout, lines=lines)
        return write_layout(out, layout, self.xy, self.speed, 0.0)


def _speeds(n: int, seed: int) -> np.ndarray:
    return np.clip(np.random.default_rng(seed).normal(1.34, 0.26, n), 0.5, 2.0)


def corridor_case() -> Case:
    """50 people at 0.6 persons/m² walking 40–60 m down a 4 m corridor."""
    lines = [Line(f"C{k:02d}", "corridor", 4.0, [(float(k), 0.0), (float(k + 1), 0.0)]) for k in range(60)]
    lay = Layout(lines, [("AP-1", (60.0, 0.0), 10_000)], (-60.0, -60.0, 120.0, 60.0))
    xy = uniform_positions(50, 0.5, -1.5, 19.5, 1.5, seed=SEED)
    area = shapely.box(0.0, -2.0, 61.0, 2.0)
    return Case("corridor", lay, area, [shapely.box(60.0, -2.0, 61.0, 2.0)], xy, _speeds(50, SEED),
                np.zeros(50, np.int64))


def room200_case(variant: int = 0) -> Case:
    """200 people in a 20 m × 20 m room with one 1 m door; ``variant`` draws another set of positions and
    speeds (JuPedSim's models can deadlock at a 1 m door for some sets, so several are run)."""
    lay = room(20.0, 20.0, [("D1", (20.0, 10.0), "E", 1.0)])
    seed = SEED + 1 + 100 * variant
    xy = uniform_positions(200, 0.5, 0.5, 19.5, 19.5, seed=seed)
    area = shapely.union_all([shapely.box(0, 0, 20, 20), shapely.box(20, 9.5, 21, 10.5), shapely.box(21, 5, 26, 15)])
    return Case("room200" if variant == 0 else f"room200-{variant}", lay, area, [shapely.box(25.5, 5, 26, 15)], xy,
                _speeds(200, seed), np.zeros(200, np.int64))


def two_exits_case() -> Case:
    """1,000 people in a 30 m × 20 m hall with a 2 m exit in each short wall."""
    lay = room(30.0, 20.0, [("DW", (0.0, 10.0), "W", 2.0), ("DE", (30.0, 10.0), "E", 2.0)])
    xy = uniform_positions(1000, 0.5, 0.5, 29.5, 19.5, seed=SEED + 2)
    exit_of = (np.hypot(xy[:, 0] - 29.5, xy[:, 1] - 10.0) < np.hypot(xy[:, 0] - 0.5, xy[:, 1] - 10.0)).astype(int)
    area = shapely.union_all([shapely.box(0, 0, 30, 20), shapely.box(-1, 9, 0, 11), shapely.box(30, 9, 31, 11),
                              shapely.box(-6, 5, -1, 15), shapely.box(31, 5, 36, 15)])
    exits = [shapely.box(-6, 5, -5.5, 15), shapely.box(35.5, 5, 36, 15)]
    return Case("two_exits_1000", lay, area, exits, xy, _speeds(1000, SEED + 2), exit_of)


ROOM_VARIANTS = 5
CASES = {"corridor": corridor_case, "room200": room200_case,
         **{f"room200-{k}": (lambda k=k: room200_case(k)) for k in range(1, ROOM_VARIANTS)},
         "two_exits_1000": two_exits_case}
