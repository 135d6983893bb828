"""Everyone on the map as one graphics item: a status class per person, drawn from a symbol atlas.

10,000 people at 10 Hz must cost a few milliseconds a frame, so nothing here loops over people in Python:
:func:`classify` turns the position arrays, the hazard zones and the muster state into one class code per
person with numpy, and :class:`PeopleItem` paints all of them as one image: each class's symbol is rendered
once into a stamp (its pixel offsets and colours), and a frame writes every stamp pixel of every person of a
class into a numpy buffer in one array assignment per stamp pixel — classes in order, so urgent ones land on
top — then draws the buffer with one ``drawImage``. (Qt's ``drawPixmapFragments`` costs ~3 µs a person on the
raster engine, 30 ms for 10,000; the stamps cost a few milliseconds.) The classes, in the order the legend
lists them:

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
    out[status == PersonStatus.EVACUATING] = CODE["evacuating"]  # silence after the order overrides it below
    if evacuation_since_s is not None and now is not None:
        heard = np.where(reported, np.maximum(np.nan_to_num(last, nan=0.0), evacuation_since_s), evacuation_since_s)
        silent = now - heard > STALE_S
        out[lost & ~silent] = CODE["evacuating"]
        out[lost & silent & (rank == 0)] = CODE["missing"]
    out[resp] = CODE["responder"]
    out[(rank > 0) & ~resp] = CODE["inside"]
    out[status == PersonStatus.MISSING] = CODE["missing"]
    out[status == PersonStatus.INJURED] = CODE["sos"]
    out[status == PersonStatus.MUSTERED] = CODE["mustered"]
    return out


def _draw_symbol(painter: QPainter, c: ClassStyle, cx: float, cy: float) -> None:
    """Draw class ``c``'s symbol centred on pixel (cx, cy) of ``painter``'s device (its size in pixels)."""
    painter.setTransform(QTransform().translate(cx, cy).scale(c.size, c.size))
    pen = QPen(QColor(*c.outline), c.width / c.size)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(QColor(*c.fill))
    painter.drawPath(Symbols[c.symbol])


def _atlas() -> tuple[QPixmap, np.ndarray, float]:
    """Every class's symbol side by side in one pixmap, each in a cell just big enough for it (the blit of a
    7-pixel dot must not cost a 26-pixel square); (pixmap, source rects (n, 4) as x, y, w, h, largest cell)."""
    cells = [int(np.ceil(c.size + 2 * c.width)) + 2 for c in CLASSES]
    pixmap = QPixmap(sum(cells), max(cells))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    rects = np.zeros((len(CLASSES), 4), dtype=np.float64)
    x0 = 0
    for i, (c, cell) in enumerate(zip(CLASSES, cells, strict=True)):
        painter.save()
        _draw_symbol(painter, c, x0 + cell / 2, cell / 2)
        painter.restore()
        rects[i] = (x0, 0, cell, cell)
        x0 += cell
    painter.end()
    return pixmap, rects, float(max(cells))


def symbol_pixmap(key: str) -> QPixmap:
    """The symbol of class ``key`` alone (for the legend)."""
    pixmap, rects, _ = _atlas()
    x, _, w, h = rects[CODE[key]]
    return pixmap.copy(int(x), 0, int(w), int(h))


@dataclass(frozen=True)
class Stamp:
    """One class's symbol as pixels: offsets from the centre (rows ``dy``, columns ``dx``) and their colours
    (premultiplied ARGB32 as uint32)."""

    dy: np.ndarray
    dx: np.ndarray
    colour: np.ndarray
    radius: int


def stamps(min_alpha: int = 96) -> list[Stamp]:
    """The stamp of every class (pixels at least ``min_alpha`` opaque: symbols are drawn hard-edged)."""
    from PySide6.QtGui import QImage

    out = []
    for c in CLASSES:
        cell = int(np.ceil(c.size + 2 * c.width)) + 3
        cell += 1 - cell % 2  # odd: a centre pixel
        img = QImage(cell, cell, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        _draw_symbol(p, c, cell / 2, cell / 2)
        p.end()
        px = np.frombuffer(img.constBits(), dtype=np.uint32, count=cell * img.bytesPerLine() // 4).reshape(
            cell, img.bytesPerLine() // 4)[:, :cell]
        alpha = (px >> 24) & 0xFF
        dy, dx = np.nonzero(alpha >= min_alpha)
        out.append(Stamp(dy - cell // 2, dx - cell // 2, px[dy, dx].copy(), cell // 2))
    return out


class PeopleItem(pg.GraphicsObject):
    """All people as one item: :meth:`set_people` with arrays (local map coordinates) and class codes."""

    def __init__(self) -> None:
        super().__init__()
        self._stamps: list[Stamp] | None = None
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self.codes = np.zeros(0, dtype=np.int8)
        self._bounds = QRectF()
        self._buffer = np.zeros(0, dtype=np.uint32)
        self._margin = 12

    def set_people(self, x: np.ndarray, y: np.ndarray, codes: np.ndarray) -> int:
        """Show people at local ``x``, ``y`` (NaN = unknown, not drawn) with class ``codes``; returns how many
        are drawn."""
        x = np.asarray(x, float)
        y = np.asarray(y, float)
        known = np.isfinite(x) & np.isfinite(y)
        self.x, self.y = x[known], y[known]
        self.codes = np.asarray(codes, dtype=np.int8)[known]
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
        """The people's extent in local map coordinates, padded by the largest symbol at the current zoom."""
        if self._bounds.isNull() and not len(self.x):
            return QRectF()
        px, py = self.pixelVectors()
        pad_x = (px.length() if px is not None else 0.0) * 2 * self._margin
        pad_y = (py.length() if py is not None else 0.0) * 2 * self._margin
        return self._bounds.adjusted(-pad_x, -pad_y, pad_x, pad_y)

    def viewTransformChanged(self) -> None:
        """The zoom changed: the padding in map units changes with it."""
        self.prepareGeometryChange()
        super().viewTransformChanged()

    def render(self, transform: QTransform, width: int, height: int) -> np.ndarray:
        """The people as a premultiplied ARGB32 image (``height`` × ``width``, uint32) under ``transform``
        (local map coordinates → device pixels). Vectorised: one assignment per stamp pixel and class."""
        if self._stamps is None:
            self._stamps = stamps()
            self._margin = max(s.radius for s in self._stamps) + 1
        m = self._margin
        wp, hp = width + 2 * m, height + 2 * m
        if self._buffer.size != wp * hp:
            self._buffer = np.zeros(wp * hp, dtype=np.uint32)
        else:
            self._buffer.fill(0)
        px = np.rint(transform.m11() * self.x + transform.m21() * self.y + transform.dx()).astype(np.int64)
        py = np.rint(transform.m12() * self.x + transform.m22() * self.y + transform.dy()).astype(np.int64)
        vis = (px >= -m + 1) & (px < width + m - 1) & (py >= -m + 1) & (py < height + m - 1)
        base = (py + m) * wp + (px + m)
        buf = self._buffer
        for code, st in enumerate(self._stamps):  # low codes first: the urgent classes end on top
            sel = np.unique(base[vis & (self.codes == code)])  # people on the same pixel are stamped once
            if not len(sel):
                continue
            for dy, dx, colour in zip(st.dy.tolist(), st.dx.tolist(), st.colour.tolist(), strict=True):
                buf[sel + (dy * wp + dx)] = colour
        return buf.reshape(hp, wp)[m:m + height, m:m + width]

    def _padded(self) -> tuple[np.ndarray, int]:
        m = self._margin
        return self._buffer, m

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Render the people for the painter's transform and draw them as one image."""
        if not len(self.x):
            return
        from PySide6.QtGui import QImage

        t = painter.transform()
        dev = painter.device()
        if dev is None:
            return
        width, height = dev.width(), dev.height()
        self.render(t, width, height)
        buf, m = self._padded()
        wp = width + 2 * m
        qimg = QImage(buf.data, wp, height + 2 * m, wp * 4, QImage.Format.Format_ARGB32_Premultiplied)
        painter.save()
        painter.resetTransform()
        painter.drawImage(QRectF(0, 0, width, height), qimg, QRectF(m, m, width, height))  # no copy of the buffer
        painter.restore()
