"""The Alarms and incident dock: the incident (title, level, elapsed time) and its graded alarms.

Each alarm shows when it came, what raised it (a detector, an SOS, a person at the console), its grade — a
*warning* waiting for its check, or a formal *ALARM* — the reading, its state and the check asked for. The
duty officer acknowledges, confirms, records a false alarm with its cause, or clears it; "New alarm here"
puts one on the map by hand. A view of the ``alarms`` projection: every button records an event.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.ui.panel_base import (
    AMBER,
    GREY,
    RED,
    SessionPanel,
    cell,
    duration,
    fill_row,
    selected_data,
    table,
)
from commandcenter.ui.session import IncidentSession
from vocabulary.events import LEVEL_NAMES

#: background of the level badge: the wider the response, the darker the red
LEVEL_COLOURS = {None: "#607d8b", "L1": "#f9a825", "L2": "#ef6c00", "L3": "#c62828", "L4": "#6a1b9a"}
#: causes offered for a false alarm (the duty officer may type another)
FALSE_ALARM_CAUSES = (
    QT_TRANSLATE_NOOP("AlarmPanel", "detector fault"),
    QT_TRANSLATE_NOOP("AlarmPanel", "calibration or maintenance"),
    QT_TRANSLATE_NOOP("AlarmPanel", "interference (another gas, steam, humidity)"),
    QT_TRANSLATE_NOOP("AlarmPanel", "permitted release (purging, sampling)"),
    QT_TRANSLATE_NOOP("AlarmPanel", "test"),
)


class AlarmPanel(SessionPanel):
    """Incident header, alarm table and the alarm actions."""

    WATCH = ("alarm.", "incident.", "plan.", "level.", "task.", "sensor.alarm", "person.sos")
    #: the alarm selected (its id; '' for none)
    alarmSelected = Signal(str)
    #: "New alarm here" was asked for: the window lets the user pick the place on the map
    pickRequested = Signal()
    #: show the alarm's place on the map (plant coordinates, m)
    showOnMap = Signal(float, float)

    def __init__(self, session: IncidentSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.setObjectName("alarmPanel")
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        f = QFont()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        f.setBold(True)
        self.title_label.setFont(f)
        self.level_label = QLabel()
        self.level_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.level_label.setMinimumWidth(110)
        self.elapsed_label = QLabel()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        header = QFrame()
        header.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(header)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.addWidget(self.title_label, 0, 0, 1, 2)
        grid.addWidget(self.level_label, 0, 2, 2, 1)
        grid.addWidget(self.elapsed_label, 1, 0)
        grid.addWidget(self.summary_label, 1, 1)

        self.table = table(5, stretch=4)
        self.table.itemSelectionChanged.connect(self._selection)
        self.table.doubleClicked.connect(lambda _i: self.show_selected())
        self.show_cleared = QCheckBox()
        self.show_cleared.toggled.connect(self.refresh)
        self.ack_button = QPushButton()
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.confirm_button = QPushButton()
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.false_button = QPushButton()
        self.false_button.clicked.connect(self.ask_false_alarm)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear_selected)
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.pickRequested.emit)
        buttons = QHBoxLayout()
        for b in (self.ack_button, self.confirm_button, self.false_button, self.clear_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        below = QHBoxLayout()
        below.addWidget(self.new_button)
        below.addStretch(1)
        below.addWidget(self.show_cleared)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(header)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(below)
        self._selected = ""
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_clock)
        self._tick.start()
        self.retranslate_ui()
        self.refresh()

    # ------------------------------------------------------------------ reading
    def alarms(self) -> list[dict[str, Any]]:
        """The alarms shown, open ones first (newest first), then the cleared ones when asked for."""
        state = self.session.state
        if state is None:
            return []
        alarms = list(state["alarms"]["alarms"].values())
        open_ = sorted((a for a in alarms if a["state"] != "cleared"), key=lambda a: -a["t"])
        done = sorted((a for a in alarms if a["state"] == "cleared"), key=lambda a: -a["t"])
        return open_ + (done if self.show_cleared.isChecked() else [])

    def selected(self) -> dict[str, Any] | None:
        """The selected alarm (projection entry), if any."""
        state = self.session.state
        aid = selected_data(self.table)
        return state["alarms"]["alarms"].get(aid) if state is not None and aid else None

    def first_unacknowledged(self) -> dict[str, Any] | None:
        """The oldest open alarm nobody acknowledged yet."""
        state = self.session.state
        if state is None:
            return None
        waiting = [a for a in state["alarms"]["alarms"].values()
                   if a["state"] != "cleared" and a.get("acknowledged_t") is None]
        return min(waiting, key=lambda a: a["t"]) if waiting else None

    def current(self) -> dict[str, Any] | None:
        """The alarm the plan is for: the selected one, else the newest formal open alarm, else the newest."""
        a = self.selected()
        if a is not None:
            return a
        state = self.session.state
        if state is None:
            return None
        live = [a for a in state["alarms"]["alarms"].values() if a["state"] != "cleared"]
        formal = [a for a in live if a["formal"]]
        pool = formal or live
        return max(pool, key=lambda a: a["t"]) if pool else None

    # ------------------------------------------------------------------ actions
    def acknowledge_selected(self) -> list:
        """Acknowledge the selected alarm, else the oldest one waiting (Ctrl+K)."""
        a = self.selected()
        if a is None or a["state"] == "cleared" or a.get("acknowledged_t") is not None:
            a = self.first_unacknowledged()
        return self.session.acknowledge_alarm(a["id"]) if a is not None else []

    def confirm_selected(self) -> list:
        """The selected alarm is real: make it formal."""
        a = self.selected()
        return self.session.confirm_alarm(a["id"]) if a is not None else []

    def ask_false_alarm(self) -> None:
        """Ask for the cause and record the selected alarm as a false alarm."""
        a = self.selected()
        if a is None:
            return
        causes = [self.tr(c) for c in FALSE_ALARM_CAUSES]
        cause, ok = QInputDialog.getItem(self, self.tr("False alarm"),
                                         self.tr("Cause of the false alarm {id}:").format(id=a["id"]), causes, 0, True)
        if ok and cause.strip():
            self.record_false_alarm(cause.strip())

    def record_false_alarm(self, cause: str) -> list:
        """Record the selected alarm as a false alarm with ``cause``."""
        a = self.selected()
        return self.session.clear_alarm(a["id"], false_alarm=True, cause=cause) if a is not None else []

    def clear_selected(self) -> list:
        """The selected (real) alarm has been dealt with."""
        a = self.selected()
        return self.session.clear_alarm(a["id"], false_alarm=False) if a is not None else []

    def show_selected(self) -> None:
        """Centre the map on the selected alarm."""
        a = self.selected()
        if a is not None and a.get("x") is not None and a.get("y") is not None:
            self.showOnMap.emit(float(a["x"]), float(a["y"]))

    def _selection(self) -> None:
        aid = selected_data(self.table) or ""
        if aid != self._selected:
            self._selected = aid
            self.alarmSelected.emit(aid)
        self._update_buttons()

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        """Header and table from the state."""
        self._update_header()
        rows = self.alarms()
        keep = self._selected
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        state = self.session.state
        for i, a in enumerate(rows):
            fill_row(self.table, i, self._row(a, state))
            if a["id"] == keep:
                self.table.selectRow(i)
        self.table.blockSignals(False)
        if keep and not any(a["id"] == keep for a in rows):
            self._selected = ""
            self.alarmSelected.emit("")
        self.table.resizeColumnsToContents()
        self._fit_columns()
        self.table.horizontalHeader().setStretchLastSection(True)
        self._update_buttons()

    def _fit_columns(self) -> None:
        """Time, grade and state always in view: the alarm's name gives way (elided, in full in its tooltip)."""
        t = self.table
        state_w = min(t.columnWidth(3), 230)
        room = t.viewport().width() - t.columnWidth(0) - t.columnWidth(1) - state_w
        t.setColumnWidth(3, state_w)
        t.setColumnWidth(2, max(110, min(t.columnWidth(2), room)))

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Keep the state column in view when the dock is resized."""
        super().resizeEvent(event)
        self._fit_columns()

    def _row(self, a: dict[str, Any], state: dict[str, Any]) -> list:
        formal = bool(a["formal"])
        open_ = a["state"] != "cleared"
        unseen = open_ and a.get("acknowledged_t") is None
        colour = (RED if formal else AMBER) if open_ else GREY
        grade = self.tr("ALARM") if formal else self.tr("warning")
        if not open_:
            grade = self.tr("false alarm") if a.get("false_alarm") else self.tr("cleared")
        value = "" if a.get("value") is None else f"{a['value']:g} {a.get('unit') or ''}".strip()
        if a.get("substance"):
            value = f"{a['substance']} {value}".strip()
        what = f"{self._what(a)}  {value}".strip()
        return [cell(self.clock(a["t"]), data=a["id"], tip=a["id"]),
                cell(grade, colour=colour, bold=formal and open_),
                cell(what, colour=colour if open_ else GREY, bold=open_ and formal, tip=what),
                cell(self._state_text(a), tip=self._state_text(a),
                     colour=RED if unseen else None, bold=unseen),
                cell(self._check_text(a, state), colour=self._check_colour(a, state))]

    def _what(self, a: dict[str, Any]) -> str:
        kind = a.get("kind") or ""
        if kind == "sos":
            return self.tr("SOS from {person}").format(person=self.person_label(a.get("person_id")))
        sensors = a.get("sensors") or []
        if sensors:
            names = [self._sensor_name(s) for s in sensors]
            extra = self.tr(" (+{n} agreeing)").format(n=len(names) - 1) if len(names) > 1 else ""
            return f"{names[0]}{extra}"
        if kind == "manual":
            return self.tr("Entered by hand: {text}").format(text=a.get("text") or "—")
        return a.get("text") or kind or a["id"]

    def _sensor_name(self, sid: str) -> str:
        sensors = getattr(self.plant, "layers", {}).get("sensors") if self.plant is not None else None
        if sensors is not None and sid in sensors.index:
            from commandcenter.ui.map_layers import feature_label
            from commandcenter.ui.translations import current_language

            name = feature_label(sensors.loc[sid].to_dict(), current_language())
            if name:
                return f"{sid} {name}"
        return sid

    def _state_text(self, a: dict[str, Any]) -> str:
        reasons = {"alarm_level": self.tr("alarm level reached"),
                   "second_detector": self.tr("2nd detector agrees"),
                   "check_overdue": self.tr("check overdue"),
                   "confirmed_on_site": self.tr("confirmed on site"),
                   "entered_as_alarm": self.tr("entered as alarm"), "joined": self.tr("more detectors")}
        if a["state"] == "cleared":
            if a.get("false_alarm"):
                return self.tr("false alarm: {cause}").format(cause=a.get("cause") or "—")
            return self.tr("cleared at {t}").format(t=self.clock(a.get("cleared_t")))
        new = a.get("acknowledged_t") is None
        if a["state"] == "confirmed":
            why = reasons.get(a.get("confirmed_reason") or "", a.get("confirmed_reason") or "")
            return self.tr("NEW · {why}").format(why=why) if new else why
        if a["state"] == "acknowledged":
            return self.tr("acknowledged, not confirmed")
        return self.tr("NEW")

    def _check(self, a: dict[str, Any], state: dict[str, Any]) -> dict | None:
        tid = a.get("check_task")
        return state["tasks"]["tasks"].get(tid) if tid else None

    def _check_text(self, a: dict[str, Any], state: dict[str, Any]) -> str:
        t = self._check(a, state)
        if t is None:
            return ""
        who = self.person_label(t.get("to")) if t.get("to") else self.tr("nobody on shift")
        if t["status"] in ("done", "skipped"):
            return self.tr("✓ {who}").format(who=who)
        left = self._left_s(t)
        if left is None:
            return who
        if left < 0:
            return self.tr("{who} · OVERDUE {late}").format(who=who, late=duration(-left))
        return self.tr("{who} · {left} left").format(who=who, left=duration(left))

    def _left_s(self, t: dict) -> float | None:
        assigned = t["steps"].get("assigned")
        now = self.now_us()
        if assigned is None or t.get("deadline_s") is None or now is None:
            return None
        return (assigned + float(t["deadline_s"]) * 1e6 - now) / 1e6

    def _check_colour(self, a: dict[str, Any], state: dict[str, Any]):  # type: ignore[no-untyped-def]
        t = self._check(a, state)
        if t is None or t["status"] in ("done", "skipped"):
            return None
        left = self._left_s(t)
        return RED if t["overdue"] or (left is not None and left < 0) else AMBER

    def _update_header(self) -> None:
        rt = self.session.runtime
        if rt is None:
            self.title_label.setText(self.tr("No incident open"))
            self._set_level(None, closed=False)
            self.summary_label.setText(self.tr("File → New incident, or an alarm from the field opens one."))
            self.elapsed_label.setText("")
            return
        inc = rt.state["incident"]
        title = inc["title"] or rt.title
        self.title_label.setText(f"{title}  ·  {rt.incident_id}")
        self.title_label.setToolTip(rt.incident_id)
        self._set_level(inc["level"], closed=not inc["open"])
        alarms = rt.state["alarms"]["alarms"].values()
        n_open = sum(a["state"] != "cleared" for a in alarms)
        n_formal = sum(a["state"] != "cleared" and a["formal"] for a in alarms)
        n_new = sum(a["state"] != "cleared" and a.get("acknowledged_t") is None for a in alarms)
        text = self.tr("{open} open alarm(s), {formal} formal, {new} not acknowledged").format(
            open=n_open, formal=n_formal, new=n_new)
        if rt.read_only:
            text += "  ·  " + self.tr("read-only")
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet("QLabel { color: #b71c1c; font-weight: bold; }" if n_new else "")
        self._update_clock()

    def _set_level(self, level: str | None, *, closed: bool) -> None:
        if closed:
            text, colour = self.tr("CLOSED"), "#2e7d32"
        elif level is None:
            text, colour = self.tr("no plan\nlaunched"), LEVEL_COLOURS[None]
        else:
            from commandcenter.ui.translations import current_language

            zh, en = LEVEL_NAMES.get(level, ("", ""))
            text, colour = f"{level}\n{zh if current_language() == 'zh' else en}", LEVEL_COLOURS.get(level, "#c62828")
        self.level_label.setText(text)
        self.level_label.setStyleSheet(f"QLabel {{ background: {colour}; color: white; font-weight: bold; "
                                       "font-size: 15px; padding: 4px 8px; border-radius: 4px; }")

    def _update_clock(self) -> None:
        rt = self.session.runtime
        if rt is None:
            return
        inc = rt.state["incident"]
        start = inc.get("opened_t")
        end = inc.get("closed_t") if not inc["open"] else self.now_us()
        if start is None or end is None:
            return
        self.elapsed_label.setText(self.tr("Elapsed {t}").format(t=duration((end - start) / 1e6)))
        if any(a["state"] != "cleared" and a.get("check_task") for a in rt.state["alarms"]["alarms"].values()):
            state = rt.state
            for i in range(self.table.rowCount()):
                aid = self.table.item(i, 0).data(Qt.ItemDataRole.UserRole)
                a = state["alarms"]["alarms"].get(aid)
                if a is not None and a.get("check_task"):
                    self.table.setItem(i, 4, cell(self._check_text(a, state), colour=self._check_colour(a, state)))

    def _update_buttons(self) -> None:
        a = self.selected()
        ok = self.session.writable()
        live = a is not None and a["state"] != "cleared"
        waiting = self.first_unacknowledged() is not None
        self.ack_button.setEnabled(ok and (waiting or bool(live and a.get("acknowledged_t") is None)))
        self.confirm_button.setEnabled(ok and live and a["state"] != "confirmed")
        self.false_button.setEnabled(ok and live)
        self.clear_button.setEnabled(ok and live)
        self.new_button.setEnabled(self.plant is not None and (ok or self.session.runtime is None))

    def retranslate_ui(self) -> None:
        """Set every fixed text in the UI language."""
        self.table.setHorizontalHeaderLabels([
            self.tr("Time ({offset})").format(offset=self.offset()), self.tr("Grade"), self.tr("Alarm"),
            self.tr("State"), self.tr("Check on site")])
        self.ack_button.setText(self.tr("Acknowledge"))
        self.ack_button.setToolTip(self.tr("Acknowledge the selected alarm, else the oldest new one (Ctrl+K)"))
        self.confirm_button.setText(self.tr("Confirm (real)"))
        self.confirm_button.setToolTip(self.tr("The alarm is real: make it a formal alarm"))
        self.false_button.setText(self.tr("False alarm…"))
        self.false_button.setToolTip(self.tr("Record the alarm as false, with its cause"))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("The alarm has been dealt with"))
        self.new_button.setText(self.tr("New alarm here…"))
        self.new_button.setToolTip(self.tr("Click the place on the map, then say what was seen"))
        self.show_cleared.setText(self.tr("Show cleared"))

