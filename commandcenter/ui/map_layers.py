"""Building the graphics items of a plant's layers, one item per layer style.

:func:`build_layer_items` turns a :class:`gis.plant.Plant` into Qt graphics
items in the map's local frame (plant coordinates minus ``origin``): polygons as
one :class:`QGraphicsPathItem` per style, walkways as one ``PlotDataItem`` per
kind (NaN-separated, ``connect='finite'``), points as ``ScatterPlotItem``\\ s and
name labels as ``TextItem``\\ s. The map view owns what this returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pyqtgraph as pg
import shapely
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from commandcenter.ui import map_style as st
from commandcenter.ui.geometry_paths import lines_xy, points_xy, polygons_path
from commandcenter.ui.layer_catalog import SUBLAYER_FIELD, ordered_values, sublayer_key

# Point layers whose features get a name label on the map (placed by :func:`label_placement`).
LABELLED_LAYERS: tuple[str, ...] = ("assembly_points", "exits")
# Building names are shown only when zoomed in to at most this many metres per screen pixel.
BUILDING_LABEL_MAX_M_PER_PX = 0.45
# Which labels win when two would overlap (lower first): where to go, then the way out, then buildings.
LABEL_PRIORITY: dict[str, int] = {"assembly_points": 0, "exits": 1, "buildings": 2}


@dataclass
class LayerItems:
    """The items drawn for one plant.

    ``layers`` maps a layer key to all its items (labels included); ``sublayers`` maps a
    sub-layer key (``walkways/road``) to its items; ``labels`` maps a layer key to its
    name labels with the attributes they were made from (to re-label on a language change);
    ``zoom_labels`` are the labels to show only when zoomed in (building names)."""

    layers: dict[str, list[QGraphicsItem]] = field(default_factory=dict)
    sublayers: dict[str, list[QGraphicsItem]] = field(default_factory=dict)
    labels: dict[str, list[tuple[pg.TextItem, dict[str, Any]]]] = field(default_factory=dict)
    zoom_labels: list[pg.TextItem] = field(default_factory=list)


def feature_label(attributes: Mapping[str, Any], language: str) -> str:
    """The name to print for a feature: ``name_en`` in English when present, else ``name``, else ''."""
    def text(key: str) -> str:
        value = attributes.get(key)
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return ""
        return str(value).strip()

    if language == "en" and text("name_en"):
        return text("name_en")
    return text("name") or text("name_en")


def _path_item(path: Any, style: st.FillStyle, z: float) -> QGraphicsPathItem:
    item = QGraphicsPathItem(path)
    item.setBrush(st.fill_brush(style))
    item.setPen(st.outline_pen(style))
    item.setZValue(z)
    return item


def _groups(gdf: gpd.GeoDataFrame, layer: str) -> list[tuple[str, np.ndarray]]:
    """(value, geometries) for each sub-layer value of ``layer`` present in ``gdf``, in display order."""
    column = gdf[SUBLAYER_FIELD[layer]].fillna("other").astype(str).to_numpy()
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    return [(v, geoms[column == v]) for v in ordered_values(layer, set(column.tolist()))]


def _polygon_layer(gdf: gpd.GeoDataFrame, layer: str, origin: tuple[float, float], out: LayerItems) -> None:
    style_of = st.zone_style if layer == "zones" else st.building_style
    items: list[QGraphicsItem] = []
    for value, geoms in _groups(gdf, layer):
        item = _path_item(polygons_path(geoms, origin), style_of(value), st.Z_ORDER[layer])
        items.append(item)
        out.sublayers[sublayer_key(layer, value)] = [item]
    out.layers[layer] = items


def _building_labels(gdf: gpd.GeoDataFrame, origin: tuple[float, float], language: str,
                     out: LayerItems) -> None:
    """Name labels just below each building's representative point (where a tank's hazard marker sits),
    shown only when zoomed in."""
    if len(gdf) == 0:
        return
    x, y = points_xy(shapely.point_on_surface(np.asarray(gdf.geometry.values, dtype=object)), origin)
    kinds = gdf[SUBLAYER_FIELD["buildings"]].fillna("other").astype(str).to_numpy()
    records = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    labels = []
    for attrs, kind, px, py in zip(records, kinds, x, y, strict=True):
        text = feature_label(attrs, language)
        if not text:
            continue
        label = _label_item(text, float(px), float(py), 9.0, "below", color=(20, 20, 20, 255), bold=False)
        label.setZValue(st.Z_ORDER["building_labels"])  # under point symbols (a tank's hazard marker)
        labels.append((label, attrs))
        out.layers["buildings"].append(label)
        out.sublayers.setdefault(sublayer_key("buildings", kind), []).append(label)
        out.zoom_labels.append(label)
    out.labels["buildings"] = labels


def _walkway_layer(gdf: gpd.GeoDataFrame, origin: tuple[float, float], out: LayerItems) -> None:
    items: list[QGraphicsItem] = []
    # roads first (drawn under the narrower walkways)
    for rank, (kind, geoms) in enumerate(_groups(gdf, "walkways")):
        x, y = lines_xy(geoms, origin)
        item = pg.PlotDataItem(x, y, connect="finite", pen=st.line_pen(st.walkway_style(kind)),
                               antialias=True, skipFiniteCheck=True)
        item.setZValue(st.Z_ORDER["walkways"] + rank * 0.1)
        items.append(item)
        out.sublayers[sublayer_key("walkways", kind)] = [item]
    out.layers["walkways"] = items


def label_placement(x: float, y: float, bounds: tuple[float, float, float, float], layer: str
                    ) -> tuple[float, str]:
    """Where a point's name goes: (horizontal anchor 0 / 0.5 / 1, ``above`` or ``below``).

    Near the west or east end of the site the label extends inwards so it is not cut off at the edge
    of the view; a gate on the south fence is labelled below it (outside the site), every other
    label above its symbol."""
    x0, y0, x1, y1 = bounds
    fx = (x - x0) / max(x1 - x0, 1e-9)
    fy = (y - y0) / max(y1 - y0, 1e-9)
    anchor_x = 0.0 if fx < 0.12 else 1.0 if fx > 0.88 else 0.5
    if layer == "exits" and fy <= min(fx, 1 - fx, 1 - fy):
        return anchor_x, "below"
    return anchor_x, "above"


def _label_item(text: str, x: float, y: float, offset_px: float = 0.0, place: str = "above",
                color: st.RGBA = st.LABEL_COLOR, bold: bool = True, anchor_x: float = 0.5) -> pg.TextItem:
    """A name label at (x, y), ``offset_px`` pixels above or below it (or centred on it: ``centre``)."""
    item = pg.TextItem(text, color=color, fill=pg.mkBrush(st.LABEL_BACKGROUND))
    font = QFont()
    font.setPointSizeF(8.5)
    font.setBold(bold)
    item.setFont(font)
    item.setPos(x, y)
    # TextItem ignores the view's scale, so the offset from the symbol is given in pixels via the anchor
    shift = offset_px / max(item.textItem.boundingRect().height(), 1.0)
    anchor_y = {"above": 1.0 + shift, "below": -shift, "centre": 0.5}[place]
    item.setAnchor((anchor_x, anchor_y))
    item.setZValue(st.Z_ORDER["labels"])
    return item


def _scatter(x: np.ndarray, y: np.ndarray, ids: np.ndarray, style: st.PointStyle, z: float
             ) -> pg.ScatterPlotItem:
    item = pg.ScatterPlotItem(x, y, symbol=style.symbol, size=style.size, brush=pg.mkBrush(style.fill),
                              pen=pg.mkPen(style.outline, width=style.outline_width), pxMode=True,
                              data=ids, antialias=True)
    item.setZValue(z)
    return item


def _point_layer(gdf: gpd.GeoDataFrame, layer: str, origin: tuple[float, float], language: str,
                 bounds: tuple[float, float, float, float], out: LayerItems) -> None:
    style = st.POINTS[layer]
    x, y = points_xy(gdf.geometry.values, origin)
    ids = np.asarray(gdf.index.astype(str), dtype=object)
    items: list[QGraphicsItem] = []
    if layer in SUBLAYER_FIELD:
        values = gdf[SUBLAYER_FIELD[layer]].fillna("other").astype(str).to_numpy()
        for value in ordered_values(layer, set(values.tolist())):
            sel = values == value
            item = _scatter(x[sel], y[sel], ids[sel], style, st.Z_ORDER[layer])
            items.append(item)
            out.sublayers[sublayer_key(layer, value)] = [item]
    else:
        items.append(_scatter(x, y, ids, style, st.Z_ORDER[layer]))
    labels: list[tuple[pg.TextItem, dict[str, Any]]] = []
    if layer in LABELLED_LAYERS:
        records = gdf.drop(columns=gdf.geometry.name).to_dict("records")
        for attrs, px, py in zip(records, x, y, strict=True):
            anchor_x, place = label_placement(float(px), float(py), bounds, layer)
            label = _label_item(feature_label(attrs, language), float(px), float(py), style.size / 2 + 2,
                                place, anchor_x=anchor_x)
            labels.append((label, attrs))
            items.append(label)
    out.layers[layer] = items
    out.labels[layer] = labels


def build_layer_items(layers: Mapping[str, gpd.GeoDataFrame], origin: tuple[float, float],
                      language: str = "en") -> LayerItems:
    """Graphics items for every plant layer in ``layers`` (not personnel), shifted by ``-origin``.

    ``language`` picks which name the labels show (see :func:`feature_label`)."""
    out = LayerItems()
    site = layers.get("site")
    if site is not None and len(site):
        minx, miny, maxx, maxy = (float(v) for v in site.total_bounds)
        bounds = (minx - origin[0], miny - origin[1], maxx - origin[0], maxy - origin[1])
    else:
        bounds = (0.0, 0.0, 1.0, 1.0)
    if site is not None:
        geoms = np.asarray(site.geometry.values, dtype=object)
        out.layers["site"] = [_path_item(polygons_path(geoms, origin), st.SITE, st.Z_ORDER["site"])] if len(
            geoms) else []
    for name in ("zones", "buildings"):
        if name in layers:
            _polygon_layer(layers[name], name, origin, out)
    if "buildings" in layers:
        _building_labels(layers["buildings"], origin, language, out)
    if "walkways" in layers:
        _walkway_layer(layers["walkways"], origin, out)
    for name in ("exits", "assembly_points", "hazard_sources", "sensors", "resources"):
        if name in layers:
            _point_layer(layers[name], name, origin, language, bounds, out)
    return out


def declutter(priority: list[int], rects: list[tuple[float, float, float, float]], margin_px: float = 2.0
              ) -> np.ndarray:
    """Which labels to show so that none overlaps another: greedy by ``priority`` (lower first, then in
    the given order), each label kept when its screen rectangle (x, y, w, h in pixels, grown by ``margin_px``)
    meets no label kept before it. Returns a boolean mask. A uniform grid of cells makes each test look only
    at the labels kept nearby (near-linear in the number of labels)."""
    n = len(rects)
    keep = np.zeros(n, dtype=bool)
    if not n:
        return keep
    r = np.asarray(rects, dtype=float).reshape(n, 4)
    x0, y0 = r[:, 0] - margin_px, r[:, 1] - margin_px
    x1, y1 = r[:, 0] + r[:, 2] + margin_px, r[:, 1] + r[:, 3] + margin_px
    cell = max(float(np.median(r[:, 2])) if n else 64.0, 16.0)
    grid: dict[tuple[int, int], list[int]] = {}
    for i in np.lexsort((np.arange(n), np.asarray(priority))).tolist():
        cx0, cx1 = int(x0[i] // cell), int(x1[i] // cell)
        cy0, cy1 = int(y0[i] // cell), int(y1[i] // cell)
        cells = [(a, b) for a in range(cx0, cx1 + 1) for b in range(cy0, cy1 + 1)]
        hit = False
        for c in cells:
            for j in grid.get(c, ()):
                if x0[i] < x1[j] and x0[j] < x1[i] and y0[i] < y1[j] and y0[j] < y1[i]:
                    hit = True
                    break
            if hit:
                break
        if not hit:
            keep[i] = True
            for c in cells:
                grid.setdefault(c, []).append(i)
    return keep
