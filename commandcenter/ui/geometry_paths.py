"""Turning shapely geometries into things Qt draws quickly, in the map's local frame.

Plant coordinates are UTM metres (x ≈ 6.7e5, y ≈ 3.6e6); drawing them directly
loses precision in single-precision graphics paths, so everything is shifted by
an origin (the site's lower-left corner) first. Many polygons become one
:class:`QPainterPath` (one item per style draws fast), many lines become one
coordinate array with NaN breaks (for ``PlotDataItem(connect='finite')``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
import shapely
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainterPath


def polygons_path(geoms: Sequence[shapely.Geometry] | np.ndarray, origin: tuple[float, float]
                  ) -> QPainterPath:
    """One path holding every ring of the (multi)polygons ``geoms``, shifted by ``-origin``.

    Rings are oriented (exteriors counter-clockwise, holes clockwise) and the path uses the
    winding fill rule, so holes stay empty and overlapping polygons are filled once."""
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return QPainterPath()
    oriented = shapely.orient_polygons(geoms, exterior_cw=False)
    parts = shapely.get_parts(oriented)
    exteriors = shapely.get_exterior_ring(parts)
    n_holes = shapely.get_num_interior_rings(parts)
    holes = [shapely.get_interior_ring(p, i) for p, k in zip(parts, n_holes, strict=True) for i in range(k)]
    rings = np.concatenate([exteriors, np.asarray(holes, dtype=object)]) if holes else exteriors
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    if len(coords) == 0:
        return QPainterPath()
    connect = np.ones(len(coords), dtype=np.int32)
    connect[:-1][ring_index[1:] != ring_index[:-1]] = 0
    path = pg.arrayToQPath(coords[:, 0] - origin[0], coords[:, 1] - origin[1], connect=connect)
    path.setFillRule(Qt.FillRule.WindingFill)
    return path


def lines_xy(geoms: Sequence[shapely.Geometry] | np.ndarray, origin: tuple[float, float]
             ) -> tuple[np.ndarray, np.ndarray]:
    """x and y arrays of every (multi)line in ``geoms`` shifted by ``-origin``, with a NaN between lines."""
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return np.zeros(0), np.zeros(0)
    parts = shapely.get_parts(geoms)
    coords, index = shapely.get_coordinates(parts, return_index=True)
    if len(coords) == 0:
        return np.zeros(0), np.zeros(0)
    breaks = np.flatnonzero(index[1:] != index[:-1]) + 1
    x = np.insert(coords[:, 0] - origin[0], breaks, np.nan)
    y = np.insert(coords[:, 1] - origin[1], breaks, np.nan)
    return x, y


def points_xy(geoms: Sequence[shapely.Geometry] | np.ndarray, origin: tuple[float, float]
              ) -> tuple[np.ndarray, np.ndarray]:
    """x and y arrays of the points ``geoms`` shifted by ``-origin``."""
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return np.zeros(0), np.zeros(0)
    xy = shapely.get_coordinates(geoms)
    return xy[:, 0] - origin[0], xy[:, 1] - origin[1]
