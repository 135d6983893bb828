"""What every dock panel shares: it is a view of the incident session, redrawn (at most every
:data:`REDRAW_MS`) when events arrive or another incident is opened, in the UI language, with times in the
plant's time zone and its offset.

A panel never keeps incident state: :meth:`SessionPanel.refresh` reads ``session.state`` and redraws;
every action is a draft submitted through the session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFrame,
    QHeaderView,
    QMainWindow,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from commandcenter.ui.session import IncidentSession
from commandcenter.ui.side_dock import Squeezable
from vocabulary.events import from_us

REDRAW_MS = 80
RED = QColor(198, 40, 40)
AMBER = QColor(180, 95, 0)
GREEN = QColor(46, 125, 50)
GREY = QColor(110, 110, 110)


class SessionPanel(Squeezable, QWidget):
    """A dock panel over an :class:`IncidentSession`; subclasses implement :meth:`redraw` and
    :meth:`retranslate_ui`, and name the event types they redraw on in :attr:`WATCH` (prefixes)."""

    WATCH: tuple[str, ...] = ()

    def __init__(self, session: IncidentSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.plant: Any = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.refresh)
        session.reset.connect(self.refresh)  # another incident: a new screen at once
        session.changed.connect(self._events)

    def set_plant(self, plant: Any) -> None:
        """The plant the panel shows (names, assembly points, roster)."""
        self.plant = plant
        self.schedule()

    def _events(self, events: list) -> None:
        if not self.WATCH or any(t.startswith(self.WATCH) for t in self.session.types_of(events)):
            self.schedule()

    def schedule(self) -> None:
        """Redraw soon (several batches of events in a burst redraw once)."""
        if not self._timer.isActive():
            self._timer.start()

    def refresh(self) -> None:
        """Redraw now from the session's state (column titles too when the incident's UTC offset changed)."""
        self._timer.stop()
        off = self.offset()
        if off != getattr(self, "_offset", None):
            self._offset = off
            self.retranslate_ui()
        self.redraw()

    def redraw(self) -> None:  # pragma: no cover - every panel overrides it
        """Draw the panel from ``self.session.state``."""

    def retranslate_ui(self) -> None:  # pragma: no cover - every panel overrides it
        """Set every fixed text in the UI language."""

    def changeEvent(self, event: QEvent) -> None:
        """Re-translate (and redraw) when the UI language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            self.refresh()
        super().changeEvent(event)

    # ------------------------------------------------------------------ helpers
    @property
    def tz(self) -> Any:
        """The open incident's time zone, else the plant's (headers show its offset before any incident), else
        UTC."""
        rt = self.session.runtime
        if rt is not None:
            return rt.tz
        from zoneinfo import ZoneInfo

        name = getattr(self.plant, "timezone", None)
        return ZoneInfo(name) if isinstance(name, str) and name else dt.UTC

    def clock(self, t_us: int | None) -> str:
        """``HH:MM:SS`` of ``t_us`` in the plant's zone (the offset is in the column title), or ``—``."""
        if t_us is None:
            return "—"
        return from_us(t_us, self.tz).strftime("%H:%M:%S")

    def offset(self) -> str:
        """The plant zone's UTC offset now, e.g. ``UTC+08:00``."""
        now = dt.datetime.now(dt.UTC).astimezone(self.tz)
        off = now.strftime("%z")
        return f"UTC{off[:3]}:{off[3:]}" if off else "UTC"

    def now_us(self) -> int | None:
        """The incident clock in µs since the epoch (None without an incident)."""
        from vocabulary.events import to_us

        rt = self.session.runtime
        return to_us(rt.now()) if rt is not None else None

    def person_label(self, pid: str | None) -> str:
        """``Name (id)`` from the roster (or a walk-up's name), else the id; ``—`` for nobody."""
        if not pid:
            return "—"
        name = None
        roster = getattr(self.plant, "personnel", None)
        if roster is not None and pid in roster.index and "name" in roster.columns:
            name = str(roster.at[pid, "name"])
        state = self.session.state
        if name is None and state is not None:
            name = (state["muster"]["added"].get(pid) or {}).get("name")
        return f"{name} ({pid})" if name else pid


def duration(seconds: float | None) -> str:
    """``1:05:09`` / ``05:09`` / ``—``: an elapsed time or an age."""
    if seconds is None:
        return "—"
    s = int(max(seconds, 0))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


def table(columns: int, *, stretch: int = 0, select_rows: bool = True) -> QTableWidget:
    """A read-only table (row selection, no row numbers) whose column ``stretch`` takes the spare width."""
    t = QTableWidget(0, columns)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if select_rows:
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 8)
    t.setAlternatingRowColors(True)
    t.setWordWrap(False)
    t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t


def cell(text: str, *, colour: QColor | None = None, bold: bool = False, data: Any = None,
         tip: str | None = None, align_right: bool = False) -> QTableWidgetItem:
    """A table cell: its text, colour, weight, hidden data (``Qt.UserRole``) and tooltip."""
    item = QTableWidgetItem(text)
    if colour is not None:
        item.setForeground(QBrush(colour))
    if bold:
        f = QFont()
        f.setBold(True)
        item.setFont(f)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if tip:
        item.setToolTip(tip)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def fill_row(t: QTableWidget, row: int, items: list[QTableWidgetItem]) -> None:
    """Put ``items`` in ``row`` of ``t``."""
    for col, item in enumerate(items):
        t.setItem(row, col, item)


def selected_data(t: QTableWidget) -> Any:
    """The hidden data of the selected row's first cell (None without a selection)."""
    rows = t.selectionModel().selectedRows()
    if not rows:
        return None
    item = t.item(rows[0].row(), 0)
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def add_dock(window: QMainWindow, panel: QWidget, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
    """Put ``panel`` in a movable, closable dock named ``name`` (its QSettings key) on ``area``. The panel sits
    in a scroll area, so a small screen squeezes the docks (they scroll) rather than pushing the window off
    the screen; ``dock.panel`` is the panel."""
    dock = QDockWidget(window)
    dock.setObjectName(name)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(panel)
    dock.setWidget(scroll)
    dock.panel = panel  # type: ignore[attr-defined]
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(area, dock)
    return dock
