"""Hazard zones on the map: red/orange/yellow translucent zones, the wind-direction confidence wedge, the
wind arrow and the number of people inside each zone; and the "Emergency → Hazard zone…" action that
computes them off the UI thread through :class:`JobBridge`.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pyqtgraph as pg
import shapely
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QMainWindow, QMessageBox

from commandcenter.services.hazard_report import assess, plant_source
from commandcenter.services.jobs import JobRunner
from commandcenter.ui.geometry_paths import polygons_path
from commandcenter.ui.hazard_dialog import HazardDialog, HazardRequest
from commandcenter.ui.job_bridge import JobBridge
from gis.hazards.scenario import Release, Weather

KIND = "hazard_zones"
Z_HAZARD = 15.0  # above the plant's features and point symbols, below the personnel dots (20)
ZONE_RGBA = {"red": (220, 30, 30, 90), "orange": (245, 140, 20, 80), "yellow": (240, 220, 40, 70)}
ZONE_EDGE = {"red": (170, 0, 0, 230), "orange": (200, 100, 0, 230), "yellow": (170, 150, 0, 230)}
DRAW_ORDER = ("yellow", "orange", "red")


class HazardLayer:
    """The graphics of one hazard-zone result on a :class:`MapView`; :meth:`show` replaces the last one."""

    def __init__(self, map_view) -> None:  # type: ignore[no-untyped-def]
        self.map_view = map_view
        self.items: list = []
        self.report: dict | None = None
        self.zone_polygons: dict[str, shapely.Polygon] = {}

    def clear(self) -> None:
        """Remove the zones from the map."""
        for item in self.items:
            self.map_view.viewbox.removeItem(item)
        self.items = []
        self.report = None
        self.zone_polygons = {}

    def _add(self, item, z: float) -> None:  # type: ignore[no-untyped-def]
        item.setZValue(z)
        self.map_view.viewbox.addItem(item, ignoreBounds=True)
        self.items.append(item)

    def show(self, report: dict, zone_polygons: dict[str, shapely.Polygon], wedge: shapely.Polygon | None) -> None:
        """Draw a report (from :func:`commandcenter.services.hazard_report.assess`) with its zone polygons
        (level → polygon, plant CRS) and the confidence wedge."""
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
        self._add_wind_arrow(report)
        label = pg.TextItem(self.summary(), color=(20, 20, 20), fill=pg.mkBrush(255, 255, 255, 215),
                            anchor=(0, 1))
        sx, sy = report["source"]["x"] - origin[0], report["source"]["y"] - origin[1]
        label.setPos(sx, sy)
        self._add(label, Z_HAZARD + 1)
        self._reveal([zone_polygons.get("red")])

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
        reach = [z["distance_m"] for z in report["zones"] if isinstance(z["distance_m"], (int, float))]
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
        names = {"red": QCoreApplication.translate("HazardLayer", "Red"),
                 "orange": QCoreApplication.translate("HazardLayer", "Orange"),
                 "yellow": QCoreApplication.translate("HazardLayer", "Yellow")}
        head = QCoreApplication.translate("HazardLayer", "{substance}, wind {speed:g} m/s from {deg:.0f}°, class {cls}")
        lines = [head.format(
            substance=self.report["substance"], speed=self.report["transport_wind_mps"],
            deg=self.report["wind_from_deg"], cls=self.report["stability"])]
        for z in self.report["zones"]:
            d = z["distance_m"]
            if isinstance(d, str):
                reach = QCoreApplication.translate("HazardLayer", "beyond 10 km")
            else:
                reach = QCoreApplication.translate("HazardLayer", "none") if d is None else f"{d:.0f} m"
            line = QCoreApplication.translate("HazardLayer",
                                              "{level} ({guideline} {ppm:g} ppm): {reach}, {people} people")
            lines.append(line.format(
                level=names.get(z["level"], z["level"]), guideline=z["guideline"], ppm=z["threshold_ppm"],
                reach=reach, people=z.get("people", 0)))
        return "\n".join(lines)


def compute_request(plant, positions, req: HazardRequest):  # type: ignore[no-untyped-def]
    """The background work of one request: (report, level → polygon, wedge). Pure; no Qt."""
    src = plant_source(plant, req.source_id)
    release = Release(req.substance, rate_kg_s=req.rate_kg_s, duration_s=req.duration_s,
                      temperature_k=src.temperature_c + 273.15)
    weather = Weather(req.wind_speed, req.wind_from_deg, req.stability, terrain=req.terrain)
    report, zs, _ = assess(release, weather, src, positions=positions)
    return report, {z.level: z.polygon for z in zs.zones}, zs.wedge


class HazardTool(QObject):
    """The Emergency menu of a main window, its "Hazard zone…" action, the background computation and the
    map layer. A new request (e.g. a new wind reading) supersedes the one still running."""

    # the report dict of the zones now shown
    zonesShown = Signal(object)
    # an error message
    zonesFailed = Signal(str)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.layer = HazardLayer(window.map_view)
        self.runner = JobRunner(max_workers=1)
        self.bridge = JobBridge(self.runner, self)
        self.bridge.finished.connect(self._finished)
        self.bridge.failed.connect(self._failed)
        self.menu = window.menuBar().addMenu("")
        self.action = QAction(self)
        self.action.triggered.connect(self.open_dialog)
        self.clear_action = QAction(self)
        self.clear_action.triggered.connect(self.clear)
        self.menu.addActions([self.action, self.clear_action])
        window.plantChanged.connect(self.clear)
        self.session = getattr(window, "session", None)
        if self.session is not None:
            self.session.reset.connect(self.show_recorded)
            self.session.changed.connect(self._events)
        self._shown_seq: int | None = None
        window.installEventFilter(self)
        self.retranslate()

    def clear(self) -> None:
        """Take the zones off the map (the log keeps the assessment)."""
        self.layer.clear()
        self._shown_seq = None

    def retranslate(self) -> None:
        """Set the menu texts in the current language."""
        self.menu.setTitle(QCoreApplication.translate("HazardLayer", "&Emergency"))
        self.action.setText(QCoreApplication.translate("HazardLayer", "&Hazard zone…"))
        self.action.setStatusTip(QCoreApplication.translate(
            "HazardLayer", "Compute the toxic or flammable threat zones of a release at a hazard source"))
        self.clear_action.setText(QCoreApplication.translate("HazardLayer", "Clear hazard zones"))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Follow the window's language changes."""
        if obj is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def open_dialog(self) -> None:
        """Ask for a release and compute it (nothing happens without a plant with hazard sources)."""
        plant = self.window.plant
        if plant is None or len(plant.layers["hazard_sources"]) == 0:
            QMessageBox.information(self.window, QCoreApplication.translate("HazardLayer", "Hazard zone"),
                                    QCoreApplication.translate("HazardLayer", "This plant has no hazard sources."))
            return
        dialog = HazardDialog(plant, self.window)
        if dialog.exec() == HazardDialog.DialogCode.Accepted:
            self.compute(dialog.request())

    def compute(self, req: HazardRequest):  # type: ignore[no-untyped-def]
        """Start computing ``req`` in the background; returns the job."""
        plant, positions = self.window.plant, self.window.positions
        self.last_request = req
        return self.bridge.submit(KIND, lambda token: compute_request(plant, positions, req))

    def update_wind(self, wind_speed: float, wind_from_deg: float):  # type: ignore[no-untyped-def]
        """A new wind reading: recompute the last release in the new wind (None when nothing was asked yet).
        A reading arriving while the previous one is computing supersedes it."""
        req = getattr(self, "last_request", None)
        if req is None:
            return None
        return self.compute(replace(req, wind_speed=wind_speed, wind_from_deg=wind_from_deg))

    def _finished(self, kind: str, result: object) -> None:
        if kind != KIND:
            return
        report, polygons, wedge = result  # type: ignore[misc]
        if self.session is None:  # a bare window (tests of the layer alone): draw what was computed
            self._draw(report, polygons, wedge)
            return
        from commandcenter.services.zones import assessment_draft

        src = (report.get("source") or {}).get("id") or "?"
        title = QCoreApplication.translate("HazardLayer", "{substance} release at {source}").format(
            substance=report.get("substance"), source=src)
        if self.window.ensure_incident(title) and self.session.submit(
                assessment_draft(report, polygons, wedge, self.session.now(), by="console")):
            self.show_recorded()  # at once: the queued change notice finds it drawn

    def _events(self, events: list) -> None:
        if any(e.type == "hazard.assessed" for e in events):
            self.show_recorded()

    def show_recorded(self) -> None:
        """Draw the open incident's current assessment (clear the layer when it has none)."""
        from commandcenter.services.zones import assessment_shown

        state = self.session.state if self.session is not None else None
        cur = state["hazard"]["current"] if state is not None else None
        if cur is None:
            if self._shown_seq is not None:
                self.layer.clear()
                self._shown_seq = None
            return
        if cur["seq"] == self._shown_seq:
            return
        self._shown_seq = cur["seq"]
        self._draw(*assessment_shown(cur))

    def _draw(self, report: dict, polygons: dict, wedge) -> None:  # type: ignore[no-untyped-def]
        self.layer.show(report, polygons, wedge)
        self.window.statusBar().showMessage(self.layer.summary().replace("\n", "  |  "), 15000)
        self.zonesShown.emit(report)

    def _failed(self, kind: str, message: str) -> None:
        if kind != KIND:
            return
        text = QCoreApplication.translate("HazardLayer", "Hazard zone failed: {message}")
        self.window.statusBar().showMessage(text.format(message=message), 15000)
        self.zonesFailed.emit(message)
