"""Map furniture that stays put on screen while the map pans and zooms: a scale bar and a north arrow.

Both are children of the pyqtgraph ``ViewBox`` itself (not of its scrolling
child group), so they are placed in screen pixels, anchored to a corner, and the
scale bar recomputes a round length in metres whenever the view range changes.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsObject, QStyleOptionGraphicsItem, QWidget

MARGIN_PX = 14.0


def nice_length(max_metres: float) -> float:
    """The largest 1, 2 or 5 × 10^k metres not above ``max_metres`` (at least 0.01 m)."""
    if not math.isfinite(max_metres) or max_metres <= 0.01:
        return 0.01
    exponent = math.floor(math.log10(max_metres))
    for mantissa in (5, 2, 1):
        value = mantissa * 10.0 ** exponent
        if value <= max_metres:
            return value
    return 10.0 ** exponent  # pragma: no cover - 1 × 10^k always fits


def format_length(metres: float) -> str:
    """``250 m``, ``1 km``, ``0.5 m``: a scale-bar label."""
    if metres >= 1000:
        return f"{metres / 1000:g} km"
    return f"{metres:g} m"


def _font(point_size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


class ScaleBar(QGraphicsObject):
    """A black-and-white scale bar in the bottom-left corner of a ViewBox, labelled in metres."""

    def __init__(self, viewbox: pg.ViewBox, target_px: float = 140.0):
        """Attach the bar to ``viewbox``; it aims at about ``target_px`` pixels long."""
        super().__init__()
        self._viewbox = viewbox
        self._target_px = target_px
        self.length_m = 0.0
        self.length_px = 0.0
        self._font = _font(8.5, bold=True)
        self.setParentItem(viewbox)
        self.setZValue(1e6)
        viewbox.sigRangeChanged.connect(self.update_scale)
        viewbox.sigResized.connect(self.update_scale)
        self.update_scale()

    def update_scale(self, *_: object) -> None:
        """Recompute the bar's length for the current zoom and re-anchor it to the corner."""
        size = self._viewbox.viewPixelSize()[0]
        if not (size > 0 and math.isfinite(size)):
            return
        self.prepareGeometryChange()
        self.length_m = nice_length(self._target_px * size)
        self.length_px = self.length_m / size
        rect = self._viewbox.boundingRect()
        self.setPos(rect.left() + MARGIN_PX, rect.bottom() - MARGIN_PX)
        self.update()

    def label(self) -> str:
        """The text under the bar, e.g. ``100 m``."""
        return format_length(self.length_m)

    def boundingRect(self) -> QRectF:
        """The bar and its label, above the anchor point (pixels)."""
        return QRectF(-6, -34, max(self.length_px, 60) + 12, 40)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
              ) -> None:
        """Draw a translucent plate, two alternating segments and the label."""
        w = self.length_px
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 190))
        painter.drawRoundedRect(QRectF(-5, -32, w + 10, 37), 3, 3)
        half = w / 2
        painter.setPen(QPen(QColor(20, 20, 20), 1))
        painter.setBrush(QBrush(QColor(20, 20, 20)))
        painter.drawRect(QRectF(0, -6, half, 6))
        painter.setBrush(QBrush(QColor(255, 255, 255)))
        painter.drawRect(QRectF(half, -6, w - half, 6))
        painter.setFont(self._font)
        painter.setPen(QColor(20, 20, 20))
        painter.drawText(QRectF(0, -30, w, 20), Qt.AlignmentFlag.AlignCenter, self.label())


class NorthArrow(QGraphicsObject):
    """A north arrow in the top-right corner of a ViewBox (the map is drawn north up)."""

    def __init__(self, viewbox: pg.ViewBox):
        """Attach the arrow to ``viewbox``."""
        super().__init__()
        self._viewbox = viewbox
        self._font = _font(10, bold=True)
        self.setParentItem(viewbox)
        self.setZValue(1e6)
        viewbox.sigResized.connect(self.reposition)
        self.reposition()

    def reposition(self, *_: object) -> None:
        """Keep the arrow in the top-right corner after a resize."""
        rect = self._viewbox.boundingRect()
        self.setPos(rect.right() - MARGIN_PX - 16, rect.top() + MARGIN_PX)

    def boundingRect(self) -> QRectF:
        """The arrow and its N (pixels, anchored at the top centre)."""
        return QRectF(-17, -2, 34, 56)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
              ) -> None:
        """Draw an N above a half-filled arrow pointing up."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 190))
        painter.drawRoundedRect(QRectF(-15, 0, 30, 52), 4, 4)
        painter.setFont(self._font)
        painter.setPen(QColor(20, 20, 20))
        painter.drawText(QRectF(-15, 1, 30, 16), Qt.AlignmentFlag.AlignCenter, "N")
        left = QPainterPath(QPointF(0, 18))
        left.lineTo(-8, 48)
        left.lineTo(0, 42)
        left.closeSubpath()
        right = QPainterPath(QPointF(0, 18))
        right.lineTo(8, 48)
        right.lineTo(0, 42)
        right.closeSubpath()
        painter.setPen(QPen(QColor(20, 20, 20), 1))
        painter.setBrush(QColor(20, 20, 20))
        painter.drawPath(left)
        painter.setBrush(QColor(255, 255, 255))
        painter.drawPath(right)
