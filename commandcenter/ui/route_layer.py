"""Evacuation routes on the map, and the "Emergency → Plan evacuation…" actions that compute them.

Routes are drawn coloured by assembly point (each walkway edge once per
assembly point, so 10,000 routes stay light), the assembly points labelled with
how many people they get, the people with no safe route as large red crosses,
the hazard zones the plan avoids underneath, and the plan's clearance time and
its ratio to the lower bound in the status bar. Planning runs off the UI thread
through :class:`JobBridge`, and its pure-Python work in a worker process
(:mod:`commandcenter.services.route_jobs`), so the UI thread never waits on the GIL; the worker is
terminated when the window closes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QPen
from PySide6.QtWidgets import QFileDialog, QGraphicsPathItem, QLabel, QMainWindow

from commandcenter.services.jobs import CancelToken, JobRunner
from commandcenter.services.process_jobs import ProcessPool
from commandcenter.services.route_jobs import planning_pool, warm
from commandcenter.ui.geometry_paths import polygons_path
from commandcenter.ui.hazard_layer import ZONE_EDGE, ZONE_RGBA
from commandcenter.ui.job_bridge import JobBridge
from gis.plant import Plant
from gis.routing.hazard_graph import Hazard
from gis.routing.plan import EvacuationPlan
from gis.routing.reroute import Change, reroute

KIND = "evacuation_route"
WARM = "evacuation_worker_start"
Z_ROUTES = 16.0  # above the hazard zones (15), below the personnel dots (20)
# Route colours no other map symbol uses: each is at least 18 CIEDE2000 units from every personnel class
# (people_layer.CLASSES), every threat zone (fill, fill over the white site, edge) and the risk-class hue, and
# 16 from each other (navy, jade, fuchsia, olive brown, periwinkle, sage); no red, orange, yellow, pink or the
# people's blues, greens and purple. Repeats past six assembly points (the route's label names its point).
PALETTE = ((0, 0, 110), (0, 170, 140), (230, 40, 230), (120, 90, 0), (130, 130, 255), (130, 150, 130))


def plan_for_plant(plant: Plant, hazard: str | Path | Hazard | None = None, method: str = "capacity",
                   population=None) -> EvacuationPlan:  # type: ignore[no-untyped-def]
    """The background work: plan the evacuation of ``population`` (a table as
    :func:`commandcenter.services.people.routing_population` gives; default: the plant's population file)
    around the hazard (a GeoJSON file of zones or the zones themselves). No Qt."""
    from gis.routing.hazard_graph import read_hazard_geojson
    from gis.routing.people import people_of_plant
    from gis.routing.plan import plan_evacuation
    from gis.routing.site import Site

    if isinstance(hazard, (str, Path)):
        hazard = read_hazard_geojson(hazard, plant.crs)
    return plan_evacuation(Site.of_plant(plant), people_of_plant(plant, population), hazard, method)


def plan_job(pool: ProcessPool, plant: Plant, hazard: str | Path | Hazard | None, method: str = "capacity",
             population=None, token: CancelToken | None = None) -> EvacuationPlan:  # type: ignore[no-untyped-def]
    """The background work of :meth:`RouteTool.plan` (on a job thread): read a hazard file here, plan in
    ``pool``'s worker process (:func:`commandcenter.services.route_jobs.plan_in_worker`); a plant that is not
    on disk any more is planned on this thread (:func:`plan_for_plant`). No Qt."""
    from commandcenter.services.route_jobs import can_plan_in_worker, plan_in_worker
    from gis.routing.hazard_graph import read_hazard_geojson

    if isinstance(hazard, (str, Path)):
        hazard = read_hazard_geojson(hazard, plant.crs)
    if not can_plan_in_worker(plant):
        return plan_for_plant(plant, hazard, method, population)
    return plan_in_worker(pool, plant, hazard, method, population, token)


def ap_colour(k: int) -> tuple[int, int, int]:
    """The route colour of assembly point ``k``."""
    return PALETTE[k % len(PALETTE)]


class RouteLayer:
    """The graphics of one plan on a :class:`MapView`; :meth:`show` replaces the last one."""

    def __init__(self, map_view) -> None:  # type: ignore[no-untyped-def]
        self.map_view = map_view
        self.items: list = []
        self.plan: EvacuationPlan | None = None
        self.unroutable_xy = np.zeros((0, 2))
        #: how many recorded plans keep their graphics (hidden, not removed) when another is shown: a replay
        #: crossing a plan back and forth then shows and hides items instead of building them again. 0: none.
        self.keep = 0
        self._kept: dict = {}  # key -> (view, [items]), oldest first

    def clear(self) -> None:
        """Remove the plan from the map (a kept plan's routes and labels are hidden, not removed)."""
        kept = {id(i) for _view, items in self._kept.values() for i in items}
        for item in self.items:
            if id(item) in kept:
                item.setVisible(False)
            else:
                self.map_view.viewbox.removeItem(item)
        self.items = []
        self.plan = None
        self.view = None
        self.unroutable_xy = np.zeros((0, 2))

    def forget(self) -> None:
        """Remove the kept plans' graphics too (another plant, or the routes cleared)."""
        self.clear()
        for _view, items in self._kept.values():
            for item in items:
                self.map_view.viewbox.removeItem(item)
        self._kept = {}

    def kept_view(self, key: object):  # type: ignore[no-untyped-def]
        """The recorded plan view kept under ``key`` (None when it is not kept)."""
        entry = self._kept.get(key)
        return entry[0] if entry is not None else None

    def _add(self, item, z: float) -> None:  # type: ignore[no-untyped-def]
        item.setZValue(z)
        self.map_view.viewbox.addItem(item, ignoreBounds=True)
        self.items.append(item)

    def show(self, plan: EvacuationPlan) -> None:
        """Draw ``plan``: zones, routes by assembly point, assembly point loads, people without a route."""
        self.clear()
        self.plan = plan
        ox, oy = self.map_view.origin
        net = plan.net
        hazard = net.hazard
        if hazard is not None:
            for rank, level in enumerate(("yellow", "orange", "red")):
                polys = [p for p, lv in zip(hazard.polygons, hazard.levels, strict=True) if lv == level]
                if not polys:
                    continue
                item = QGraphicsPathItem(polygons_path(polys, (ox, oy)))
                pen = QPen(QColor(*ZONE_EDGE[level]), 1.5)
                pen.setCosmetic(True)
                item.setPen(pen)
                item.setBrush(QBrush(QColor(*ZONE_RGBA[level])))
                self._add(item, Z_ROUTES - 1 + 0.1 * rank)
        a = plan.assignment
        g = net.graph
        for k in np.unique(a.ap[a.ap >= 0]).tolist():
            rows = np.flatnonzero(a.ap == k)
            edges = np.unique(np.concatenate([net.arc_edge[a.routes[i]] for i in rows.tolist() if a.routes[i]]
                                             or [np.zeros(0, np.int64)]))
            parts = []
            for e in edges.tolist():
                parts.append(g.edge_coords[e])
                parts.append(np.array([[np.nan, np.nan]]))
            if not parts:
                continue
            xy = np.concatenate(parts)
            item = pg.PlotDataItem(xy[:, 0] - ox, xy[:, 1] - oy, connect="finite",
                                   pen=pg.mkPen(color=(*ap_colour(k), 220), width=3, cosmetic=True))
            self._add(item, Z_ROUTES)
        load = np.bincount(a.ap[a.ap >= 0], minlength=len(net.site.aps))
        aps = net.site.aps
        for k in range(len(aps)):
            safe = bool(net.ap_safe[k])
            text = f"{aps.ids[k]}  {load[k]}/{aps.capacity[k]:.0f}" if safe else f"{aps.ids[k]}  ✕"
            colour = ap_colour(k) if safe else (200, 0, 0)
            label = pg.TextItem(text, color=colour, fill=pg.mkBrush(255, 255, 255, 220), anchor=(0, 0))
            label.setPos(aps.xy[k, 0] - ox, aps.xy[k, 1] - oy)
            self._add(label, Z_ROUTES + 2)
        people = plan.people
        bad = np.flatnonzero(~a.routed & np.isfinite(people.x) & np.isfinite(people.y))
        self.unroutable_xy = np.column_stack([people.x[bad], people.y[bad]])
        if len(bad):
            item = pg.ScatterPlotItem(people.x[bad] - ox, people.y[bad] - oy, symbol="x", size=16,
                                      pen=pg.mkPen((120, 0, 0), width=1.5), brush=pg.mkBrush(230, 20, 20))
            self._add(item, Z_ROUTES + 3)

    def show_view(self, view, plant: Plant, positions=None, key: object = None) -> None:  # type: ignore[no-untyped-def]
        """Draw a recorded plan (:class:`commandcenter.services.evacuation.RouteView`) on ``plant``: routes
        by assembly point, assembly point loads, people without a route at their last ``positions``. The
        zones are the hazard layer's; they are not drawn twice. With :attr:`keep` and a ``key`` (the plan's
        seq), the routes and labels are kept: showing that key again only makes them visible."""
        keep = self.plan
        self.clear()
        self.plan = keep
        self.view = view
        kept = self._kept.pop(key, None) if key is not None else None
        if kept is not None:
            for item in kept[1]:
                item.setVisible(True)
            self.items = list(kept[1])
        else:
            self._draw_view(view, plant)
        if key is not None and self.keep > 0:
            self._kept[key] = (view, list(self.items))
            while len(self._kept) > self.keep:
                _view, old = self._kept.pop(next(iter(self._kept)))
                for item in old:
                    self.map_view.viewbox.removeItem(item)
        self._draw_unroutable(view, positions)

    def _draw_view(self, view, plant: Plant) -> None:  # type: ignore[no-untyped-def]
        """The routes and assembly point labels of a recorded plan (added to :attr:`items`)."""
        ox, oy = self.map_view.origin
        g = plant.graph
        aps = plant.layers["assembly_points"]
        ap_ids = [str(i) for i in aps.index]
        for k, ap in enumerate(ap_ids):
            edges = view.edges_by_ap.get(ap)
            if edges is None or not len(edges):
                continue
            parts = []
            for e in edges.tolist():
                parts.append(g.edge_coords[e])
                parts.append(np.array([[np.nan, np.nan]]))
            xy = np.concatenate(parts)
            item = pg.PlotDataItem(xy[:, 0] - ox, xy[:, 1] - oy, connect="finite",
                                   pen=pg.mkPen(color=(*ap_colour(k), 220), width=3, cosmetic=True))
            self._add(item, Z_ROUTES)
        cap = aps["capacity"].to_numpy(float) if "capacity" in aps.columns else np.full(len(aps), np.nan)
        for k, ap in enumerate(ap_ids):
            geom = aps.geometry.iloc[k]
            load = view.load_by_ap.get(ap, 0)
            text = f"{ap}  {load}/{cap[k]:.0f}" if np.isfinite(cap[k]) else f"{ap}  {load}"
            label = pg.TextItem(text, color=ap_colour(k), fill=pg.mkBrush(255, 255, 255, 220), anchor=(0, 0))
            label.setPos(geom.x - ox, geom.y - oy)
            self._add(label, Z_ROUTES + 2)

    def _draw_unroutable(self, view, positions) -> None:  # type: ignore[no-untyped-def]
        """People without a safe route, as red crosses at their ``positions`` (never kept: they move)."""
        ox, oy = self.map_view.origin
        ids = {u["id"] for u in view.unroutable}
        if positions is not None and ids:
            rows = np.flatnonzero(np.isin(positions.ids.astype(str), list(ids)))
            rows = rows[np.isfinite(positions.x[rows]) & np.isfinite(positions.y[rows])]
            self.unroutable_xy = np.column_stack([positions.x[rows], positions.y[rows]])
            if len(rows):
                item = pg.ScatterPlotItem(positions.x[rows] - ox, positions.y[rows] - oy, symbol="x", size=16,
                                          pen=pg.mkPen((120, 0, 0), width=1.5), brush=pg.mkBrush(230, 20, 20))
                self._add(item, Z_ROUTES + 3)

    def summary(self) -> str:
        """One line: method, clearance time, bound and ratio, people without a route."""
        view = getattr(self, "view", None)
        if view is not None:
            method = (QCoreApplication.translate("RouteLayer", "capacity-aware") if view.method == "capacity"
                      else QCoreApplication.translate("RouteLayer", "shortest"))
            text = QCoreApplication.translate("RouteLayer", "Evacuation ({method}): {time:.0f} s, bound {bound:.0f} s")
            text = text.format(method=method, time=view.eta_s or 0.0, bound=view.bound_s or 0.0)
            if view.ratio is not None:
                text += f" (×{view.ratio:.2f})"
            if view.unroutable:
                text += "  ·  " + QCoreApplication.translate("RouteLayer", "{n} without a safe route").format(
                    n=len(view.unroutable))
            return text
        plan = self.plan
        if plan is None:
            return ""
        if plan.method == "capacity":
            method = QCoreApplication.translate("RouteLayer", "capacity-aware")
        else:
            method = QCoreApplication.translate("RouteLayer", "shortest")
        text = QCoreApplication.translate("RouteLayer", "Evacuation ({method}): {time:.0f} s, bound {bound:.0f} s")
        text = text.format(method=method, time=plan.evacuation_time_s, bound=plan.lower_bound_s)
        if plan.ratio is not None:
            text += f" (×{plan.ratio:.2f})"
        missing = len(plan.unroutable())
        if missing:
            text += "  ·  " + QCoreApplication.translate("RouteLayer", "{n} without a safe route").format(n=missing)
        return text


class RouteTool(QObject):
    """The window's evacuation-planning actions (in the Emergency menu), the background job and the layer."""

    # the EvacuationPlan now shown
    planned = Signal(object)
    # the EvacuationPlan re-planned after the hazard changed, and the list of people whose plan changed
    rerouted = Signal(object, list)
    # an error message
    planFailed = Signal(str)

    def __init__(self, window: QMainWindow, menu=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(window)
        self.window = window
        self.layer = RouteLayer(window.map_view)
        self.runner = JobRunner(max_workers=1)
        # started on the first plan, terminated when the window closes
        self.processes = planning_pool()
        self.bridge = JobBridge(self.runner, self)
        self.bridge.finished.connect(self._finished)
        self.bridge.failed.connect(self._failed)
        self.own_menu = menu is None
        self.menu = window.menuBar().addMenu("") if menu is None else menu
        self.menu.addSeparator()
        self.plan_action = QAction(self)
        self.plan_action.triggered.connect(self.choose_hazard_and_plan)
        self.plan_zone_action = QAction(self)
        self.plan_zone_action.triggered.connect(self.plan_around_zones)
        self.plan_plain_action = QAction(self)
        self.plan_plain_action.triggered.connect(lambda: self.plan(None))
        self.clear_action = QAction(self)
        self.clear_action.triggered.connect(self.clear)
        self.menu.addActions([self.plan_zone_action, self.plan_action, self.plan_plain_action, self.clear_action])
        self.hazard_tool = getattr(window, "hazard_tool", None)
        if self.hazard_tool is not None:
            self.hazard_tool.zonesShown.connect(self._zones_changed)
        self.label = QLabel()
        window.statusBar().addPermanentWidget(self.label)
        self.label.hide()
        window.plantChanged.connect(self.clear)
        window.plantChanged.connect(self.layer.forget)  # kept routes are drawn on the old plant's walkways
        self.session = getattr(window, "session", None)
        self._shown_seq: int | None = None
        if self.session is not None:
            self.session.reset.connect(self.show_recorded)
            self.session.changed.connect(self._events)
        window.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        if self.own_menu:
            self.menu.setTitle(QCoreApplication.translate("RouteLayer", "&Emergency"))
        self.plan_action.setText(QCoreApplication.translate("RouteLayer", "&Plan evacuation around a hazard file…"))
        self.plan_action.setStatusTip(QCoreApplication.translate(
            "RouteLayer", "Route everyone to a safe assembly point around the zones of a GeoJSON file"))
        self.plan_zone_action.setText(
            QCoreApplication.translate("RouteLayer", "Plan evacuation around the hazard zone"))
        self.plan_zone_action.setStatusTip(QCoreApplication.translate(
            "RouteLayer", "Route everyone around the zones on the map; a new wind reading re-routes who it affects"))
        self.plan_plain_action.setText(QCoreApplication.translate("RouteLayer", "Plan evacuation without a hazard"))
        self.clear_action.setText(QCoreApplication.translate("RouteLayer", "Clear evacuation routes"))
        self.label.setText(self.layer.summary())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Follow the window's language changes; stop planning when it closes."""
        if obj is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif obj is self.window and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    def warm(self) -> None:
        """Start the planning worker and load the plant into it, if it is not running yet (hazard zones on the
        map: a plan is likely to follow)."""
        plant, pool = self.window.plant, self.processes
        if plant is not None and not pool.pids():  # started off the UI thread: a worker's start-up can take seconds
            self.runner.submit(WARM, lambda token: None if token.cancelled or pool.pids() else warm(pool, plant))

    def shutdown(self) -> None:
        """Drop the running plan and terminate the planning worker process (restarted by the next plan)."""
        self.runner.cancel(WARM)
        self.runner.cancel(KIND)
        self.processes.shutdown()

    def clear(self) -> None:
        """Remove the routes and the summary (the log keeps the plan)."""
        self.layer.clear()
        self.label.hide()
        self._shown_seq = None

    def choose_hazard_and_plan(self) -> None:
        """Ask for a hazard GeoJSON file and plan around it."""
        path, _ = QFileDialog.getOpenFileName(
            self.window, QCoreApplication.translate("RouteLayer", "Hazard zones (GeoJSON)"), "",
            QCoreApplication.translate("RouteLayer", "GeoJSON (*.geojson *.json);;All files (*)"))
        if path:
            self.plan(path)

    def plan(self, hazard: str | Path | Hazard | None, method: str = "capacity"):  # type: ignore[no-untyped-def]
        """Start planning around ``hazard`` (a GeoJSON path or zones) in the background (nothing without a
        plant); returns the job."""
        plant = self.window.plant
        if plant is None:
            return None
        population = None
        if self.session is not None and self.session.state is not None:
            from commandcenter.services.people import routing_population

            population = routing_population(plant, self.session.state, self.session.people)
        self.window.statusBar().showMessage(QCoreApplication.translate("RouteLayer", "Planning the evacuation…"))
        pool = self.processes
        return self.bridge.submit(KIND, lambda token: plan_job(pool, plant, hazard, method, population, token))

    def current_zones(self) -> Hazard | None:
        """The hazard zones shown on the map (Emergency → Hazard zone…), if any."""
        if self.hazard_tool is None or not self.hazard_tool.layer.zone_polygons:
            return None
        return Hazard.from_zones(self.hazard_tool.layer.zone_polygons)

    def plan_around_zones(self):  # type: ignore[no-untyped-def]
        """Plan around the zones on the map (without zones: around no hazard); returns the job."""
        return self.plan(self.current_zones())

    def _zones_changed(self, report: dict) -> None:
        """New zones (a new release or wind reading): re-plan only the people they affect, if routes are shown
        (after a restart, when only the recorded plan is known, everyone is re-planned)."""
        rt = getattr(self.session, "runtime", None) if self.session is not None else None
        if rt is not None and (rt.read_only or rt.closed):  # a replay or a closed incident: nothing is re-planned
            return
        self.warm()
        old = self.layer.plan
        zones = self.current_zones()
        if zones is None or (old is None and getattr(self.layer, "view", None) is None):
            return
        if old is None:
            self.plan(zones)
            return
        self.window.statusBar().showMessage(QCoreApplication.translate("RouteLayer", "Re-routing for the new zones…"))
        self.bridge.submit(KIND, lambda token: reroute(old, zones))

    def _finished(self, kind: str, result: object) -> None:
        if kind != KIND:
            return
        changes: list[Change] | None = None
        if isinstance(result, tuple):
            result, changes = result
        if not isinstance(result, EvacuationPlan):
            return
        if self.session is not None:
            self._record(result, changes)
            return
        self.layer.show(result)
        self.label.setText(self.layer.summary())
        self.label.setStyleSheet("QLabel { color: #7a0000; font-weight: bold; }" if result.unroutable() else "")
        self.label.show()
        self.window.statusBar().clearMessage()
        if changes is not None:
            text = QCoreApplication.translate("RouteLayer", "Hazard changed: {n} people re-routed")
            self.window.statusBar().showMessage(text.format(n=len(changes)), 15000)
            self.rerouted.emit(result, changes)
        self.planned.emit(result)

    def _record(self, plan: EvacuationPlan, changes: list | None) -> None:
        """Submit the plan as ``evacuation.planned``; the layer redraws from the log."""
        from commandcenter.services.evacuation import evacuation_draft

        title = QCoreApplication.translate("RouteLayer", "Evacuation")
        if not self.window.ensure_incident(title):
            return
        state = self.session.state
        cur = state["hazard"]["current"] if state is not None else None
        self.layer.plan = plan  # kept to re-route only the people a new zone affects
        if not self.session.submit(evacuation_draft(plan, self.session.now(),
                                                    assessment_id=cur["id"] if cur else None, by="console")):
            return
        self.show_recorded()  # at once: the queued change notice finds it drawn
        if changes is not None:
            text = QCoreApplication.translate("RouteLayer", "Hazard changed: {n} people re-routed")
            self.window.statusBar().showMessage(text.format(n=len(changes)), 15000)
            self.rerouted.emit(plan, changes)
        self.planned.emit(plan)

    def _events(self, events: list) -> None:
        if any(e.type == "evacuation.planned" for e in events):
            self.show_recorded()

    def show_recorded(self) -> None:
        """Draw the open incident's latest evacuation plan (clear the layer when it has none)."""
        from commandcenter.services.evacuation import route_view

        state = self.session.state if self.session is not None else None
        entry = state["hazard"]["evacuation"] if state is not None else None
        plant = self.window.plant
        if entry is None or plant is None:
            if self._shown_seq is not None:
                self.clear()
                self._shown_seq = None
            return
        if entry["seq"] == self._shown_seq:
            return
        self._shown_seq = entry["seq"]
        view = self.layer.kept_view(entry["seq"]) or route_view(entry, len(plant.graph.edge_coords))
        self.layer.show_view(view, plant, self.window.positions, key=entry["seq"])
        self.label.setText(self.layer.summary())
        self.label.setStyleSheet("QLabel { color: #7a0000; font-weight: bold; }" if view.unroutable else "")
        self.label.show()
        self.window.statusBar().clearMessage()

    def _failed(self, kind: str, message: str) -> None:
        if kind != KIND:
            return
        text = QCoreApplication.translate("RouteLayer", "Evacuation planning failed: {message}")
        self.window.statusBar().showMessage(text.format(message=message), 15000)
        self.planFailed.emit(message)
