"""Radius query over 10,000 people: target median under 5 ms."""

from __future__ import annotations

import numpy as np

from bench.common import Figure, median_ms, time_repeated
from gis.positions import PersonStatus, PositionStore


def run(repeat: int = 200) -> list[Figure]:
    """Median time of ``within_radius`` (50 m, random centres) and of a zone count over 10,000 people."""
    rng = np.random.default_rng(20261122)
    n = 10_000
    store = PositionStore([f"P{i:05d}" for i in range(n)])
    store.update(store.ids, rng.uniform(0, 6000, n), rng.uniform(0, 1800, n), 0.0, PersonStatus.ON_SITE)
    centres = iter(rng.uniform([0, 0], [6000, 1800], size=(repeat + 10, 2)))
    found: list[int] = []

    def query() -> None:
        cx, cy = next(centres)
        found.append(len(store.within_radius(cx, cy, 50.0)))

    samples = time_repeated(query, repeat, warmup=5)
    med = median_ms(samples)
    return [Figure("radius query, 10,000 people (median)", med, "ms", target="< 5 ms", ok=med < 5.0,
                   note=f"mean {np.mean(found):.1f} people found")]
