"""The plant map: a pan/zoom view of every layer, north up, with a scale bar and hover tooltips.

:class:`MapView` is a pyqtgraph ``GraphicsView`` holding one ``ViewBox`` with a
locked aspect ratio. Everything is drawn in a local frame (plant coordinates
minus the site's lower-left corner, see :mod:`commandcenter.ui.geometry_paths`);
the public methods take and return plant coordinates (metres in ``plant.crs``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QToolTip, QWidget

from commandcenter.ui import map_style as st
from commandcenter.ui.basemap_cache import BasemapCache
from commandcenter.ui.feature_tooltip import feature_text, person_text
from commandcenter.ui.layer_catalog import SUBLAYER_FIELD, sublayer_key
from commandcenter.ui.map_layers import (
    BUILDING_LABEL_MAX_M_PER_PX,
    LABEL_PRIORITY,
    build_layer_items,
    declutter,
    feature_label,
)
from commandcenter.ui.map_overlays import FoundMarker, NorthArrow, ScaleBar, paint_watermark
from commandcenter.ui.people_layer import CLASSES, PeopleItem, classify
from commandcenter.ui.translations import current_language

if TYPE_CHECKING:
    from gis.plant import Plant
    from gis.positions import PositionStore


class MapView(pg.GraphicsView):
    """The plant map widget.

    ``layer_items`` maps each layer key (see :mod:`commandcenter.ui.layer_catalog`) to its
    graphics items and ``sublayer_items`` each ``layer/kind`` key to its items; tests and the
    main window use :meth:`set_layer_visible`, :meth:`tooltip_text_at` and :meth:`view_range`.
    """

    # The cursor moved over the map to these plant coordinates (metres, plant CRS).
    cursorMoved = Signal(float, float)
    # The cursor left the map.
    cursorLeft = Signal()
    # The map was painted for the first time since a plant was set.
    rendered = Signal()
    # A click on the map at these plant coordinates (metres), while no drawing tool holds the mouse.
    clicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None):
        """An empty map; call :meth:`set_plant` to show a plant."""
        super().__init__(parent, background=pg.mkColor(st.BACKGROUND))
        self.viewbox = pg.ViewBox(lockAspect=True, invertY=False, enableMenu=False, defaultPadding=0.02)
        self.setCentralItem(self.viewbox)
        self.scale_bar = ScaleBar(self.viewbox)
        self.north_arrow = NorthArrow(self.viewbox)
        self.plant: Plant | None = None
        self.positions: PositionStore | None = None
        self.origin: tuple[float, float] = (0.0, 0.0)
        self.layer_items: dict[str, list[QGraphicsItem]] = {}
        self.sublayer_items: dict[str, list[QGraphicsItem]] = {}
        self._labels: dict[str, list[tuple[pg.TextItem, dict[str, Any]]]] = {}
        self._item_sublayer: dict[int, str] = {}
        self._zoom_labels: set[int] = set()
        self._zoomed_in = False
        self._visible: dict[str, bool] = {}
        self._personnel = PeopleItem()
        self._personnel.setZValue(st.Z_ORDER["personnel"])
        self.person_codes = np.zeros(0, dtype=np.int8)
        self.tool = None  # a drawing tool (commandcenter.ui.map_tools) that takes the mouse, or None
        self.found_marker = FoundMarker()
        self.watermark: str | None = None  # the exercise watermark across the map, or None
        self.tooltip_px = 6.0
        self.last_tooltip: str | None = None
        self.has_rendered = False
        self.setMouseTracking(True)
        self.viewbox.sigRangeChanged.connect(self._on_range_changed)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)  # the basemap is the cache (pyqtgraph caches the bg)
        self.basemap = BasemapCache(self, self._is_dynamic)
        self.viewbox.sigRangeChanged.connect(self.basemap.invalidate)
        self.viewbox.sigResized.connect(self.basemap.invalidate)

    def _is_dynamic(self, item: QGraphicsItem) -> bool:
        """Items the basemap cache never paints: the people, the found-place ring and the drawing tools."""
        return item is self._personnel or item is self.found_marker or item.zValue() >= st.Z_ORDER["tools"]

    # ----------------------------------------------------------------- plant and layers
    def set_plant(self, plant: Plant, positions: PositionStore | None = None) -> None:
        """Show ``plant`` (replacing any plant shown before) with every layer switched on, with
        ``positions`` as the personnel layer when given, and zoom to the site."""
        self.clear_plant()
        self._visible = {}
        self.plant = plant
        minx, miny, _, _ = plant.bounds
        self.origin = (minx, miny)
        built = build_layer_items(plant.layers, self.origin, current_language())
        self.layer_items = dict(built.layers)
        self.sublayer_items = dict(built.sublayers)
        self._labels = built.labels
        self._item_sublayer = {id(item): key for key, items in self.sublayer_items.items() for item in items}
        self._zoom_labels = {id(item) for item in built.zoom_labels}
        self.layer_items["personnel"] = [self._personnel]
        for items in self.layer_items.values():
            for item in items:
                self.viewbox.addItem(item, ignoreBounds=isinstance(item, pg.TextItem))
        self.viewbox.addItem(self.found_marker, ignoreBounds=True)
        self.set_positions(positions)
        self._apply_visibility()
        self.has_rendered = False
        self.fit_plant()
        self.basemap.invalidate()

    def clear_plant(self) -> None:
        """Remove every layer from the map."""
        self.basemap.invalidate()
        for items in self.layer_items.values():
            for item in items:
                self.viewbox.removeItem(item)
        if self.found_marker.scene() is not None:
            self.viewbox.removeItem(self.found_marker)
        if getattr(self, "background_item", None) is not None:
            self.viewbox.removeItem(self.background_item)
            self.background_item = None
        self.layer_items = {}
        self.sublayer_items = {}
        self._labels = {}
        self._item_sublayer = {}
        self._zoom_labels = set()
        self.plant = None
        self.positions = None

    def set_positions(self, positions: PositionStore | None, codes: np.ndarray | None = None) -> None:
        """Draw (or redraw) the people from ``positions`` with their class ``codes`` (see
        :mod:`commandcenter.ui.people_layer`; default: from their status alone); None draws nobody."""
        self.positions = positions
        if positions is None or len(positions) == 0:
            self.person_codes = np.zeros(0, dtype=np.int8)
            self._personnel.set_people(np.zeros(0), np.zeros(0), self.person_codes)
            return
        if codes is None:
            codes = classify(positions.status, positions.updated_s, None)
        self.person_codes = np.asarray(codes, dtype=np.int8)
        self._personnel.set_people(positions.x - self.origin[0], positions.y - self.origin[1], self.person_codes)

    def set_background(self, background: Any) -> None:
        """Show a background image (:class:`commandcenter.ui.background_raster.Background`) under the plant, the
        site's own fill made see-through so the image shows inside the fence too; None removes it."""
        from commandcenter.ui.background_raster import image_item

        old = getattr(self, "background_item", None)
        if old is not None:
            self.viewbox.removeItem(old)
        self.background_item = None
        site = self.layer_items.get("site") or []
        for item in site:
            style = st.SITE if background is None else st.FillStyle((*st.SITE.fill[:3], 90), st.SITE.outline,
                                                                    st.SITE.outline_width, st.SITE.outline_style)
            item.setBrush(st.fill_brush(style))
        self.basemap.invalidate()
        if background is None or self.plant is None:
            return
        item = image_item(background, self.origin)
        item.setZValue(0.5)
        self.viewbox.addItem(item, ignoreBounds=True)
        self.background_item = item

    def people_counts(self) -> dict[str, int]:
        """How many people are drawn in each class (see :mod:`commandcenter.ui.people_layer`)."""
        return self._personnel.counts()

    def set_layer_visible(self, key: str, visible: bool) -> None:
        """Show or hide a layer (``walkways``) or a sub-layer (``walkways/stair``)."""
        self._visible[key] = bool(visible)
        self._apply_visibility()

    def is_layer_visible(self, key: str) -> bool:
        """Whether a layer or sub-layer is switched on (its parent layer may still be off)."""
        return self._visible.get(key, True)

    def _apply_visibility(self) -> None:
        for layer, items in self.layer_items.items():
            on = self.is_layer_visible(layer)
            for item in items:
                sub = self._item_sublayer.get(id(item))
                shown = on and (sub is None or self.is_layer_visible(sub))
                if id(item) in self._zoom_labels:
                    shown = shown and self._zoomed_in
                item.setVisible(shown)
        self.declutter_labels()

    def _on_range_changed(self, *_: object) -> None:
        """Show building names once zoomed in far enough for them to fit; hide labels that would overlap."""
        zoomed_in = 0 < self.metres_per_pixel() <= BUILDING_LABEL_MAX_M_PER_PX
        if zoomed_in != self._zoomed_in:
            self._zoomed_in = zoomed_in
            self._apply_visibility()
        else:
            self.declutter_labels()

    def declutter_labels(self) -> int:
        """Hide the labels that would overlap a more important one at this zoom (assembly points first, then
        exits, then buildings); returns how many were hidden. Labels switched off by their layer stay off."""
        candidates = []
        for layer, labels in self._labels.items():
            on = self.is_layer_visible(layer)
            for item, _ in labels:
                sub = self._item_sublayer.get(id(item))
                shown = on and (sub is None or self.is_layer_visible(sub))
                if id(item) in self._zoom_labels:
                    shown = shown and self._zoomed_in
                if shown and item.textItem.toPlainText():
                    candidates.append((LABEL_PRIORITY.get(layer, 9), item))
        rects = []
        for _, item in candidates:
            anchor = self.mapFromScene(item.scenePos())
            size = item.textItem.boundingRect()
            ax, ay = item.anchor.x(), item.anchor.y()
            rects.append((anchor.x() - ax * size.width(), anchor.y() - ay * size.height(), size.width(),
                          size.height()))
        keep = declutter([p for p, _ in candidates], rects)
        for (_, item), k in zip(candidates, keep, strict=True):
            item.setVisible(bool(k))
        return int(len(keep) - int(np.count_nonzero(keep)))

    def visible_layers(self) -> tuple[str, ...]:
        """Plant layer names with at least one item shown (what hovering may find)."""
        return tuple(name for name, items in self.layer_items.items()
                     if name != "personnel" and self.is_layer_visible(name)
                     and any(self.is_layer_visible(self._item_sublayer.get(id(i), name)) for i in items))

    # ----------------------------------------------------------------- coordinates and view
    def to_local(self, x: float, y: float) -> tuple[float, float]:
        """Local drawing coordinates of plant coordinates (x, y)."""
        return x - self.origin[0], y - self.origin[1]

    def to_plant(self, x: float, y: float) -> tuple[float, float]:
        """Plant coordinates of local drawing coordinates (x, y)."""
        return x + self.origin[0], y + self.origin[1]

    def view_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The visible area as ((xmin, xmax), (ymin, ymax)) in plant coordinates."""
        (x0, x1), (y0, y1) = self.viewbox.viewRange()
        return (x0 + self.origin[0], x1 + self.origin[0]), (y0 + self.origin[1], y1 + self.origin[1])

    def metres_per_pixel(self) -> float:
        """How many metres one screen pixel spans at the current zoom."""
        return float(self.viewbox.viewPixelSize()[0])

    def fit_plant(self) -> None:
        """Zoom so that the whole site is visible."""
        if self.plant is None:
            return
        minx, miny, maxx, maxy = self.plant.bounds
        x0, y0 = self.to_local(minx, miny)
        self.viewbox.setRange(QRectF(x0, y0, maxx - minx, maxy - miny), padding=0.05)

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out (factor < 1) about the centre of the view."""
        self.viewbox.scaleBy((1.0 / factor, 1.0 / factor))

    def centre_on(self, x: float, y: float, *, max_m_per_px: float | None = 0.5, mark: bool = True) -> None:
        """Centre the map on plant coordinates (x, y), zooming in to at most ``max_m_per_px`` metres per pixel
        (None: keep the zoom), and ring the place for a few seconds when ``mark``."""
        lx, ly = self.to_local(x, y)
        (x0, x1), (y0, y1) = self.viewbox.viewRange()
        w, h = x1 - x0, y1 - y0
        mpp = self.metres_per_pixel()
        if max_m_per_px is not None and mpp > max_m_per_px > 0:
            w, h = w * max_m_per_px / mpp, h * max_m_per_px / mpp
        self.viewbox.setRange(QRectF(lx - w / 2, ly - h / 2, w, h), padding=0)
        if mark:
            self.found_marker.show_at(lx, ly)

    def map_to_plant(self, pos: QPointF | QPoint) -> tuple[float, float]:
        """Plant coordinates under a position in this widget's (viewport) pixels."""
        p = self.viewbox.mapSceneToView(self.mapToScene(QPoint(int(pos.x()), int(pos.y()))))
        return self.to_plant(p.x(), p.y())

    def plant_to_widget(self, x: float, y: float) -> QPoint:
        """Viewport pixel position of plant coordinates (x, y)."""
        scene = self.viewbox.mapViewToScene(QPointF(*self.to_local(x, y)))
        return self.mapFromScene(scene)

    # ----------------------------------------------------------------- hover
    def tooltip_text_at(self, x: float, y: float, tolerance_m: float | None = None) -> str | None:
        """What the hover tooltip says at plant coordinates (x, y), or None over nothing.

        Looks at visible layers only: a personnel dot first, then what
        ``plant.index.feature_at`` finds within ``tolerance_m`` (default: :attr:`tooltip_px`
        screen pixels at the current zoom)."""
        if self.plant is None:
            return None
        tol = tolerance_m if tolerance_m is not None else self.tooltip_px * self.metres_per_pixel()
        person = self._person_at(x, y, tol)
        if person is not None:
            return person
        layers = self.visible_layers()
        while layers:
            hit = self.plant.index.feature_at(x, y, tol, layers=layers)
            if hit is None:
                return None
            field = SUBLAYER_FIELD.get(hit.layer)
            if field is None or self.is_layer_visible(sublayer_key(hit.layer, hit.attributes.get(field))):
                return feature_text(hit.layer, hit.id, hit.attributes)
            layers = tuple(name for name in layers if name != hit.layer)  # its kind is hidden: look below it
        return None

    def _person_at(self, x: float, y: float, tol: float) -> str | None:
        store = self.positions
        if store is None or len(store) == 0 or not self.is_layer_visible("personnel") or self.plant is None:
            return None
        d2 = (store.x - x) ** 2 + (store.y - y) ** 2
        d2 = np.where(np.isfinite(d2), d2, np.inf)
        i = int(np.argmin(d2))
        if not d2[i] <= tol * tol:
            return None
        pid = str(store.ids[i])
        roster = self.plant.personnel
        row = roster.loc[pid].to_dict() if pid in roster.index else None
        shown = CLASSES[int(self.person_codes[i])].key if i < len(self.person_codes) else None
        return person_text(pid, row, int(store.status[i]), shown)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if self.plant is None or not self.viewbox.sceneBoundingRect().contains(scene_pos):
            self._hide_tooltip()
            self.cursorLeft.emit()
            return
        p = self.viewbox.mapSceneToView(scene_pos)
        x, y = self.to_plant(p.x(), p.y())
        self.cursorMoved.emit(x, y)
        text = self.tooltip_text_at(x, y)
        if text is None:
            self._hide_tooltip()
            return
        self.last_tooltip = text
        QToolTip.showText(self.mapToGlobal(self.mapFromScene(scene_pos)) + QPoint(14, 14), text, self)

    def _hide_tooltip(self) -> None:
        if self.last_tooltip is not None:
            QToolTip.hideText()
        self.last_tooltip = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Pan as usual (unless a drawing tool holds the mouse), then update the cursor read-out and the
        tooltip (on every move: the scene's own ``sigMouseMoved`` is rate-limited and can miss the position
        where the mouse stops)."""
        if self.tool is not None and self.plant is not None:
            self.tool.moved(*self.map_to_plant(event.position()))
        else:
            super().mouseMoveEvent(event)
        self._on_mouse_moved(QPointF(self.mapToScene(event.position().toPoint())))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A drawing tool takes left clicks (a point) and right clicks (finish); else pan and zoom as usual."""
        self._press = event.position()
        if self.tool is not None and self.plant is not None:
            x, y = self.map_to_plant(event.position())
            if event.button() == Qt.MouseButton.LeftButton:
                self.tool.pressed(x, y)
            elif event.button() == Qt.MouseButton.RightButton:
                self.tool.finish()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A release where the press was (a click, not a pan) emits :attr:`clicked`."""
        super().mouseReleaseEvent(event)
        press = getattr(self, "_press", None)
        if (self.tool is None and self.plant is not None and press is not None
                and event.button() == Qt.MouseButton.LeftButton
                and (event.position() - press).manhattanLength() <= 3):
            self.clicked.emit(*self.map_to_plant(event.position()))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """A double click finishes a drawing tool's shape."""
        if self.tool is not None:
            self.tool.finish()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape puts a drawing tool away."""
        if self.tool is not None and event.key() == Qt.Key.Key_Escape:
            self.tool.cancel()
            event.accept()
            return
        super().keyPressEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        """Hide the tooltip and clear the cursor read-out when the mouse leaves the map."""
        self._hide_tooltip()
        self.cursorLeft.emit()
        super().leaveEvent(event)

    # ----------------------------------------------------------------- painting and language
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        """The background colour, then the cached plant (see :mod:`commandcenter.ui.basemap_cache`)."""
        super().drawBackground(painter, rect)
        if self.basemap.check():
            self.basemap.paint(painter)

    def showEvent(self, event: QEvent) -> None:
        """Build the basemap once the map is on screen."""
        super().showEvent(event)
        self.basemap.invalidate()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        """The exercise watermark across the whole map (it is in every screenshot and export of the map)."""
        super().drawForeground(painter, rect)
        if self.watermark:
            painter.save()
            painter.resetTransform()
            paint_watermark(painter, self.viewport().rect(), self.watermark)
            painter.restore()

    def set_watermark(self, text: str | None) -> None:
        """Show ``text`` as a watermark across the map (None: none)."""
        self.watermark = text or None
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint, and emit :attr:`rendered` after the first paint of a plant."""
        super().paintEvent(event)
        if self.plant is not None and not self.has_rendered:
            self.has_rendered = True
            self.rendered.emit()

    def changeEvent(self, event: QEvent) -> None:
        """Re-label features in the new language when the UI language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            language = current_language()
            for labels in self._labels.values():
                for item, attributes in labels:
                    item.setText(feature_label(attributes, language))
            self.basemap.invalidate()
        super().changeEvent(event)
