"""Everyone on the map as one graphics item: a status class per person, drawn from a symbol atlas.

10,000 people at 10 Hz must cost a few milliseconds a frame, so nothing here loops over people in Python:
:func:`classify` turns the position arrays, the hazard zones and the muster state into one class code per
person with numpy, and :class:`PeopleItem` paints all of them with one ``QPainter.drawPixmapFragments``
call from a pre-rendered atlas (one symbol per class), urgent classes on top. The classes, in the order the
legend lists them:

=============  ====================================================================================
``sos``        an SOS from their device (or injured): a red star in a white ring
``missing``    unaccounted for, their position stale or never reported, after an evacuation was ordered
``inside``     inside a hazard zone (red, orange or yellow) and not mustered
``responder``  working a task of the incident
``evacuating`` unaccounted for, with a fresh position, after an evacuation was ordered
``stale``      their last position is older than ``STALE_S`` (a hollow ring: they may have moved)
``normal``     on site, nothing to report
``mustered``   accounted for at an assembly point
=============  ====================================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from pyqtgraph.Qt import internals
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from gis.positions import PersonStatus

STALE_S = 30.0


@dataclass(frozen=True)
class ClassStyle:
    """How one class is drawn: pyqtgraph symbol name, size (px), fill and outline (RGBA), outline width."""

    key: str
    symbol: str
    size: float
    fill: tuple[int, int, int, int]
    outline: tuple[int, int, int, int]
    width: float = 1.2


#: class code → style; the code is also the drawing priority (higher codes are drawn on top)
CLASSES: tuple[ClassStyle, ...] = (
    ClassStyle("mustered", "s", 7, (46, 125, 50, 255), (255, 255, 255, 255), 1.0),
    ClassStyle("normal", "o", 7, (45, 45, 45, 255), (255, 255, 255, 255), 1.0),
    ClassStyle("stale", "o", 8, (255, 255, 255, 140), (70, 70, 70, 255), 1.6),
    ClassStyle("evacuating", "o", 8, (21, 101, 192, 255), (255, 255, 255, 255), 1.2),
    ClassStyle("responder", "d", 11, (0, 131, 143, 255), (255, 255, 255, 255), 1.5),
    ClassStyle("inside", "o", 10, (123, 31, 162, 255), (255, 255, 255, 255), 2.0),
    ClassStyle("missing", "x", 13, (20, 20, 20, 255), (255, 255, 255, 255), 1.5),
    ClassStyle("sos", "star", 17, (230, 0, 0, 255), (255, 255, 255, 255), 2.5),
)
CODE = {c.key: i for i, c in enumerate(CLASSES)}
#: the legend's order: most urgent first
LEGEND_ORDER = ("sos", "missing", "inside", "responder", "evacuating", "stale", "normal", "mustered")


def classify(status: np.ndarray, updated_s: np.ndarray, now_s: float | None, zone_rank: np.ndarray | None = None,
             responder: np.ndarray | None = None, unaccounted: np.ndarray | None = None,
             evacuation_since_s: float | None = None) -> np.ndarray:
    """One class code (:data:`CODE`) per person, vectorised.

    ``status`` are :class:`gis.positions.PersonStatus` codes; ``updated_s`` the time of each last position
    (seconds since the epoch; 0 or NaN = never reported: the population file's place); ``now_s`` the incident
    clock; ``zone_rank`` 0 (outside) to 3 (red) per person; ``responder`` and ``unaccounted`` boolean masks
    (the muster board's); ``evacuation_since_s`` when an evacuation was ordered (None: not ordered). After the
    order, an unaccounted person with a position is *evacuating*, and *missing* once nothing was heard from
    them for ``STALE_S`` (a person never heard from counts from the order)."""
    n = len(status)
    now = float(now_s) if now_s is not None else None
    out = np.full(n, CODE["normal"], dtype=np.int8)
    reported = np.isfinite(updated_s) & (updated_s > 0)
    last = np.where(reported, updated_s, np.nan)
    resp = np.zeros(n, bool) if responder is None else np.asarray(responder, bool)
    rank = np.zeros(n, np.int8) if zone_rank is None else np.asarray(zone_rank)
    lost = np.ones(n, bool) if unaccounted is None else np.asarray(unaccounted, bool)
    if now is not None:
        with np.errstate(invalid="ignore"):
            out[reported & (now - last > STALE_S)] = CODE["stale"]
    if evacuation_since_s is not None and now is not None:
        heard = np.where(reported, np.maximum(np.nan_to_num(last, nan=0.0), evacuation_since_s), evacuation_since_s)
        silent = now - heard > STALE_S
        out[lost & ~silent] = CODE["evacuating"]
        out[lost & silent & (rank == 0)] = CODE["missing"]
    out[status == PersonStatus.EVACUATING] = CODE["evacuating"]
    out[resp] = CODE["responder"]
    out[(rank > 0) & ~resp] = CODE["inside"]
    out[status == PersonStatus.MISSING] = CODE["missing"]
    out[status == PersonStatus.INJURED] = CODE["sos"]
    out[status == PersonStatus.MUSTERED] = CODE["mustered"]
    return out


def _atlas() -> tuple[QPixmap, np.ndarray, float]:
    """Every class's symbol side by side in one pixmap; (pixmap, source rects (n, 4) as x, y, w, h, cell)."""
    cell = int(max(c.size + 2 * c.width for c in CLASSES) + 4)
    pixmap = QPixmap(cell * len(CLASSES), cell)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    rects = np.zeros((len(CLASSES), 4), dtype=np.float64)
    for i, c in enumerate(CLASSES):
        painter.save()
        painter.setTransform(QTransform().translate(i * cell + cell / 2, cell / 2).scale(c.size, c.size))
        pen = QPen(QColor(*c.outline), c.width / c.size)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(QColor(*c.fill))
        painter.drawPath(Symbols[c.symbol])
        painter.restore()
        rects[i] = (i * cell, 0, cell, cell)
    painter.end()
    return pixmap, rects, float(cell)


def symbol_pixmap(key: str) -> QPixmap:
    """The symbol of class ``key`` alone (for the legend)."""
    pixmap, rects, _ = _atlas()
    x, _, w, h = rects[CODE[key]]
    return pixmap.copy(int(x), 0, int(w), int(h))


class PeopleItem(pg.GraphicsObject):
    """All people as one item: :meth:`set_people` with arrays (local map coordinates) and class codes."""

    def __init__(self) -> None:
        super().__init__()
        self._pixmap: QPixmap | None = None
        self._rects = np.zeros((0, 4))
        self._cell = 0.0
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self.codes = np.zeros(0, dtype=np.int8)
        self._order = np.zeros(0, dtype=np.int64)
        self._bounds = QRectF()
        self._frags = internals.PrimitiveArray(QPainter.PixmapFragment, 10)

    def set_people(self, x: np.ndarray, y: np.ndarray, codes: np.ndarray) -> int:
        """Show people at local ``x``, ``y`` (NaN = unknown, not drawn) with class ``codes``; returns how many
        are drawn."""
        x = np.asarray(x, float)
        y = np.asarray(y, float)
        known = np.isfinite(x) & np.isfinite(y)
        codes = np.asarray(codes, dtype=np.int8)[known]
        order = np.argsort(codes, kind="stable")  # urgent classes (higher codes) painted last, on top
        self.x, self.y, self.codes = x[known][order], y[known][order], codes[order]
        if len(self.x):
            bounds = QRectF(float(self.x.min()), float(self.y.min()), float(np.ptp(self.x)), float(np.ptp(self.y)))
        else:
            bounds = QRectF()
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        self.update()
        return len(self.x)

    def counts(self) -> dict[str, int]:
        """How many people are drawn in each class."""
        n = np.bincount(self.codes.astype(np.int64), minlength=len(CLASSES)) if len(self.codes) else np.zeros(
            len(CLASSES), int)
        return {c.key: int(n[i]) for i, c in enumerate(CLASSES)}

    def boundingRect(self) -> QRectF:
        """The people's extent in local map coordinates, padded by half a symbol at the current zoom."""
        if self._bounds.isNull() and not len(self.x):
            return QRectF()
        px, py = self.pixelVectors()
        pad_x = (px.length() if px is not None else 0.0) * (self._cell or 20.0)
        pad_y = (py.length() if py is not None else 0.0) * (self._cell or 20.0)
        return self._bounds.adjusted(-pad_x, -pad_y, pad_x, pad_y)

    def viewTransformChanged(self) -> None:
        """The zoom changed: the padding in map units changes with it."""
        self.prepareGeometryChange()
        super().viewTransformChanged()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Map the points through the painter's transform (numpy) and blit each class's symbol."""
        if not len(self.x):
            return
        if self._pixmap is None:
            self._pixmap, self._rects, self._cell = _atlas()
        t = painter.transform()
        px = t.m11() * self.x + t.m21() * self.y + t.dx()
        py = t.m12() * self.x + t.m22() * self.y + t.dy()
        dev = painter.device()
        w, h = (dev.width(), dev.height()) if dev is not None else (1e9, 1e9)
        m = self._cell
        vis = (px > -m) & (px < w + m) & (py > -m) & (py < h + m)
        n = int(np.count_nonzero(vis))
        if not n:
            return
        painter.resetTransform()
        self._frags.resize(n)
        frags = self._frags.ndarray()
        frags[:, 0] = px[vis]
        frags[:, 1] = py[vis]
        frags[:, 2:6] = self._rects[self.codes[vis]]
        frags[:, 6:10] = (1.0, 1.0, 0.0, 1.0)
        painter.drawPixmapFragments(*self._frags.drawargs(), self._pixmap)
        painter.setTransform(t)

