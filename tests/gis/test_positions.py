"""The vectorised position store and its spatial queries."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis.positions import PersonStatus, PositionStore


@pytest.fixture
def crowd() -> PositionStore:
    rng = np.random.default_rng(7)
    store = PositionStore([f"P{i:05d}" for i in range(10_000)])
    store.update(store.ids, rng.uniform(0, 1000, 10_000), rng.uniform(0, 800, 10_000), 12.0, PersonStatus.ON_SITE)
    return store


def test_within_radius_matches_brute_force(crowd: PositionStore) -> None:
    got = set(crowd.within_radius(400.0, 300.0, 75.0))
    rows = zip(crowd.ids, crowd.x, crowd.y, strict=True)
    want = {pid for pid, x, y in rows if (x - 400) ** 2 + (y - 300) ** 2 <= 75**2}
    assert got == want
    assert len(want) > 50


def test_inside_polygon_matches_shapely(crowd: PositionStore) -> None:
    poly = shapely.Polygon([(100, 100), (500, 150), (450, 600), (120, 400)])
    got = set(crowd.inside_polygon(poly))
    want = {pid for pid, x, y in zip(crowd.ids, crowd.x, crowd.y, strict=True) if poly.contains(shapely.Point(x, y))}
    assert got == want
    assert len(want) > 100


def test_status_filter_restricts_queries(crowd: PositionStore) -> None:
    inside = crowd.within_radius(400.0, 300.0, 75.0)
    crowd.set_status(inside[:5], PersonStatus.MUSTERED)
    still_on_site = crowd.within_radius(400.0, 300.0, 75.0, status=[PersonStatus.ON_SITE])
    assert len(still_on_site) == len(inside) - 5
    assert set(inside[:5]).isdisjoint(still_on_site)


def test_unknown_positions_never_match() -> None:
    store = PositionStore(["A", "B"])
    store.update(["A"], np.array([1.0]), np.array([1.0]), 0.0)
    assert list(store.within_radius(0, 0, 1e9)) == ["A"]
    assert list(store.inside_polygon(shapely.box(-1e6, -1e6, 1e6, 1e6))) == ["A"]


def test_update_of_unknown_person_names_them() -> None:
    store = PositionStore(["A"])
    with pytest.raises(KeyError, match="GHOST"):
        store.update(["A", "GHOST"], np.zeros(2), np.zeros(2), 0.0)
    assert np.isnan(store.x[0])


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        PositionStore(["A", "A"])


def test_counts_per_zone_and_building(mini_plant) -> None:
    store = PositionStore.from_population(mini_plant)
    assert len(store) == 5
    assert store.counts_per_zone(mini_plant.index) == {"Z1": 3, "Z2": 1}
    assert store.counts_per_building(mini_plant.index) == {"B1": 3, "B2": 1}
    assert set(store.within_radius(668040.0, 3571080.0, 20.0)) == {"P001", "P004", "P005"}
