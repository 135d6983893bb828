"""The plans dock: the plan library (title in the UI language, levels, validity), "Launch at level…",
and the task board of the open incident (task, assignee, deadline, state).

A view of the incident session: a launch is submitted to the incident runtime (which runs the plans
engine and records everything it derives), and the board is redrawn from the task projection when new
events arrive — after a restart it shows exactly what it showed before. The library loads once (about
0.1 s) when the dock is made, to list the plans.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
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
from commandcenter.ui.session import IncidentSession
from commandcenter.ui.translations import current_language
from gis.plant import Plant
from plans.library import PlanEntry, load_library
from vocabulary.events import from_us

DEFAULT_PLANS_DIR = DATA_DIR / "plans"
STATE_COLOURS = {"overdue": QColor(200, 30, 30), "done": QColor(30, 130, 60), "skipped": QColor(120, 120, 120),
                 "pending": QColor(190, 110, 0)}


class PlanPanel(QWidget):
    """Plan list, launch button and task board. Launch with :meth:`launch` (no dialog) or the button."""

    def __init__(self, plans_dir: Path = DEFAULT_PLANS_DIR, parent: QWidget | None = None,
                 session: IncidentSession | None = None):
        super().__init__(parent)
        self.setObjectName("planPanel")
        self.entries: list[PlanEntry] = load_library(plans_dir) if Path(plans_dir).is_dir() else []
        self.plant: Plant | None = None
        self.session = session if session is not None else IncidentSession(self)
        self.session.reset.connect(self.refresh_board)
        self.session.changed.connect(self._events)

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
        self.retranslate_ui()

    # ------------------------------------------------------------------ data
    def set_plant(self, plant: Plant | None) -> None:
        """The plant whose roster launches use (the session's incidents run on it)."""
        self.plant = plant
        self._update_buttons()
        self.refresh_board()

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

    def launch(self, plan_id: str, level: str) -> list:
        """Launch ``plan_id`` at ``level`` in the session's open incident; returns the recorded events
        (empty when refused: the reason goes to the session's ``refused`` signal)."""
        return self.session.launch(plan_id, level)

    def choose_level_and_launch(self) -> None:
        """Ask for a level of the selected plan and launch it."""
        entry = self.selected_entry()
        if entry is None or not entry.valid or self.plant is None:
            return
        level, ok = QInputDialog.getItem(self, self.tr("Launch plan"), self.tr("Response level:"),
                                         entry.plan.level_names, 0, False)
        if ok and level:
            self.launch(entry.plan.id, level)

    def _events(self, events: list) -> None:
        if any(e.type.startswith(("task.", "plan.", "level.", "incident.")) for e in events):
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

    def board_rows(self) -> list[dict]:
        """The task board of the open incident, from the task projection: one dict per task with its id,
        title, assignee, deadline (plant time) and board state (overdue wins over open states)."""
        state = self.session.state
        if state is None:
            return []
        tz = self.session.runtime.tz
        names = {}
        if self.plant is not None and "name" in self.plant.personnel.columns:
            names = self.plant.personnel["name"].astype(str).to_dict()
        rows = []
        for tid, t in state["tasks"]["tasks"].items():
            assigned = t["steps"].get("assigned")
            deadline = (from_us(assigned + int((t["deadline_s"] or 0) * 1e6), tz)
                        if assigned is not None and t["deadline_s"] is not None else None)
            status = t["status"]
            if t["overdue"] and status not in ("done", "skipped"):
                status = "overdue"
            elif t.get("unassignable") and not t["to"]:
                status = "pending"
            rows.append({"task_id": tid, "title": t["title"], "person_id": t["to"],
                         "person_name": names.get(t["to"]), "deadline": deadline, "state": status})
        return rows

    def refresh_board(self) -> None:
        """Redraw the task board of the open incident."""
        rows = self.board_rows()
        self.board.setRowCount(len(rows))
        lang = current_language()
        names = self._state_names()
        for i, r in enumerate(rows):
            who = (f"{r['person_name']} ({r['person_id']})" if r["person_name"] else r["person_id"]) if r["person_id"] \
                else self.tr("nobody on shift")
            deadline = r["deadline"].strftime("%H:%M:%S") if r["deadline"] is not None else "—"
            state = QTableWidgetItem(names.get(r["state"], r["state"]))
            if r["state"] in STATE_COLOURS:
                state.setForeground(QBrush(STATE_COLOURS[r["state"]]))
            raw = r["title"]
            if isinstance(raw, dict):
                text = raw.get("zh" if lang == "zh" else "en", r["task_id"])
            else:
                text = raw or r["task_id"]
            title = QTableWidgetItem(text)
            title.setToolTip(r["task_id"])
            for col, item in enumerate([title, QTableWidgetItem(who), QTableWidgetItem(deadline), state]):
                self.board.setItem(i, col, item)
        self.board.resizeColumnsToContents()
        self.board.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._update_status()

    def _state_names(self) -> dict[str, str]:
        return {"pending": self.tr("pending"), "assigned": self.tr("assigned"),
                "acknowledged": self.tr("acknowledged"), "in_progress": self.tr("in progress"),
                "done": self.tr("done"), "skipped": self.tr("skipped"), "overdue": self.tr("overdue"),
                "started": self.tr("in progress"), "unassigned": self.tr("pending")}

    def _update_buttons(self) -> None:
        e = self.selected_entry()
        self.launch_button.setEnabled(bool(e and e.valid and self.plant is not None))

    def _update_status(self) -> None:
        state = self.session.state
        plans = state["incident"]["plans"] if state is not None else []
        if not plans:
            valid = sum(e.valid for e in self.entries)
            self.status_label.setText(self.tr("%n plan(s) valid", "", valid)
                                      + (self.tr(", %n invalid", "", len(self.entries) - valid)
                                         if valid < len(self.entries) else ""))
            return
        plan_id = plans[-1]["plan"]
        entry = next((e for e in self.entries if e.id == plan_id and e.plan is not None), None)
        title = entry.plan.title.get(current_language()) if entry is not None else plan_id
        text = self.tr("%1 — %2 at %3, %4 task(s)")
        for i, value in enumerate((self.session.runtime.incident_id, title, state["incident"]["level"] or "—",
                                   str(len(state["tasks"]["tasks"]))), 1):
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


def install_plan_panel(window: QMainWindow) -> QDockWidget:
    """Add the plans dock (hidden until asked for) to the right of ``window``, its toggle to the View
    and Emergency menus (when the window has them) and follow the window's plant. Returns the dock;
    the panel is ``dock.widget()``."""
    panel = PlanPanel(session=getattr(window, "session", None))
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
