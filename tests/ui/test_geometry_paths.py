"""Geometry to Qt: polygon paths with holes and overlaps, NaN-separated lines, scale-bar lengths."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPointF

from commandcenter.ui.geometry_paths import lines_xy, points_xy, polygons_path
from commandcenter.ui.map_overlays import format_length, nice_length

ORIGIN = (668000.0, 3571000.0)


def _box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(ORIGIN[0] + x0, ORIGIN[1] + y0, ORIGIN[0] + x1, ORIGIN[1] + y1)


def test_polygon_paths_keep_holes_empty_and_fill_overlaps_once():
    ring = _box(0, 0, 10, 10).difference(_box(4, 4, 6, 6))
    overlap = _box(8, 0, 20, 10)
    path = polygons_path([ring, overlap], ORIGIN)
    assert path.contains(QPointF(1, 1))
    assert not path.contains(QPointF(5, 5))  # the hole
    assert path.contains(QPointF(9, 5))  # inside both polygons: still filled
    assert path.contains(QPointF(15, 5))
    rect = path.boundingRect()
    assert (rect.left(), rect.bottom(), rect.right()) == pytest.approx((0, 10, 20))


def test_multipolygons_and_empty_input():
    multi = shapely.MultiPolygon([_box(0, 0, 1, 1), _box(5, 5, 6, 6)])
    path = polygons_path([multi], ORIGIN)
    assert path.contains(QPointF(0.5, 0.5))
    assert path.contains(QPointF(5.5, 5.5))
    assert not path.contains(QPointF(3, 3))
    assert polygons_path([], ORIGIN).isEmpty()


def test_lines_are_separated_by_nan_in_the_local_frame():
    lines = [shapely.LineString([(ORIGIN[0], ORIGIN[1]), (ORIGIN[0] + 5, ORIGIN[1])]),
             shapely.LineString([(ORIGIN[0], ORIGIN[1] + 1), (ORIGIN[0] + 1, ORIGIN[1] + 2),
                                 (ORIGIN[0] + 2, ORIGIN[1] + 2)])]
    x, y = lines_xy(lines, ORIGIN)
    assert len(x) == 6
    assert np.isnan(x[2])
    assert np.isnan(y[2])
    assert x[:2].tolist() == [0, 5]
    assert y[3:].tolist() == [1, 2, 2]
    assert lines_xy([], ORIGIN)[0].size == 0


def test_points_are_shifted_to_the_local_frame():
    x, y = points_xy([shapely.Point(ORIGIN[0] + 3, ORIGIN[1] + 4)], ORIGIN)
    assert (x[0], y[0]) == (3, 4)


@pytest.mark.parametrize(("metres", "nice"), [(140, 100), (99, 50), (1.9, 1), (2600, 2000), (0.3, 0.2)])
def test_scale_bar_lengths_are_round(metres, nice):
    assert nice_length(metres) == pytest.approx(nice)


def test_scale_bar_labels():
    assert format_length(250) == "250 m"
    assert format_length(2000) == "2 km"
    assert format_length(0.5) == "0.5 m"
