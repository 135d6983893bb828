"""Tools that take the map's mouse for a moment: measure a distance, draw an area and list who is inside it,
pick a place (for "New alarm here"). Left click adds a point, double click or right click finishes, Escape
puts the tool away. Drawn on the map above everything else; coordinates are the plant's (m).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
import shapely
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from commandcenter.ui import map_style as st

TOOL_COLOUR = (0, 90, 200)


def polyline_length(xy: np.ndarray) -> float:
    """Length (m) of the polyline through the rows of ``xy`` (n × 2, metres)."""
    xy = np.asarray(xy, float).reshape(-1, 2)
    return float(np.hypot(*np.diff(xy, axis=0).T).sum()) if len(xy) > 1 else 0.0


def format_distance(metres: float) -> str:
    """``12.3 m`` under 100 m, ``123 m``, ``1.23 km``."""
    if metres >= 1000:
        return f"{metres / 1000:.2f} km"
    return f"{metres:.1f} m" if metres < 100 else f"{metres:.0f} m"


def people_inside(polygon: shapely.Polygon, positions: Any) -> np.ndarray:
    """Rows of ``positions`` (a PositionStore) inside ``polygon`` (vectorised)."""
    if positions is None or not len(positions) or polygon is None or polygon.is_empty:
        return np.zeros(0, dtype=np.int64)
    ok = np.isfinite(positions.x) & np.isfinite(positions.y)
    inside = np.zeros(len(positions), dtype=bool)
    inside[ok] = shapely.contains_xy(polygon, positions.x[ok], positions.y[ok])
    return np.flatnonzero(inside)


class MapTool(QObject):
    """A tool on a :class:`commandcenter.ui.map_view.MapView`: :meth:`start` takes the mouse, :meth:`cancel` gives
    it back and clears what was drawn."""

    #: the tool was put away (finished or cancelled)
    ended = Signal()

    def __init__(self, map_view: Any):
        super().__init__(map_view)
        self.map_view = map_view
        self.points: list[tuple[float, float]] = []
        self.items: list = []

    def start(self) -> None:
        """Take the mouse (putting away another tool)."""
        other = self.map_view.tool
        if other is not None and other is not self:
            other.cancel()
        self.clear()
        self.map_view.tool = self
        self.map_view.setFocus()

    def clear(self) -> None:
        """Remove what this tool drew."""
        for item in self.items:
            self.map_view.viewbox.removeItem(item)
        self.items = []
        self.points = []

    def release(self) -> None:
        """Give the mouse back (what was drawn stays)."""
        if self.map_view.tool is self:
            self.map_view.tool = None
        self.ended.emit()

    def cancel(self) -> None:
        """Put the tool away and clear its drawing."""
        self.clear()
        self.release()

    def pressed(self, x: float, y: float) -> None:
        """A left click at plant (x, y)."""
        self.points.append((x, y))
        self.redraw(None)

    def moved(self, x: float, y: float) -> None:
        """The mouse moved to plant (x, y): show the segment being drawn."""
        if self.points:
            self.redraw((x, y))

    def finish(self) -> None:  # pragma: no cover - overridden
        """Double or right click: the shape is done."""
        self.release()

    def redraw(self, cursor: tuple[float, float] | None) -> None:  # pragma: no cover - overridden
        """Draw the points so far (and the segment to ``cursor``)."""

    def _local(self, pts: list[tuple[float, float]]) -> np.ndarray:
        ox, oy = self.map_view.origin
        return np.array([(x - ox, y - oy) for x, y in pts], dtype=float).reshape(-1, 2)

    def _add(self, item: Any, z: float = st.Z_ORDER["tools"]) -> None:
        item.setZValue(z)
        self.map_view.viewbox.addItem(item, ignoreBounds=True)
        self.items.append(item)

    def _reset_items(self) -> None:
        for item in self.items:
            self.map_view.viewbox.removeItem(item)
        self.items = []


class MeasureTool(MapTool):
    """Click points along a way; the total length shows at the last point."""

    #: the measured length (m), when finished
    measured = Signal(float)

    def __init__(self, map_view: Any):
        super().__init__(map_view)
        self.length_m = 0.0

    def redraw(self, cursor: tuple[float, float] | None) -> None:
        """The polyline and its running length."""
        self._reset_items()
        pts = self.points + ([cursor] if cursor is not None else [])
        if not pts:
            return
        xy = self._local(pts)
        line = pg.PlotDataItem(xy[:, 0], xy[:, 1], pen=pg.mkPen(TOOL_COLOUR, width=2.5, cosmetic=True),
                               symbol="o", symbolSize=7, symbolBrush=pg.mkBrush(255, 255, 255),
                               symbolPen=pg.mkPen(TOOL_COLOUR, width=2))
        self._add(line)
        length = polyline_length(np.array(pts))
        label = pg.TextItem(format_distance(length), color=TOOL_COLOUR, fill=pg.mkBrush(255, 255, 255, 230),
                            anchor=(-0.1, 1.2))
        label.setPos(float(xy[-1, 0]), float(xy[-1, 1]))
        self._add(label, st.Z_ORDER["tools"] + 1)
        self.length_m = length

    def finish(self) -> None:
        """The way is done: keep the line and its length, give the mouse back."""
        self.redraw(None)
        self.measured.emit(polyline_length(np.array(self.points)) if self.points else 0.0)
        self.release()


class AreaTool(MapTool):
    """Click the corners of an area; finishing closes it and reports the polygon."""

    #: the polygon drawn (plant CRS), when finished
    drawn = Signal(object)

    def redraw(self, cursor: tuple[float, float] | None) -> None:
        """The outline so far, translucent blue."""
        self._reset_items()
        pts = self.points + ([cursor] if cursor is not None else [])
        if not pts:
            return
        xy = self._local(pts)
        path = QPainterPath()
        path.moveTo(*xy[0])
        for p in xy[1:]:
            path.lineTo(*p)
        path.closeSubpath()
        item = QGraphicsPathItem(path)
        pen = QPen(QColor(*TOOL_COLOUR), 2.0)
        pen.setCosmetic(True)
        item.setPen(pen)
        item.setBrush(QBrush(QColor(*TOOL_COLOUR, 40)))
        self._add(item)

    def polygon(self) -> shapely.Polygon | None:
        """The area drawn (None with fewer than three corners)."""
        if len(self.points) < 3:
            return None
        poly = shapely.Polygon(self.points)
        return poly if poly.is_valid else shapely.make_valid(poly)

    def finish(self) -> None:
        """Close the area, report it, give the mouse back."""
        self.redraw(None)
        poly = self.polygon()
        if poly is not None:
            self.drawn.emit(poly)
        self.release()


class PickTool(MapTool):
    """One click picks a place."""

    #: the place picked (plant x, y in m)
    picked = Signal(float, float)

    def pressed(self, x: float, y: float) -> None:
        """Report the place and give the mouse back."""
        self.release()
        self.picked.emit(x, y)

    def moved(self, x: float, y: float) -> None:
        """Nothing to draw."""

    def finish(self) -> None:
        """A right click without a place: put the tool away."""
        self.cancel()


def hint(kind: str) -> str:
    """What to do with a tool, for the status bar."""
    texts = {
        "measure": QCoreApplication.translate("MapTools", "Measure: click points along the way; double-click or "
                                                          "right-click to finish, Esc to stop."),
        "area": QCoreApplication.translate("MapTools", "Area: click the corners; double-click or right-click to "
                                                       "close it and list who is inside, Esc to stop."),
        "pick": QCoreApplication.translate("MapTools", "Click the place of the new alarm on the map (Esc to stop)."),
    }
    return texts.get(kind, "")

