"""The Muster dock: per assembly point expected and arrived, and everyone still unaccounted for.

The big number is how many people on site are not accounted for; it counts down to zero as people check in.
Each unaccounted person is listed with the age of their last position and the hazard zone it lies in (the
worst first); click one and the map centres on them. Roll call marks someone present by hand
(``person.mustered``, method ``roll_call``); a walk-up who is not on the roster (visitor, contractor) is
checked in with ``person.added``. A view of the muster board (:mod:`commandcenter.services.muster_board`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from commandcenter.services.muster_board import MusterBoard, muster_board
from commandcenter.ui.panel_base import AMBER, GREEN, GREY, RED, SessionPanel, cell, duration, fill_row, table
from commandcenter.ui.session import IncidentSession
from commandcenter.ui.translations import current_language

ZONE_COLOURS = {"red": RED, "orange": AMBER, "yellow": AMBER}
# the roster's role codes (plant format, personnel.csv) as job titles, in sentence case like the rest of the UI;
# a code not listed here is shown with spaces for underscores and a capital first letter
ROLE_NAMES = {
    "operator": QT_TRANSLATE_NOOP("MusterPanel", "Operator"),
    "contractor": QT_TRANSLATE_NOOP("MusterPanel", "Contractor"),
    "firefighter": QT_TRANSLATE_NOOP("MusterPanel", "Firefighter"),
    "security_guard": QT_TRANSLATE_NOOP("MusterPanel", "Security guard"),
    "control_room_operator": QT_TRANSLATE_NOOP("MusterPanel", "Control room operator"),
    "maintenance_technician": QT_TRANSLATE_NOOP("MusterPanel", "Maintenance technician"),
    "visitor": QT_TRANSLATE_NOOP("MusterPanel", "Visitor"),
    "unit_supervisor": QT_TRANSLATE_NOOP("MusterPanel", "Unit supervisor"),
    "lab_analyst": QT_TRANSLATE_NOOP("MusterPanel", "Laboratory analyst"),
    "admin_staff": QT_TRANSLATE_NOOP("MusterPanel", "Administrative staff"),
    "canteen_staff": QT_TRANSLATE_NOOP("MusterPanel", "Canteen staff"),
    "electrician": QT_TRANSLATE_NOOP("MusterPanel", "Electrician"),
    "instrument_technician": QT_TRANSLATE_NOOP("MusterPanel", "Instrument technician"),
    "hse_officer": QT_TRANSLATE_NOOP("MusterPanel", "HSE officer"),
    "process_engineer": QT_TRANSLATE_NOOP("MusterPanel", "Process engineer"),
    "warehouse_keeper": QT_TRANSLATE_NOOP("MusterPanel", "Warehouse keeper"),
    "driver": QT_TRANSLATE_NOOP("MusterPanel", "Driver"),
    "department_manager": QT_TRANSLATE_NOOP("MusterPanel", "Department manager"),
    "equipment_engineer": QT_TRANSLATE_NOOP("MusterPanel", "Equipment engineer"),
    "welder": QT_TRANSLATE_NOOP("MusterPanel", "Welder"),
    "deputy_manager": QT_TRANSLATE_NOOP("MusterPanel", "Deputy plant manager"),
    "shift_supervisor": QT_TRANSLATE_NOOP("MusterPanel", "Shift supervisor"),
    "fire_captain": QT_TRANSLATE_NOOP("MusterPanel", "Fire captain"),
    "medic": QT_TRANSLATE_NOOP("MusterPanel", "Medic"),
    "electrical_engineer": QT_TRANSLATE_NOOP("MusterPanel", "Electrical engineer"),
    "instrument_engineer": QT_TRANSLATE_NOOP("MusterPanel", "Instrument engineer"),
    "nurse": QT_TRANSLATE_NOOP("MusterPanel", "Nurse"),
    "trainer": QT_TRANSLATE_NOOP("MusterPanel", "Trainer"),
    "plant_manager": QT_TRANSLATE_NOOP("MusterPanel", "Plant manager"),
    "fire_chief": QT_TRANSLATE_NOOP("MusterPanel", "Fire chief"),
    "maintenance_supervisor": QT_TRANSLATE_NOOP("MusterPanel", "Maintenance supervisor"),
    "warehouse_supervisor": QT_TRANSLATE_NOOP("MusterPanel", "Warehouse supervisor"),
    "security_chief": QT_TRANSLATE_NOOP("MusterPanel", "Security chief"),
    "doctor": QT_TRANSLATE_NOOP("MusterPanel", "Doctor"),
}


def role_title(role: str) -> str:
    """A roster role code (``unit_supervisor``) as a job title in the UI language (``Unit supervisor``,
    ``装置主管``); a code with no entry in :data:`ROLE_NAMES` reads ``Crane operator`` for ``crane_operator``."""
    text = ROLE_NAMES.get(role)
    if text:
        return QCoreApplication.translate("MusterPanel", text)
    words = role.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


class MusterPanel(SessionPanel):
    """Assembly points, the unaccounted list, roll call and walk-up check-in."""

    WATCH = ("person.", "position.reported", "evacuation.", "hazard.assessed", "task.", "incident.")
    #: centre the map on a person (id, x, y in plant metres)
    showPerson = Signal(str, float, float)

    def __init__(self, session: IncidentSession, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.setObjectName("musterPanel")
        self._timer.setInterval(400)  # position reports come in bursts: recount at most a few times a second
        self.board: MusterBoard | None = None
        self.count_label = QLabel()
        f = QFont()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        self.count_label.setFont(f)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.points = table(5, stretch=0)
        self.unaccounted = table(6, stretch=1)
        self.unaccounted.itemSelectionChanged.connect(self._update_buttons)
        self.unaccounted.cellClicked.connect(lambda r, c: self.locate_row(r))
        self.roll_button = QPushButton()
        self.roll_button.clicked.connect(self.ask_roll_call)
        self.walkup_button = QPushButton()
        self.walkup_button.clicked.connect(self.ask_check_in)
        self.unaccounted_title = QLabel()
        bold = QFont()
        bold.setBold(True)
        self.unaccounted_title.setFont(bold)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.count_label)
        tl.addWidget(self.detail_label)
        tl.addWidget(self.points, 1)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.unaccounted_title)
        bl.addWidget(self.unaccounted, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.roll_button)
        buttons.addWidget(self.walkup_button)
        buttons.addStretch(1)
        bl.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self.checkin_dialog: QDialog | None = None
        self.retranslate_ui()
        self.refresh()

    # ------------------------------------------------------------------ reading
    def compute(self) -> MusterBoard | None:
        """The board now (None without a plant or an incident)."""
        state = self.session.state
        positions = self.session.positions()
        if state is None or self.plant is None or positions is None or self.session.people is None:
            return None
        now = self.now_us()
        return muster_board(self.plant, state, positions, (now or 0) / 1e6, self.session.people.hazard(state))

    def unaccounted_count(self) -> int | None:
        """How many people are unaccounted for (None without a board)."""
        return len(self.board.unaccounted) if self.board is not None else None

    def selected_person(self) -> str | None:
        """The id of the selected unaccounted person, if any."""
        rows = self.unaccounted.selectionModel().selectedRows()
        if not rows:
            return None
        return self.unaccounted.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def select_person(self, person_id: str) -> None:
        """Select ``person_id`` in the unaccounted list."""
        for r in range(self.unaccounted.rowCount()):
            if self.unaccounted.item(r, 0).data(Qt.ItemDataRole.UserRole) == person_id:
                self.unaccounted.selectRow(r)
                return
        raise KeyError(person_id)

    def ap_choices(self) -> list[tuple[str, str]]:
        """(label, id) of the assembly points."""
        aps = self.plant.layers["assembly_points"] if self.plant is not None else None
        if aps is None:
            return []
        from commandcenter.ui.map_layers import feature_label

        lang = current_language()
        return [(f"{i} {feature_label(r, lang)}", str(i)) for i, r in zip(
            aps.index, aps.drop(columns=aps.geometry.name).to_dict("records"), strict=True)]

    # ------------------------------------------------------------------ actions
    def locate_row(self, row: int) -> None:
        """Centre the map on the person of ``row`` of the unaccounted list (when their position is known)."""
        if self.board is None or not 0 <= row < len(self.board.unaccounted):
            return
        u = self.board.unaccounted[row]
        if u.x is not None and u.y is not None:
            self.showPerson.emit(u.person_id, u.x, u.y)

    def ask_roll_call(self) -> None:
        """Mark the selected person present by hand, at the assembly point chosen (Ctrl+R)."""
        pid = self.selected_person()
        if pid is None or self.board is None:
            return
        u = next(u for u in self.board.unaccounted if u.person_id == pid)
        choices = self.ap_choices()
        labels = [c[0] for c in choices]
        start = next((i for i, c in enumerate(choices) if c[1] == u.expected_ap), 0)
        pick, ok = QInputDialog.getItem(self, self.tr("Roll call"),
                                        self.tr("{person} is present at:").format(person=self.person_label(pid)),
                                        labels, start, False)
        if ok and pick in labels:
            self.roll_call(pid, choices[labels.index(pick)][1])

    def roll_call(self, person_id: str, assembly_point_id: str) -> list:
        """Record ``person_id`` present at ``assembly_point_id`` (marked by hand)."""
        return self.session.roll_call(person_id, assembly_point_id)

    def ask_check_in(self) -> QDialog | None:
        """A form for a walk-up not on the roster: name, kind, company, assembly point (non-blocking)."""
        if self.plant is None or not self.session.writable():
            return None
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Walk-up check-in"))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        name = QLineEdit()
        kind = QComboBox()
        for key, text in (("visitor", self.tr("visitor")), ("contractor", self.tr("contractor")),
                          ("employee", self.tr("employee not on the roster")), ("driver", self.tr("driver"))):
            kind.addItem(text, key)
        company = QLineEdit()
        ap = QComboBox()
        for label, aid in self.ap_choices():
            ap.addItem(label, aid)
        form = QFormLayout()
        form.addRow(self.tr("Name:"), name)
        form.addRow(self.tr("Kind:"), kind)
        form.addRow(self.tr("Company:"), company)
        form.addRow(self.tr("Assembly point:"), ap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        lay = QVBoxLayout(dlg)
        lay.addLayout(form)
        lay.addWidget(buttons)

        def accept() -> None:
            if name.text().strip():
                self.check_in(name.text().strip(), kind.currentData(), company.text().strip(), ap.currentData())
                dlg.accept()

        buttons.accepted.connect(accept)
        buttons.rejected.connect(dlg.reject)
        dlg.name_edit, dlg.ap_combo, dlg.kind_combo = name, ap, kind  # type: ignore[attr-defined]
        dlg.company_edit, dlg.buttons = company, buttons  # type: ignore[attr-defined]
        dlg.destroyed.connect(lambda: setattr(self, "checkin_dialog", None))
        self.checkin_dialog = dlg
        dlg.open()
        return dlg

    def check_in(self, name: str, kind: str, company: str, assembly_point_id: str) -> list:
        """Record a walk-up: added to the people on site and mustered at ``assembly_point_id``."""
        return self.session.check_in(name, kind=kind, company=company, assembly_point_id=assembly_point_id)

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        """Count, assembly points and the unaccounted list from the board."""
        self.board = board = self.compute()
        if board is None:
            self.count_label.setText(self.tr("No incident open"))
            self.count_label.setStyleSheet("")
            self.detail_label.setText("")
            self.points.setRowCount(0)
            self.unaccounted.setRowCount(0)
            self._update_buttons()
            return
        n = len(board.unaccounted)
        if board.ordered:
            self.count_label.setText(self.tr("{n} unaccounted for").format(n=n))
            self.count_label.setStyleSheet("QLabel { color: %s; }" % ("#b71c1c" if n else "#2e7d32"))
        else:
            self.count_label.setText(self.tr("No evacuation ordered"))
            self.count_label.setStyleSheet("QLabel { color: #455a64; }")
        r = len(board.responders)
        responders = (self.tr("1 responder on a task") if r == 1
                      else self.tr("{r} responders on tasks").format(r=r))
        self.detail_label.setText(self.tr("{ordered} ordered to muster of {on} on site · {m} mustered · "
                                          "{responders}").format(
            ordered=board.ordered, on=board.on_site, m=board.mustered, responders=responders))
        lang = current_language()
        points = sorted(board.points, key=lambda p: (-p.missing, -p.expected, -p.arrived, p.id))
        self.points.setRowCount(len(points))
        for i, p in enumerate(points):
            missing = p.missing
            cap = f"{p.capacity:.0f}" if p.capacity is not None else "—"
            over = p.capacity is not None and p.arrived > p.capacity
            fill_row(self.points, i, [
                cell(p.name_en if lang == "en" else p.name, data=p.id, tip=p.id),
                cell(str(p.expected), align_right=True),
                cell(str(p.arrived), align_right=True, colour=GREEN if p.arrived >= p.expected else None),
                cell(str(missing), align_right=True, colour=RED if missing else GREY, bold=bool(missing)),
                cell(cap, align_right=True, colour=RED if over else None)])
        self.points.resizeColumnsToContents()
        self.points.horizontalHeader().setStretchLastSection(False)
        keep = self.selected_person()
        self.unaccounted.blockSignals(True)
        self.unaccounted.setRowCount(n)
        zone_names = {"red": self.tr("red"), "orange": self.tr("orange"), "yellow": self.tr("yellow")}
        for i, u in enumerate(board.unaccounted):
            age = (self.tr("{age} ago").format(age=duration(u.age_s)) if u.age_s is not None
                   else self.tr("no report yet"))
            old = u.age_s is None or u.age_s > 60
            fill_row(self.unaccounted, i, [
                cell(u.person_id, data=u.person_id, bold=u.zone == "red"),
                cell(u.name + (self.tr(" (walk-up)") if u.walk_up else "")),
                cell(self._role(u.role)),
                cell(age, colour=RED if old else None, align_right=True),
                cell(zone_names.get(u.zone or "", "—"), colour=ZONE_COLOURS.get(u.zone or ""), bold=bool(u.zone)),
                cell(u.expected_ap or "—")])
            if u.person_id == keep:
                self.unaccounted.selectRow(i)
        self.unaccounted.blockSignals(False)
        self.unaccounted.resizeColumnsToContents()
        self.unaccounted.horizontalHeader().setStretchLastSection(True)
        self._update_buttons()

    def _role(self, role: str) -> str:
        return role_title(role)

    def _update_buttons(self) -> None:
        ok = self.session.writable()
        self.roll_button.setEnabled(ok and self.selected_person() is not None)
        self.walkup_button.setEnabled(ok and self.plant is not None)

    def retranslate_ui(self) -> None:
        """Set every fixed text in the UI language."""
        self.points.setHorizontalHeaderLabels([self.tr("Assembly point"), self.tr("Expected"), self.tr("Arrived"),
                                               self.tr("Missing"), self.tr("Capacity")])
        self.unaccounted.setHorizontalHeaderLabels([self.tr("Person"), self.tr("Name"), self.tr("Role"),
                                                    self.tr("Last position (age)"), self.tr("Zone"),
                                                    self.tr("Expected at")])
        self.unaccounted_title.setText(self.tr("Unaccounted for (worst first; click to show on the map)"))
        self.roll_button.setText(self.tr("Mark present (roll call)…"))
        self.roll_button.setToolTip(self.tr("Mark the selected person present at an assembly point (Ctrl+R)"))
        self.walkup_button.setText(self.tr("Walk-up check-in…"))
        self.walkup_button.setToolTip(self.tr("Check in a visitor or contractor who is not on the roster"))


def board_summary(board: MusterBoard) -> dict[str, Any]:
    """The board's figures as plain data (for screenshots' captions and tests)."""
    return {"on_site": board.on_site, "mustered": board.mustered, "responders": len(board.responders),
            "unaccounted": len(board.unaccounted)}
