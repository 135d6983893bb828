"""The Comms dock: every order sent to the field and how far it got on its devices — acknowledged, done,
failed or expired — and, for the selected order, which devices have not acknowledged yet; the devices online;
the notices sent.

A view of the ``comms`` projection (``command.*``, ``device.*``, kept by the field service) and the
timeline's ``notification.sent`` entries. Nothing here sends: the field service does, through the exercise
guard.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QSplitter, QVBoxLayout, QWidget

from commandcenter.ui.panel_base import AMBER, GREEN, GREY, RED, SessionPanel, cell, fill_row, selected_data, table
from commandcenter.ui.session import IncidentSession


class CommsPanel(SessionPanel):
    """Orders and their acknowledgements."""

    WATCH = ("command.", "device.", "notification.", "incident.")

    def __init__(self, session: IncidentSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.setObjectName("commsPanel")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = table(6, stretch=1)
        self.table.itemSelectionChanged.connect(self._show_silent)
        self.silent_title = QLabel()
        self.silent = QListWidget()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.silent_title)
        ll.addWidget(self.silent)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self.retranslate_ui()
        self.refresh()

    def commands(self) -> list[dict[str, Any]]:
        """The ``comms`` projection's commands, newest first."""
        state = self.session.state
        if state is None:
            return []
        return sorted(state["comms"]["commands"].values(), key=lambda c: -c["t"])

    def silent_devices(self, command_id: str) -> list[str]:
        """Devices that have not acknowledged ``command_id`` yet (still pending)."""
        state = self.session.state
        c = state["comms"]["commands"].get(command_id) if state is not None else None
        return [d for d, st in (c or {}).get("devices", {}).items() if st == "pending"]

    def device_label(self, device: str) -> str:
        """``device — person`` when the device is enrolled for someone."""
        state = self.session.state
        d = state["comms"]["devices"].get(device) if state is not None else None
        pid = (d or {}).get("person_id")
        return f"{device} — {self.person_label(pid)}" if pid else device

    def redraw(self) -> None:
        """Summary, order table and the silent list."""
        state = self.session.state
        rows = self.commands()
        keep = selected_data(self.table)
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for i, c in enumerate(rows):
            states = list(c["devices"].values())
            n = len(states)
            acked = sum(s in ("acked", "done") for s in states)
            done = states.count("done")
            failed = sum(s in ("failed", "expired") for s in states)
            colour = GREEN if n and acked >= n else RED if failed else AMBER
            fill_row(self.table, i, [
                cell(self.clock(c["t"]), data=c["command_id"], tip=c["command_id"]),
                cell(self._what(c)),
                cell(str(n), align_right=True),
                cell(f"{acked}/{n}", align_right=True, colour=colour, bold=acked < n),
                cell(str(done), align_right=True),
                cell(str(failed), align_right=True, colour=RED if failed else GREY)])
            if c["command_id"] == keep:
                self.table.selectRow(i)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(False)
        if state is None:
            self.summary.setText(self.tr("No incident open"))
            return
        devices = state["comms"]["devices"]
        online = sum(d["online"] for d in devices.values())
        waiting = sum(len(self.silent_devices(c["command_id"])) for c in rows)
        notices = sum(e["type"] == "notification.sent" for e in state["timeline"]["entries"])
        self.summary.setText(self.tr("{n} orders sent · {w} acknowledgements outstanding · {on} of {d} devices "
                                     "online · {k} notices").format(n=len(rows), w=waiting, on=online,
                                                                    d=len(devices), k=notices))
        self.summary.setStyleSheet("QLabel { color: #b71c1c; font-weight: bold; }" if waiting else "")
        self._show_silent()

    def _what(self, c: dict[str, Any]) -> str:
        kind = c.get("kind") or ""
        if kind == "actuate":
            return f"{kind}: {c.get('equipment_id') or ''} {c.get('action') or ''}".strip()
        text = c.get("text_zh") if self._zh() and c.get("text_zh") else c.get("text_en")
        return f"{kind}: {text}" if text else kind

    def _zh(self) -> bool:
        from commandcenter.ui.translations import current_language

        return current_language() == "zh"

    def _show_silent(self) -> None:
        cid = selected_data(self.table)
        self.silent.clear()
        if not cid:
            self.silent_title.setText(self.tr("Select an order to see which devices have not acknowledged it."))
            return
        devices = self.silent_devices(cid)
        self.silent_title.setText(self.tr("Not acknowledged ({n}):").format(n=len(devices)))
        for d in devices:
            self.silent.addItem(self.device_label(d))

    def retranslate_ui(self) -> None:
        """Set every fixed text in the UI language."""
        self.table.setHorizontalHeaderLabels([
            self.tr("Sent ({offset})").format(offset=self.offset()), self.tr("Order"), self.tr("Devices"),
            self.tr("Acknowledged"), self.tr("Done"), self.tr("Failed")])
