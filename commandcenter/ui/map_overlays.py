"""Map furniture that stays put on screen while the map pans and zooms: a scale bar, a north arrow, the marker
of a found place and the exercise watermark.

Both are children of the pyqtgraph ``ViewBox`` itself (not of its scrolling
child group), so they are placed in screen pixels, anchored to a corner, and the
scale bar recomputes a round length in metres whenever the view range changes.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsObject,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStyleOptionGraphicsItem,
    QWidget,
)

from commandcenter.ui import map_style as st

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


class FoundMarker(pg.GraphicsObject):
    """A red ring, a fixed size on screen, that marks a place found or clicked for a few seconds."""

    def __init__(self, radius_px: float = 18.0, seconds: float = 6.0):
        super().__init__()
        self.radius_px = radius_px
        self.setZValue(40)
        self.setFlag(self.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setVisible(False)
        self._timer = QTimer(self)  # owned by the ring: it dies with it, never firing into a deleted item
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(seconds * 1000))
        self._timer.timeout.connect(self.hide)

    def show_at(self, x: float, y: float) -> None:
        """Ring the local map coordinates (x, y)."""
        self.setPos(QPointF(float(x), float(y)))
        self.setVisible(True)
        self._timer.start()

    def boundingRect(self) -> QRectF:
        """The ring (pixels, centred)."""
        r = self.radius_px + 4
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """A white ring under a red one, so it shows on any background."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        r = self.radius_px
        painter.setPen(QPen(QColor(255, 255, 255, 230), 6))
        painter.drawEllipse(QPointF(0, 0), r, r)
        painter.setPen(QPen(QColor(220, 0, 0), 3))
        painter.drawEllipse(QPointF(0, 0), r, r)


def paint_watermark(painter: QPainter, rect: QRect, text: str) -> None:
    """``text`` large, diagonal and translucent across ``rect`` (pixels), repeated so any crop of a
    screenshot still carries it."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = _font(30, bold=True)
    painter.setFont(font)
    painter.setPen(QColor(200, 0, 90, 46))
    w, h = rect.width(), rect.height()
    step_x, step_y = 520, 260
    painter.translate(rect.center())
    painter.rotate(-24)
    span = int(math.hypot(w, h)) // 2 + step_x
    for iy, y in enumerate(range(-span, span, step_y)):
        for x in range(-span - (step_x // 2) * (iy % 2), span, step_x):
            painter.drawText(QRectF(x, y, step_x, step_y / 2), Qt.AlignmentFlag.AlignCenter, text)


class MapLegend(QFrame):
    """The map's legend in its bottom-right corner: people by class (with counts), the threat zones of a
    release and — kept apart, as they are a fixed property of the plant — the risk classes of its zones."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        from commandcenter.ui.people_layer import LEGEND_ORDER

        self.setObjectName("mapLegend")
        self.setStyleSheet("QFrame#mapLegend { background: rgba(255, 255, 255, 225); border: 1px solid #9e9e9e;"
                           " border-radius: 4px; } QLabel { background: transparent; font-size: 10px; }")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        self.titles: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.counts: dict[str, QLabel] = {}
        row = 0
        bold = QFont()
        bold.setBold(True)

        def title(key: str) -> None:
            nonlocal row
            lab = QLabel()
            lab.setFont(bold)
            grid.addWidget(lab, row, 0, 1, 3)
            self.titles[key] = lab
            row += 1

        def line(key: str, pixmap: QPixmap, count: bool = False) -> None:
            nonlocal row
            icon = QLabel()
            icon.setPixmap(pixmap)
            grid.addWidget(icon, row, 0)
            lab = QLabel()
            grid.addWidget(lab, row, 1)
            self.labels[key] = lab
            if count:
                c = QLabel("0")
                c.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(c, row, 2)
                self.counts[key] = c
            row += 1

        from commandcenter.ui.people_layer import symbol_pixmap

        self.rows: dict[str, list[QWidget]] = {}
        title("people")
        for key in LEGEND_ORDER:
            line(f"people/{key}", symbol_pixmap(key).scaled(14, 14, Qt.AspectRatioMode.KeepAspectRatio,
                                                             Qt.TransformationMode.SmoothTransformation), True)
        title("threat")
        for level, style in st.THREAT_ZONES.items():
            line(f"threat/{level}", _swatch(style))
        title("risk")
        risk = QWidget()
        rl = QHBoxLayout(risk)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(3)
        for key, style in st.ZONE_BY_RISK.items():
            sw = QLabel()
            sw.setPixmap(_swatch(style))
            rl.addWidget(sw)
            rl.addWidget(QLabel(key))
        rl.addStretch(1)
        grid.addWidget(risk, row, 0, 1, 3)
        for key, lab in self.labels.items():
            cells = [grid.itemAtPosition(grid.getItemPosition(grid.indexOf(lab))[0], c) for c in range(3)]
            self.rows[key] = [c.widget() for c in cells if c is not None]
        self.retranslate()
        self.show_threat(False)
        self.set_counts({})
        parent.installEventFilter(self)

    def set_counts(self, counts: dict[str, int]) -> None:
        """The number of people drawn in each class; classes nobody is in are left out (``on site`` stays)."""
        for key, lab in self.counts.items():
            n = counts.get(key.split("/", 1)[1], 0)
            lab.setText(str(n))
            for w in self.rows.get(key, []):
                w.setVisible(bool(n) or key == "people/normal")
        self.adjustSize()
        self._place()

    def show_threat(self, shown: bool) -> None:
        """Show the threat-zone rows (while a hazard assessment is on the map)."""
        self.titles["threat"].setVisible(shown)
        for key, widgets in self.rows.items():
            if key.startswith("threat/"):
                for w in widgets:
                    w.setVisible(shown)
        self.adjustSize()
        self._place()

    def retranslate(self) -> None:
        """Set the texts in the UI language."""
        from commandcenter.ui.feature_tooltip import class_title

        self.titles["people"].setText(QCoreApplication.translate("MapLegend", "People"))
        self.titles["threat"].setText(QCoreApplication.translate("MapLegend", "Threat zones of the release"))
        self.titles["risk"].setText(QCoreApplication.translate("MapLegend", "Plant risk class A–D (fixed)"))
        for key, lab in self.labels.items():
            group, value = key.split("/", 1)
            if group == "people":
                lab.setText(class_title(value))
            elif group == "threat":
                lab.setText({"red": QCoreApplication.translate("MapLegend", "red: life-threatening (AEGL-3)"),
                             "orange": QCoreApplication.translate("MapLegend", "orange: disabling (AEGL-2)"),
                             "yellow": QCoreApplication.translate("MapLegend", "yellow: discomfort (AEGL-1)")}[value])
        self.adjustSize()
        self._place()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.move(parent.width() - self.width() - 10, parent.height() - self.height() - 10)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Stay in the map's bottom-right corner."""
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def changeEvent(self, event: QEvent) -> None:
        """Re-translate when the UI language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _swatch(style: st.FillStyle) -> QPixmap:
    pixmap = QPixmap(14, 10)
    pixmap.fill(st.qcolor(st.SITE.fill))
    p = QPainter(pixmap)
    p.setBrush(st.fill_brush(style))
    pen = st.outline_pen(style)
    pen.setWidthF(min(style.outline_width, 2.0))
    p.setPen(pen)
    p.drawRect(QRectF(0.5, 0.5, 13, 9))
    p.end()
    return pixmap
