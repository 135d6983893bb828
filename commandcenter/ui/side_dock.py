"""What the feature docks beside the map share (the hazard assessment and the resources docks): a dock on the
window's right with its toggle in the View menu and the Emergency menu, its title set by the panel in the UI
language, and the panel re-translated when the language changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget


class Squeezable:
    """Mix into a panel (before the Qt base class) that sits in a scroll area: it scrolls only when it cannot
    fit at its minimum height. Qt's scroll area sizes a panel with word-wrapped labels by its *preferred*
    height for the width, so a dock a little shorter than that scrolls the panel's buttons out of view even
    though its tables could give way; this answers with the layout's minimum height for the width instead."""

    def heightForWidth(self, width: int) -> int:
        """The least height the panel's layout needs at ``width`` (px)."""
        lay = self.layout()  # type: ignore[attr-defined]
        if lay is None or not lay.hasHeightForWidth():
            return super().heightForWidth(width)  # type: ignore[misc]
        return lay.totalMinimumHeightForWidth(width)


class Retranslating:
    """Mix into a panel (before the Qt base class) that has ``retranslate_ui()``: a change of UI language
    re-translates it."""

    def changeEvent(self, event: QEvent) -> None:
        """Re-translate when the UI language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()  # type: ignore[attr-defined]
        super().changeEvent(event)  # type: ignore[misc]


class SideDock(QDockWidget):
    """A dock whose panel sits in a scroll area, so a crowded column squeezes the panel (it scrolls) instead of
    laying its widgets over each other; :meth:`widget` is the panel."""

    def __init__(self, window: QMainWindow, panel: QWidget):
        super().__init__(window)
        self.panel = panel
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(panel)
        self.setWidget(scroll)

    def widget(self) -> QWidget:  # type: ignore[override]
        """The panel (not its scroll area)."""
        return self.panel


def dock_of(panel: QWidget) -> QDockWidget | None:
    """The dock that holds ``panel`` (through its scroll area), or None."""
    w = panel.parentWidget()
    while w is not None and not isinstance(w, QDockWidget):
        w = w.parentWidget()
    return w


def set_dock_title(panel: QWidget, title: str) -> None:
    """Title the dock that holds ``panel`` (nothing when the panel is not in a dock)."""
    dock = dock_of(panel)
    if dock is not None:
        dock.setWindowTitle(title)


def install_side_dock(window: QMainWindow, panel: QWidget, name: str, width: int, *,
                      menu: Any = None) -> QDockWidget:
    """Put ``panel`` in a movable, closable dock named ``name`` (its QSettings key) on the right of ``window``,
    ``width`` px wide; its toggle (object name ``<name>Action``) goes to the window's View menu and to
    ``menu`` (e.g. Emergency) when given. Returns the dock (a :class:`SideDock`)."""
    dock = SideDock(window, panel)
    dock.setObjectName(name)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
    action = dock.toggleViewAction()
    action.setObjectName(f"{name}Action")
    if hasattr(window, "view_menu"):
        window.view_menu.addAction(action)
    if menu is not None:
        menu.addAction(action)
    return dock
