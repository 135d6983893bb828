"""Hazard zones on the map: red/orange/yellow translucent zones, the wind-direction confidence wedge, the
wind arrow and the number of people inside each zone; and the "Emergency → Hazard zone…" action.

The action opens :class:`commandcenter.ui.hazard_dialog.HazardDialog` (non-modal: while it is open a
click on the map picks the equipment under the cursor). The release is assessed off the UI thread through
:class:`JobBridge` by :func:`commandcenter.services.assessment.assess_equipment` — zones, people inside,
fence crossings, the proposed level with its reason and the cordon/evacuation radii — and recorded as one
``hazard.assessed`` event built by :func:`commandcenter.services.assessment.assessed_draft`. The layer then
draws what the log holds (``state["hazard"]["current"]``), so a restart or a replay shows the same picture.
Refused inputs go back to the dialog, explained in the UI language.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pyqtgraph as pg
import shapely
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QMainWindow, QMessageBox

from commandcenter.services.jobs import JobRunner
from commandcenter.ui.geometry_paths import polygons_path
from commandcenter.ui.hazard_dialog import HazardDialog, HazardRequest
from commandcenter.ui.job_bridge import JobBridge
from commandcenter.ui.translations import current_language

KIND = "hazard_zones"
Z_HAZARD = 15.0  # above the plant's features and point symbols, below the personnel dots (20)
ZONE_RGBA = {"red": (220, 30, 30, 90), "orange": (245, 140, 20, 80), "yellow": (240, 220, 40, 70)}
ZONE_EDGE = {"red": (170, 0, 0, 230), "orange": (200, 100, 0, 230), "yellow": (170, 150, 0, 230)}
DRAW_ORDER = ("yellow", "orange", "red")
PICK_PX = 12.0  # a click this many pixels from a hazard source picks it
Z_PICK = 40.0  # the picked-equipment ring moves: drawn with the map's tools, never in its cached background
PICK_MIN_M = 15.0


def zone_name(level: str) -> str:
    """The zone's colour name in the UI language."""
    return {"red": QCoreApplication.translate("HazardLayer", "Red"),
            "orange": QCoreApplication.translate("HazardLayer", "Orange"),
            "yellow": QCoreApplication.translate("HazardLayer", "Yellow")}.get(level, level)


def reach_text(row: dict) -> str:
    """The reach of one zone row (:func:`commandcenter.services.zones.zone_rows`) in the UI language."""
    if row.get("beyond_10km"):
        return QCoreApplication.translate("HazardLayer", "beyond 10 km")
    d = row.get("reach_m")
    if d is not None:
        return f"{d:,.0f} m"
    return "—" if row.get("drawn") else QCoreApplication.translate("HazardLayer", "none")


def people_text(row: dict) -> str:
    """People inside one zone row, or that they were not counted."""
    n = row.get("people")
    if n is None:
        return QCoreApplication.translate("HazardLayer", "not counted")
    if int(n) == 1:
        return QCoreApplication.translate("HazardLayer", "1 person")
    return QCoreApplication.translate("HazardLayer", "{n} people").format(n=int(n))


class HazardLayer:
    """The graphics of one hazard-zone result on a :class:`MapView`; :meth:`show` replaces the last one."""

    def __init__(self, map_view) -> None:  # type: ignore[no-untyped-def]
        self.map_view = map_view
        self.items: list = []
        self.report: dict | None = None
        self.zone_polygons: dict[str, shapely.Polygon] = {}
        self.label: pg.TextItem | None = None
        self._label_at: tuple[float, float] = (0.0, 0.0)
        self._label_anchor: tuple[float, float] = (0.0, 1.0)
        map_view.viewbox.sigRangeChanged.connect(self.place_label)
        map_view.viewbox.sigResized.connect(self.place_label)

    def clear(self) -> None:
        """Remove the zones from the map."""
        for item in self.items:
            self.map_view.viewbox.removeItem(item)
        self.items = []
        self.label = None
        self.report = None
        self.zone_polygons = {}

    def _add(self, item, z: float) -> None:  # type: ignore[no-untyped-def]
        item.setZValue(z)
        self.map_view.viewbox.addItem(item, ignoreBounds=True)
        self.items.append(item)

    def show(self, report: dict, zone_polygons: dict[str, shapely.Polygon], wedge: shapely.Polygon | None,
             reveal: bool = True) -> None:
        """Draw a report (see :func:`commandcenter.services.zones.assessment_shown`) with its zone polygons
        (level → polygon, plant CRS) and the confidence wedge; ``reveal`` zooms out to the red zone."""
        self.clear()
        self.report = report
        self.zone_polygons = dict(zone_polygons)
        origin = self.map_view.origin
        if wedge is not None:
            item = QGraphicsPathItem(polygons_path([wedge], origin))
            pen = QPen(QColor(60, 60, 60, 220), 0)
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            item.setPen(pen)
            item.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            self._add(item, Z_HAZARD)
        for rank, level in enumerate(DRAW_ORDER):
            poly = zone_polygons.get(level)
            if poly is None or poly.is_empty:
                continue
            item = QGraphicsPathItem(polygons_path([poly], origin))
            pen = QPen(QColor(*ZONE_EDGE[level]), 1.5)
            pen.setCosmetic(True)
            item.setPen(pen)
            item.setBrush(QBrush(QColor(*ZONE_RGBA[level])))
            self._add(item, Z_HAZARD + 0.1 * (rank + 1))
        src = report.get("source") or {}
        if isinstance(src.get("x"), (int, float)) and isinstance(src.get("y"), (int, float)):
            if isinstance(report.get("wind_from_deg"), (int, float)):
                self._add_wind_arrow(report)
            self._label_anchor = label_anchor(report.get("wind_from_deg"))
            self._label_at = (src["x"] - origin[0], src["y"] - origin[1])
            self.label = pg.TextItem(self.summary(), color=(20, 20, 20), fill=pg.mkBrush(255, 255, 255, 240),
                                     anchor=self._label_anchor)
            self.label.setPos(*self._label_at)
            self._add(self.label, Z_HAZARD + 1)
        if reveal:
            self._reveal([zone_polygons.get("red")])
        self.place_label()

    def place_label(self, *_args: object) -> None:
        """Keep the zone summary inside the visible map (at every zoom and pan): at the source, growing upwind
        when it fits; flipped toward the view where it would cross an edge; moved inside when neither side
        fits or the source is off the view (:func:`fit_label`)."""
        label = self.label
        if label is None:
            return
        px, py = self.map_view.viewbox.viewPixelSize()
        rect = label.boundingRect()  # pixels: the label does not scale with the map
        if not (px > 0 and py > 0 and rect.width() > 0):
            return
        (x0, x1), (y0, y1) = self.map_view.viewbox.viewRange()
        left, bottom = fit_label(self._label_at, (rect.width() * px, rect.height() * py), self._label_anchor,
                                 ((x0, x1), (y0, y1)))
        label.setAnchor((0.0, 1.0))
        label.setPos(left, bottom)

    def _reveal(self, polygons: list[shapely.Polygon | None]) -> None:
        """Zoom out, if needed, so the red zone is in view with the site: a commander must see where the
        life-threatening part of the cloud ends. Orange and yellow zones often reach kilometres off site;
        chasing them would shrink the plant to a dot, so their extent is left to the label."""
        shapes = [p for p in polygons if p is not None and not p.is_empty]
        if not shapes or self.map_view.plant is None:
            return
        minx, miny, maxx, maxy = self.map_view.plant.bounds
        zx0, zy0, zx1, zy1 = shapely.union_all(shapes).bounds
        (vx0, vx1), (vy0, vy1) = self.map_view.view_range()
        if zx0 >= vx0 and zx1 <= vx1 and zy0 >= vy0 and zy1 <= vy1:
            return
        x0, y0 = min(minx, zx0, vx0), min(miny, zy0, vy0)
        x1, y1 = max(maxx, zx1, vx1), max(maxy, zy1, vy1)
        lx, ly = self.map_view.to_local(x0, y0)
        self.map_view.viewbox.setRange(QRectF(lx, ly, x1 - x0, y1 - y0), padding=0.03)

    def _add_wind_arrow(self, report: dict) -> None:
        origin = self.map_view.origin
        sx, sy = report["source"]["x"] - origin[0], report["source"]["y"] - origin[1]
        reach = [z["reach_m"] for z in report["zones"] if isinstance(z.get("reach_m"), (int, float))]
        length = max(30.0, 0.3 * (min(reach) if reach else 100.0))
        th = math.radians(report["wind_from_deg"])
        dx, dy = -math.sin(th), -math.cos(th)
        tip = (sx + dx * length, sy + dy * length)
        head = 0.25 * length
        path = QPainterPath()
        path.moveTo(sx, sy)
        path.lineTo(*tip)
        for side in (1, -1):
            a = math.atan2(dy, dx) + math.pi + side * math.radians(25)
            path.moveTo(*tip)
            path.lineTo(tip[0] + head * math.cos(a), tip[1] + head * math.sin(a))
        item = QGraphicsPathItem(path)
        pen = QPen(QColor(20, 60, 160), 3)
        pen.setCosmetic(True)
        item.setPen(pen)
        self._add(item, Z_HAZARD + 0.9)

    def summary(self) -> str:
        """One line per zone: colour, guideline, threshold, reach and people inside (translated)."""
        if self.report is None:
            return ""
        r = self.report
        speed, deg, cls = r.get("wind_speed_mps"), r.get("wind_from_deg"), r.get("stability")
        head = _substance_label(r.get("substance"))
        if isinstance(speed, (int, float)) and isinstance(deg, (int, float)):
            head += QCoreApplication.translate("HazardLayer", ", wind {speed} m/s from {deg}°").format(
                speed=f"{speed:g}", deg=f"{deg:.0f}")
        if cls:
            head += QCoreApplication.translate("HazardLayer", ", class {cls}").format(cls=cls)
        lines = [head]
        for z in r["zones"]:
            ppm = z.get("threshold_ppm")
            limit = " ".join(x for x in (z.get("guideline") or "", f"{ppm:g} ppm" if ppm is not None else "") if x)
            line = QCoreApplication.translate("HazardLayer", "{level}: {reach}, {people}").format(
                level=zone_name(z["level"]) + (f" ({limit})" if limit else ""), reach=reach_text(z),
                people=people_text(z))
            lines.append(line)
        return "\n".join(lines)


def label_anchor(wind_from_deg: float | None) -> tuple[float, float]:
    """The zone summary's anchor at the source (pyqtgraph ``TextItem`` anchor: (0, 1) puts the label's bottom
    left corner there, so it grows right and up): the label grows upwind, away from the plume, the wind arrow
    and the start of the red zone it would otherwise cover. Without a wind it grows right and up."""
    if not isinstance(wind_from_deg, (int, float)) or not math.isfinite(wind_from_deg):
        return (0.0, 1.0)
    th = math.radians(wind_from_deg)
    east, north = math.sin(th), math.cos(th)  # the unit vector pointing upwind (where the wind comes from)
    return (0.0 if east >= -1e-9 else 1.0, 1.0 if north >= -1e-9 else 0.0)


def fit_label(at: tuple[float, float], size: tuple[float, float], anchor: tuple[float, float],
              view: tuple[tuple[float, float], tuple[float, float]]) -> tuple[float, float]:
    """The bottom-left corner (map units, y up) of a ``size`` (w, h) label meant to sit at ``at`` with the
    pyqtgraph ``anchor`` (0/1 per axis: 0 grows right / down, 1 left / up), kept inside ``view``
    ((xmin, xmax), (ymin, ymax)): on each axis the preferred side when it fits, else the other side when that
    fits, else pushed inside the view (its left / top edge first when larger than the view)."""
    out = []
    for c, extent, a, (lo, hi), down in ((at[0], size[0], anchor[0], view[0], False),
                                         (at[1], size[1], anchor[1], view[1], True)):
        # start of the label on this axis for each side: growing toward + (right / up) or toward − (left / down)
        plus, minus = c, c - extent
        first, second = (plus, minus) if (a >= 0.5) == down else (minus, plus)
        if lo <= first and first + extent <= hi:
            start = first
        elif lo <= second and second + extent <= hi:
            start = second
        else:
            start = max(lo, min(first, hi - extent)) if not down else min(hi - extent, max(first, lo))
        out.append(start)
    return out[0], out[1]


def _substance_label(key: str | None) -> str:
    from gis.hazards.library import library

    entry = library().find(key) if key else None
    return entry.label(current_language()) if entry is not None else str(key)


def compute_request(plant, positions, req: HazardRequest, plans: dict | None = None):  # type: ignore[no-untyped-def]
    """The background work of one request, Qt-free: ``("ok", Assessment)`` or ``("refused", [Refusal])``.

    The weather is resolved from date, time, cloud and wind (:func:`gis.hazards.weather.resolve_weather`),
    the release assessed at the equipment (:func:`commandcenter.services.assessment.assess_equipment`) with
    the level proposed against the plan written for the substance (:func:`.hazard_plans.proposed_plan`)."""
    from commandcenter.services.assessment import assess_equipment
    from commandcenter.ui.hazard_plans import proposed_plan
    from gis.hazards.library import library
    from gis.hazards.refusals import HazardInputError, explain
    from gis.hazards.weather import plant_lonlat, resolve_weather

    try:
        lon, lat = plant_lonlat(plant)
        weather = resolve_weather(req.weather_input(), lat, lon)
        entry = library().find(req.substance)
        plan = proposed_plan(plans or {}, entry.key if entry else req.substance)
        a = assess_equipment(plant, req.source_id, weather, substance=req.substance, rate_kg_s=req.rate_kg_s,
                             duration_s=req.duration_s, mass_kg=req.mass_kg, hole_diameter_m=req.hole_diameter_m,
                             height_m=req.height_m, override=req.override, positions=positions, plan=plan,
                             xy=req.xy, terrain=req.terrain)
    except HazardInputError as exc:
        return "refused", list(exc.refusals)
    except ValueError as exc:
        return "refused", explain(exc)
    return "ok", a


class HazardTool(QObject):
    """The Emergency menu of a main window, its "Hazard zone…" action, the dialog, the background computation
    and the map layer. A new request (e.g. a new wind reading) supersedes the one still running."""

    # the report dict of the zones now shown
    zonesShown = Signal(object)
    # an error message (the refusals joined, in the UI language)
    zonesFailed = Signal(str)
    # the refusals of a request (list of gis.hazards.refusals.Refusal)
    refused = Signal(list)
    # the equipment picked on the map (gis.hazards.equipment.Equipment)
    equipmentPicked = Signal(object)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.layer = HazardLayer(window.map_view)
        self.runner = JobRunner(max_workers=1)
        self.bridge = JobBridge(self.runner, self)
        self.bridge.finished.connect(self._finished)
        self.bridge.failed.connect(self._failed)
        self.menu = window.menuBar().addMenu("")
        self.menu.setObjectName("emergencyMenu")
        self.action = QAction(self)
        self.action.setObjectName("hazardZoneAction")
        self.action.triggered.connect(self.open_dialog)
        self.clear_action = QAction(self)
        self.clear_action.triggered.connect(self.clear)
        self.menu.addActions([self.action, self.clear_action])
        window.plantChanged.connect(self._plant_changed)
        self.session = getattr(window, "session", None)
        if self.session is not None:
            self.session.reset.connect(self.show_recorded)
            self.session.changed.connect(self._events)
        self._shown_seq: int | None = None
        self.dialog: HazardDialog | None = None
        self.last_request: HazardRequest | None = None
        self.last_assessment: Any = None
        self._marker: pg.ScatterPlotItem | None = None
        self.reveal = True
        window.map_view.scene().sigMouseClicked.connect(self._map_clicked)
        window.installEventFilter(self)
        self.retranslate()

    def clear(self) -> None:
        """Take the zones off the map (the log keeps the assessment)."""
        self.layer.clear()
        self._shown_seq = None

    def _plant_changed(self) -> None:
        self.clear()
        self._close_dialog()

    def retranslate(self) -> None:
        """Set the menu texts in the current language."""
        self.menu.setTitle(QCoreApplication.translate("HazardLayer", "&Emergency"))
        self.action.setText(QCoreApplication.translate("HazardLayer", "&Hazard zone…"))
        self.action.setStatusTip(QCoreApplication.translate(
            "HazardLayer", "Which equipment leaks what, in which weather: the threat zones and the proposed level"))
        self.clear_action.setText(QCoreApplication.translate("HazardLayer", "Clear hazard zones"))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Follow the window's language changes."""
        if obj is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    # ------------------------------------------------------------------ the dialog
    def open_dialog(self, request: HazardRequest | None = None) -> HazardDialog | None:
        """Open the (non-modal) release dialog, prefilled with ``request`` or the last one, the incident's
        time and the newest station wind; nothing happens without a plant with hazard sources."""
        plant = self.window.plant
        if plant is None or len(plant.layers["hazard_sources"]) == 0:
            QMessageBox.information(self.window, QCoreApplication.translate("HazardLayer", "Hazard zone"),
                                    QCoreApplication.translate("HazardLayer", "This plant has no hazard sources."))
            return None
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        state = self.session.state if self.session is not None else None
        now = self.session.now() if self.session is not None and self.session.active else None
        weather = (state or {}).get("hazard", {}).get("weather")
        req = request if isinstance(request, HazardRequest) else self.last_request
        if req is not None and now is not None:
            req = replace(req, time=now)
        dialog = HazardDialog(plant, self.window, now=now, weather=weather, request=req)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.computeRequested.connect(self.compute)
        dialog.finished.connect(self._dialog_closed)
        dialog.equipment_box.currentIndexChanged.connect(self._mark_selected)
        self.dialog = dialog
        dialog.show()
        self._mark_selected()
        return dialog

    def _dialog_closed(self) -> None:
        self.dialog = None
        self._remove_marker()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.close()

    def _map_clicked(self, ev) -> None:  # type: ignore[no-untyped-def]
        """While the dialog is open, a left click near a hazard source picks it."""
        if self.dialog is None or ev.button() != Qt.MouseButton.LeftButton:
            return
        from gis.hazards.equipment import nearest_equipment

        mv = self.window.map_view
        p = mv.viewbox.mapSceneToView(ev.scenePos())
        x, y = mv.to_plant(p.x(), p.y())
        tol = max(PICK_MIN_M, PICK_PX * mv.metres_per_pixel())
        eq = nearest_equipment(self.dialog.equipment, x, y, tol)
        if eq is None:
            return
        ev.accept()
        self.dialog.select_equipment(eq.id)
        self._mark_selected()
        self.equipmentPicked.emit(eq)

    def _mark_selected(self) -> None:
        eq = self.dialog.selected if self.dialog is not None else None
        if eq is None:
            self._remove_marker()
            return
        ox, oy = self.window.map_view.origin
        if self._marker is None:
            self._marker = pg.ScatterPlotItem(size=34, symbol="o", pen=pg.mkPen((0, 90, 200), width=3),
                                              brush=pg.mkBrush(0, 0, 0, 0))
            self._marker.setZValue(Z_PICK)
            self.window.map_view.viewbox.addItem(self._marker, ignoreBounds=True)
        self._marker.setData([eq.x - ox], [eq.y - oy])

    def _remove_marker(self) -> None:
        if self._marker is not None:
            self.window.map_view.viewbox.removeItem(self._marker)
            self._marker = None

    # ------------------------------------------------------------------ computing
    def plans(self) -> dict:
        """The valid plans of the open incident (the bundled library without one)."""
        from commandcenter.ui.hazard_plans import plans_of

        return plans_of(self.session.runtime if self.session is not None else None)

    def compute(self, req: HazardRequest):  # type: ignore[no-untyped-def]
        """Start assessing ``req`` in the background; returns the job."""
        plant, positions = self.window.plant, self.window.positions
        plans = self.plans()
        self.last_request = req
        self.window.statusBar().showMessage(QCoreApplication.translate("HazardLayer", "Computing the hazard zones…"))
        return self.bridge.submit(KIND, lambda token: compute_request(plant, positions, req, plans))

    def update_wind(self, wind_speed: float, wind_from_deg: float):  # type: ignore[no-untyped-def]
        """A new wind reading: recompute the last release in the new wind (None when nothing was asked yet).
        A reading arriving while the previous one is computing supersedes it. The class is derived again
        (a station's measured class belonged to the old reading)."""
        req = self.last_request
        if req is None:
            return None
        if req.stability is not None and req.cloud_oktas is None:  # a class given without cloud: keep it
            return self.compute(replace(req, wind_speed=wind_speed, wind_from_deg=wind_from_deg))
        return self.compute(replace(req, wind_speed=wind_speed, wind_from_deg=wind_from_deg, stability=None,
                                    station_id=None))

    def _finished(self, kind: str, result: object) -> None:
        if kind != KIND:
            return
        status, value = result  # type: ignore[misc]
        if status == "refused":
            self._refused(value)
            return
        a = value
        self.last_assessment = a
        if self.session is None:  # a bare window (tests of the layer alone): draw what was computed
            from commandcenter.projections.hazard import assessment_entry
            from commandcenter.services.assessment import assessed_payload

            self._show_entry(assessment_entry(assessed_payload(a), 0, 0))
            self._computed()
            return
        from commandcenter.services.assessment import assessed_draft

        src = a.source.get("name_en" if current_language() == "en" else "name") or a.source.get("id") or "?"
        title = QCoreApplication.translate("HazardLayer", "{substance} release at {source}").format(
            substance=_substance_label(a.substance), source=src)
        if not self.window.ensure_incident(title):
            return
        if self.session.submit(assessed_draft(a, self.session.now(), by="console")):
            self.show_recorded()  # at once: the queued change notice finds it drawn
            self._computed()
        elif self.dialog is not None:
            self.dialog.set_busy(False)

    def _computed(self) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(False)
            self.dialog.accept()

    def _refused(self, refusals: list) -> None:
        lang = current_language()
        text = "; ".join(r.text(lang) for r in refusals)
        if self.dialog is not None:
            self.dialog.refused(refusals)
        self.window.statusBar().showMessage(
            QCoreApplication.translate("HazardLayer", "Hazard zone not computed: {reason}").format(reason=text), 30000)
        self.refused.emit(list(refusals))
        self.zonesFailed.emit(text)

    def _events(self, events: list) -> None:
        if "hazard.assessed" in self.session.types_of(events):
            self.show_recorded()

    def show_recorded(self) -> None:
        """Draw the open incident's current assessment (clear the layer when it has none)."""
        state = self.session.state if self.session is not None else None
        cur = state["hazard"]["current"] if state is not None else None
        if cur is None:
            if self._shown_seq is not None or self.layer.items:
                self.layer.clear()
                self._shown_seq = None
            return
        if cur["seq"] == self._shown_seq:
            return
        self._shown_seq = cur["seq"]
        self._show_entry(cur)

    def _show_entry(self, entry: dict) -> None:
        from commandcenter.services.zones import assessment_shown

        try:
            report, polygons, wedge = assessment_shown(entry)
        except ValueError as exc:  # a recorded assessment whose zones cannot be drawn: say so, keep the map
            self.layer.clear()
            self._failed(KIND, str(exc))
            return
        self.layer.show(report, polygons, wedge, reveal=self.reveal)
        self.window.statusBar().showMessage(self.layer.summary().replace("\n", "  |  "), 15000)
        self.zonesShown.emit(report)

    def _failed(self, kind: str, message: str) -> None:
        if kind != KIND:
            return
        if self.dialog is not None:
            self.dialog.set_busy(False)
        text = QCoreApplication.translate("HazardLayer", "Hazard zone failed: {message}")
        self.window.statusBar().showMessage(text.format(message=message), 15000)
        self.zonesFailed.emit(message)


def install_hazard_tools(window: QMainWindow) -> HazardTool:
    """The hazard tools of ``window``: its :class:`HazardTool` (made when the window has none) and the
    "Hazard assessment" dock beside the map (:class:`commandcenter.ui.hazard_panel.HazardPanel`: the
    assessment, the proposed level with its reason, the launch). Idempotent; returns the tool."""
    from commandcenter.ui.hazard_panel import install_hazard_panel

    tool = getattr(window, "hazard_tool", None)
    if tool is None:
        tool = HazardTool(window)
        window.hazard_tool = tool  # type: ignore[attr-defined]
    if getattr(tool, "panel_dock", None) is None:
        tool.panel_dock = install_hazard_panel(window, tool)  # type: ignore[attr-defined]
    return tool
