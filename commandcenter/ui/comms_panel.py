"""The Comms dock: every order sent to the field and how far it got — delivered, acknowledged, done, failed —
and, for the selected order, who has not acknowledged yet; the devices online; the notices sent.

A view of the ``commands`` and ``field`` projections (``command.*``, ``device.*``) and the timeline's
``notification.sent`` entries. Exercise orders are marked as such by the dispatcher; nothing here sends.
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
        self.table = table(7, stretch=1)
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

    def commands(self) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """(command id, commands-projection entry, field-projection entry), newest first."""
        state = self.session.state
        if state is None:
            return []
        field = state["field"]["commands"]
        rows = [(cid, c, field.get(cid) or {}) for cid, c in state["commands"]["commands"].items()]
        return sorted(rows, key=lambda r: -r[1]["t"])

    def silent_recipients(self, command_id: str) -> list[str]:
        """Recipients of ``command_id`` who have not acknowledged it."""
        state = self.session.state
        c = state["commands"]["commands"].get(command_id) if state is not None else None
        if c is None:
            return []
        f = state["field"]["commands"].get(command_id) or {}
        done = {d for d, s in (f.get("devices") or {}).items() if s in ("acked", "done")}
        return [r for r in c["to"] if r not in c["acks"] and r not in done]

    def redraw(self) -> None:
        """Summary, order table and the silent list."""
        state = self.session.state
        rows = self.commands()
        keep = selected_data(self.table)
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for i, (cid, c, f) in enumerate(rows):
            n = len(c["to"])
            acked = len(set(c["acks"]) | {d for d, s in (f.get("devices") or {}).items() if s in ("acked", "done")})
            devices = f.get("devices") or {}
            delivered = sum(s in ("delivered", "acked", "done") for s in devices.values())
            done = sum(s == "done" for s in devices.values())
            failed = sum(s in ("failed", "expired") for s in devices.values())
            colour = GREEN if acked >= n else RED if failed else AMBER
            fill_row(self.table, i, [
                cell(self.clock(c["t"]), data=cid, tip=cid),
                cell(self._what(c, f)),
                cell(str(n), align_right=True),
                cell(str(delivered), align_right=True),
                cell(f"{acked}/{n}", align_right=True, colour=colour, bold=acked < n),
                cell(str(done), align_right=True),
                cell(str(failed), align_right=True, colour=RED if failed else GREY)])
            if cid == keep:
                self.table.selectRow(i)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(False)
        if state is None:
            self.summary.setText(self.tr("No incident open"))
            return
        devices = state["field"]["devices"]
        online = sum(d["online"] for d in devices.values())
        waiting = sum(len(self.silent_recipients(cid)) for cid, _, _ in rows)
        notices = sum(e["type"] == "notification.sent" for e in state["timeline"]["entries"])
        self.summary.setText(self.tr("{n} orders sent · {w} acknowledgements outstanding · {on} of {d} devices "
                                     "online · {k} notices").format(n=len(rows), w=waiting, on=online,
                                                                    d=len(devices), k=notices))
        self.summary.setStyleSheet("QLabel { color: #b71c1c; font-weight: bold; }" if waiting else "")
        self._show_silent()

    def _what(self, c: dict[str, Any], f: dict[str, Any]) -> str:
        kind = c.get("kind") or f.get("kind") or ""
        text = f.get("text_zh") if self._zh() and f.get("text_zh") else f.get("text")
        if kind == "actuate":
            return f"{kind}: {f.get('equipment_id') or ''} {f.get('action') or ''}".strip()
        return f"{kind}: {text}" if text else kind

    def _zh(self) -> bool:
        from commandcenter.ui.translations import current_language

        return current_language() == "zh"

    def _show_silent(self) -> None:
        cid = selected_data(self.table)
        self.silent.clear()
        if not cid:
            self.silent_title.setText(self.tr("Select an order to see who has not acknowledged it."))
            return
        people = self.silent_recipients(cid)
        self.silent_title.setText(self.tr("Not acknowledged ({n}):").format(n=len(people)))
        for p in people:
            self.silent.addItem(self.person_label(p))

    def retranslate_ui(self) -> None:
        """Set every fixed text in the UI language."""
        self.table.setHorizontalHeaderLabels([
            self.tr("Sent ({offset})").format(offset=self.offset()), self.tr("Order"), self.tr("To"),
            self.tr("Delivered"), self.tr("Acknowledged"), self.tr("Done"), self.tr("Failed")])
