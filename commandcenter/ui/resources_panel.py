"""The Resources dock: what is nearest to the incident by walking time around the hazard, who is qualified
and near, what the launched plan is short of, and the path to the chosen resource on the map.

A view of the session: the queries are :class:`commandcenter.services.resources_service.ResourcesService`'s
(walking time on the walkway graph, never through or into the red zone), run off the UI thread on a
snapshot of the incident state so the UI thread keeps folding events. The place is the incident's (the
current assessment's source, else the newest alarm with a position) or one clicked on the map. Dispatching
records ``resource.dispatched`` through the session; the external request for what is short records
``resource.requested``. A read-only session (a replay) shows the board at its time without the buttons.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter.services.jobs import JobRunner
from commandcenter.ui.job_bridge import JobBridge
from commandcenter.ui.panel_base import table
from commandcenter.ui.side_dock import Retranslating, Squeezable, dock_of, install_side_dock, set_dock_title
from commandcenter.ui.translations import current_language

KIND = "resources_query"
Z_PATH = 17.0  # above the routes (16), below the personnel dots (20)
PATH_RGB = (0, 140, 70)
LIMIT = 8
REFRESH_MS = 150
STATE_KEYS = ("resources", "hazard", "incident", "personnel", "seq", "t_us")


KIND_NAMES = {"scba": QT_TRANSLATE_NOOP("ResourcesPanel", "Breathing apparatus (SCBA)"),
              "extinguisher": QT_TRANSLATE_NOOP("ResourcesPanel", "Extinguisher"),
              "hydrant": QT_TRANSLATE_NOOP("ResourcesPanel", "Hydrant"),
              "first_aid": QT_TRANSLATE_NOOP("ResourcesPanel", "First-aid kit"),
              "eyewash": QT_TRANSLATE_NOOP("ResourcesPanel", "Eyewash station"),
              "spill_kit": QT_TRANSLATE_NOOP("ResourcesPanel", "Spill kit"),
              "gas_detector": QT_TRANSLATE_NOOP("ResourcesPanel", "Gas detector"),
              "stretcher": QT_TRANSLATE_NOOP("ResourcesPanel", "Stretcher"),
              "fire_truck": QT_TRANSLATE_NOOP("ResourcesPanel", "Fire truck"),
              "person": QT_TRANSLATE_NOOP("ResourcesPanel", "Person"),
              "other": QT_TRANSLATE_NOOP("ResourcesPanel", "Other")}


TEAM_NAMES = {"fire_brigade": QT_TRANSLATE_NOOP("ResourcesPanel", "fire brigade"),
              "medical": QT_TRANSLATE_NOOP("ResourcesPanel", "medical team"),
              "hazmat": QT_TRANSLATE_NOOP("ResourcesPanel", "hazmat team"),
              "maintenance": QT_TRANSLATE_NOOP("ResourcesPanel", "maintenance team"),
              "security": QT_TRANSLATE_NOOP("ResourcesPanel", "security team")}
QUALIFICATION_NAMES = {"confined_space": QT_TRANSLATE_NOOP("ResourcesPanel", "confined space"),
                       "cpr": QT_TRANSLATE_NOOP("ResourcesPanel", "CPR"),
                       "crane": QT_TRANSLATE_NOOP("ResourcesPanel", "crane"),
                       "electrical": QT_TRANSLATE_NOOP("ResourcesPanel", "electrical work"),
                       "emergency_medical": QT_TRANSLATE_NOOP("ResourcesPanel", "emergency medical"),
                       "fire_fighting": QT_TRANSLATE_NOOP("ResourcesPanel", "fire fighting"),
                       "first_aid": QT_TRANSLATE_NOOP("ResourcesPanel", "first aid"),
                       "forklift": QT_TRANSLATE_NOOP("ResourcesPanel", "forklift"),
                       "gas_testing": QT_TRANSLATE_NOOP("ResourcesPanel", "gas testing"),
                       "hazmat": QT_TRANSLATE_NOOP("ResourcesPanel", "hazmat"),
                       "hot_work": QT_TRANSLATE_NOOP("ResourcesPanel", "hot work"),
                       "incident_command": QT_TRANSLATE_NOOP("ResourcesPanel", "incident command"),
                       "pressure_vessel": QT_TRANSLATE_NOOP("ResourcesPanel", "pressure vessel"),
                       "scba": QT_TRANSLATE_NOOP("ResourcesPanel", "SCBA"),
                       "work_at_height": QT_TRANSLATE_NOOP("ResourcesPanel", "work at height")}


def _words(names: dict[str, str], code: str) -> str:
    text = names.get(code)
    return QCoreApplication.translate("ResourcesPanel", text) if text else code.replace("_", " ")


def pick_name(name: str | None, name_en: str | None, lang: str | None = None) -> str:
    """The name in the UI language (``lang``, default :func:`current_language`): ``name`` is the Chinese one,
    ``name_en`` the English one; either falls back to the other (empty when neither is set)."""
    zh, en = (name or "").strip(), (name_en or "").strip()
    return (zh or en) if (lang or current_language()) == "zh" else (en or zh)


def kind_name(kind: str) -> str:
    """A resource kind in the UI language."""
    text = KIND_NAMES.get(kind)
    return QCoreApplication.translate("ResourcesPanel", text) if text else kind


def walk_text(seconds: float | None) -> str:
    """``2 min 05 s`` / ``45 s`` (— when unknown)."""
    if seconds is None:
        return "—"
    s = round(seconds)
    return f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{s} s"


class RuntimeView:
    """A frozen copy of what the resources service reads of a runtime (taken on the UI thread, read by the
    worker): the plant, the plans host, the clock reading and the parts of the state it folds."""

    def __init__(self, rt: Any):
        self.plant = rt.plant
        self.plans = rt.plans
        self.tz = rt.tz
        self.incident_id = rt.incident_id
        self._now = rt.now()
        self.state = {k: copy.deepcopy(rt.state[k]) for k in STATE_KEYS if k in rt.state}
        self.level = self.state.get("incident", {}).get("level")

    def now(self) -> dt.datetime:
        """The incident clock when the copy was taken."""
        return self._now

    def local(self, t: dt.datetime) -> dt.datetime:
        """``t`` in the plant's time zone."""
        return t.astimezone(self.tz)


def query(service: Any, view: RuntimeView, place: tuple[float, float] | None, kind: str | None,
          request: int = 0) -> dict[str, Any]:
    """The background work of one refresh, Qt-free: nearest resources and people to ``place`` (default: the
    incident's), the shortages of the launched plan, the board's warnings. Problems come back as text in
    ``errors`` (a place off the walkways, no place yet), never as an exception."""
    service.rt = view
    out: dict[str, Any] = {"place": None, "resources": None, "people": None, "shortages": None, "errors": [],
                           "warnings": service.warnings(), "seq": view.state.get("seq"), "request": request}
    xy = place or service.incident_place()
    if xy is None:
        out["errors"].append("no-place")
        return out
    out["place"] = xy
    try:
        out["resources"] = service.nearest(xy[0], xy[1], kind=kind, limit=LIMIT)
        out["people"] = service.nearest_people(xy[0], xy[1], limit=LIMIT)
        out["shortages"] = service.shortages(xy[0], xy[1], by="console")
    except ValueError as exc:  # resources.walking.QueryError: the place is off the walkways
        out["errors"].append(str(exc))
    return out


class PathLayer:
    """The walking path to the chosen resource (or person) and the place, on a :class:`MapView`."""

    def __init__(self, map_view: Any):
        self.map_view = map_view
        self.items: list = []
        self.path: np.ndarray | None = None

    def clear(self) -> None:
        """Remove the path from the map."""
        for item in self.items:
            self.map_view.viewbox.removeItem(item)
        self.items = []
        self.path = None

    def show(self, path: list[list[float]] | None, place: tuple[float, float] | None) -> None:
        """Draw ``path`` ([x, y] in the plant CRS, from the resource to the place) and the place."""
        self.clear()
        ox, oy = self.map_view.origin
        if path:
            xy = np.asarray(path, dtype=float)
            self.path = xy
            line = pg.PlotDataItem(xy[:, 0] - ox, xy[:, 1] - oy,
                                   pen=pg.mkPen(color=(*PATH_RGB, 235), width=5, cosmetic=True,
                                                style=Qt.PenStyle.DashLine))
            start = pg.ScatterPlotItem([xy[0, 0] - ox], [xy[0, 1] - oy], size=16, symbol="s",
                                       pen=pg.mkPen((0, 80, 40), width=2), brush=pg.mkBrush(*PATH_RGB, 200))
            self._add(line, Z_PATH)
            self._add(start, Z_PATH + 0.1)
        if place is not None:
            mark = pg.ScatterPlotItem([place[0] - ox], [place[1] - oy], size=22, symbol="star",
                                      pen=pg.mkPen((90, 0, 0), width=1.5), brush=pg.mkBrush(230, 30, 30, 230))
            self._add(mark, Z_PATH + 0.2)

    def _add(self, item: Any, z: float) -> None:
        item.setZValue(z)
        self.map_view.viewbox.addItem(item, ignoreBounds=True)
        self.items.append(item)


class ResourcesPanel(Squeezable, Retranslating, QWidget):
    """See the module docstring. ``map_view`` draws the path; ``session`` is the window's session."""

    #: a refresh finished (the result dict of :func:`query`)
    refreshed = Signal(object)
    #: the place was set by a click on the map (x, y in the plant CRS)
    placePicked = Signal(float, float)
    #: show this place on the map (x, y in the plant CRS): a row was double-clicked
    showOnMap = Signal(float, float)

    def __init__(self, session: Any, map_view: Any = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("resourcesPanel")
        self.session = session
        self.plant: Any = None
        self.map_view: Any = None
        self.layer: PathLayer | None = None
        self.attach_map(map_view)
        self.result: dict[str, Any] | None = None
        self.place: tuple[float, float] | None = None  # picked on the map; None = the incident's place
        self.picking = False
        self._service: Any = None
        self._service_rt: Any = None
        self._inventory_kinds: list[str] = []
        self._names: dict[str, Any] = {}
        self.runner = JobRunner(max_workers=1)
        self.bridge = JobBridge(self.runner, self)
        self._job: Any = None
        self._again = False
        self._stale = False
        self._request = 0
        self._soon = QTimer(self)  # a burst of events queries once
        self._soon.setSingleShot(True)
        self._soon.setInterval(REFRESH_MS)
        self._soon.timeout.connect(self.refresh)
        self.bridge.finished.connect(self._finished)
        self.bridge.failed.connect(self._failed)
        session.reset.connect(self._reset)
        session.changed.connect(self._events)

        self.place_label = QLabel()
        self.place_label.setWordWrap(True)
        self.pick_button = QPushButton()
        self.pick_button.setCheckable(True)
        self.pick_button.toggled.connect(self._pick_toggled)
        self.incident_button = QPushButton()
        self.incident_button.clicked.connect(self.use_incident_place)
        self.kind_box = QComboBox()
        self.kind_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table = table(4)
        self.people = table(4)
        self.table.itemSelectionChanged.connect(lambda: self._selected(self.table, "resources"))
        self.people.itemSelectionChanged.connect(lambda: self._selected(self.people, "people"))
        self.table.cellDoubleClicked.connect(lambda r, _c: self._show_on_map("resources", r))
        self.people.cellDoubleClicked.connect(lambda r, _c: self._show_on_map("people", r))
        self.excluded_label = QLabel()
        self.excluded_label.setWordWrap(True)
        self.excluded_label.setStyleSheet("QLabel { color: #7a0000; }")
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 1)
        self.dispatch_button = QPushButton()
        self.dispatch_button.setObjectName("dispatchResource")
        self.dispatch_button.clicked.connect(self.dispatch_selected)
        self.send_button = QPushButton()
        self.send_button.clicked.connect(self.send_selected_person)
        self.short_label = QLabel()
        self.short_label.setWordWrap(True)
        self.short_label.setTextFormat(Qt.TextFormat.RichText)
        self.request_button = QPushButton()
        self.request_button.clicked.connect(self.request_shortages)
        self.warn_label = QLabel()
        self.warn_label.setWordWrap(True)
        self.warn_label.setStyleSheet("QLabel { color: #7a4b00; }")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.resources_title = QLabel()
        self.people_title = QLabel()
        for label in (self.resources_title, self.people_title):
            label.setStyleSheet("QLabel { font-weight: bold; }")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.place_label)
        row = QHBoxLayout()
        row.addWidget(self.pick_button)
        row.addWidget(self.incident_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.resources_title, 1)
        row.addWidget(self.kind_box, 1)
        layout.addLayout(row)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.excluded_label)
        row = QHBoxLayout()
        row.addWidget(self.quantity)
        row.addWidget(self.dispatch_button, 1)
        layout.addLayout(row)
        layout.addWidget(self.people_title)
        layout.addWidget(self.people, 2)
        layout.addWidget(self.send_button)
        layout.addWidget(self.short_label)
        layout.addWidget(self.request_button)
        layout.addWidget(self.warn_label)
        layout.addWidget(self.status_label)
        self.retranslate_ui()
        self._update_buttons()

    # ------------------------------------------------------------------ state
    def attach_map(self, map_view: Any) -> None:
        """Draw paths on ``map_view`` and take place clicks from it (once; None: not yet)."""
        if map_view is None or map_view is self.map_view:
            return
        self.map_view = map_view
        self.layer = PathLayer(map_view)
        map_view.scene().sigMouseClicked.connect(self._map_clicked)

    def _find_map(self) -> None:
        if self.map_view is None:
            self.attach_map(getattr(self.window(), "map_view", None))

    def set_plant(self, plant: Any) -> None:
        """The plant shown changed: start again around the new incident's place."""
        self.plant = plant
        self._reset()

    def _show_on_map(self, key: str, row: int) -> None:
        rows = ((self.result or {}).get(key) or {}).get("results") or []
        if 0 <= row < len(rows) and rows[row].get("path"):
            x, y = rows[row]["path"][0]
            self.showOnMap.emit(float(x), float(y))

    @property
    def writable(self) -> bool:
        """Whether the session takes new events (not a replay, not closed)."""
        rt = getattr(self.session, "runtime", None)
        return rt is not None and not rt.read_only and not rt.closed

    def service(self) -> Any:
        """The resources service of the session's incident (made once per runtime; None without one or
        without a plant)."""
        rt = getattr(self.session, "runtime", None)
        if rt is None or rt.plant is None:
            return None
        if self._service is None or self._service_rt is not rt:
            from commandcenter.services.resources_service import ResourcesService

            self._service = ResourcesService(rt)
            self._service_rt = rt
            kinds = sorted({str(k) for k in self._service.inventory.kinds.tolist()})
            self._fill_kinds(kinds)
        return self._service

    def _fill_kinds(self, kinds: list[str]) -> None:
        keep = self.kind_box.currentData()
        self._inventory_kinds = kinds
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        self.kind_box.addItem(self.tr("Any kind"), None)
        for k in kinds:
            self.kind_box.addItem(kind_name(k), k)
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(keep)))
        self.kind_box.blockSignals(False)

    def _reset(self) -> None:
        self._find_map()
        self.place = None
        self.result = None
        if self.layer is not None:
            self.layer.clear()
        self.refresh()

    def _events(self, events: list) -> None:
        if any(t.startswith(("resource.", "hazard.", "alarm.", "plan.", "level.", "incident."))
               for t in self.session.types_of(events)):
            self._soon.start()

    # ------------------------------------------------------------------ querying
    def refresh(self):  # type: ignore[no-untyped-def]
        """Query again in the background (returns the job; None without an incident)."""
        self._soon.stop()
        self._hook_dock()
        if not self.looked_at():  # nobody looks: query when shown (a hidden tab costs nothing in a replay)
            self._stale = True
            return None
        self._stale = False
        svc = self.service()
        self._update_buttons()
        if svc is None:
            self.result = None
            self._show()
            return None
        if self._job is not None and not self._job.future.done():  # one query at a time: again when it ends
            self._again = True
            return self._job
        self._again = False
        view = RuntimeView(self.session.runtime)
        place, kind = self.place, self.kind_box.currentData()
        self._request += 1
        request = self._request
        self.status_label.setText(self.tr("Searching by walking time…"))
        self._job = self.bridge.submit(KIND, lambda token: query(svc, view, place, kind, request))
        return self._job

    def _finished(self, kind: str, result: object) -> None:
        if kind != KIND or result.get("request") != self._request:  # type: ignore[union-attr]
            return  # the answer to an older question (a newer one is on its way)
        if self._again:  # something changed while it ran: its answer is already old
            self._job = None
            self.refresh()
            return
        self.result = result  # type: ignore[assignment]
        self._show()
        self.refreshed.emit(result)

    def _failed(self, kind: str, message: str) -> None:
        if kind == KIND:
            self.status_label.setText(self.tr("Search failed: {message}").format(message=message))
            if self._again:
                self._job = None
                self.refresh()

    # ------------------------------------------------------------------ showing
    def _show(self) -> None:
        r = self.result
        self.table.setRowCount(0)
        self.people.setRowCount(0)
        self.excluded_label.setText("")
        self.short_label.setText("")
        self.request_button.hide()
        if self.layer is not None:
            self.layer.clear()
        if r is None:
            self.place_label.setText(self.tr("No incident is open."))
            self.status_label.setText("")
            self.warn_label.setText("")
            return
        self.status_label.setText("")
        self._show_place(r)
        self._show_warnings(r["warnings"])
        if r["resources"] is None:
            return
        from commandcenter.ui.muster_panel import role_title

        self._fill(self.table, r["resources"]["results"],
                   lambda it: [self.resource_name(it), kind_name(it["kind"]), walk_text(it.get("walk_s")),
                               f"{it['available']}"])
        self._fill(self.people, r["people"]["results"],
                   lambda it: [f"{it.get('name') or it['id']} ({it['id']})", role_title(it.get("role") or ""),
                               walk_text(it.get("walk_s")),
                               ", ".join([*(_words(TEAM_NAMES, x) for x in it.get("teams") or []),
                                          *(_words(QUALIFICATION_NAMES, x) for x in it.get("qualifications") or [])])])
        cut = [e for e in r["resources"]["excluded"] if e["reason"] == "inside-red-zone"]
        if cut:
            self.excluded_label.setText(self.tr("Not offered, inside the red zone: {items}").format(
                items=", ".join(e["id"] for e in cut[:8]) + (" …" if len(cut) > 8 else "")))
        self._show_shortages(r["shortages"])
        if self.table.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def resource_name(self, item: dict) -> str:
        """The name of a resource row in the UI language, from the inventory's Chinese and English names (the
        query's ``name`` is one of them), else its id."""
        inv = getattr(self._service, "inventory", None)
        names = self._names
        if inv is not None and names.get("_inv") is not inv:
            names = self._names = {"_inv": inv, **{str(i): (zh, en) for i, zh, en in
                                                   zip(inv.ids.tolist(), list(inv.names), list(inv.names_en),
                                                       strict=True)}}
        zh, en = names.get(item["id"]) or (item.get("name"), None)
        return pick_name(zh, en) or item["id"]

    def _show_place(self, r: dict) -> None:
        if r["place"] is None:
            self.place_label.setText(self.tr("No incident place yet: compute a hazard zone, or pick a place on "
                                             "the map."))
            return
        if r["errors"]:
            self.place_label.setText(self.tr("This place cannot be reached on foot: {why}").format(
                why="; ".join(r["errors"])))
            return
        dest = (r["resources"] or {}).get("destination") or {}
        where = self.tr("the place picked on the map") if self.place is not None else self._incident_place_name()
        text = self.tr("Nearest to {where}, by walking time around the hazard.").format(where=where)
        if dest.get("staging"):
            text += " " + self.tr("The place is inside the red zone: routes end at its edge ({m:.0f} m short).").format(
                m=dest.get("inside_red_m") or 0.0)
        self.place_label.setText(text)

    def _incident_place_name(self) -> str:
        state = self.session.state or {}
        src = ((state.get("hazard") or {}).get("current") or {}).get("source") or {}
        if src.get("id"):
            name = pick_name(src.get("name"), src.get("name_en"))
            return self.tr("the release at {name}").format(name=f"{name} ({src['id']})" if name else src["id"])
        return self.tr("the newest alarm")

    def _show_warnings(self, warnings: list[dict]) -> None:
        if not warnings:
            self.warn_label.setText("")
            return
        expired = sum(1 for w in warnings if w.get("code") in ("expired", "inspection-overdue", "overdue"))
        self.warn_label.setText(self.tr("{n} inventory warnings ({expired} expired or overdue): see the tooltip")
                                .format(n=len(warnings), expired=expired))
        self.warn_label.setToolTip("\n".join(str(w.get("message") or w.get("text")) for w in warnings[:40]))

    def _show_shortages(self, s: dict | None) -> None:
        if not s or not s.get("plan"):
            self.short_label.setText(self.tr("No plan launched: nothing to check for shortages."))
            return
        if not s["shortages"]:
            self.short_label.setText(self.tr("Plan {plan} at {level}: enough of everything outside the hazard.")
                                     .format(plan=s["plan"], level=s["level"]))
            return
        lines = []
        for x in s["shortages"]:
            lines.append(self.tr("<b>Short of {kind}: {short}</b> (needed {needed}, {available} outside the hazard, "
                                 "{in_hazard} inside, {requested} requested)").format(
                kind=kind_name(x["kind"]), short=x["short"], needed=x["needed"], available=x["available"],
                in_hazard=x["in_hazard"], requested=x["requested"]))
        deliver = s.get("deliver_to") or {}
        if deliver:
            lines.append(self.tr("Outside help should deliver to {gate} ({walk} on foot from the place).").format(
                gate=deliver.get("name") or deliver.get("id"), walk=walk_text(deliver.get("walk_s"))))
        self.short_label.setText("<br>".join(lines))
        self.request_button.setVisible(self.writable and bool(s.get("drafts")))

    def _fill(self, table: QTableWidget, rows: list[dict], cells: Any) -> None:
        table.setRowCount(len(rows))
        for i, it in enumerate(rows):
            for c, text in enumerate(cells(it)):
                item = QTableWidgetItem(str(text))
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, it["id"])
                if it.get("mode") == "drive" and c == 2:
                    item.setText(f"{walk_text(it.get('drive_s'))} 🚒")
                table.setItem(i, c, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _selected(self, table: QTableWidget, key: str) -> None:
        rows = table.selectionModel().selectedRows() if table.selectionModel() else []
        if not rows or self.result is None or self.result.get(key) is None:
            return
        other = self.people if table is self.table else self.table
        other.blockSignals(True)
        other.clearSelection()
        other.blockSignals(False)
        it = self.result[key]["results"][rows[0].row()]
        self._find_map()
        if self.layer is not None:
            self.layer.show(it.get("path"), self.result.get("place"))
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                cell = table.item(r, c)
                if cell is not None:
                    cell.setBackground(QBrush(QColor(*PATH_RGB, 45)) if r == rows[0].row() else QBrush())
        self._update_buttons()

    def selected(self, key: str = "resources") -> dict | None:
        """The chosen row of ``resources`` or ``people`` (None when none is chosen)."""
        table = self.table if key == "resources" else self.people
        rows = table.selectionModel().selectedRows() if table.selectionModel() else []
        if not rows or self.result is None or self.result.get(key) is None:
            return None
        return self.result[key]["results"][rows[0].row()]

    def _update_buttons(self) -> None:
        item = self.selected("resources")
        person = self.selected("people")
        free = int(item.get("available") or 0) if item else 0
        self.quantity.setRange(1, max(1, free))
        for w in (self.dispatch_button, self.quantity, self.send_button, self.pick_button, self.incident_button):
            w.setVisible(self.writable or w in (self.pick_button, self.incident_button))
        self.dispatch_button.setEnabled(self.writable and item is not None and free > 0)
        self.send_button.setEnabled(self.writable and person is not None)
        self.incident_button.setEnabled(self.place is not None)

    # ------------------------------------------------------------------ the place
    def _pick_toggled(self, on: bool) -> None:
        self._find_map()
        self.picking = on
        if on:
            self.status_label.setText(self.tr("Click the place on the map."))

    def _map_clicked(self, ev: Any) -> None:
        if not self.picking or ev.button() != Qt.MouseButton.LeftButton or self.map_view is None:
            return
        ev.accept()
        p = self.map_view.viewbox.mapSceneToView(ev.scenePos())
        x, y = self.map_view.to_plant(p.x(), p.y())
        self.pick_button.setChecked(False)
        self.set_place(x, y)
        self.placePicked.emit(x, y)

    def set_place(self, x: float, y: float):  # type: ignore[no-untyped-def]
        """Search around (x, y) in the plant CRS instead of the incident's place; returns the job."""
        self.place = (float(x), float(y))
        return self.refresh()

    def use_incident_place(self):  # type: ignore[no-untyped-def]
        """Search around the incident's place again; returns the job."""
        self.place = None
        return self.refresh()

    # ------------------------------------------------------------------ actions (through the session)
    def _place_text(self) -> str:
        if self.place is None:
            state = self.session.state or {}
            src = ((state.get("hazard") or {}).get("current") or {}).get("source") or {}
            if src.get("id"):
                return f"incident: {src['id']}"
            return "incident"
        return f"map point {self.place[0]:.1f}, {self.place[1]:.1f}"

    def dispatch_selected(self) -> list:
        """Record the dispatch of the chosen resource (the quantity chosen) to the place: a
        ``resource.dispatched`` event with the walking time. Returns the events (empty when refused)."""
        from resources.ledger import ResourceError, dispatch

        item = self.selected("resources")
        svc = self.service()
        if item is None or svc is None or self.result is None or not self.writable:
            return []
        x, y = self.result["place"]
        try:
            draft = dispatch(svc.inventory, self.session.state["resources"], item["id"], self.session.now(),
                             to=self._place_text(), quantity=self.quantity.value(), by="console",
                             walk_s=item.get("walk_s"), x=x, y=y)
        except ResourceError as exc:
            self.session.refused.emit(str(exc))
            self.status_label.setText(str(exc))
            return []
        return self.session.submit(draft)

    def send_selected_person(self) -> list:
        """Record the dispatch of the chosen qualified person to the place (``person:<id>``)."""
        from resources.ledger import ResourceError, dispatch_unit

        person = self.selected("people")
        if person is None or self.result is None or not self.writable:
            return []
        x, y = self.result["place"]
        try:
            draft = dispatch_unit(self.session.now(), to=self._place_text(), person_id=person["id"], by="console",
                                  walk_s=person.get("walk_s"), x=x, y=y)
        except ResourceError as exc:
            self.session.refused.emit(str(exc))
            return []
        return self.session.submit(draft)

    def request_shortages(self) -> list:
        """Record the drafted external requests for what the plan is short of."""
        s = (self.result or {}).get("shortages") or {}
        drafts = s.get("drafts") or []
        if not drafts or not self.writable:
            return []
        now = self.session.now()
        from vocabulary.events import Draft

        return self.session.submit([Draft(d.type, now, d.payload) for d in drafts])

    # ------------------------------------------------------------------ language
    def retranslate_ui(self) -> None:
        """Set every text in the current UI language."""
        self.resources_title.setText(self.tr("Nearest resources"))
        self.people_title.setText(self.tr("Nearest people on shift"))
        self.pick_button.setText(self.tr("Pick a place on the map"))
        self.incident_button.setText(self.tr("Back to the incident"))
        self.table.setHorizontalHeaderLabels([self.tr("Resource"), self.tr("Kind"), self.tr("Walk"), self.tr("Free")])
        self.people.setHorizontalHeaderLabels([self.tr("Person"), self.tr("Role"), self.tr("Walk"),
                                               self.tr("Teams and qualifications")])
        self.dispatch_button.setText(self.tr("Dispatch to the incident"))
        self.send_button.setText(self.tr("Send this person"))
        self.request_button.setText(self.tr("Record the external request"))
        set_dock_title(self, self.tr("Resources"))
        if self._inventory_kinds:
            self._fill_kinds(self._inventory_kinds)
        self._show()

    def showEvent(self, event: Any) -> None:
        """Query what changed while the panel was hidden."""
        super().showEvent(event)
        if self._stale:
            self._soon.start()

    def looked_at(self) -> bool:
        """Whether the panel is on the screen (shown, and not a tab behind another)."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def _hook_dock(self) -> None:
        dock = dock_of(self)
        if dock is not None and not getattr(self, "_hooked", False):
            self._hooked = True
            dock.visibilityChanged.connect(lambda on: self._soon.start() if on and self._stale else None)


class _DockFollower(QObject):
    """Refreshes the panel when its dock is shown (queries only run while someone looks)."""

    def __init__(self, dock: QDockWidget, panel: ResourcesPanel):
        super().__init__(dock)
        dock.visibilityChanged.connect(lambda on: panel.refresh() if on else None)


def install_resources_panel(window: QMainWindow) -> QDockWidget:
    """Add the Resources dock (hidden until asked for) to the right of ``window``, its toggle to the View and
    Emergency menus. Returns the dock; the panel is ``dock.widget()``."""
    panel = ResourcesPanel(window.session, getattr(window, "map_view", None))
    dock = install_side_dock(window, panel, "resourcesDock", 440,
                             menu=getattr(getattr(window, "hazard_tool", None), "menu", None))
    dock.hide()
    panel.retranslate_ui()
    _DockFollower(dock, panel)
    if hasattr(window, "plantChanged"):
        window.plantChanged.connect(lambda: panel.set_plant(getattr(window, "plant", None)))
    if hasattr(window, "map_view"):
        panel.showOnMap.connect(lambda x, y: _centre(window.map_view, x, y))
    return dock


def _centre(map_view: Any, x: float, y: float) -> None:
    if hasattr(map_view, "centre_on"):
        map_view.centre_on(x, y)
