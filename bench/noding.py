"""Walkway noding against GEOS's own noder, and how fast stacked copies are refused.

Baseline: ``shapely.node`` of all walkway lines as one MultiLineString — GEOS's noder, the best plain
way to cut a set of lines at every meeting (it keeps no attributes and does not snap undershoots,
so it does less than ``build_walkway_graph``). Then stacked identical copies of one walkway, which
meet each other n²/2 times: the build must refuse them (``NodingLimit``) in about a second, and the
baseline's time for the same input shows what an unbounded noder costs. Last, the densest accepted
input: shifted overlapping copies just under the meeting budget.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from bench.common import Figure, median_ms, time_repeated
from commandcenter.paths import DEMO_PLANT
from gis.loader import load_plant
from gis.walkway_graph import NodingLimit, build_walkway_graph, meeting_budget
from tools.plantgen import generate_plant


def _build(lines: np.ndarray) -> object:
    n = len(lines)
    return build_walkway_graph(lines, np.array([f"W{i}" for i in range(n)], dtype=object),
                               np.full(n, "walkway", dtype=object), np.full(n, 2.0), np.ones(n),
                               np.zeros(n, dtype=bool), np.full(n, 2.6))


def _geos_node(lines: np.ndarray) -> object:
    return shapely.node(shapely.multilinestrings(lines))


def _walkways(path: Path) -> np.ndarray:
    w = load_plant(path).layers["walkways"]
    return shapely.get_parts(np.asarray(w.geometry.values, dtype=object))


def _pair(label: str, lines: np.ndarray, repeat: int) -> list[Figure]:
    ours = median_ms(time_repeated(lambda: _build(lines), repeat))
    geos = median_ms(time_repeated(lambda: _geos_node(lines), repeat))
    return [Figure(f"{label}: build_walkway_graph", ours, "ms", note=f"{len(lines)} walkways"),
            Figure(f"{label}: baseline shapely.node (GEOS)", geos, "ms", note=f"ours / GEOS = {ours / geos:.2f}")]


def _refusal(n: int) -> Figure:
    lines = np.array([shapely.LineString([(0, 0), (200, 0)])] * n, dtype=object)
    t0 = time.perf_counter()
    try:
        _build(lines)
        refused = False
    except NodingLimit:
        refused = True
    took = time.perf_counter() - t0
    return Figure(f"{n} stacked copies: time to refuse", took * 1000.0, "ms", target="< 5000 ms",
                  ok=refused and took < 5.0, note=f"budget {meeting_budget(n):,} meetings; "
                  f"{n * (n - 1) // 2:,} pairs overlap")


def run(repeat: int = 3) -> list[Figure]:
    """Noding figures: demo plant and ten-times park against GEOS; stacked copies refused; densest accepted."""
    figures = _pair("demo plant", _walkways(DEMO_PLANT), repeat)
    with tempfile.TemporaryDirectory() as tmp:
        generate_plant(Path(tmp) / "park10", scale=10)
        figures += _pair("ten-times plant", _walkways(Path(tmp) / "park10"), max(1, repeat - 1))
    for n in (1000, 3000, 20_000):
        figures.append(_refusal(n))
    stacked = np.array([shapely.LineString([(0, 0), (200, 0)])] * 1000, dtype=object)
    geos = median_ms(time_repeated(lambda: _geos_node(stacked), 1, warmup=0))
    figures.append(Figure("1000 stacked copies: baseline shapely.node (GEOS)", geos, "ms",
                           note="GEOS merges identical copies; the graph must keep each walkway's attributes"))
    shifted = np.array([shapely.LineString([(i * 0.05, 0), (200 + i * 0.05, 0)]) for i in range(250)], dtype=object)
    t = median_ms(time_repeated(lambda: _build(shifted), 1, warmup=0))
    figures.append(Figure("250 shifted overlapping copies (accepted, near the budget)", t, "ms", target="< 30000 ms",
                          ok=t < 30_000, note="62,000 overlapping pairs cut into 125,000 pieces"))
    return figures
