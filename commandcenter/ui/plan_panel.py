"""The plans dock: the plan library (title in the UI language, levels, validity), "Launch at level…",
and the task board of the launched incident (task, assignee, deadline, state).

The engine runs on the UI thread: launching a 40-task plan takes a few milliseconds (see
``bench/plans.py``), and a one-second timer advances its clock so deadlines turn tasks overdue and
escalate them while the board is open. The library loads once (about 0.1 s) when the dock is made.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter.paths import DATA_DIR
from commandcenter.ui.translations import current_language
from gis.plant import Plant
from plans.engine import PlanEngine
from plans.library import PlanEntry, load_library, valid_plans

DEFAULT_PLANS_DIR = DATA_DIR / "plans"
STATE_COLOURS = {"overdue": QColor(200, 30, 30), "done": QColor(30, 130, 60), "skipped": QColor(120, 120, 120),
                 "pending": QColor(190, 110, 0)}


class PlanPanel(QWidget):
    """Plan list, launch button and task board. Launch with :meth:`launch` (no dialog) or the button."""

    def __init__(self, plans_dir: Path = DEFAULT_PLANS_DIR, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("planPanel")
        self.entries: list[PlanEntry] = load_library(plans_dir) if Path(plans_dir).is_dir() else []
        self.plant: Plant | None = None
        self.engine: PlanEngine | None = None
        self.incident_id: str | None = None

        self.plan_table = QTableWidget(0, 3)
        self.plan_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.plan_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.plan_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.plan_table.verticalHeader().hide()
        self.plan_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.plan_table.itemSelectionChanged.connect(self._update_buttons)
        self.launch_button = QPushButton()
        self.launch_button.clicked.connect(self.choose_level_and_launch)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.board = QTableWidget(0, 4)
        self.board.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.board.verticalHeader().hide()
        self.board.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        row = QHBoxLayout()
        row.addWidget(self.launch_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.plan_table, 2)
        layout.addLayout(row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.board, 3)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.retranslate_ui()

    # ------------------------------------------------------------------ data
    def set_plant(self, plant: Plant | None) -> None:
        """Use this plant's roster and time zone for launches (a running incident is dropped)."""
        self.plant, self.engine, self.incident_id = plant, None, None
        self.timer.stop()
        self.board.setRowCount(0)
        self._update_buttons()
        self._update_status()

    def selected_entry(self) -> PlanEntry | None:
        """The plan of the selected row, if any."""
        rows = self.plan_table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def select_plan(self, plan_id: str) -> None:
        """Select the row of ``plan_id``."""
        for i, e in enumerate(self.entries):
            if e.id == plan_id:
                self.plan_table.selectRow(i)
                return
        raise KeyError(plan_id)

    def launch(self, plan_id: str, level: str, now: dt.datetime | None = None) -> list:
        """Launch ``plan_id`` at ``level`` against the plant's roster at ``now`` (default: the wall
        clock); shows the task board and returns the engine's events."""
        if self.plant is None:
            raise RuntimeError("no plant loaded")
        now = now or dt.datetime.now(dt.UTC)
        if self.engine is None:
            self.engine = PlanEngine.for_plant(valid_plans(self.entries), self.plant)
        events = self.engine.launch(plan_id, level, now)
        self.incident_id = next(e.payload["incident_id"] for e in events if e.type == "plan.launched")
        self.refresh_board()
        self.timer.start()
        return events

    def choose_level_and_launch(self) -> None:
        """Ask for a level of the selected plan and launch it."""
        entry = self.selected_entry()
        if entry is None or not entry.valid or self.plant is None:
            return
        level, ok = QInputDialog.getItem(self, self.tr("Launch plan"), self.tr("Response level:"),
                                         entry.plan.level_names, 0, False)
        if ok and level:
            self.launch(entry.plan.id, level)

    def tick(self) -> None:
        """Advance the engine to the wall clock (deadlines, escalations) and refresh the board."""
        if self.engine is not None:
            now = dt.datetime.now(dt.UTC)
            if self.engine.now is None or now > self.engine.now:
                self.engine.advance(now)
            self.refresh_board()

    # ------------------------------------------------------------------ views
    def _fill_plans(self) -> None:
        lang = current_language()
        self.plan_table.setRowCount(len(self.entries))
        for i, e in enumerate(self.entries):
            title = e.plan.title.get(lang) if e.plan else (e.raw_title.get(lang[:2]) or e.id)
            levels = "–".join([e.plan.level_names[0], e.plan.level_names[-1]]) if e.plan else "—"
            status = QTableWidgetItem(self.tr("valid") if e.valid else self.tr("invalid"))
            if not e.valid:
                status.setForeground(QBrush(STATE_COLOURS["overdue"]))
                status.setToolTip("\n".join(str(x) for x in e.errors[:20]))
            items = [QTableWidgetItem(title), QTableWidgetItem(levels), status]
            items[0].setToolTip(e.id)
            for col, item in enumerate(items):
                self.plan_table.setItem(i, col, item)
        self.plan_table.resizeColumnsToContents()
        self.plan_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def refresh_board(self) -> None:
        """Redraw the task board of the current incident."""
        if self.engine is None or self.incident_id is None:
            self.board.setRowCount(0)
            return
        lang = current_language()
        tz = self.engine.calendar.timezone
        rows = self.engine.board(self.incident_id)
        self.board.setRowCount(len(rows))
        names = self._state_names()
        for i, r in enumerate(rows):
            who = f"{r['person_name']} ({r['person_id']})" if r["person_id"] else self.tr("nobody on shift")
            deadline = dt.datetime.fromisoformat(r["deadline"]).astimezone(_zone(tz)).strftime("%H:%M:%S")
            state = QTableWidgetItem(names.get(r["state"], r["state"]))
            if r["state"] in STATE_COLOURS:
                state.setForeground(QBrush(STATE_COLOURS[r["state"]]))
            title = QTableWidgetItem(r["title"]["zh" if lang == "zh" else "en"])
            title.setToolTip(r["task_id"])
            for col, item in enumerate([title, QTableWidgetItem(who), QTableWidgetItem(deadline), state]):
                self.board.setItem(i, col, item)
        self.board.resizeColumnsToContents()
        self.board.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._update_status()

    def _state_names(self) -> dict[str, str]:
        return {"pending": self.tr("pending"), "assigned": self.tr("assigned"),
                "acknowledged": self.tr("acknowledged"), "in_progress": self.tr("in progress"),
                "done": self.tr("done"), "skipped": self.tr("skipped"), "overdue": self.tr("overdue")}

    def _update_buttons(self) -> None:
        e = self.selected_entry()
        self.launch_button.setEnabled(bool(e and e.valid and self.plant is not None))

    def _update_status(self) -> None:
        if self.engine is None or self.incident_id is None:
            valid = sum(e.valid for e in self.entries)
            self.status_label.setText(self.tr("%n plan(s) valid", "", valid)
                                      + (self.tr(", %n invalid", "", len(self.entries) - valid)
                                         if valid < len(self.entries) else ""))
            return
        inc = self.engine.incidents[self.incident_id]
        lang = current_language()
        text = self.tr("%1 — %2 at %3, %4 task(s)")
        for i, value in enumerate((self.incident_id, inc.plan.title.get(lang), inc.level, str(len(inc.tasks))), 1):
            text = text.replace(f"%{i}", value)
        self.status_label.setText(text)

    def retranslate_ui(self) -> None:
        """Set every visible text in the current UI language."""
        self.plan_table.setHorizontalHeaderLabels([self.tr("Plan"), self.tr("Levels"), self.tr("Status")])
        self.board.setHorizontalHeaderLabels([self.tr("Task"), self.tr("Assignee"), self.tr("Deadline"),
                                              self.tr("State")])
        self.launch_button.setText(self.tr("Launch at level…"))
        if isinstance(self.parentWidget(), QDockWidget):
            self.parentWidget().setWindowTitle(self.tr("Emergency plans"))
        self._fill_plans()
        self.refresh_board()
        self._update_status()
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        """Re-translate when the UI language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def install_plan_panel(window: QMainWindow) -> QDockWidget:
    """Add the plans dock (hidden until asked for) to the right of ``window``, its toggle to the View
    and Emergency menus (when the window has them) and follow the window's plant. Returns the dock;
    the panel is ``dock.widget()``."""
    panel = PlanPanel()
    dock = QDockWidget(window)
    dock.setObjectName("planDock")
    dock.setWidget(panel)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.resizeDocks([dock], [460], Qt.Orientation.Horizontal)
    dock.hide()  # opened from View or Emergency → Emergency plans, so the map keeps its size until then
    panel.retranslate_ui()
    action = dock.toggleViewAction()
    action.setObjectName("planDockAction")
    if hasattr(window, "view_menu"):
        window.view_menu.addAction(action)
    emergency = getattr(getattr(window, "hazard_tool", None), "menu", None)
    if emergency is not None:
        emergency.addSeparator()
        emergency.addAction(action)
    if hasattr(window, "plantChanged"):
        window.plantChanged.connect(lambda: panel.set_plant(getattr(window, "plant", None)))
    if getattr(window, "plant", None) is not None:
        panel.set_plant(window.plant)
    return dock
