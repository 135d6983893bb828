"""Small swatches drawn in each layer's map style, so the layer list doubles as the map legend."""

from __future__ import annotations

from pyqtgraph.graphicsItems.ScatterPlotItem import Symbols
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap, QTransform

from commandcenter.ui import map_style as st

SIZE = 20


def _canvas() -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    return pixmap, painter


def fill_icon(style: st.FillStyle) -> QIcon:
    """A square filled and outlined like polygons of ``style`` (on white, as on the map's site)."""
    pixmap, painter = _canvas()
    rect = QRectF(2.5, 2.5, SIZE - 5, SIZE - 5)
    painter.fillRect(rect, st.qcolor(st.SITE.fill))
    painter.setBrush(st.fill_brush(style))
    painter.setPen(st.outline_pen(style))
    painter.drawRect(rect)
    painter.end()
    return QIcon(pixmap)


def line_icon(style: st.LineStyle) -> QIcon:
    """A horizontal stroke drawn like lines of ``style``."""
    pixmap, painter = _canvas()
    pen = st.line_pen(style)
    pen.setWidthF(min(style.width, 6.0))
    painter.setPen(pen)
    painter.drawLine(QPointF(2, SIZE / 2), QPointF(SIZE - 2, SIZE / 2))
    painter.end()
    return QIcon(pixmap)


def point_icon(style: st.PointStyle) -> QIcon:
    """The layer's point symbol, as the map draws it."""
    pixmap, painter = _canvas()
    path = Symbols[style.symbol]
    size = min(style.size, SIZE - 4)
    painter.setTransform(QTransform().translate(SIZE / 2, SIZE / 2).scale(size, size))
    pen = st.outline_pen(st.FillStyle(style.fill, style.outline, style.outline_width))
    painter.setPen(pen)
    painter.setBrush(st.qcolor(style.fill))
    painter.drawPath(path)
    painter.end()
    return QIcon(pixmap)


def icon_for(key: str) -> QIcon:
    """The legend swatch of a layer or sub-layer key (an empty icon for a parent with kinds)."""
    layer, _, value = key.partition("/")
    if layer == "site":
        return fill_icon(st.SITE)
    if layer == "zones" and value:
        return fill_icon(st.zone_style(value))
    if layer == "buildings" and value:
        return fill_icon(st.building_style(value))
    if layer == "walkways" and value:
        return line_icon(st.walkway_style(value))
    if layer in st.POINTS:
        return point_icon(st.POINTS[layer])
    return QIcon()
