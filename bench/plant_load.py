"""Plant loading and graph building: the demo plant and a generated plant ten times larger.

The ten-times plant is generated (deterministically) into a temporary folder and
must have at least 20,000 walkway edges after noding. Figures: median wall time
of the whole ``load_plant`` (read, validate, project, node, join, index) and of
the graph build alone.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import Figure, median_ms, time_repeated
from commandcenter.paths import DEMO_PLANT
from gis.loader import load_plant
from gis.walkway_graph import build_walkway_graph
from tools.plantgen import generate_plant


def _graph_build(plant) -> None:
    w = plant.layers["walkways"]
    build_walkway_graph(w.geometry.values, w.index.to_numpy(object), w["kind"].to_numpy(object),
                        w["width_m"].to_numpy(float), w["speed_factor"].to_numpy(float),
                        w["one_way"].to_numpy(bool), w["capacity_pps"].to_numpy(float))


def _measure(label: str, path: Path, repeat: int) -> list[Figure]:
    plant = load_plant(path)
    stats = plant.graph.stats()
    load = time_repeated(lambda: load_plant(path), repeat)
    build = time_repeated(lambda: _graph_build(plant), repeat)
    size = f"{stats['edges']} edges, {stats['nodes']} nodes, {len(plant.layers['walkways'])} walkways"
    return [
        Figure(f"{label}: load_plant (read+validate+graph)", median_ms(load), "ms", note=size),
        Figure(f"{label}: walkway graph build", median_ms(build), "ms"),
    ]


def run(repeat: int = 5) -> list[Figure]:
    """Load and graph-build figures for the demo plant and the ten-times plant."""
    figures = _measure("demo plant", DEMO_PLANT, repeat)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "park10"
        generate_plant(big, scale=10)
        plant = load_plant(big)
        edges = plant.graph.n_edges
        figures.append(Figure("ten-times plant: walkway edges after noding", float(edges), "edges",
                              target=">= 20000", ok=bool(edges >= 20_000)))
        figures += _measure("ten-times plant", big, max(2, repeat // 2))
    return figures
