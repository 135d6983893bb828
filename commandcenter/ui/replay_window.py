"""The replay window: a recorded incident or drill on the plant map at any moment, read-only.

A window of its own beside the live one (a trainer replaying a drill never touches the incident the duty
officer is running), marked REPLAY in its title, banner and map. Its :class:`ReplaySession` has the face of
the live session, so the live window's views draw it: people at their positions at t (with the trail of a
selected person), hazard zones and routes in force at t, the plan, tasks, muster, alarms and the timeline as
they stood. The bar at the bottom plays, pauses, changes speed (1×–60×), steps to the previous or next
event and scrubs; Space, Left and Right do the same from the keyboard.

Opening prepares the replay in a worker (the chain check, the seek snapshots the first time, the markers
and the tracks) with a progress dialog. :func:`install_replay` adds File → Replay incident log… and
File → Export report… to the live window.
"""

from __future__ import annotations

import importlib
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from commandcenter.services.jobs import JobRunner
from commandcenter.ui import heap
from commandcenter.ui.job_bridge import JobBridge
from commandcenter.ui.replay_model import ReplayModel
from commandcenter.ui.replay_report import ReportExporter
from commandcenter.ui.replay_session import ReplaySession
from commandcenter.ui.replay_timeline import ReplayBar
from commandcenter.ui.side_dock import Retranslating
from gis.positions import PositionStore
from vocabulary.events import from_us

KIND = "replay_prepare"
Z_TRAIL = 40.0  # with the map's tools: above the dots, and never frozen into the map's cached background
PERSON_PICK_PX = 8.0
#: recorded evacuation plans whose route items are kept between crossings (a drill records a handful)
ROUTE_PLANS_KEPT = 8
#: renders of the map's background kept for a crossing back (one per set of plans shown; ~6 MB each at 1600×1000)
MAP_RENDERS_KEPT = 4
#: the smallest size (px) of a docked view: fixed, never computed from what the view shows (see _steady_docks)
PANEL_MIN_PX = (200, 120)
#: the live window's panels a replay shows too, when they are installed: (module, class, dock name, area)
EXTRA_PANELS = (
    ("commandcenter.ui.alarm_panel", "AlarmPanel", "replayAlarmDock", Qt.DockWidgetArea.RightDockWidgetArea),
    ("commandcenter.ui.muster_panel", "MusterPanel", "replayMusterDock", Qt.DockWidgetArea.RightDockWidgetArea),
    ("commandcenter.ui.task_panel", "TaskPanel", "replayTaskDock", Qt.DockWidgetArea.BottomDockWidgetArea),
    ("commandcenter.ui.timeline_panel", "TimelinePanel", "replayEventsDock", Qt.DockWidgetArea.BottomDockWidgetArea),
    ("commandcenter.ui.comms_panel", "CommsPanel", "replayCommsDock", Qt.DockWidgetArea.BottomDockWidgetArea),
)


PANEL_TITLES = {"AlarmPanel": QT_TRANSLATE_NOOP("ReplayWindow", "Alarms and incident"),
                "MusterPanel": QT_TRANSLATE_NOOP("ReplayWindow", "Muster"),
                "TaskPanel": QT_TRANSLATE_NOOP("ReplayWindow", "Tasks"),
                "TimelinePanel": QT_TRANSLATE_NOOP("ReplayWindow", "Event log"),
                "CommsPanel": QT_TRANSLATE_NOOP("ReplayWindow", "Comms"),
                "PlanPanel": QT_TRANSLATE_NOOP("ReplayWindow", "Plan")}


def panel_title(cls: str) -> str:
    """The dock title of one of the live window's panels, in the UI language."""
    text = PANEL_TITLES.get(cls)
    return QCoreApplication.translate("ReplayWindow", text) if text else cls


class GatedSession(QObject):
    """The replay session as one view sees it: its ``reset``/``changed`` pass only while the view's dock is
    shown; a hidden tab is told once (``reset``) when shown again. Everything else is the session's. Playing
    at 10 frames a second then redraws only what is on the screen."""

    reset = Signal()
    changed = Signal(object)  # the session's list of records, passed on as it is (see ReplaySession.changed)
    refused = Signal(str)

    def __init__(self, session: ReplaySession, parent: QObject | None = None):
        super().__init__(parent)
        self._session = session
        self._open = True
        self._dirty = False
        session.reset.connect(self._reset)
        session.changed.connect(self._changed)
        session.refused.connect(self.refused)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._session, name)

    def gate(self, dock: QDockWidget) -> None:
        """Follow ``dock``'s visibility."""
        dock.visibilityChanged.connect(self.set_open)
        self.set_open(dock.isVisible())

    def set_open(self, on: bool) -> None:
        """Pass the signals (True) or hold them (False); opening after held changes emits ``reset``."""
        self._open = bool(on)
        if self._open and self._dirty:
            self._dirty = False
            self.reset.emit()

    def _reset(self) -> None:
        if self._open:
            self.reset.emit()
        else:
            self._dirty = True

    def _changed(self, events: list) -> None:
        if self._open:
            self.changed.emit(events)
        else:
            self._dirty = True


class TrailLayer:
    """The trail of one person up to the cursor: a line through their reports and a ring where they are."""

    def __init__(self, map_view: Any):
        self.map_view = map_view
        self.line = pg.PlotDataItem(pen=pg.mkPen((230, 0, 140), width=3, cosmetic=True))
        self.head = pg.ScatterPlotItem(size=20, symbol="o", pen=pg.mkPen((230, 0, 140), width=3),
                                       brush=pg.mkBrush(0, 0, 0, 0))
        self.label = pg.TextItem("", color=(120, 0, 70), fill=pg.mkBrush(255, 255, 255, 220), anchor=(0, 1))
        for item, z in ((self.line, Z_TRAIL), (self.head, Z_TRAIL + 0.5), (self.label, Z_TRAIL + 0.6)):
            item.setZValue(z)
            map_view.viewbox.addItem(item, ignoreBounds=True)
        self.xy = np.empty((0, 2))

    def show(self, trail: np.ndarray, label: str) -> None:
        """Draw ``trail`` (``[t_us, x, y]`` rows, plant CRS) labelled ``label``."""
        ox, oy = self.map_view.origin
        self.xy = trail[:, 1:3] if len(trail) else np.empty((0, 2))
        if not len(trail):
            self.clear()
            return
        self.line.setData(trail[:, 1] - ox, trail[:, 2] - oy)
        self.head.setData([trail[-1, 1] - ox], [trail[-1, 2] - oy])
        self.label.setText(label)
        self.label.setPos(trail[-1, 1] - ox, trail[-1, 2] - oy)

    def clear(self) -> None:
        """Draw no trail."""
        self.xy = np.empty((0, 2))
        self.line.setData([], [])
        self.head.setData([], [])
        self.label.setText("")


class ReplayWindow(Retranslating, QMainWindow):
    """See the module docstring. ``plant`` is the plant the replay is drawn on (the live window's)."""

    plantChanged = Signal()
    #: a replay was opened and drawn (the incident id)
    ready = Signal(str)
    #: opening failed (a one-line reason)
    openFailed = Signal(str)

    def __init__(self, plant: Any = None, parent: QWidget | None = None):
        from commandcenter.ui.hazard_layer import install_hazard_tools
        from commandcenter.ui.layer_panel import LayerPanel
        from commandcenter.ui.map_view import MapView
        from commandcenter.ui.resources_panel import install_resources_panel
        from commandcenter.ui.route_layer import RouteTool

        super().__init__(parent)
        self.setObjectName("replayWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.plant: Any = None
        self.positions: PositionStore | None = None
        self.person_id: str | None = None
        self.session = ReplaySession(self)
        self.map_view = MapView(self)
        central = QWidget(self)
        self.central_layout = QVBoxLayout(central)
        self.central_layout.setContentsMargins(0, 0, 0, 0)
        self.central_layout.setSpacing(0)
        self.central_layout.addWidget(self.map_view, 1)
        self.setCentralWidget(central)
        self.layer_panel = LayerPanel()
        self.layer_dock = self._dock(self.layer_panel, "replayLayerDock", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.layer_panel.layerToggled.connect(self.map_view.set_layer_visible)
        self.banner = QLabel()
        self.banner.setObjectName("replayBanner")
        self.banner.setStyleSheet("QLabel { color: white; background: #1d4f91; font-weight: bold; padding: 2px 8px; }")
        self.incident_label = QLabel()
        self.statusBar().addPermanentWidget(self.incident_label, 1)
        self.statusBar().addPermanentWidget(self.banner)
        self._menus()
        self.hazard_tool = install_hazard_tools(self)
        self.route_tool = RouteTool(self, self.hazard_tool.menu)
        for a in (self.hazard_tool.action, self.hazard_tool.clear_action, self.route_tool.plan_action,
                  self.route_tool.plan_zone_action, self.route_tool.plan_plain_action, self.route_tool.clear_action):
            a.setEnabled(False)  # the replay shows what was computed then; nothing is computed again
        self.hazard_tool.reveal = False  # playing must not zoom the map about
        self._live_zones()
        self._cheap_crossings()
        self.resources_dock = install_resources_panel(self)
        self.panels: dict[str, QWidget] = {}
        self._extra_panels()
        self._steady_docks()
        self.bar = ReplayBar(self.session)  # under the map, as wide as the map: the cursor is the replay
        self.central_layout.addWidget(self.bar)
        self.bar.personChosen.connect(self.select_person)
        self.trail = TrailLayer(self.map_view)
        self.runner = JobRunner(max_workers=1)
        self.bridge = JobBridge(self.runner, self)
        self.bridge.finished.connect(self._prepared)
        self.bridge.failed.connect(self._prepare_failed)
        self.progress: QProgressDialog | None = None
        self._frozen_for: ReplayModel | None = None
        self.exporter = ReportExporter(self)
        self.session.reset.connect(self._redraw)
        self.session.changed.connect(self._events)
        self.session.moved.connect(self._moved)
        self.session.refused.connect(lambda r: self.statusBar().showMessage(r, 10000))
        self.plantChanged.connect(lambda: self.session.set_plant(self.plant))
        self.map_view.scene().sigMouseClicked.connect(self._map_clicked)
        self._shortcuts()
        self.retranslate_ui()
        self.resize(1500, 950)
        if plant is not None:
            self.set_plant(plant)

    # ------------------------------------------------------------------ building
    def _live_zones(self) -> None:
        """Paint the hazard zones live, above the map's cached background, instead of baking them into it.

        Live, a new assessment is drawn once and stays in the cached plant; in a replay the zones change
        with nearly every jump (a drill records one every few minutes), and each change made the map repaint
        every building and walkway twice (the items, then the new cache): ~0.4 s CPU a seek on a
        2,000-person drill. A handful of translucent polygons painted per frame cost ~1 ms. The routes stay
        in the cache (painted live they cost ~80 ms a frame; they change once or twice a drill): see
        :meth:`_cheap_crossings` and :meth:`_settle_map`."""
        cache = getattr(self.map_view, "basemap", None)
        if cache is None:
            return
        layer = self.hazard_tool.layer
        static = cache.dynamic
        cache.dynamic = lambda item: static(item) or any(item is z for z in layer.items)

    def _cheap_crossings(self) -> None:
        """Make a seek across an evacuation plan cheap: the route layer keeps each recorded plan's items
        (hidden while another plan, or none, is in force: a crossing shows or hides them, ~0 ms, instead of
        building them again, ~50 ms), and the map's cache keeps its renders with and without them (a crossing
        back to a state already painted puts that render back instead of painting every building, walkway and
        route again, ~90–130 ms). The routes stay in the cache: painted live, a plan routing 2,000 people over
        most walkways costs ~80 ms a frame."""
        self.route_tool.layer.keep = ROUTE_PLANS_KEPT
        cache = getattr(self.map_view, "basemap", None)
        if cache is not None:
            cache.memo = MAP_RENDERS_KEPT

    def _dock(self, widget: QWidget, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _extra_panels(self) -> None:
        """The live window's session panels (plan, alarms, muster, tasks, event log, comms) on the replay
        session, each behind a :class:`GatedSession` (a hidden tab does not redraw at every frame)."""
        from commandcenter.ui.plan_panel import PlanPanel

        self.gates: list[GatedSession] = []
        plan_gate = GatedSession(self.session, self)
        plan = PlanPanel(session=plan_gate)  # type: ignore[arg-type]
        self.plan_dock = self._dock(plan, "replayPlanDock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.plan_dock.setProperty("panelClass", "PlanPanel")
        self.plantChanged.connect(lambda: plan.set_plant(self.plant))
        plan.retranslate_ui()
        plan_gate.gate(self.plan_dock)
        self.gates.append(plan_gate)
        bottom: list[QDockWidget] = []
        right: list[QDockWidget] = [self.hazard_tool.panel_dock, self.plan_dock]
        for module, cls, name, area in EXTRA_PANELS:
            gate = GatedSession(self.session, self)
            try:
                panel = getattr(importlib.import_module(module), cls)(gate)
            except (ImportError, AttributeError):
                continue  # that panel is not part of this build
            dock = self._dock(panel, name, area)
            dock.setProperty("panelClass", cls)
            gate.gate(dock)
            self.gates.append(gate)
            if hasattr(panel, "set_plant"):
                self.plantChanged.connect(lambda p=panel: p.set_plant(self.plant))
            if hasattr(panel, "retranslate_ui"):
                panel.retranslate_ui()
            self.panels[cls] = panel
            (bottom if area == Qt.DockWidgetArea.BottomDockWidgetArea else right).append(dock)
        right.append(self.resources_dock)
        for group in (bottom, right):  # one tab group per side: each view gets the full height
            for a, b in itertools.pairwise(group):
                self.tabifyDockWidget(a, b)
        for dock in right:
            dock.show()
        self._front = [self.hazard_tool.panel_dock, *bottom[:1]]  # raised once the window is shown
        self.resizeDocks([self.hazard_tool.panel_dock], [430], Qt.Orientation.Horizontal)
        self.resizeDocks([self.layer_dock], [220], Qt.Orientation.Horizontal)
        if bottom:
            self.resizeDocks([bottom[0]], [220], Qt.Orientation.Vertical)

    def _steady_docks(self) -> None:
        """Give every docked view a fixed minimum size instead of the one its content asks for.

        A view's minimum size hint changes with what it shows (the comms log's lists, the task list's scroll
        bar appearing at the first seek); when a hidden tab's minimum exceeded the room its dock area had, the
        next layout pass — at whatever seek changed some hint — moved a dock separator by a pixel and resized
        the map inside that seek, which made it render its whole background again (~130 ms; traced with
        ``bench/replay_ui.py``). With fixed minimums the dock layout fits the same constraints whatever the
        cursor shows, so the map keeps its size from opening on; a view with more content than room scrolls
        or clips, as it does when the user narrows its dock."""
        for dock in self.findChildren(QDockWidget):
            widget = dock.widget()
            if widget is not None:
                widget.setMinimumSize(*PANEL_MIN_PX)

    def _menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.setObjectName("replayFileMenu")
        self.open_action = QAction(self)
        self.open_action.triggered.connect(self.choose_log)
        self.export_action = QAction(self)
        self.export_action.setObjectName("replayExportAction")
        self.export_action.triggered.connect(self.export_report)
        self.close_action = QAction(self)
        self.close_action.setShortcut(QKeySequence.StandardKey.Close)
        self.close_action.triggered.connect(self.close)
        self.file_menu.addActions([self.open_action, self.export_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.close_action)
        self.view_menu = bar.addMenu("")
        self.play_menu = bar.addMenu("")
        self.play_menu.setObjectName("replayPlaybackMenu")
        self.play_action = QAction(self)
        self.play_action.triggered.connect(self.session.toggle)
        self.prev_action = QAction(self)
        self.prev_action.triggered.connect(lambda: self.session.step(-1))
        self.next_action = QAction(self)
        self.next_action.triggered.connect(lambda: self.session.step(+1))
        self.play_menu.addActions([self.play_action, self.prev_action, self.next_action])

    def _shortcuts(self) -> None:
        """Space plays or pauses, Left and Right step: anywhere in the window except where text is typed."""
        self.shortcuts = []
        for key, slot in ((Qt.Key.Key_Space, self.session.toggle), (Qt.Key.Key_Left, lambda: self.session.step(-1)),
                          (Qt.Key.Key_Right, lambda: self.session.step(+1))):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(slot)
            self.shortcuts.append(sc)

    # ------------------------------------------------------------------ the window API the tools use
    def set_plant(self, plant: Any, positions: PositionStore | None = None) -> None:
        """Draw the replay on ``plant``."""
        from commandcenter.ui.layer_panel import entries_for

        self.plant = plant
        self.positions = positions if positions is not None else PositionStore.from_population(plant)
        self.map_view.set_plant(plant, self.positions)
        self.layer_panel.set_entries(entries_for(plant.layers, len(self.positions)))
        self.plantChanged.emit()

    def set_positions(self, positions: PositionStore, codes: Any = None) -> None:
        """Show ``positions`` as the people at the cursor."""
        self.positions = positions
        if codes is None:
            self.map_view.set_positions(positions)
        else:
            self.map_view.set_positions(positions, codes)

    def ensure_incident(self, title: str) -> bool:
        """Never: nothing is recorded in a replay."""
        self.statusBar().showMessage(self.tr("This is a replay: nothing can be recorded."), 8000)
        return False

    # ------------------------------------------------------------------ opening
    def choose_log(self) -> None:
        """Ask for a log, then which of its incidents, and replay it."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Replay incident log"), "",
                                              self.tr("Incident logs (*.db *.sqlite);;All files (*)"))
        if not path:
            return
        incident_id = choose_incident(self, path)
        if incident_id:
            self.open_replay(path, incident_id)

    def open_replay(self, db: str | Path, incident_id: str | None = None) -> Any:
        """Open ``incident_id`` (default: the newest) of the log ``db`` read-only, prepared in a worker with a
        progress dialog; :attr:`ready` when drawn. Returns the job (None when the log cannot be opened)."""
        try:
            self.session.close_incident()
            self.session.open_store(db)
            found = self.session.incidents()
            if incident_id is None:
                if not found:
                    raise ValueError(self.tr("the log holds no incident"))
                incident_id = found[0].id
            model = ReplayModel(self.session.store, incident_id, plant=self.plant)
        except Exception as exc:  # not a log, no such incident, unreadable file
            self._open_failed(str(db), f"{exc}")
            return None
        self.progress = QProgressDialog(self.tr("Preparing the replay…"), self.tr("Cancel"), 0, 100, self)
        self.progress.setWindowTitle(self.tr("Replay"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(lambda: self.runner.cancel(KIND))
        return self.bridge.submit(KIND, lambda token: model.prepare(cancel=token))

    def _prepared(self, kind: str, model: object) -> None:
        if kind != KIND:
            return
        self._close_progress()
        self.session.attach(model)  # type: ignore[arg-type]
        m: ReplayModel = model  # type: ignore[assignment]
        if m.snapshot_problem:
            self.statusBar().showMessage(self.tr("Seeking may be slow: the seek index could not be stored ({why})")
                                         .format(why=m.snapshot_problem), 15000)
        self.ready.emit(m.incident_id)

    def _prepare_failed(self, kind: str, message: str) -> None:
        if kind == KIND:
            self._close_progress()
            self._open_failed(self.session.db or "", message)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _open_failed(self, db: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Cannot replay"),
                          self.tr("The incident log {db} could not be replayed.").format(db=db),
                          QMessageBox.StandardButton.Close, self)
        box.setInformativeText(message)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_error_box = box
        self.openFailed.emit(message)

    # ------------------------------------------------------------------ drawing at the cursor
    def _freeze_heap(self) -> None:
        """Once a replay is open: collect the garbage, then move every object alive now (the plant, the
        replay's tracks and markers, the widgets and their items, the modules) out of the cyclic garbage
        collector's reach (:mod:`commandcenter.ui.heap`).

        Playing folds thousands of events a frame; the allocations trigger a full collection now and then,
        which traversed all ~200,000 long-lived objects of the application: ~220 ms inside one playback
        frame (the unexplained slow frame of ``bench/replay_ui.py``, caught by counting collections per
        frame). Frozen objects are still freed by reference counting (a replaced state is); only cyclic
        garbage among them waits until the replay closes (:meth:`closeEvent` releases the heap)."""
        heap.hold(self)

    def _redraw(self) -> None:
        model = self.session.model
        if model is not None and model is not self._frozen_for:
            self._frozen_for = model
            self._freeze_heap()
        self._refresh_people()
        self._update_labels()
        self._update_trail()
        self._settle_map()

    def _events(self, events: list) -> None:
        if any(e.type in ("position.reported", "person.mustered", "person.sos", "person.added") for e in events):
            self._refresh_people()
        if any(e.type in ("plan.launched", "level.changed", "incident.closed") for e in events):
            self._update_labels()
        if any(e.type == "evacuation.planned" for e in events):
            self._settle_map()

    def _settle_map(self) -> None:
        """When the cursor changed what the map's cached background holds (routes came or went), render the
        background again now, once: left to the cache, every building and walkway would paint itself in this
        frame and again in the rebuild a moment later."""
        cache = getattr(self.map_view, "basemap", None)
        if cache is not None and cache.pixmap is not None and not cache.check():
            cache.build()

    def _moved(self, _t: Any) -> None:
        self._update_trail()
        self._update_banner()

    def _refresh_people(self) -> None:
        pos = self.session.positions()
        if pos is not None and self.plant is not None:
            self.set_positions(pos)

    def _update_labels(self) -> None:
        rt = self.session.runtime
        self.export_action.setEnabled(rt is not None)
        if rt is None:
            self.incident_label.setText(self.tr("No replay open: File → Replay incident log…"))
            self.setWindowTitle(self.tr("Replay"))
            self._update_banner()
            return
        inc = rt.state["incident"]
        level = inc["level"] or self.tr("no plan launched")
        kind = self.tr("drill") if rt.exercise else self.tr("incident")
        self.incident_label.setText(self.tr("{kind} {id}: {title} · at this moment: {level}").format(
            kind=kind, id=rt.incident_id, title=rt.title, level=level))
        self.setWindowTitle(self.tr("REPLAY — {title} ({id}) — read-only").format(title=rt.title, id=rt.incident_id))
        ok = self.session.verified
        if ok is not None and not ok.intact:
            self.incident_label.setText(self.incident_label.text() + "  " + self.tr(
                "· TAMPERED LOG: event {seq} {kind}").format(seq=ok.brk.seq, kind=ok.brk.kind))
            self.incident_label.setStyleSheet("QLabel { color: #b00000; font-weight: bold; }")
        else:
            self.incident_label.setStyleSheet("")
        self._update_banner()

    def _update_banner(self) -> None:
        s = self.session
        if not s.active:
            self.banner.setText(self.tr("REPLAY"))
            return
        when = from_us(s.cursor_us, s.runtime.tz).strftime("%H:%M:%S")
        self.banner.setText(self.tr("REPLAY · read-only · {time}").format(time=when))
        if hasattr(self.map_view, "set_watermark"):
            self.map_view.set_watermark(self.tr("REPLAY"))

    # ------------------------------------------------------------------ the trail of one person
    def select_person(self, person_id: str) -> bool:
        """Draw the trail of ``person_id`` up to the cursor (empty: none); False for an unknown person."""
        self.person_id = person_id or None
        self._update_trail()
        if self.person_id is None:
            return True
        tracks = self.session.model.tracks if self.session.model is not None else None
        known = tracks is not None and person_id in tracks.index
        if not known:
            self.statusBar().showMessage(self.tr("{person}: no position reports in this log").format(
                person=person_id), 8000)
        self.bar.person_edit.setText(person_id)
        return known

    def _update_trail(self) -> None:
        if self.person_id is None or self.session.model is None:
            self.trail.clear()
            return
        self.trail.show(self.session.model.trail(self.person_id), self._person_label(self.person_id))

    def _person_label(self, pid: str) -> str:
        roster = getattr(self.plant, "personnel", None)
        if roster is not None and pid in roster.index and "name" in roster.columns:
            return f"{roster.at[pid, 'name']} ({pid})"
        return pid

    def _map_clicked(self, ev: Any) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or self.positions is None or not len(self.positions):
            return
        p = self.map_view.viewbox.mapSceneToView(ev.scenePos())
        x, y = self.map_view.to_plant(p.x(), p.y())
        store = self.positions
        d2 = (store.x - x) ** 2 + (store.y - y) ** 2
        d2 = np.where(np.isfinite(d2), d2, np.inf)
        i = int(np.argmin(d2))
        tol = PERSON_PICK_PX * self.map_view.metres_per_pixel()
        if d2[i] <= tol * tol:
            self.select_person(str(store.ids[i]))

    # ------------------------------------------------------------------ report
    def export_report(self) -> Any:
        """Export the after-action report of the incident replayed (asks where)."""
        rt = self.session.runtime
        if rt is None:
            return None
        return self.exporter.choose_and_export(self.session.db, rt.incident_id, rt.title)

    # ------------------------------------------------------------------ language and closing
    def retranslate_ui(self) -> None:
        """Set every fixed text in the UI language."""
        self.file_menu.setTitle(self.tr("&File"))
        self.open_action.setText(self.tr("Replay another &incident log…"))
        self.export_action.setText(self.tr("&Export report…"))
        self.export_action.setStatusTip(self.tr("The after-action report (PDF and an offline HTML map) of this "
                                                "incident"))
        self.close_action.setText(self.tr("&Close replay"))
        self.view_menu.setTitle(self.tr("&View"))
        self.play_menu.setTitle(self.tr("&Playback"))
        self.play_action.setText(self.tr("Play / pause\tSpace"))
        self.prev_action.setText(self.tr("Previous event\tLeft"))
        self.next_action.setText(self.tr("Next event\tRight"))
        self.layer_dock.setWindowTitle(self.tr("Layers"))
        for dock in self.findChildren(QDockWidget):
            if dock.property("panelClass"):
                dock.setWindowTitle(panel_title(str(dock.property("panelClass"))))
        shown = set(self.view_menu.actions())
        for dock in self.findChildren(QDockWidget):
            if dock.toggleViewAction() not in shown:
                self.view_menu.addAction(dock.toggleViewAction())
        self._update_labels()

    def showEvent(self, event: Any) -> None:
        """The first time: the hazard assessment and the task board in front of their tab groups."""
        super().showEvent(event)
        if self._front:
            front, self._front = self._front, []
            QTimer.singleShot(0, lambda: [d.raise_() for d in front])

    def closeEvent(self, event: Any) -> None:
        """Stop playing and close the log the replay opened."""
        self.runner.cancel(KIND)
        self.session.shutdown()
        if self._frozen_for is not None:
            self._frozen_for = None
            heap.release(self)  # what lived with this replay may be garbage now (the live window's stays frozen)
        super().closeEvent(event)


def choose_incident(parent: QWidget, db: str | Path) -> str | None:
    """Ask which incident of the log ``db`` to open (the only one without asking); None when cancelled or
    unreadable (then a message says why)."""
    from commandcenter.store import EventStore

    try:
        store = EventStore(str(db))
        try:
            found = sorted(store.incidents(), key=lambda i: (i.head_t_us or 0, i.id), reverse=True)
            rows = [(i.id, i.title, i.exercise, i.tzinfo, i.head_t_us, i.head_seq) for i in found]
        finally:
            store.close()
    except Exception as exc:  # not a log, unreadable
        QMessageBox.critical(parent, QCoreApplication.translate("ReplayWindow", "Cannot replay"),
                             f"{db}: {exc}")
        return None
    if len(rows) <= 1:
        return rows[0][0] if rows else None
    dialog = QDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("ReplayWindow", "Which incident?"))
    layout = QVBoxLayout(dialog)
    box = QListWidget()
    for iid, title, exercise, tz, t_us, seq in rows:
        when = from_us(t_us, tz).strftime("%Y-%m-%d %H:%M") if t_us else "—"
        kind = (QCoreApplication.translate("ReplayWindow", "drill") if exercise else
                QCoreApplication.translate("ReplayWindow", "incident"))
        item = QListWidgetItem(f"{when} · {kind} · {title} ({iid}, {seq} events)")
        item.setData(Qt.ItemDataRole.UserRole, iid)
        box.addItem(item)
    box.setCurrentRow(0)
    layout.addWidget(box)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    box.itemDoubleClicked.connect(lambda _i: dialog.accept())
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted or box.currentItem() is None:
        return None
    return str(box.currentItem().data(Qt.ItemDataRole.UserRole))


class ReplayTools:
    """What :func:`install_replay` adds to a live window: the actions, the replay windows it opened and the
    report exporter."""

    def __init__(self, window: QMainWindow):
        self.window = window
        self.windows: list[ReplayWindow] = []
        self.exporter = ReportExporter(window)
        self.replay_action = QAction(window)
        self.replay_action.setObjectName("replayLogAction")
        self.replay_action.triggered.connect(self.choose_log)
        self.replay_current_action = QAction(window)
        self.replay_current_action.setObjectName("replayCurrentAction")
        self.replay_current_action.triggered.connect(self.replay_current)
        self.export_action = QAction(window)
        self.export_action.setObjectName("exportReportAction")
        self.export_action.triggered.connect(self.export_current)
        session = getattr(window, "session", None)
        if session is not None:
            session.reset.connect(self.update_actions)
            session.changed.connect(lambda evs: self.update_actions()
                                    if any(e.type == "incident.closed" for e in evs) else None)
        self.retranslate()
        self.update_actions()

    def retranslate(self) -> None:
        """Set the texts in the UI language."""
        self.replay_action.setText(QCoreApplication.translate("ReplayWindow", "&Replay incident log…"))
        self.replay_action.setStatusTip(QCoreApplication.translate(
            "ReplayWindow", "Watch a recorded incident or drill on the map with a timeline (read-only, in its own "
                            "window)"))
        self.replay_current_action.setText(QCoreApplication.translate("ReplayWindow", "Replay this incident"))
        self.export_action.setText(QCoreApplication.translate("ReplayWindow", "&Export report…"))
        self.update_actions()

    def update_actions(self) -> None:
        """Export needs a finished incident; replaying the current one needs one open."""
        rt = getattr(getattr(self.window, "session", None), "runtime", None)
        finished = rt is not None and rt.closed
        self.export_action.setEnabled(finished)
        self.export_action.setStatusTip(QCoreApplication.translate(
            "ReplayWindow", "The after-action report (PDF and an offline HTML map) of this finished incident or drill")
            if finished else QCoreApplication.translate("ReplayWindow", "Close the incident first (all clear): the "
                                                                        "report covers a finished incident or drill"))
        self.replay_current_action.setEnabled(rt is not None)

    def open(self, db: str | Path, incident_id: str | None = None) -> ReplayWindow:
        """A new replay window on ``incident_id`` of ``db`` (the live window's plant), shown."""
        w = ReplayWindow(getattr(self.window, "plant", None))
        w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        w.destroyed.connect(lambda _o=None, w=w: self.windows.remove(w) if w in self.windows else None)
        self.windows.append(w)
        w.show()
        w.open_replay(db, incident_id)
        return w

    def choose_log(self) -> ReplayWindow | None:
        """Ask for a log and an incident, and replay it."""
        path, _ = QFileDialog.getOpenFileName(
            self.window, QCoreApplication.translate("ReplayWindow", "Replay incident log"), "",
            QCoreApplication.translate("ReplayWindow", "Incident logs (*.db *.sqlite);;All files (*)"))
        if not path:
            return None
        incident_id = choose_incident(self.window, path)
        return self.open(path, incident_id) if incident_id else None

    def replay_current(self) -> ReplayWindow | None:
        """Replay the live window's incident (as recorded so far)."""
        s = getattr(self.window, "session", None)
        if s is None or s.runtime is None or not s.db:
            return None
        return self.open(s.db, s.runtime.incident_id)

    def export_current(self) -> Any:
        """Export the report of the live window's finished incident (asks where)."""
        s = getattr(self.window, "session", None)
        if s is None or s.runtime is None:
            return None
        return self.exporter.choose_and_export(s.db, s.runtime.incident_id, s.runtime.title)


def install_replay(window: QMainWindow) -> ReplayTools:
    """Add File → Replay incident log…, Replay this incident and Export report… to ``window`` (the File menu
    found by its ``file_menu`` attribute, else the menu bar's first menu, else a new one). Idempotent;
    returns the tools."""
    tools = getattr(window, "replay_tools", None)
    if tools is not None:
        return tools
    tools = ReplayTools(window)
    window.replay_tools = tools  # type: ignore[attr-defined]
    menu = getattr(window, "file_menu", None)
    if menu is None:
        menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
        menu = menus[0] if menus else window.menuBar().addMenu(QCoreApplication.translate("ReplayWindow", "&File"))
    first_separator = next((a for a in menu.actions() if a.isSeparator()), None)
    for a in (tools.replay_action, tools.replay_current_action, tools.export_action):
        menu.insertAction(first_separator, a)
    return tools
