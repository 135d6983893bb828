"""The layer list: a checkable tree of the map's layers and their kinds, with legend swatches.

Each row shows the layer's symbol as the map draws it, its translated title and
its feature count; ticking a row emits :attr:`LayerPanel.layerToggled` with the
layer key (``walkways``) or sub-layer key (``walkways/road``). A layer and its
kinds are independent switches: a kind shows when both are ticked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from commandcenter.ui.layer_catalog import (
    MAP_LAYERS,
    SUBLAYER_FIELD,
    layer_title,
    ordered_values,
    sublayer_key,
)
from commandcenter.ui.legend_icons import icon_for

KEY_ROLE = Qt.ItemDataRole.UserRole
COUNT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class LayerEntry:
    """One row of the layer list: its key, feature count and child rows (kinds)."""

    key: str
    count: int
    children: list[LayerEntry] = field(default_factory=list)


def entries_for(layers: dict, personnel_count: int) -> list[LayerEntry]:
    """Rows for a plant's layers (a mapping of layer name to GeoDataFrame), top of the map first."""
    out: list[LayerEntry] = []
    for name in reversed(MAP_LAYERS):
        if name == "personnel":
            out.append(LayerEntry(name, personnel_count))
            continue
        gdf = layers.get(name)
        count = 0 if gdf is None else len(gdf)
        entry = LayerEntry(name, count)
        if name in SUBLAYER_FIELD and gdf is not None and count:
            values = gdf[SUBLAYER_FIELD[name]].fillna("other").astype(str).to_numpy()
            uniq, counts = np.unique(values, return_counts=True)
            per_value = dict(zip(uniq.tolist(), counts.tolist(), strict=True))
            entry.children = [LayerEntry(sublayer_key(name, v), int(per_value[v]))
                              for v in ordered_values(name, set(per_value))]
        out.append(entry)
    return out


class LayerPanel(QTreeWidget):
    """Checkable tree of map layers; doubles as the legend."""

    # A layer or sub-layer key was switched on (True) or off (False).
    layerToggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None):
        """An empty list; fill it with :meth:`set_entries`."""
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setIconSize(QSize(20, 20))
        self.setUniformRowHeights(True)
        self.setObjectName("layerPanel")
        self._items: dict[str, QTreeWidgetItem] = {}
        self.itemChanged.connect(self._on_item_changed)

    def set_entries(self, entries: list[LayerEntry]) -> None:
        """Replace the rows with ``entries`` (all ticked), expanded to show the kinds."""
        self.blockSignals(True)
        try:
            self.clear()
            self._items = {}
            for entry in entries:
                item = self._make_item(entry)
                self.addTopLevelItem(item)
                for child in entry.children:
                    item.addChild(self._make_item(child))
                item.setExpanded(entry.key == "walkways")
        finally:
            self.blockSignals(False)

    def _make_item(self, entry: LayerEntry) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setData(0, KEY_ROLE, entry.key)
        item.setData(0, COUNT_ROLE, entry.count)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
        item.setFlags(flags)
        item.setCheckState(0, Qt.CheckState.Checked)
        item.setIcon(0, icon_for(entry.key))
        item.setText(0, self._text(entry.key, entry.count))
        self._items[entry.key] = item
        return item

    @staticmethod
    def _text(key: str, count: int) -> str:
        return f"{layer_title(key)} ({count})"

    def keys(self) -> list[str]:
        """Every layer and sub-layer key listed, top to bottom."""
        return list(self._items)

    def item_for(self, key: str) -> QTreeWidgetItem:
        """The row of ``key`` (KeyError when not listed)."""
        return self._items[key]

    def is_checked(self, key: str) -> bool:
        """Whether the row of ``key`` is ticked."""
        return self._items[key].checkState(0) == Qt.CheckState.Checked

    def set_checked(self, key: str, checked: bool) -> None:
        """Tick or untick the row of ``key`` (emits :attr:`layerToggled` when it changes)."""
        self._items[key].setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        key = item.data(0, KEY_ROLE)
        if key is not None:
            self.layerToggled.emit(str(key), item.checkState(0) == Qt.CheckState.Checked)

    def retranslate(self) -> None:
        """Re-title every row in the current UI language."""
        self.blockSignals(True)
        try:
            for key, item in self._items.items():
                item.setText(0, self._text(key, int(item.data(0, COUNT_ROLE))))
        finally:
            self.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        """Follow a change of the UI language."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
