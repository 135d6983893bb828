"""The plant under the people, painted once: a frame of 10,000 moving people repaints the people, not the plant.

Redrawing every building, walkway and symbol costs far more than a frame can spend (tens of milliseconds on a
CPU raster, more on a busy machine). While the view stands still, :class:`BasemapCache` renders every static
item of the map — everything but the people, the found-place ring and the drawing tools — into one pixmap,
which the view blits as its background; the static items stay visible (their layer switches, hover and tests
see them) but are made fully transparent so Qt skips painting them. Any change — the view panned or zoomed or
resized, an item added, removed, shown or hidden (a layer switched off, hazard zones or routes redrawn), the
language — drops the pixmap and the items paint themselves again until the view has been still for
:data:`SETTLE_MS`.

With :attr:`BasemapCache.memo` > 0 the cache also keeps that many earlier renders of the same view, each with
the items it painted: when items are only shown or hidden back to an earlier state (a replay crossing an
evacuation plan back and forth), :meth:`BasemapCache.check` puts that render back instead of painting the plant
again. An explicit :meth:`BasemapCache.invalidate` (the view moved, an item's content changed) drops them all.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPixmap

SETTLE_MS = 150


class BasemapCache(QObject):
    """The cached background of a :class:`commandcenter.ui.map_view.MapView`."""

    def __init__(self, view: Any, dynamic: Any):
        """``dynamic(item) -> bool`` says which items are never cached (they change every frame)."""
        super().__init__(view)
        self.view = view
        self.dynamic = dynamic
        self.pixmap: QPixmap | None = None
        self.enabled = True
        self._items: list[Any] = []
        self._signature: tuple = ()
        self._rect = QRectF()
        #: how many earlier renders are kept for a return to an earlier set of shown items (0: none)
        self.memo = 0
        self._memo: dict = {}  # (signature, rect, size) -> (pixmap, rect, items), oldest first
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.build)

    def static_items(self) -> list[Any]:
        """The items of the map's content that the cache paints."""
        group = self.view.viewbox.childGroup
        return [i for i in group.childItems() if not self.dynamic(i)]

    def _sign(self, items: list[Any]) -> tuple:
        return tuple((id(i), i.isVisible(), i.zValue()) for i in items)

    def invalidate(self) -> None:
        """Drop the pixmap (the items paint themselves) and rebuild it once the view is still."""
        self._memo = {}
        self._drop()

    def _drop(self) -> None:
        if self.pixmap is not None:
            self.pixmap = None
            for i in self._items:
                if i.scene() is not None:
                    i.setOpacity(1.0)
            self._items = []
        if self.enabled:
            self._timer.start()

    def build(self) -> None:
        """Render the static items into the pixmap and let them stand aside."""
        self._timer.stop()  # built now: a rebuild already scheduled would only repeat this one
        view = self.view
        if not self.enabled or view.plant is None or not view.isVisible():
            return
        items = self.static_items()
        rect = view.mapToScene(view.viewport().rect()).boundingRect()
        size = view.viewport().size() * view.devicePixelRatioF()
        if size.isEmpty():
            return
        hidden = [i for i in view.viewbox.childGroup.childItems() if self.dynamic(i) and i.isVisible()]
        furniture = [i for i in view.viewbox.childItems() if i is not view.viewbox.childGroup and i.isVisible()]
        for i in (*hidden, *furniture):
            i.setVisible(False)
        pixmap = QPixmap(size)
        pixmap.setDevicePixelRatio(view.devicePixelRatioF())
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHints(view.renderHints())
        view.scene().render(painter, QRectF(0, 0, size.width() / view.devicePixelRatioF(),
                                           size.height() / view.devicePixelRatioF()), rect)
        painter.end()
        for i in (*hidden, *furniture):
            i.setVisible(True)
        self._use(pixmap, rect, items)
        if self.memo > 0:
            self._memo[self._key(self._signature, rect, size)] = (pixmap, rect, items)
            while len(self._memo) > self.memo:
                self._memo.pop(next(iter(self._memo)))

    def _use(self, pixmap: QPixmap, rect: QRectF, items: list[Any]) -> None:
        self.pixmap, self._rect, self._items = pixmap, rect, items
        self._signature = self._sign(items)
        for i in items:
            i.setOpacity(0.0)
        self.view.viewport().update()

    @staticmethod
    def _key(signature: tuple, rect: QRectF, size: Any) -> tuple:
        return signature, rect.getRect(), (size.width(), size.height())

    def _recall(self, signature: tuple) -> bool:
        """Put back an earlier render of the items as they stand (``signature``, same view): True when there was
        one. Only the items that differ between the two renders change their opacity."""
        view = self.view
        rect = view.mapToScene(view.viewport().rect()).boundingRect()
        key = self._key(signature, rect, view.viewport().size() * view.devicePixelRatioF())
        found = self._memo.pop(key, None)
        if found is None:
            return False
        self._memo[key] = found
        self._timer.stop()
        pixmap, rect, items = found
        now = {id(i) for i in items}
        for i in self._items:
            if id(i) not in now and i.scene() is not None:
                i.setOpacity(1.0)
        before = {id(i) for i in self._items}
        for i in items:
            if id(i) not in before:
                i.setOpacity(0.0)
        self.pixmap, self._rect, self._items, self._signature = pixmap, rect, items, signature
        view.viewport().update()
        return True

    def check(self) -> bool:
        """Before a paint: is the pixmap still the map's? (drops it when an item came, went or was toggled)."""
        if self.pixmap is None:
            return False
        signature = self._sign(self.static_items())
        if signature != self._signature:
            if self._memo and self._recall(signature):
                return True
            self._drop()
            return False
        return True

    def paint(self, painter: QPainter) -> None:
        """Blit the pixmap where it was rendered (scene coordinates)."""
        if self.pixmap is not None:
            painter.drawPixmap(self._rect, self.pixmap, QRectF(self.pixmap.rect()))
