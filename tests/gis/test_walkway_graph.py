"""Noding walkways into a graph, as the plant format specifies (ends, crossings, 0.5 m snapping)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis.walkway_graph import build_walkway_graph


def _graph(lines, kinds=None, one_way=None):
    n = len(lines)
    return build_walkway_graph(
        np.array([shapely.LineString(c) for c in lines], dtype=object),
        np.array([f"w{i}" for i in range(n)], dtype=object),
        np.array(kinds or ["walkway"] * n, dtype=object),
        np.arange(1, n + 1, dtype=float),
        np.ones(n),
        np.array(one_way or [False] * n),
        np.arange(1, n + 1, dtype=float) * 1.3,
    )


def test_crossing_lines_are_noded_at_the_crossing() -> None:
    g = _graph([[(0, 0), (10, 0)], [(5, -5), (5, 5)]])
    assert (g.n_nodes, g.n_edges, g.n_components) == (5, 4, 1)
    assert any(np.allclose(xy, (5, 0)) for xy in g.node_xy)
    assert sorted(g.edge_length.round(6)) == [5, 5, 5, 5]


def test_t_junction_is_noded() -> None:
    g = _graph([[(0, 0), (10, 0)], [(4, 0), (4, 6)]])
    assert (g.n_nodes, g.n_edges) == (4, 3)


def test_ends_closer_than_half_a_metre_are_snapped() -> None:
    g = _graph([[(0, 0), (10, 0)], [(10.4, 0), (20, 0)]])
    assert (g.n_nodes, g.n_edges, g.n_components) == (3, 2, 1)


def test_ends_farther_than_half_a_metre_are_not_snapped() -> None:
    g = _graph([[(0, 0), (10, 0)], [(10.6, 0), (20, 0)]])
    assert (g.n_nodes, g.n_edges, g.n_components) == (4, 2, 2)


def test_undershoot_onto_line_interior_is_joined_without_moving_the_line() -> None:
    g = _graph([[(0, 0), (10, 0)], [(4, 0.3), (4, 6)]])
    assert (g.n_components, g.n_edges) == (1, 3)
    junction = g.node_xy[np.argmin(np.hypot(g.node_xy[:, 0] - 4, g.node_xy[:, 1]))]
    assert tuple(junction) == pytest.approx((4.0, 0.0))


def test_edges_keep_their_walkway_attributes() -> None:
    g = _graph([[(0, 0), (10, 0)], [(5, -5), (5, 5)]], kinds=["road", "stair"], one_way=[False, True])
    stair = g.edge_walkway == "w1"
    assert stair.sum() == 2
    assert set(g.edge_kind[stair]) == {"stair"}
    assert np.all(g.edge_one_way[stair])
    assert np.all(g.edge_width[stair] == 2.0)
    assert np.all(g.edge_capacity[stair] == pytest.approx(2.6))
    # Pieces of a one-way walkway run in its digitised direction (south to north here).
    for k in np.flatnonzero(stair):
        assert g.node_xy[g.edge_v[k], 1] > g.node_xy[g.edge_u[k], 1]


def test_loop_touching_the_network_once_is_kept() -> None:
    ring = [(10, 0), (10, 5), (15, 5), (15, 0), (10, 0)]
    g = _graph([[(0, 0), (10, 0)], ring])
    assert g.n_components == 1
    assert (g.edge_walkway == "w1").sum() == 2
    assert g.edge_length[g.edge_walkway == "w1"].sum() == pytest.approx(20.0)


def test_tiny_stub_collapsing_into_one_node_is_dropped() -> None:
    g = _graph([[(0, 0), (10, 0)], [(5, -0.2), (5, 0.2)]])
    assert g.n_edges == 2
    assert "w1" not in set(g.edge_walkway)


def test_edge_geometry_follows_the_line_between_nodes() -> None:
    g = _graph([[(0, 0), (10, 0), (10, 10)], [(5, -5), (5, 5)]])
    k = next(k for k in range(g.n_edges) if g.edge_walkway[k] == "w0" and g.edge_length[k] > 10)
    assert g.edge_length[k] == pytest.approx(15.0)
    np.testing.assert_allclose(g.edge_coords[k], [[5, 0], [10, 0], [10, 10]])


def test_nearest_nodes_returns_index_and_distance() -> None:
    g = _graph([[(0, 0), (10, 0)]])
    idx, dist = g.nearest_nodes(np.array([[1.0, 1.0], [9.0, 0.0]]))
    assert list(dist.round(6)) == [pytest.approx(np.sqrt(2)), 1.0]
    assert tuple(g.node_xy[idx[1]]) == (10.0, 0.0)


def test_networkx_view_matches_arrays() -> None:
    g = _graph([[(0, 0), (10, 0)], [(5, -5), (5, 5)]])
    nxg = g.to_networkx()
    assert nxg.number_of_nodes() == g.n_nodes
    assert nxg.number_of_edges() == g.n_edges
    _, _, data = next(iter(nxg.edges(data=True)))
    assert {"walkway", "kind", "length_m", "width_m", "speed_factor", "one_way", "capacity_pps"} <= set(data)


def test_empty_walkways_give_empty_graph() -> None:
    g = _graph([])
    assert (g.n_nodes, g.n_edges, g.n_components) == (0, 0, 0)


def test_stacked_copies_node_into_parallel_edges_between_the_same_two_nodes() -> None:
    g = _graph([[(0, 0), (100, 0)]] * 50)  # by hand: two ends, fifty copies of the one segment
    assert (g.n_nodes, g.n_edges, g.n_components) == (2, 50, 1)
    assert np.allclose(g.edge_length, 100.0)


def test_thousands_of_stacked_copies_are_refused_naming_a_walkway() -> None:
    from gis.walkway_graph import NodingLimit, meeting_budget

    n = 3000
    with pytest.raises(NodingLimit) as info:
        _graph([[(0, 0), (100, 0)]] * n)
    assert info.value.meetings > 1000  # the densest copy meets (almost) every other one
    assert meeting_budget(n) == 150_000  # 50 per walkway: n(n-1)/2 = 4.5 million meetings are far past it


def test_a_real_grid_is_within_the_meeting_budget() -> None:
    from gis.walkway_graph import meeting_budget

    k = 60  # 60 + 60 long lines crossing at 3,600 places: a dense but real network
    lines = [[(0, i * 10), (600, i * 10)] for i in range(k)] + [[(i * 10, 0), (i * 10, 600)] for i in range(k)]
    g = _graph(lines)
    # By hand: k*k crossings (the lines start on the first line of the other direction) plus one free far
    # end per line; each line is cut into k edges.
    assert (g.n_nodes, g.n_edges) == (k * k + 2 * k, 2 * k * k)
    assert k * k < meeting_budget(2 * k)
