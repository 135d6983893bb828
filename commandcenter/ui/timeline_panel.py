"""The Timeline dock: the incident log, one line per notable event, in plant time, newest at the bottom.

A view of the ``timeline`` projection (routine position reports and readings are left out). Lines are
appended as events arrive (a long log is not redrawn each time); a filter narrows them to a word.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from commandcenter.ui.panel_base import AMBER, GREEN, RED, SessionPanel, cell, fill_row, table
from commandcenter.ui.session import IncidentSession

TYPE_TITLES = {
    "incident.opened": QT_TRANSLATE_NOOP("TimelinePanel", "Incident opened"),
    "incident.closed": QT_TRANSLATE_NOOP("TimelinePanel", "Incident closed"),
    "note.added": QT_TRANSLATE_NOOP("TimelinePanel", "Note"),
    "sensor.alarm": QT_TRANSLATE_NOOP("TimelinePanel", "Detector alarm"),
    "weather.observed": QT_TRANSLATE_NOOP("TimelinePanel", "Weather"),
    "alarm.raised": QT_TRANSLATE_NOOP("TimelinePanel", "Alarm raised"),
    "alarm.acknowledged": QT_TRANSLATE_NOOP("TimelinePanel", "Alarm acknowledged"),
    "alarm.confirmed": QT_TRANSLATE_NOOP("TimelinePanel", "Alarm confirmed"),
    "alarm.cleared": QT_TRANSLATE_NOOP("TimelinePanel", "Alarm cleared"),
    "hazard.assessed": QT_TRANSLATE_NOOP("TimelinePanel", "Hazard zones assessed"),
    "evacuation.planned": QT_TRANSLATE_NOOP("TimelinePanel", "Evacuation planned"),
    "plan.proposed": QT_TRANSLATE_NOOP("TimelinePanel", "Plan proposed"),
    "plan.launched": QT_TRANSLATE_NOOP("TimelinePanel", "Plan launched"),
    "level.changed": QT_TRANSLATE_NOOP("TimelinePanel", "Level changed"),
    "task.assigned": QT_TRANSLATE_NOOP("TimelinePanel", "Task assigned"),
    "task.acknowledged": QT_TRANSLATE_NOOP("TimelinePanel", "Task acknowledged"),
    "task.started": QT_TRANSLATE_NOOP("TimelinePanel", "Task started"),
    "task.done": QT_TRANSLATE_NOOP("TimelinePanel", "Task done"),
    "task.skipped": QT_TRANSLATE_NOOP("TimelinePanel", "Task skipped"),
    "task.overdue": QT_TRANSLATE_NOOP("TimelinePanel", "Task overdue"),
    "task.escalated": QT_TRANSLATE_NOOP("TimelinePanel", "Task escalated"),
    "task.reassigned": QT_TRANSLATE_NOOP("TimelinePanel", "Task reassigned"),
    "task.unassignable": QT_TRANSLATE_NOOP("TimelinePanel", "Nobody to take a task"),
    "notification.sent": QT_TRANSLATE_NOOP("TimelinePanel", "Notice sent"),
    "command.sent": QT_TRANSLATE_NOOP("TimelinePanel", "Order sent"),
    "command.delivered": QT_TRANSLATE_NOOP("TimelinePanel", "Order delivered"),
    "command.acknowledged": QT_TRANSLATE_NOOP("TimelinePanel", "Order acknowledged"),
    "command.done": QT_TRANSLATE_NOOP("TimelinePanel", "Order done"),
    "command.failed": QT_TRANSLATE_NOOP("TimelinePanel", "Order failed"),
    "command.expired": QT_TRANSLATE_NOOP("TimelinePanel", "Order expired"),
    "person.mustered": QT_TRANSLATE_NOOP("TimelinePanel", "Mustered"),
    "person.badged": QT_TRANSLATE_NOOP("TimelinePanel", "Gate badge"),
    "person.added": QT_TRANSLATE_NOOP("TimelinePanel", "Walk-up checked in"),
    "person.sos": QT_TRANSLATE_NOOP("TimelinePanel", "SOS"),
    "evidence.received": QT_TRANSLATE_NOOP("TimelinePanel", "Evidence received"),
    "device.online": QT_TRANSLATE_NOOP("TimelinePanel", "Device online"),
    "device.offline": QT_TRANSLATE_NOOP("TimelinePanel", "Device offline"),
    "resource.dispatched": QT_TRANSLATE_NOOP("TimelinePanel", "Resource dispatched"),
    "resource.requested": QT_TRANSLATE_NOOP("TimelinePanel", "Resource requested"),
    "drill.scenario": QT_TRANSLATE_NOOP("TimelinePanel", "Drill scenario"),
}
# how a field of the projection's text is shown: its label (translated; "" for the value alone)
FIELD_LABELS = {
    "level": QT_TRANSLATE_NOOP("TimelinePanel", "level"), "from": QT_TRANSLATE_NOOP("TimelinePanel", "from"),
    "to": QT_TRANSLATE_NOOP("TimelinePanel", "to"), "task_id": QT_TRANSLATE_NOOP("TimelinePanel", "task"),
    "command_id": QT_TRANSLATE_NOOP("TimelinePanel", "order"), "by": QT_TRANSLATE_NOOP("TimelinePanel", "by"),
    "reason": QT_TRANSLATE_NOOP("TimelinePanel", "why"), "recipient": QT_TRANSLATE_NOOP("TimelinePanel", "to"),
}
_FIELD = re.compile(r"(?:^| )([a-z_]+)=")
URGENT = {"alarm.raised", "alarm.confirmed", "task.overdue", "task.escalated", "person.sos", "command.failed",
          "command.expired", "task.unassignable", "level.changed", "plan.launched"}
GOOD = {"alarm.cleared", "task.done", "person.mustered", "incident.closed"}


def type_title(event_type: str) -> str:
    """The translated title of an event type (the type itself when it has none)."""
    text = TYPE_TITLES.get(event_type)
    return QCoreApplication.translate("TimelinePanel", text) if text else event_type


class TimelinePanel(SessionPanel):
    """The log, line by line."""

    WATCH = ()  # every batch may add lines

    def __init__(self, session: IncidentSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.setObjectName("timelinePanel")
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._redraw_all)
        self.follow = QCheckBox()
        self.follow.setChecked(True)
        self.table = table(3, stretch=2)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.follow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._shown = 0  # timeline entries looked at so far
        self._incident: str | None = None
        session.reset.connect(self._redraw_all)
        self.retranslate_ui()
        self.refresh()

    def showEvent(self, event: Any) -> None:
        """Fit the dock: the log table scrolls by itself, so the dock's scroll area never shows bars of its own
        (they came and went as the dock was raised from behind a tab, covering "Follow the latest")."""
        self.fit_dock()
        super().showEvent(event)

    def fit_dock(self) -> None:
        """Turn off the scroll bars of the scroll area the panel sits in (when it sits in one)."""
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None and area.widget() is self:
            area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _redraw_all(self) -> None:
        self._shown = 0
        self.table.setRowCount(0)
        self.schedule()

    def redraw(self) -> None:
        """Append the entries that arrived since the last redraw (all of them after a reset or a new filter)."""
        state = self.session.state
        rt = self.session.runtime
        iid = rt.incident_id if rt is not None else None
        if iid != self._incident:
            self._incident, self._shown = iid, 0
            self.table.setRowCount(0)
        if state is None:
            return
        entries = state["timeline"]["entries"]
        word = self.filter.text().strip().lower()
        new = entries[self._shown:]
        self._shown = len(entries)
        rows = [e for e in new if not word or word in e["text"].lower() or word in type_title(e["type"]).lower()]
        if not rows:
            return
        start = self.table.rowCount()
        self.table.setRowCount(start + len(rows))
        for k, e in enumerate(rows):
            colour = RED if e["type"] in URGENT else GREEN if e["type"] in GOOD else None
            if e["type"] == "alarm.raised" and "level=warn" in e["text"]:
                colour = AMBER
            fill_row(self.table, start + k, [cell(self.clock(e["t"]), data=e["seq"], tip=f"#{e['seq']}"),
                                             cell(type_title(e["type"]), colour=colour, bold=e["type"] in URGENT),
                                             cell(self.details(e["text"]), tip=e["text"])])
        if start == 0:
            self.table.resizeColumnsToContents()
            self.table.horizontalHeader().setStretchLastSection(True)
        if self.follow.isChecked():
            self.table.scrollToBottom()

    def details(self, text: str) -> str:
        """The fields of a timeline line (``type k=v k=v``) for a reader: people by name, the assembly point
        after an arrow, other fields labelled in the UI language, separated by ``·``."""
        marks = list(_FIELD.finditer(text))
        if not marks:
            return text.split(" ", 1)[1] if " " in text else ""
        parts = []
        for m, nxt in zip(marks, [*marks[1:], None], strict=True):
            key, value = m.group(1), text[m.end():nxt.start() if nxt else len(text)].strip()
            if key == "person_id":
                parts.append(self.person_label(value))
            elif key == "assembly_point_id":
                parts.append(f"→ {value}")
            elif key in FIELD_LABELS:
                parts.append(f"{QCoreApplication.translate('TimelinePanel', FIELD_LABELS[key])} {value}")
            else:
                parts.append(value)
        return " · ".join(parts)

    def retranslate_ui(self) -> None:
        """Set every fixed text in the UI language."""
        self.table.setHorizontalHeaderLabels([self.tr("Time ({offset})").format(offset=self.offset()),
                                              self.tr("Event"), self.tr("Details")])
        self.filter.setPlaceholderText(self.tr("Filter (a word, an id)…"))
        self.follow.setText(self.tr("Follow the latest"))
        self._redraw_all()
