"""The Plan dock: the plan and level proposed for the alarm, **Launch** with a confirmation that states the
level, the evacuation scope and how many people and field devices will be ordered, raising or lowering the
level of the running plan, and the plan library to choose another plan.

A view of the incident session: the proposal comes from the ``alarms`` projection (the plans engine's own
``plan.proposed``, else the plan written for the alarm's substance, see
:func:`commandcenter.services.launch_preview.proposal`); the counts in the confirmation come from running the
incident's plans engine on a copy (:func:`commandcenter.services.launch_preview.preview`), so they are the
orders the launch will record. The library loads once (about 0.1 s) when the dock is made.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.paths import DATA_DIR
from commandcenter.services.launch_preview import LaunchPreview, Proposal, assessed_radii, preview, proposal
from commandcenter.ui.panel_base import SessionPanel
from commandcenter.ui.resources_panel import pick_name
from commandcenter.ui.session import IncidentSession
from commandcenter.ui.translations import current_language
from gis.plant import Plant
from plans.library import PlanEntry, load_library
from vocabulary.events import LEVEL_NAMES, LEVELS, level_rank

DEFAULT_PLANS_DIR = DATA_DIR / "plans"
STATE_COLOURS = {"overdue": QColor(200, 30, 30), "done": QColor(30, 130, 60), "skipped": QColor(120, 120, 120),
                 "pending": QColor(190, 110, 0)}
LAUNCH_STYLE = ("QPushButton { background: #c62828; color: white; font-weight: bold; font-size: 15px;"
                " padding: 6px 14px; border-radius: 4px; } QPushButton:disabled { background: #bdbdbd; }")


def agency_name(plan: Any, contact_id: str, lang: str) -> str:
    """An outside agency of ``plan`` (a contact id) by its name in ``lang``, with its phone number when the
    name does not say it (``Fire and rescue (119)``); the id when the plan does not list it. Either name falls
    back to the other."""
    c = plan.contact(contact_id) if plan is not None else None
    if c is None:
        return contact_id
    name = pick_name(c.name.zh, c.name.en, lang) or contact_id
    return f"{name} ({c.phone})" if c.phone and c.phone not in name else name


class PlanPanel(SessionPanel):
    """Proposal, Launch, level and library. Launch with :meth:`launch` (no dialog), :meth:`request_launch`
    (the confirmation, :attr:`confirm_box`) or the button."""

    WATCH = ("plan.", "level.", "incident.", "alarm.", "hazard.assessed")
    #: a launch or level change was recorded (its events)
    launched = Signal(list)

    def __init__(self, plans_dir: Path = DEFAULT_PLANS_DIR, parent: QWidget | None = None,
                 session: IncidentSession | None = None):
        super().__init__(session if session is not None else IncidentSession(), parent)
        if session is None:
            self.session.setParent(self)
        self.setObjectName("planPanel")
        self.entries: list[PlanEntry] = load_library(plans_dir) if Path(plans_dir).is_dir() else []
        self.alarm_id: str | None = None
        self._proposal_key: tuple[str, str] | None = None
        self.confirm_box: QMessageBox | None = None
        self.last_preview: LaunchPreview | None = None

        self.proposal_box = QGroupBox()
        self.proposal_label = QLabel()
        self.proposal_label.setWordWrap(True)
        self.proposal_label.setTextFormat(Qt.TextFormat.RichText)
        self.proposal_label.setMinimumHeight(3 * self.proposal_label.fontMetrics().height())
        self.level_combo = QComboBox()
        self.launch_button = QPushButton()
        self.launch_button.setStyleSheet(LAUNCH_STYLE)
        self.launch_button.clicked.connect(self.request_launch)
        row = QHBoxLayout()
        self.level_caption = QLabel()
        row.addWidget(self.level_caption)
        row.addWidget(self.level_combo)
        row.addStretch(1)
        row.addWidget(self.launch_button)
        box = QVBoxLayout(self.proposal_box)
        box.addWidget(self.proposal_label)
        box.addLayout(row)

        self.running_box = QGroupBox()
        self.running_label = QLabel()
        self.running_label.setWordWrap(True)
        self.raise_button = QPushButton()
        self.raise_button.clicked.connect(lambda: self.request_level_change(+1))
        self.lower_button = QPushButton()
        self.lower_button.clicked.connect(lambda: self.request_level_change(-1))
        rrow = QHBoxLayout()
        rrow.addWidget(self.running_label, 1)
        rrow.addWidget(self.raise_button)
        rrow.addWidget(self.lower_button)
        self.running_box.setLayout(rrow)

        self.plan_table = QTableWidget(0, 3)
        self.plan_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.plan_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.plan_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.plan_table.verticalHeader().hide()
        self.plan_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.plan_table.itemSelectionChanged.connect(self._plan_chosen)
        self.library_button = QToolButton()
        self.library_button.setCheckable(True)
        self.library_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.library_button.setArrowType(Qt.ArrowType.RightArrow)
        self.library_button.toggled.connect(self._show_library)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.proposal_box)
        layout.addWidget(self.running_box)
        layout.addWidget(self.library_button)
        layout.addWidget(self.plan_table, 1)
        layout.addWidget(self.status_label)
        layout.addStretch(0)
        self._show_library(False)
        self.retranslate_ui()

    # ------------------------------------------------------------------ data
    def set_plant(self, plant: Plant | None) -> None:
        """The plant whose roster launches use (the session's incidents run on it)."""
        super().set_plant(plant)
        self._update_buttons()

    def set_alarm(self, alarm_id: str | None) -> None:
        """Propose for this alarm (None or '': the newest formal one)."""
        self.alarm_id = alarm_id or None
        self.schedule()

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

    def alarm(self) -> dict[str, Any] | None:
        """The alarm the proposal is for: the one set, else the newest formal open one, else the newest."""
        state = self.session.state
        if state is None:
            return None
        alarms = state["alarms"]["alarms"]
        if self.alarm_id and self.alarm_id in alarms:
            return alarms[self.alarm_id]
        live = [a for a in alarms.values() if a["state"] != "cleared"]
        pool = [a for a in live if a["formal"]] or live
        return max(pool, key=lambda a: a["t"]) if pool else None

    def proposed(self) -> Proposal | None:
        """The plan and level proposed for :meth:`alarm` (None without an alarm or a plan written for it)."""
        state, a = self.session.state, self.alarm()
        if state is None or a is None:
            return None
        plans = {e.id: e.plan for e in self.entries if e.valid and e.plan is not None}
        return proposal(state, a, plans)

    def choice(self) -> tuple[str, str] | None:
        """What Launch launches: the plan selected in the library, else the proposal; at the level chosen."""
        entry = self.selected_entry()
        plan_id = entry.id if entry is not None and entry.valid else None
        if plan_id is None:
            p = self.proposed()
            plan_id = p.plan_id if p is not None else None
        level = self.level_combo.currentData()
        if plan_id is None or not level:
            return None
        return plan_id, str(level)

    def origin(self) -> tuple[float, float] | None:
        """Where the incident is (m): the alarm's place, else the current assessment's source."""
        a = self.alarm()
        if a is not None and a.get("x") is not None and a.get("y") is not None:
            return float(a["x"]), float(a["y"])
        state = self.session.state
        cur = state["hazard"]["current"] if state is not None else None
        src = (cur or {}).get("source") or {}
        if isinstance(src.get("x"), (int, float)) and isinstance(src.get("y"), (int, float)):
            return float(src["x"]), float(src["y"])
        return None

    # ------------------------------------------------------------------ actions
    def launch(self, plan_id: str, level: str) -> list:
        """Launch ``plan_id`` at ``level`` in the session's open incident (no confirmation); returns the recorded
        events (empty when refused: the reason goes to the session's ``refused`` signal)."""
        kwargs: dict[str, Any] = {}
        a = self.alarm()
        if a is not None:
            kwargs["alarm_id"] = a["id"]
        state = self.session.state
        cur = state["hazard"]["current"] if state is not None else None
        if cur is not None:
            kwargs["assessment_id"] = cur["id"]
            radii = assessed_radii(state)
            if radii:
                kwargs["context"] = radii  # cordon and evacuate what the zones say, not the plan's 200/500 m
        origin = self.origin()
        if origin is not None:
            kwargs["origin"] = origin
        events = self.session.launch(plan_id, level, **kwargs)
        if events:
            events += self.order_evacuation(events)
            self.launched.emit(events)
        return events

    def order_evacuation(self, events: list) -> list:
        """Record who the launch (or raise) just recorded in ``events`` orders to evacuate
        (:func:`commandcenter.services.evacuation_order.order_payload`: everyone inside its level's scope around
        the incident's place, where they are now; once, whoever records it)."""
        from commandcenter.services.evacuation_order import order_payload

        if not self.session.writable():
            return []
        a = self.alarm()
        payload = order_payload(self.session.state, self.plant, events, self.session.positions(),
                                origin=self.origin(), alarm_id=a["id"] if a is not None else None)
        return self.session.record("evacuation.ordered", payload) if payload else []

    def preview(self, plan_id: str, level: str) -> LaunchPreview:
        """What launching ``plan_id`` at ``level`` would order (see :func:`preview`)."""
        assert self.session.runtime is not None
        return preview(self.session.runtime, plan_id, level, origin=self.origin(), positions=self.session.positions())

    def request_launch(self) -> QMessageBox | None:
        """Ask to confirm the launch (level, scope, people and devices ordered); the launch follows a yes.
        Returns the (non-blocking) confirmation box, also kept as :attr:`confirm_box`."""
        pick = self.choice()
        if pick is None or self.plant is None:
            return None
        if not self.session.active and hasattr(self.window(), "ensure_incident"):
            self.window().ensure_incident(self.tr("Incident"))
        if self.session.runtime is None:
            return None
        plan_id, level = pick
        try:
            pv = self.preview(plan_id, level)
        except (KeyError, ValueError) as exc:
            self.session.refused.emit(str(exc).strip("'\""))
            return None
        self.last_preview = pv
        return self._confirm(self.tr("Launch plan"), self.confirmation_text(pv), self.tr("Launch"),
                             lambda: self.launch(plan_id, level))

    def request_level_change(self, step: int) -> QMessageBox | None:
        """Ask to raise (``step`` +1) or lower (-1) the running plan's level; lowering asks for a reason."""
        state = self.session.state
        if state is None or state["incident"]["level"] is None or not state["incident"]["plans"]:
            return None
        cur = state["incident"]["level"]
        plan_id = state["incident"]["plans"][-1]["plan"]
        entry = next((e for e in self.entries if e.id == plan_id and e.plan is not None), None)
        names = entry.plan.level_names if entry is not None else list(LEVELS)
        i = names.index(cur) + step if cur in names else -1
        if not 0 <= i < len(names):
            return None
        to = names[i]
        if step < 0:
            reason, ok = QInputDialog.getText(self, self.tr("Lower the level"),
                                              self.tr("Why lower from {a} to {b}?").format(a=cur, b=to))
            if not ok or not reason.strip():
                return None
            return self._confirm(self.tr("Lower the level"),
                                 self.tr("Lower the response from {a} to {b}? The tasks already given stay on the "
                                         "board.").format(a=cur, b=to), self.tr("Lower"),
                                 lambda: self._change(to, reason.strip()))
        try:
            pv = self.preview(plan_id, to)
        except (KeyError, ValueError) as exc:
            self.session.refused.emit(str(exc).strip("'\""))
            return None
        self.last_preview = pv
        return self._confirm(self.tr("Raise the level"), self.confirmation_text(pv, raising_from=cur),
                             self.tr("Raise"), lambda: self._change(to, "manual"))

    def _change(self, level: str, reason: str) -> list:
        events = self.session.change_level(level, reason)
        if events:
            events += self.order_evacuation(events)
            self.launched.emit(events)
        return events

    def _confirm(self, title: str, text: str, yes: str, then) -> QMessageBox:  # type: ignore[no-untyped-def]
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Cancel, self)
        go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(go)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.launch_button = go  # type: ignore[attr-defined]

        def done(_result: int) -> None:
            if box.clickedButton() is go:
                then()
            self.confirm_box = None

        box.finished.connect(done)
        self.confirm_box = box
        box.open()
        return box

    def confirmation_text(self, pv: LaunchPreview, raising_from: str | None = None) -> str:
        """The confirmation's text: plan, level, scope, orders, agencies, and the exercise guard."""
        lang = current_language()
        entry = next((e for e in self.entries if e.id == pv.plan_id), None)
        title = entry.plan.title.get(lang) if entry is not None and entry.plan is not None else pv.plan_id
        zh, en = LEVEL_NAMES.get(pv.level, ("", ""))
        level = f"{pv.level} ({zh if lang == 'zh' else en})"
        head = (self.tr("Raise <b>{plan}</b> from {old} to <b>{level}</b>?").format(plan=title, old=raising_from,
                                                                                     level=level)
                if raising_from else self.tr("Launch <b>{plan}</b> at <b>{level}</b>?").format(plan=title,
                                                                                               level=level))
        lines = [head, self.tr("Scope: {scope}").format(scope=self.scope_text(pv))]
        orders = self.tr("{tasks} task(s) to {people} people").format(tasks=pv.tasks, people=len(pv.assignees))
        if pv.unassignable:
            orders += self.tr(" (<span style='color:#c62828'>{n} unassigned</span>)").format(n=pv.unassignable)
        orders += self.tr("; {n} people notified").format(n=len(pv.notified))
        if pv.evacuate:
            orders += self.tr("; {n} ordered to evacuate").format(n=len(pv.evacuate))
        lines.append(self.tr("Orders: {orders}.").format(orders=orders))
        lines += self.staffing_lines(pv)
        lines.append(self.tr("<b>{people} people on {devices} field devices will be ordered.</b>").format(
            people=pv.people, devices=len(pv.devices)))
        if pv.agencies:
            plan = entry.plan if entry is not None else None
            lines.append(self.tr("Outside agencies to call: {agencies}.").format(
                agencies=("、" if lang == "zh" else ", ").join(agency_name(plan, a, lang) for a in pv.agencies)))
        rt = self.session.runtime
        if rt is not None and rt.exercise:
            lines.append(self.tr("<span style='color:#c62828'><b>EXERCISE</b>: orders go to exercise devices "
                                 "only; no public alert and no call to outside agencies.</span>"))
        return "<br>".join(lines)

    def staffing_lines(self, pv: LaunchPreview) -> list[str]:
        """Who is missing, in words (red): the roles the launch calls on with nobody on shift now, each with when
        the first of them comes on (or that nobody holds it), and the tasks left with nobody; so that "0 people
        notified" at night comes with its reason. Empty when everyone needed is on shift."""
        from commandcenter.ui.muster_panel import role_title

        lang = current_language()
        sep = "、" if lang == "zh" else ", "
        out = []
        now = self.session.runtime.now() if self.session.runtime is not None else None
        if pv.unstaffed_roles:
            names = []
            for g in pv.unstaffed_roles:
                name = html.escape(role_title(g.role))
                if g.reason == "role_not_on_roster":
                    name = self.tr("{role} (nobody on the roster)").format(role=name)
                elif g.next_on_shift is not None:
                    t = g.next_on_shift  # plant local time; the date only when it is not today
                    today = now is not None and now.astimezone(t.tzinfo).date() == t.date()
                    when = f"{t:%H:%M}" if today else f"{t:%m-%d %H:%M}"
                    name = self.tr("{role} (on shift from {time})").format(role=name, time=when)
                names.append(name)
            lines = self.tr("<b>No one on shift for:</b> {roles}.").format(roles=sep.join(names))
            out.append(f"<span style='color:#c62828'>{lines}</span>")
        if pv.unassigned_tasks:
            tasks = []
            for u in pv.unassigned_tasks:
                title = html.escape(u.title.get(lang) or u.title.get("en") or u.task_id)
                if u.reason == "no_qualified_person_on_shift":
                    title = self.tr("{task} (nobody qualified on shift)").format(task=title)
                tasks.append(title)
            text = self.tr("<b>{n} task(s) will be unassigned:</b> {tasks}.").format(
                n=len(pv.unassigned_tasks), tasks=("；" if lang == "zh" else "; ").join(tasks))
            out.append(f"<span style='color:#c62828'>{text}</span>")
            out.append(self.tr("Give them to someone on the task board after the launch, or call people in."))
        elif pv.unstaffed_roles and any(g.tasks for g in pv.unstaffed_roles):
            out.append(self.tr("Every task has someone on shift: where a role has nobody, its alternate takes the "
                               "task."))
        return out

    def scope_text(self, pv: LaunchPreview) -> str:
        """The evacuation scope of the level, in words, with the head count where it is known."""
        n = len(pv.evacuate) if pv.evacuate is not None else None
        count = self.tr("{n} people").format(n=n) if n is not None else self.tr("place of the alarm unknown")
        if pv.scope == "site":
            return self.tr("evacuate the whole site ({count})").format(count=count)
        if pv.scope == "radius":
            return self.tr("evacuate everyone within {r:.0f} m of the alarm ({count})").format(
                r=pv.radius_m or 0, count=count)
        if pv.scope == "zone":
            return self.tr("evacuate the plant zone of the alarm ({count})").format(count=count)
        return self.tr("no evacuation at this level")

    def _show_library(self, shown: bool) -> None:
        """Show the plan library (to launch another plan than the one proposed) or fold it away."""
        self.plan_table.setVisible(shown)
        self.status_label.setVisible(shown)
        self.library_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _events(self, events: list) -> None:
        """Redraw on the watched events; a launch or raise recorded elsewhere (the plans engine's own trigger, a
        second console, the CLI) gets its evacuation order recorded too."""
        super()._events(events)
        if not self.session.types_of(events).isdisjoint(("plan.launched", "level.changed")):
            self.order_evacuation(events)

    def _plan_chosen(self) -> None:
        self._fill_levels()
        self._update_buttons()

    # ------------------------------------------------------------------ views
    def redraw(self) -> None:
        """Proposal, running plan and buttons from the state."""
        self._update_proposal()
        self._update_running()
        self._fill_levels()
        self._update_buttons()
        self._update_status()

    def _entry(self, plan_id: str | None) -> PlanEntry | None:
        return next((e for e in self.entries if e.id == plan_id), None)

    def _title(self, plan_id: str) -> str:
        e = self._entry(plan_id)
        return e.plan.title.get(current_language()) if e is not None and e.plan is not None else plan_id

    def _update_proposal(self) -> None:
        a, p = self.alarm(), self.proposed()
        if a is None:
            self.proposal_label.setText(self.tr("No alarm. To launch by hand, choose a plan in the library."))
            self.library_button.setChecked(True)
            return
        sensors = a.get("sensors") or []
        where = ", ".join(sensors) if sensors else (a.get("text") or a.get("kind") or "")
        what = " ".join(str(x) for x in (a.get("substance"), f"{a['value']:g} {a.get('unit') or ''}".strip()
                                          if isinstance(a.get("value"), (int, float)) else None) if x)
        head = self.tr("Alarm at {where}{what}").format(where=where, what=f" · {what}" if what else "")
        if p is None:
            self.proposal_label.setText(head + "<br>" + self.tr("No plan is written for it: choose one below."))
            self.proposal_label.setToolTip(a["id"])
            return
        zh, en = LEVEL_NAMES.get(p.level, ("", ""))
        why = p.reason.replace("trigger", self.tr("its trigger")).replace("substance", self.tr("written for"))
        self.proposal_label.setText(head + "<br>" + self.tr("Proposed: <b>{plan}</b> at <b>{level} {name}</b> "
                                                            "({why})").format(
            plan=self._title(p.plan_id), level=p.level, name=zh if current_language() == "zh" else en, why=why))

    def _update_running(self) -> None:
        state = self.session.state
        plans = state["incident"]["plans"] if state is not None else []
        if not plans:
            self.running_label.setText(self.tr("No plan launched yet."))
            return
        last = plans[-1]
        self.running_label.setText(self.tr("Running: <b>{plan}</b> at <b>{level}</b> since {t}").format(
            plan=self._title(last["plan"]), level=state["incident"]["level"], t=self.clock(last["t"])))

    def _fill_levels(self) -> None:
        entry = self.selected_entry()
        p = self.proposed()
        if entry is None or not entry.valid:
            entry = self._entry(p.plan_id) if p is not None else None
        names = entry.plan.level_names if entry is not None and entry.plan is not None else list(LEVELS)
        want = self.level_combo.currentData()
        if p is not None and (entry is None or entry.id == p.plan_id) and self._proposal_key != (p.plan_id, p.level):
            want = p.level  # a new proposal sets the level; a choice by hand stays until the next one
            self._proposal_key = (p.plan_id, p.level)
            self.library_button.setChecked(False)  # the proposal is what to look at
        lang = current_language()
        self.level_combo.blockSignals(True)
        self.level_combo.clear()
        for lv in names:
            zh, en = LEVEL_NAMES.get(lv, ("", ""))
            self.level_combo.addItem(f"{lv} {zh if lang == 'zh' else en}", lv)
        i = self.level_combo.findData(want)
        self.level_combo.setCurrentIndex(i if i >= 0 else 0)
        self.level_combo.blockSignals(False)

    def _update_buttons(self) -> None:
        state = self.session.state
        running = bool(state and state["incident"]["plans"])
        ok = self.plant is not None and (self.session.runtime is None or self.session.writable())
        self.launch_button.setEnabled(ok and not running and self.choice() is not None)
        level = state["incident"]["level"] if state is not None else None
        self.raise_button.setEnabled(ok and running and level is not None and level_rank(level) < len(LEVELS))
        self.lower_button.setEnabled(ok and running and level is not None and level_rank(level) > 1)

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

    def _update_status(self) -> None:
        state = self.session.state
        plans = state["incident"]["plans"] if state is not None else []
        valid = sum(e.valid for e in self.entries)
        text = self.tr("%n plan(s) valid", "", valid)
        if valid < len(self.entries):
            text += self.tr(", %n invalid", "", len(self.entries) - valid)
        if plans:
            text = self.tr("%1 — %2 at %3, %4 task(s)")
            for i, value in enumerate((self.session.runtime.incident_id, self._title(plans[-1]["plan"]),
                                       state["incident"]["level"] or "—", str(len(state["tasks"]["tasks"]))), 1):
                text = text.replace(f"%{i}", value)
        self.status_label.setText(text)

    def retranslate_ui(self) -> None:
        """Set every visible text in the current UI language."""
        self.plan_table.setHorizontalHeaderLabels([self.tr("Plan"), self.tr("Levels"), self.tr("Status")])
        self.proposal_box.setTitle(self.tr("Proposed for the alarm"))
        self.running_box.setTitle(self.tr("Response level"))
        self.level_caption.setText(self.tr("Level:"))
        self.launch_button.setText(self.tr("Launch…"))
        self.launch_button.setToolTip(self.tr("Launch the proposed plan (or the one chosen below) at this level, "
                                              "after a confirmation (Ctrl+L)"))
        self.raise_button.setText(self.tr("Raise ▲"))
        self.lower_button.setText(self.tr("Lower ▼"))
        self.library_button.setText(self.tr("Plan library (choose another plan)"))
        self._fill_plans()
        self.redraw()


def install_plan_panel(window: QMainWindow) -> QDockWidget:
    """Add the Plan dock to the right of ``window`` and follow the window's plant. Returns the dock; the panel
    is ``dock.panel``."""
    from commandcenter.ui.panel_base import add_dock

    panel = PlanPanel(session=getattr(window, "session", None))
    dock = add_dock(window, panel, "planDock", Qt.DockWidgetArea.RightDockWidgetArea)
    panel.retranslate_ui()
    action = dock.toggleViewAction()
    action.setObjectName("planDockAction")
    if hasattr(window, "plantChanged"):
        window.plantChanged.connect(lambda: panel.set_plant(getattr(window, "plant", None)))
    if getattr(window, "plant", None) is not None:
        panel.set_plant(window.plant)
    return dock
