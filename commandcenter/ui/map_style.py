"""How each layer looks on the map: colours, pens, symbols and stacking order.

One place for the cartography, so the map, the legend swatches in the layer
list and the tests all agree. Colours are RGBA tuples; pens of lines are
cosmetic (their width is in screen pixels, so a walkway stays visible at any
zoom).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

RGBA = tuple[int, int, int, int]

# Background of the view outside the site.
BACKGROUND: RGBA = (226, 230, 233, 255)


@dataclass(frozen=True)
class FillStyle:
    """A polygon style: fill colour, outline colour and width (pixels), outline pen style and fill pattern."""

    fill: RGBA
    outline: RGBA
    outline_width: float = 1.0
    outline_style: Qt.PenStyle = Qt.PenStyle.SolidLine
    pattern: Qt.BrushStyle = Qt.BrushStyle.SolidPattern


@dataclass(frozen=True)
class LineStyle:
    """A line style: colour, width (pixels) and Qt pen style."""

    color: RGBA
    width: float
    style: Qt.PenStyle = Qt.PenStyle.SolidLine


@dataclass(frozen=True)
class PointStyle:
    """A point symbol: pyqtgraph symbol name, size (pixels), fill and outline colours."""

    symbol: str
    size: float
    fill: RGBA
    outline: RGBA
    outline_width: float = 1.0


SITE = FillStyle(fill=(251, 251, 248, 255), outline=(90, 90, 90, 255), outline_width=2.0,
                 outline_style=Qt.PenStyle.DashLine)

# The plant's fixed risk classes (A highest) are hatched in muted blue-violet with dash-dot outlines, so they
# can never be taken for the live threat zones of a release (solid translucent red/orange/yellow, drawn by the
# hazard layer): a different hue family, a pattern instead of a flat tint, and a legend group of their own.
_RISK_HUE = (84, 76, 140)
ZONE_BY_RISK: dict[str, FillStyle] = {
    "A": FillStyle((*_RISK_HUE, 80), (*_RISK_HUE, 210), 1.6, Qt.PenStyle.DashDotLine, Qt.BrushStyle.BDiagPattern),
    "B": FillStyle((*_RISK_HUE, 34), (*_RISK_HUE, 190), 1.3, Qt.PenStyle.DashDotLine),
    "C": FillStyle((*_RISK_HUE, 16), (*_RISK_HUE, 160), 1.0, Qt.PenStyle.DashDotLine),
    "D": FillStyle((*_RISK_HUE, 0), (*_RISK_HUE, 130), 1.0, Qt.PenStyle.DotLine, Qt.BrushStyle.NoBrush),
}
ZONE_OTHER = FillStyle((120, 120, 120, 0), (110, 110, 110, 150), 1.0, Qt.PenStyle.DotLine, Qt.BrushStyle.NoBrush)

# The live threat zones of a release (hazard layer), as the legend shows them: AEGL-3/2/1 (or ERPG) red,
# orange, yellow.
THREAT_ZONES: dict[str, FillStyle] = {
    "red": FillStyle((220, 30, 30, 90), (170, 0, 0, 230), 1.5),
    "orange": FillStyle((245, 140, 20, 80), (200, 100, 0, 230), 1.5),
    "yellow": FillStyle((240, 220, 40, 70), (170, 150, 0, 230), 1.5),
}

BUILDING_BY_KIND: dict[str, FillStyle] = {
    "control": FillStyle(fill=(128, 146, 182, 255), outline=(40, 50, 80, 255), outline_width=1.5),
    "process": FillStyle(fill=(140, 140, 140, 255), outline=(50, 50, 50, 255)),
    "storage": FillStyle(fill=(196, 196, 190, 255), outline=(80, 80, 80, 255), outline_width=1.5),
    "warehouse": FillStyle(fill=(160, 146, 128, 255), outline=(70, 62, 52, 255)),
    "utility": FillStyle(fill=(140, 156, 140, 255), outline=(60, 72, 60, 255)),
    "office": FillStyle(fill=(214, 214, 214, 255), outline=(100, 100, 100, 255)),
    "other": FillStyle(fill=(176, 176, 176, 255), outline=(80, 80, 80, 255)),
}

WALKWAY_BY_KIND: dict[str, LineStyle] = {
    "road": LineStyle((150, 150, 150, 255), 5.0),
    # footpaths are most of the ~5,000 edges: exactly 1 px, as wider antialiased strokes paint 6x slower
    "walkway": LineStyle((90, 125, 170, 170), 1.0),
    "corridor": LineStyle((120, 80, 160, 230), 1.4),
    "stair": LineStyle((200, 100, 20, 255), 2.0, Qt.PenStyle.DashLine),
    "door": LineStyle((150, 75, 20, 255), 3.0),
    "ladder": LineStyle((60, 60, 60, 255), 2.0, Qt.PenStyle.DotLine),
}
WALKWAY_OTHER = LineStyle((100, 100, 100, 255), 1.5)

POINTS: dict[str, PointStyle] = {
    "exits": PointStyle("d", 15, (0, 120, 60, 255), (255, 255, 255, 255), 1.5),
    "assembly_points": PointStyle("s", 15, (40, 180, 70, 255), (0, 70, 20, 255), 1.5),
    "hazard_sources": PointStyle("t1", 16, (220, 20, 20, 255), (255, 255, 255, 255), 1.8),
    # plant equipment in muted earth tones: never the people's blue (evacuating), purple (inside a zone), teal
    # (responder) or green (mustered), nor the red/orange/yellow of the threat zones
    "sensors": PointStyle("h", 9, (176, 160, 96, 255), (84, 72, 24, 255)),
    "resources": PointStyle("p", 9, (141, 98, 68, 255), (62, 39, 22, 255)),
    "personnel": PointStyle("o", 7, (20, 20, 20, 255), (255, 255, 255, 255), 1.2),
}

# Personnel dot colours by :class:`gis.positions.PersonStatus` value.
PERSON_STATUS_COLORS: dict[int, RGBA] = {
    0: (120, 120, 120, 255),  # unknown
    1: (25, 25, 25, 255),  # on site
    2: (255, 140, 0, 255),  # evacuating
    3: (0, 160, 60, 255),  # mustered
    4: (0, 150, 160, 255),  # sheltered
    5: (200, 0, 160, 255),  # missing
    6: (230, 0, 0, 255),  # injured
    7: (190, 190, 190, 255),  # off site
}

LABEL_COLOR: RGBA = (15, 60, 25, 255)
LABEL_BACKGROUND: RGBA = (255, 255, 255, 200)

# Stacking order (Qt z value) of each layer on the map; positive, as pyqtgraph's ViewBox lifts
# items below its own z value.
Z_ORDER: dict[str, float] = {
    "site": 1,
    "zones": 2,
    "buildings": 3,
    "walkways": 4,
    "building_labels": 5,
    "exits": 10,
    "assembly_points": 11,
    "resources": 12,
    "sensors": 13,
    "hazard_sources": 14,  # a tank's triangle above the detectors around it
    "hazard_zones": 15,
    "routes": 16,
    "personnel": 20,
    "labels": 30,
    "tools": 40,  # measuring lines, drawn areas, the found-feature marker
    # the zone summary above routes, dots and names: at or above "tools" it is drawn live, never painted into
    # the cached basemap (which lies under the live personnel dots)
    "hazard_label": 41,
}


def qcolor(rgba: RGBA) -> QColor:
    """A QColor from an RGBA tuple."""
    return QColor(*rgba)


def fill_brush(style: FillStyle) -> QBrush:
    """The brush that fills polygons of ``style`` (a flat tint or a hatch pattern)."""
    return QBrush(qcolor(style.fill), style.pattern)


def outline_pen(style: FillStyle) -> QPen:
    """The cosmetic pen that outlines polygons of ``style``."""
    pen = QPen(qcolor(style.outline), style.outline_width, style.outline_style)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


def line_pen(style: LineStyle) -> QPen:
    """The cosmetic pen that draws lines of ``style``."""
    pen = QPen(qcolor(style.color), style.width, style.style)
    pen.setCosmetic(True)
    solid = style.style == Qt.PenStyle.SolidLine
    pen.setCapStyle(Qt.PenCapStyle.RoundCap if solid else Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def zone_style(risk: str) -> FillStyle:
    """Style of a zone of risk class ``risk`` (A–D)."""
    return ZONE_BY_RISK.get(risk, ZONE_OTHER)


def building_style(kind: str) -> FillStyle:
    """Style of a building of ``kind``."""
    return BUILDING_BY_KIND.get(kind, BUILDING_BY_KIND["other"])


def walkway_style(kind: str) -> LineStyle:
    """Style of a walkway of ``kind``."""
    return WALKWAY_BY_KIND.get(kind, WALKWAY_OTHER)
