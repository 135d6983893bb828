"""The command center's main window: the plant map in the middle and, around it, the docks of an incident —
Alarms and incident, Plan, Muster (right), Tasks, Comms, Timeline (bottom), Layers and Resources (left).

Every dock is a view of the incident session (``window.session``): what they show comes from the log's
projections and every action is an event recorded through the incident runtime. The layout of the docks and
the language are kept between runs (QSettings, :meth:`MainWindow.restore_layout`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from commandcenter.ui.alarm_panel import AlarmPanel
from commandcenter.ui.busy_indicator import BusyIndicator
from commandcenter.ui.comms_panel import CommsPanel
from commandcenter.ui.exercise_marking import ExerciseBanner, mark_window, watermark_text
from commandcenter.ui.find_index import Entry, build_index, find
from commandcenter.ui.hazard_layer import HazardTool, install_hazard_tools
from commandcenter.ui.help_overlay import HelpOverlay
from commandcenter.ui.incident_opener import IncidentTool
from commandcenter.ui.layer_panel import LayerPanel, entries_for
from commandcenter.ui.map_overlays import MapLegend
from commandcenter.ui.map_tools import AreaTool, MeasureTool, PickTool, format_distance, hint, people_inside
from commandcenter.ui.map_view import MapView
from commandcenter.ui.muster_panel import MusterPanel
from commandcenter.ui.panel_base import add_dock
from commandcenter.ui.people_controller import PeopleController
from commandcenter.ui.plan_panel import install_plan_panel
from commandcenter.ui.plant_loading import LoadOutcome, load_outcome
from commandcenter.ui.replay_window import install_replay
from commandcenter.ui.resources_panel import install_resources_panel
from commandcenter.ui.route_layer import RouteTool
from commandcenter.ui.session import IncidentSession
from commandcenter.ui.tamper_banner import TamperBanner
from commandcenter.ui.task_panel import TaskPanel
from commandcenter.ui.timeline_panel import TimelinePanel
from commandcenter.ui.translations import current_language, install_translations
from gis.plant import Plant
from gis.positions import PositionStore

# Errors listed in the message box itself; all of them are under "Show Details".
SHOWN_ERRORS = 12
SETTINGS_ORG, SETTINGS_APP = "plant-commandcenter", "commandcenter"
#: bump when the docks change, so an old saved layout is not restored onto a new set of docks
LAYOUT_VERSION = 3
GUIDES = Path(__file__).resolve().parents[2] / "docs"


def settings() -> QSettings:
    """The window's settings (dock layout, language); tests point QSettings at a temporary folder."""
    return QSettings(SETTINGS_ORG, SETTINGS_APP)


class MainWindow(QMainWindow):
    """The main window: menus, the map in the centre, the docks around it and a status bar with the cursor's
    coordinates, the plant, the incident and the progress of background work."""

    # A plant is shown (emitted by :meth:`set_plant`).
    plantChanged = Signal()
    # Loading failed: the path and the error lines.
    loadFailed = Signal(str, list)

    def __init__(self, parent: QWidget | None = None):
        """An empty window; show a plant with :meth:`open_plant` or :meth:`set_plant`."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.plant: Plant | None = None
        self.positions: PositionStore | None = None
        self.last_error_box: QMessageBox | None = None
        self.area_dialog: QDialog | None = None
        self.find_dialog: QDialog | None = None
        self.open_dialog: QDialog | None = None
        self._find_index: list[Entry] | None = None
        self.setDockNestingEnabled(True)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)

        self.map_view = MapView(self)
        self.setCentralWidget(self.map_view)
        self.legend = MapLegend(self.map_view)
        self.tamper_banner = TamperBanner(self.map_view)
        self.layer_panel = LayerPanel()
        self.layer_dock = QDockWidget(self)
        self.layer_dock.setObjectName("layerDock")
        self.layer_dock.setWidget(self.layer_panel)
        self.layer_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                    | QDockWidget.DockWidgetFeature.DockWidgetClosable
                                    | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.layer_dock)
        self.layer_panel.layerToggled.connect(self.map_view.set_layer_visible)

        self.cursor_label = QLabel()
        self.plant_label = QLabel()
        self.busy = BusyIndicator()
        self.statusBar().addWidget(self.cursor_label, 1)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.plant_label)
        self.exercise_banner = ExerciseBanner(self)
        self.statusBar().addPermanentWidget(self.exercise_banner)
        self.map_view.cursorMoved.connect(self._show_cursor)
        self.map_view.cursorLeft.connect(self.cursor_label.clear)

        self.session = IncidentSession(self)  # the open incident: every panel is a view of it
        self.incident_label = QLabel()
        self.statusBar().addPermanentWidget(self.incident_label)
        self.session.reset.connect(self._incident_reset)
        self.session.changed.connect(self._incident_events)
        self.session.refused.connect(self._refused)
        self.plantChanged.connect(lambda: self.session.set_plant(self.plant))

        self.people = PeopleController(self)
        self.people.drawn.connect(self.legend.set_counts)
        self.measure_tool = MeasureTool(self.map_view)
        self.measure_tool.measured.connect(self._measured)
        self.area_tool = AreaTool(self.map_view)
        self.area_tool.drawn.connect(self.show_people_inside)
        self.pick_tool = PickTool(self.map_view)
        self.pick_tool.picked.connect(self.ask_new_alarm)
        for tool in (self.measure_tool, self.area_tool, self.pick_tool):
            tool.ended.connect(self.statusBar().clearMessage)

        self._create_actions()
        self._create_menus()
        self.hazard_tool = HazardTool(self)  # Emergency menu → Hazard zone…
        self.route_tool = RouteTool(self, self.hazard_tool.menu)  # Emergency → Plan evacuation…
        self.hazard_tool.zonesShown.connect(self._lift_zone_summary)
        self.busy.watch(self.hazard_tool.bridge, lambda: self.tr("Computing the hazard zones"))
        self.busy.watch(self.route_tool.bridge, lambda: self.tr("Planning the evacuation"))
        self._create_docks()
        self._create_emergency_actions()
        install_hazard_tools(self)  # the "Hazard assessment" dock (the tool above is reused)
        self.hazard_dock = self.hazard_tool.panel_dock
        self.resources_dock = install_resources_panel(self)
        self.resources_panel = self.resources_dock.widget()
        self.tabifyDockWidget(self.plan_dock, self.resources_dock)  # the muster board keeps its height
        self.incident_tool = IncidentTool(self)  # File → Open incident log…
        self.replay_tools = install_replay(self)  # File → Replay incident log…, Export report…
        self._default_state = self.saveState(LAYOUT_VERSION)
        self.help_overlay = HelpOverlay(self)
        self.help_overlay.set_actions(self.shortcut_actions())
        self.retranslate_ui()
        self.resize(1600, 1000)

    # ----------------------------------------------------------------- docks
    def _create_docks(self) -> None:
        s = self.session
        self.alarm_panel = AlarmPanel(s)
        self.alarm_dock = add_dock(self, self.alarm_panel, "alarmDock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.plan_dock = install_plan_panel(self)
        self.plan_panel = self.plan_dock.panel
        self.muster_panel = MusterPanel(s)
        self.muster_dock = add_dock(self, self.muster_panel, "musterDock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.task_panel = TaskPanel(s)
        self.task_dock = add_dock(self, self.task_panel, "taskDock", Qt.DockWidgetArea.BottomDockWidgetArea)
        self.comms_panel = CommsPanel(s)
        self.comms_dock = add_dock(self, self.comms_panel, "commsDock", Qt.DockWidgetArea.BottomDockWidgetArea)
        self.timeline_panel = TimelinePanel(s)
        self.timeline_dock = add_dock(self, self.timeline_panel, "timelineDock",
                                      Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.task_dock, self.comms_dock)
        self.tabifyDockWidget(self.comms_dock, self.timeline_dock)
        self.task_dock.raise_()
        self.layer_dock.raise_()
        self.resizeDocks([self.alarm_dock, self.plan_dock, self.muster_dock], [250, 220, 430],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.alarm_dock], [580], Qt.Orientation.Horizontal)
        self.layer_panel.setMinimumWidth(190)  # layer names unclipped
        self.resizeDocks([self.layer_dock], [210], Qt.Orientation.Horizontal)
        self.resizeDocks([self.task_dock], [250], Qt.Orientation.Vertical)
        self.docks = [self.alarm_dock, self.plan_dock, self.muster_dock, self.task_dock, self.comms_dock,
                      self.timeline_dock, self.layer_dock]
        self.panels = [self.alarm_panel, self.plan_panel, self.muster_panel, self.task_panel, self.comms_panel,
                       self.timeline_panel]
        for panel in self.panels:
            if panel is not self.plan_panel:
                self.plantChanged.connect(lambda p=panel: p.set_plant(self.plant))
        self.alarm_panel.alarmSelected.connect(self.plan_panel.set_alarm)
        self.alarm_panel.pickRequested.connect(self.start_pick)
        self.alarm_panel.showOnMap.connect(lambda x, y: self.map_view.centre_on(x, y))
        self.muster_panel.showPerson.connect(lambda _pid, x, y: self.map_view.centre_on(x, y))
        self.task_panel.showPerson.connect(self.centre_on_person)
        self.view_menu.addSeparator()
        for dock in self.docks:
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.legend_action)
        self.view_menu.addAction(self.reset_layout_action)
        self.view_menu.addSeparator()
        self.view_menu.addMenu(self.language_menu)
        self._default_state = self.saveState(LAYOUT_VERSION)

    # ----------------------------------------------------------------- menus
    def _action(self, slot, shortcut: str | QKeySequence.StandardKey | None = None,  # type: ignore[no-untyped-def]
                name: str = "") -> QAction:
        a = QAction(self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if name:
            a.setObjectName(name)
        a.triggered.connect(slot)
        self.addAction(a)  # shortcuts work even when the action's menu is hidden
        return a

    def _create_actions(self) -> None:
        self.open_folder_action = self._action(self.choose_plant_folder, QKeySequence.StandardKey.Open)
        self.open_gpkg_action = self._action(self.choose_plant_gpkg, "Ctrl+Shift+O")
        self.screenshot_action = self._action(self.choose_screenshot_file, "Ctrl+Shift+S")
        self.background_action = self._action(self.choose_background)
        self.clear_background_action = self._action(self.clear_background)
        self.new_incident_action = self._action(self.choose_new_incident, "Ctrl+N")
        self.open_incident_action = self._action(self.choose_incident, "Ctrl+Shift+I")
        self.close_incident_action = self._action(self.close_incident)
        self.quit_action = self._action(self.request_quit, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.fit_action = self._action(self.map_view.fit_plant)
        self.fit_action.setShortcuts([QKeySequence("Ctrl+0"), QKeySequence(Qt.Key.Key_Home)])
        self.zoom_in_action = self._action(lambda: self.map_view.zoom_by(1.5), QKeySequence.StandardKey.ZoomIn)
        self.zoom_out_action = self._action(lambda: self.map_view.zoom_by(1 / 1.5), QKeySequence.StandardKey.ZoomOut)
        self.layers_action = self.layer_dock.toggleViewAction()
        self.legend_action = self._action(lambda on: self.legend.setVisible(on))
        self.legend_action.setCheckable(True)
        self.legend_action.setChecked(True)
        self.reset_layout_action = self._action(self.reset_layout)
        self.find_action = self._action(self.open_find, QKeySequence.StandardKey.Find, "findAction")
        self.measure_action = self._action(self.start_measure, "Ctrl+M", "measureAction")
        self.area_action = self._action(self.start_area, "Ctrl+Shift+A", "areaAction")
        self.help_action = self._action(lambda: self.help_overlay.toggle(), QKeySequence.StandardKey.HelpContents,
                                        "helpAction")
        self.guide_zh_action = self._action(lambda: self.open_guide("zh"))
        self.guide_en_action = self._action(lambda: self.open_guide("en"))
        self.about_action = self._action(self.show_about)
        self.language_group = QActionGroup(self)
        self.lang_en_action = self._action(lambda: self.set_language("en"))
        self.lang_zh_action = self._action(lambda: self.set_language("zh"))
        for a in (self.lang_en_action, self.lang_zh_action):
            a.setCheckable(True)
            self.language_group.addAction(a)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addActions([self.new_incident_action, self.open_incident_action, self.close_incident_action])
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.open_folder_action, self.open_gpkg_action])
        self.file_menu.addActions([self.background_action, self.clear_background_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.screenshot_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.view_menu = bar.addMenu("")
        self.view_menu.addActions([self.fit_action, self.zoom_in_action, self.zoom_out_action])
        self.language_menu = self.view_menu.addMenu("")
        self.view_menu.removeAction(self.language_menu.menuAction())
        self.language_menu.addActions([self.lang_zh_action, self.lang_en_action])
        self.tools_menu = bar.addMenu("")
        self.tools_menu.addActions([self.find_action, self.measure_action, self.area_action])
        self.help_menu = bar.addMenu("")
        self.help_menu.addActions([self.help_action, self.guide_zh_action, self.guide_en_action])
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)

    def _create_emergency_actions(self) -> None:
        """The duty officer's keys, in the Emergency menu (made by the hazard tool) after its own actions."""
        m = self.hazard_tool.menu
        self.launch_action = self._action(self.plan_panel.request_launch, "Ctrl+L", "launchAction")
        self.ack_action = self._action(self.alarm_panel.acknowledge_selected, "Ctrl+K", "ackAction")
        self.new_alarm_action = self._action(self.start_pick, "Ctrl+Shift+N", "newAlarmAction")
        self.raise_action = self._action(lambda: self.plan_panel.request_level_change(+1), "Ctrl+Up")
        self.lower_action = self._action(lambda: self.plan_panel.request_level_change(-1), "Ctrl+Down")
        self.roll_call_action = self._action(self._roll_call, "Ctrl+R", "rollCallAction")
        self.walkup_action = self._action(self.muster_panel.ask_check_in, "Ctrl+Shift+W")
        m.addSeparator()
        m.addActions([self.ack_action, self.new_alarm_action, self.launch_action, self.raise_action,
                      self.lower_action])
        m.addSeparator()
        m.addActions([self.roll_call_action, self.walkup_action])
        m.addSeparator()
        m.addAction(self.plan_dock.toggleViewAction())
        self.menuBar().insertMenu(self.tools_menu.menuAction(), m)

    def shortcut_actions(self) -> list[QAction]:
        """The actions the help overlay lists, most urgent first."""
        return [self.launch_action, self.ack_action, self.new_alarm_action, self.raise_action, self.lower_action,
                self.roll_call_action, self.walkup_action, self.find_action, self.measure_action, self.area_action,
                self.new_incident_action, self.open_incident_action, self.screenshot_action, self.fit_action,
                self.zoom_in_action, self.zoom_out_action, self.quit_action]

    def retranslate_ui(self) -> None:
        """Set every visible text in the current UI language."""
        self.file_menu.setTitle(self.tr("&File"))
        self.open_folder_action.setText(self.tr("&Open plant folder…"))
        self.open_folder_action.setStatusTip(self.tr("Open a plant package stored as a folder of GeoJSON files"))
        self.open_gpkg_action.setText(self.tr("Open plant &GeoPackage…"))
        self.open_gpkg_action.setStatusTip(self.tr("Open a plant package stored as one .gpkg file"))
        self.background_action.setText(self.tr("Background image (GeoTIFF)…"))
        self.background_action.setStatusTip(
            self.tr("Show an orthophoto or a georeferenced site drawing under the plant"))
        self.clear_background_action.setText(self.tr("Remove the background image"))
        self.screenshot_action.setText(self.tr("Save &screenshot…"))
        self.new_incident_action.setText(self.tr("&New incident…"))
        self.new_incident_action.setStatusTip(self.tr("Open a new incident (or exercise) in the incident log"))
        self.open_incident_action.setText(self.tr("Open incident…"))
        self.open_incident_action.setStatusTip(self.tr("Show another incident of the open log"))
        self.close_incident_action.setText(self.tr("Close incident (all clear)…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.fit_action.setText(self.tr("&Fit plant"))
        self.zoom_in_action.setText(self.tr("Zoom &in"))
        self.zoom_out_action.setText(self.tr("Zoom &out"))
        self.layer_dock.setWindowTitle(self.tr("Layers"))
        self.layers_action.setText(self.tr("&Layers panel"))
        self.legend_action.setText(self.tr("Map legend"))
        self.reset_layout_action.setText(self.tr("Reset the panel layout"))
        self.language_menu.setTitle(self.tr("Language / 语言"))
        self.lang_en_action.setText("English")
        self.lang_zh_action.setText("中文")
        (self.lang_zh_action if current_language() == "zh" else self.lang_en_action).setChecked(True)
        self.tools_menu.setTitle(self.tr("&Tools"))
        self.find_action.setText(self.tr("Find a person, device or equipment…"))
        self.measure_action.setText(self.tr("Measure a distance"))
        self.area_action.setText(self.tr("Draw an area: who is inside?"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.help_action.setText(self.tr("Keyboard shortcuts"))
        self.guide_zh_action.setText(self.tr("Duty officer's guide (中文)"))
        self.guide_en_action.setText(self.tr("Duty officer's guide (English)"))
        self.about_action.setText(self.tr("About"))
        if hasattr(self, "launch_action"):
            self.launch_action.setText(self.tr("Launch the proposed plan…"))
            self.ack_action.setText(self.tr("Acknowledge the alarm"))
            self.new_alarm_action.setText(self.tr("New alarm here (click the map)…"))
            self.raise_action.setText(self.tr("Raise the level…"))
            self.lower_action.setText(self.tr("Lower the level…"))
            self.roll_call_action.setText(self.tr("Roll call: mark present…"))
            self.walkup_action.setText(self.tr("Walk-up check-in…"))
            self.alarm_dock.setWindowTitle(self.tr("Alarms and incident"))
            self.plan_dock.setWindowTitle(self.tr("Plan"))
            self.muster_dock.setWindowTitle(self.tr("Muster"))
            self.task_dock.setWindowTitle(self.tr("Tasks"))
            self.comms_dock.setWindowTitle(self.tr("Comms"))
            self.timeline_dock.setWindowTitle(self.tr("Timeline"))
        if hasattr(self, "replay_tools"):
            self.replay_tools.retranslate()
        self.busy.retranslate()
        self._update_title()
        self._update_plant_label()
        self._update_incident_label()
        if self.exercise_banner.exercise:
            self.map_view.set_watermark(watermark_text())

    def changeEvent(self, event: QEvent) -> None:
        """Re-translate the window when the UI language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_language(self, language: str) -> str:
        """Switch the whole UI to ``language`` (``zh`` or ``en``) now, and remember it for the next run."""
        app = QApplication.instance()
        got = install_translations(app, "zh_CN" if language == "zh" else "en") if app is not None else "en"
        settings().setValue("language", got)
        return got

    # ----------------------------------------------------------------- layout
    def save_layout(self) -> None:
        """Keep the window's geometry and the docks' layout for the next run."""
        s = settings()
        s.setValue("geometry", self.saveGeometry())
        s.setValue("docks", self.saveState(LAYOUT_VERSION))

    def restore_layout(self) -> bool:
        """Restore the geometry and dock layout saved by :meth:`save_layout`; returns whether there was one."""
        s = settings()
        geometry, docks = s.value("geometry"), s.value("docks")
        self._layout_restored = True  # from now on, closing saves the layout
        ok = False
        if isinstance(geometry, QByteArray):
            ok = self.restoreGeometry(geometry)
        if isinstance(docks, QByteArray):
            ok = self.restoreState(docks, LAYOUT_VERSION) and ok
        return ok

    def reset_layout(self) -> None:
        """Put the docks back where they start."""
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in self.docks:
            dock.show()
        self.task_dock.raise_()
        self.layer_dock.raise_()

    # ----------------------------------------------------------------- plant
    def choose_plant_folder(self) -> None:
        """Ask for a plant folder and open it."""
        path = QFileDialog.getExistingDirectory(self, self.tr("Open plant folder"))
        if path:
            self.open_plant(path)

    def choose_plant_gpkg(self) -> None:
        """Ask for a plant GeoPackage and open it."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open plant GeoPackage"), "",
                                              self.tr("GeoPackage (*.gpkg);;All files (*)"))
        if path:
            self.open_plant(path)

    def open_plant(self, path: str | Path) -> bool:
        """Load the plant package at ``path`` and show it; on failure show the errors in a message
        box (the plant shown before stays). Returns whether it loaded."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            outcome = load_outcome(path)
        finally:
            QApplication.restoreOverrideCursor()
        return self.show_outcome(outcome)

    def show_outcome(self, outcome: LoadOutcome) -> bool:
        """Show the plant of a finished load, or its errors; returns whether it had a plant."""
        if outcome.plant is None:
            self.show_load_errors(outcome.path, outcome.errors)
            return False
        self.set_plant(outcome.plant)
        self.statusBar().showMessage(self.tr("Loaded {path} in {seconds:.2f} s").format(
            path=outcome.path, seconds=outcome.seconds), 8000)
        return True

    def set_plant(self, plant: Plant, positions: PositionStore | None = None) -> None:
        """Show an already loaded ``plant``; people come from ``positions`` or, by default, from the plant's
        population file (an open incident's log then places them)."""
        self.plant = plant
        self._find_index = None
        self.positions = positions if positions is not None else PositionStore.from_population(plant)
        self.map_view.set_plant(plant, self.positions)
        self.layer_panel.set_entries(entries_for(plant.layers, self.people_shown()))
        self._update_title()
        self._update_plant_label()
        self.plantChanged.emit()
        if positions is None:
            self.people.rebuild()

    def set_positions(self, positions: PositionStore, codes: np.ndarray | None = None) -> None:
        """Show ``positions`` as the people on the map (classes ``codes``, see
        :mod:`commandcenter.ui.people_layer`; default from their status)."""
        self.positions = positions
        self.map_view.set_positions(positions, codes)
        self._update_plant_label()

    def people_shown(self) -> int:
        """How many people have a known position (and so a dot on the map)."""
        if self.positions is None:
            return 0
        return int(np.count_nonzero(np.isfinite(self.positions.x) & np.isfinite(self.positions.y)))

    def show_load_errors(self, path: str | Path, errors: list[str]) -> QMessageBox:
        """Show (without blocking) a message box listing why ``path`` could not be loaded."""
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Cannot open plant"),
                          self.tr("The plant package {path} could not be loaded ({n} errors).").format(
                              path=path, n=len(errors)), QMessageBox.StandardButton.Close, self)
        shown = errors[:SHOWN_ERRORS]
        more = len(errors) - len(shown)
        lines = [f"• {e}" for e in shown]
        if more > 0:
            lines.append(self.tr("… and {n} more (see Show Details)").format(n=more))
        box.setInformativeText("\n".join(lines))
        box.setDetailedText("\n".join(errors))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(self._forget_error_box)
        self.last_error_box = box
        self.loadFailed.emit(str(path), list(errors))
        box.open()
        return box

    def _forget_error_box(self) -> None:
        self.last_error_box = None

    # ----------------------------------------------------------------- background image
    def choose_background(self) -> None:
        """Ask for a GeoTIFF and show it under the plant (read in the background)."""
        if self.plant is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Background image"), "",
                                              self.tr("GeoTIFF (*.tif *.tiff);;All files (*)"))
        if path:
            self.load_background(path)

    def load_background(self, path: str | Path):  # type: ignore[no-untyped-def]
        """Read ``path`` in the service pool and show it when read; returns the job."""
        from commandcenter.services.jobs import JobRunner
        from commandcenter.ui.background_raster import read_background
        from commandcenter.ui.job_bridge import JobBridge

        if not hasattr(self, "_raster_bridge"):
            self._raster_bridge = JobBridge(JobRunner(max_workers=1), self)
            self._raster_bridge.finished.connect(lambda _k, bg: self.map_view.set_background(bg))
            self._raster_bridge.failed.connect(lambda _k, msg: self._refused(msg.split(": ", 1)[-1]))
            self.busy.watch(self._raster_bridge, lambda: self.tr("Reading the background image"))
        plant = self.plant
        return self._raster_bridge.submit("background", lambda token: read_background(
            path, plant.crs, plant.bounds, cancel=token))

    def clear_background(self) -> None:
        """Take the background image away."""
        self.map_view.set_background(None)

    # ----------------------------------------------------------------- incident
    def choose_new_incident(self) -> None:
        """Ask for a title and whether it is an exercise, and open a new incident."""
        from PySide6.QtWidgets import QInputDialog

        if self.plant is None:
            return
        title, ok = QInputDialog.getText(self, self.tr("New incident"), self.tr("Title (what and where):"))
        if not ok or not title.strip():
            return
        exercise = QMessageBox.question(
            self, self.tr("New incident"), self.tr("Is this an exercise (drill)?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes
        self.session.new_incident(title.strip(), exercise=exercise)

    def choose_incident(self) -> QDialog | None:
        """List the incidents of the open log (newest first) to show another one (non-blocking)."""
        if self.session.store is None:
            from commandcenter.ui.session import default_log_path

            self.session.open_log(default_log_path(), resume=False)
        items = self.session.incidents()
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Open incident"))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        lst = QListWidget()
        for inc in items:
            tag = self.tr(" [exercise]") if inc.exercise else ""
            it = QListWidgetItem(f"{inc.id}  {inc.title}{tag}")
            it.setData(Qt.ItemDataRole.UserRole, inc.id)
            lst.addItem(it)
        if items:
            lst.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        lay = QVBoxLayout(dlg)
        lay.addWidget(QLabel(self.tr("Incidents in {db}:").format(db=self.session.db)))
        lay.addWidget(lst)
        lay.addWidget(buttons)

        def accept() -> None:
            it = lst.currentItem()
            if it is not None:
                self.session.open_incident(it.data(Qt.ItemDataRole.UserRole))
            dlg.accept()

        buttons.accepted.connect(accept)
        buttons.rejected.connect(dlg.reject)
        lst.itemDoubleClicked.connect(lambda _i: accept())
        dlg.incident_list = lst  # type: ignore[attr-defined]
        dlg.buttons = buttons  # type: ignore[attr-defined]
        dlg.destroyed.connect(lambda: setattr(self, "open_dialog", None))
        self.open_dialog = dlg
        dlg.resize(560, 360)
        dlg.open()
        return dlg

    def ensure_incident(self, title: str) -> bool:
        """An incident to record into: the open one, else a new one titled ``title`` (not an exercise
        unless the window is in exercise mode). Returns False without a plant."""
        if self.session.active:
            return True
        if self.plant is None:
            return False
        self.session.new_incident(title, exercise=self.exercise_banner.exercise)
        return True

    def close_incident(self) -> None:
        """Record the all-clear of the open incident (after a confirmation)."""
        rt = self.session.runtime
        if rt is None or rt.closed:
            return
        answer = QMessageBox.question(self, self.tr("Close incident"),
                                      self.tr("Record the all-clear and close incident {id}?").format(
                                          id=rt.incident_id))
        if answer == QMessageBox.StandardButton.Yes:
            self.session.record("incident.closed", {"reason": "all clear"})

    def _incident_reset(self) -> None:
        rt = self.session.runtime
        self.set_exercise(bool(rt and rt.exercise))
        self.tamper_banner.show_result(self.session.verified if rt is not None else None)
        self._find_index = None
        self._update_incident_label()
        self._show_threat_legend()

    def _incident_events(self, events: list) -> None:
        types = self.session.types_of(events)
        if any(t.startswith(("plan.", "level.", "incident.")) for t in types):
            self._update_incident_label()
        if "hazard.assessed" in types:
            self._show_threat_legend()

    def _show_threat_legend(self) -> None:
        state = self.session.state
        self.legend.show_threat(bool(state and state["hazard"]["current"] is not None))

    def _lift_zone_summary(self, _report: Any = None) -> None:
        """Keep the hazard layer's summary label above routes, dots and names (map_style's order)."""
        from commandcenter.ui import map_style as st

        for item in self.hazard_tool.layer.items:
            if hasattr(item, "textItem"):
                item.setZValue(st.Z_ORDER["hazard_label"])

    def _update_incident_label(self) -> None:
        rt = self.session.runtime
        ok = self.session.verified
        if rt is not None and ok is not None and not ok.intact:
            self.incident_label.setStyleSheet("QLabel { color: white; background: #b00000; font-weight: bold; }")
            self.incident_label.setText(self.tr("TAMPERED LOG: event {seq} {kind} — shown read-only").format(
                seq=ok.brk.seq, kind=ok.brk.kind))
            return
        if rt is None:
            self.incident_label.setText(self.tr("No incident open"))
            self.incident_label.setStyleSheet("")
            return
        inc = rt.state["incident"]
        status = self.tr("closed") if not inc["open"] else (inc["level"] or self.tr("no plan launched"))
        self.incident_label.setText(self.tr("Incident {id}: {title} · {status}").format(
            id=rt.incident_id, title=inc["title"] or rt.title, status=status))
        self.incident_label.setStyleSheet("QLabel { font-weight: bold; }")

    def _refused(self, reason: str) -> None:
        self.statusBar().showMessage(self.tr("Refused: {reason}").format(reason=reason), 15000)

    # ----------------------------------------------------------------- emergency actions
    def start_pick(self) -> None:
        """Let the user click the place of a new alarm on the map."""
        if self.plant is None:
            return
        self.pick_tool.start()
        self.statusBar().showMessage(hint("pick"))

    def ask_new_alarm(self, x: float, y: float) -> None:
        """Ask what was seen at (x, y) and record the alarm (a warning, or a formal alarm)."""
        from PySide6.QtWidgets import QInputDialog

        levels = [self.tr("ALARM — formal, act now"), self.tr("warning — ask someone to check")]
        level, ok = QInputDialog.getItem(self, self.tr("New alarm here"), self.tr("Grade:"), levels, 0, False)
        if not ok:
            return
        text, ok = QInputDialog.getText(self, self.tr("New alarm here"), self.tr("What was seen (e.g. smell of "
                                                                                   "rotten eggs, a leak, smoke):"))
        if ok:
            self.new_alarm(x, y, "alarm" if level == levels[0] else "warn", text.strip())

    def new_alarm(self, x: float, y: float, level: str = "alarm", text: str = "") -> list:
        """Record an alarm at plant (x, y) entered by hand (opening an incident if none is open)."""
        if not self.ensure_incident(self.tr("Alarm entered by hand")):
            return []
        return self.session.new_alarm(x, y, level=level, text=text)

    def _roll_call(self) -> None:
        self.muster_dock.show()
        self.muster_dock.raise_()
        self.muster_panel.ask_roll_call()

    # ----------------------------------------------------------------- find, measure, area
    def find_index(self) -> list[Entry]:
        """What Find searches (rebuilt when the plant or incident changes)."""
        if self._find_index is None:
            self._find_index = build_index(self.plant, self.session.positions()) if self.plant is not None else []
        return self._find_index

    def find(self, text: str) -> Entry | None:
        """Centre the map on the best match for ``text`` (a person, device or equipment by id or name)."""
        hits = find(self.find_index(), text)
        if not hits:
            self.statusBar().showMessage(self.tr("Nothing found for {text!r}").format(text=text), 8000)
            return None
        e = hits[0]
        if e.kind == "person":
            return e if self.centre_on_person(e.id) else None
        self.map_view.centre_on(e.x, e.y)
        self.statusBar().showMessage(e.label(current_language()), 8000)
        return e

    def centre_on_person(self, person_id: str) -> bool:
        """Centre the map on where ``person_id`` was last placed."""
        store = self.positions
        if store is None:
            return False
        hit = np.flatnonzero(store.ids.astype(str) == person_id)
        if not len(hit) or not np.isfinite(store.x[hit[0]]):
            self.statusBar().showMessage(self.tr("{person}: position unknown").format(person=person_id), 8000)
            return False
        self.map_view.centre_on(float(store.x[hit[0]]), float(store.y[hit[0]]))
        self.statusBar().showMessage(self.tr("{person}: last seen here").format(person=person_id), 8000)
        return True

    def open_find(self) -> QDialog:
        """A small non-blocking box: type an id or a name, Enter to find it."""
        if self.find_dialog is not None:
            self.find_dialog.raise_()
            return self.find_dialog
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Find"))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        edit = QLineEdit()
        edit.setPlaceholderText(self.tr("Person, device or equipment: id or name"))
        results = QListWidget()
        lay = QVBoxLayout(dlg)
        lay.addWidget(edit)
        lay.addWidget(results)
        lang = current_language()

        def update(text: str) -> None:
            results.clear()
            for e in find(self.find_index(), text, limit=15):
                it = QListWidgetItem(f"{e.label(lang)}  ·  {self._kind_title(e.kind)}")
                it.setData(Qt.ItemDataRole.UserRole, e)
                results.addItem(it)

        def go(item: QListWidgetItem | None = None) -> None:
            item = item or results.item(0)
            if item is None:
                return
            e = item.data(Qt.ItemDataRole.UserRole)
            if e.kind == "person":
                self.centre_on_person(e.id)
            else:
                self.map_view.centre_on(e.x, e.y)

        edit.textChanged.connect(update)
        edit.returnPressed.connect(go)
        results.itemActivated.connect(go)
        results.itemClicked.connect(go)
        dlg.edit, dlg.results = edit, results  # type: ignore[attr-defined]
        dlg.destroyed.connect(lambda: setattr(self, "find_dialog", None))
        self.find_dialog = dlg
        dlg.resize(420, 320)
        dlg.show()
        edit.setFocus()
        return dlg

    def _kind_title(self, kind: str) -> str:
        if kind == "person":
            return self.tr("person")
        from commandcenter.ui.layer_catalog import feature_title

        return feature_title(kind)

    def start_measure(self) -> None:
        """Measure a distance on the map."""
        if self.plant is not None:
            self.measure_tool.start()
            self.statusBar().showMessage(hint("measure"))

    def _measured(self, metres: float) -> None:
        self.statusBar().showMessage(self.tr("Distance: {d}").format(d=format_distance(metres)), 15000)

    def start_area(self) -> None:
        """Draw an area on the map and list who is inside it."""
        if self.plant is not None:
            self.area_tool.start()
            self.statusBar().showMessage(hint("area"))

    def show_people_inside(self, polygon: Any) -> QDialog:
        """List (non-blocking) everyone inside ``polygon`` (plant CRS) with their status on the map."""
        from commandcenter.ui.feature_tooltip import class_title
        from commandcenter.ui.people_layer import CLASSES

        store = self.positions
        rows = people_inside(polygon, store)
        codes = self.map_view.person_codes
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("People inside the area"))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        lst = QListWidget()
        roster = self.plant.personnel if self.plant is not None else None
        for r in rows.tolist():
            pid = str(store.ids[r])
            name = str(roster.at[pid, "name"]) if roster is not None and pid in roster.index else ""
            shown = class_title(CLASSES[int(codes[r])].key) if r < len(codes) else ""
            it = QListWidgetItem(f"{pid}  {name}  ·  {shown}")
            it.setData(Qt.ItemDataRole.UserRole, pid)
            lst.addItem(it)
        lst.itemClicked.connect(lambda it: self.centre_on_person(it.data(Qt.ItemDataRole.UserRole)))
        head = QLabel(self.tr("{n} people inside the area ({a:.0f} m²)").format(n=len(rows), a=polygon.area))
        lay = QVBoxLayout(dlg)
        lay.addWidget(head)
        lay.addWidget(lst)
        dlg.people = [str(store.ids[r]) for r in rows.tolist()]  # type: ignore[attr-defined]
        dlg.destroyed.connect(lambda: setattr(self, "area_dialog", None))
        self.area_dialog = dlg
        dlg.resize(420, 420)
        dlg.show()
        return dlg

    # ----------------------------------------------------------------- help
    def open_guide(self, language: str) -> Path:
        """Open the bilingual duty officer's guide (docs/guide-zh.md or docs/guide-en.md) with the desktop's
        viewer; returns its path."""
        path = GUIDES / f"guide-{language}.md"
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def show_about(self) -> None:
        """Who and what."""
        QMessageBox.about(self, self.tr("About"), self.tr(
            "Plant Emergency Command Center\nFrom alarm to all-clear: every action is an event in a tamper-evident "
            "log.\nF1 lists the keyboard shortcuts."))

    # ----------------------------------------------------------------- closing
    def request_quit(self) -> bool:
        """File → Quit: asks first while an incident is open (the log keeps everything either way)."""
        rt = self.session.runtime
        if rt is not None and not rt.closed and not rt.read_only:
            answer = QMessageBox.question(
                self, self.tr("Quit"),
                self.tr("Incident {id} is still open. Quit anyway?\n\nNothing is lost: the log keeps every event, "
                        "and the incident opens again where it stands when you start the command center.").format(
                    id=rt.incident_id),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        self._quit_confirmed = True
        self.close()
        return True

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Closing from the window's title bar during an open incident asks as File → Quit does; then the
        layout is saved and the incident view and the log are closed (the log keeps everything)."""
        rt = self.session.runtime
        if (event.spontaneous() and not getattr(self, "_quit_confirmed", False) and rt is not None
                and not rt.closed and not rt.read_only):
            event.ignore()
            self.request_quit()
            return
        if getattr(self, "_layout_restored", False):
            self.save_layout()
        for tool in (self.measure_tool, self.area_tool, self.pick_tool):
            tool.cancel()
        self.session.shutdown()
        super().closeEvent(event)

    # ----------------------------------------------------------------- screenshot
    def choose_screenshot_file(self) -> None:
        """Ask for a PNG file name and save a screenshot of the window there."""
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save screenshot"), "plant-map.png",
                                              self.tr("PNG images (*.png)"))
        if path and not self.save_screenshot(path):
            QMessageBox.warning(self, self.tr("Save screenshot"),
                                self.tr("Could not write {path}.").format(path=path))

    def save_screenshot(self, path: str | Path) -> bool:
        """Grab the window as it is on screen into the PNG ``path`` (an exercise's frame and watermark
        included); returns whether it was written."""
        return bool(self.grab().save(str(path), "PNG"))

    # ----------------------------------------------------------------- status
    def plant_display_name(self) -> str:
        """The plant's name in the UI language: ``name_en`` (site.yaml or site layer) in English when
        the package has one, else ``plant.name``."""
        if self.plant is None:
            return ""
        if current_language() == "en":
            site = self.plant.layers["site"]
            candidates = [self.plant.extra.get("site_yaml", {}).get("name_en")]  # type: ignore[union-attr]
            if "name_en" in site.columns and len(site):
                candidates.append(site["name_en"].iloc[0])
            for name in candidates:
                if isinstance(name, str) and name.strip():
                    return name.strip()
        return self.plant.name

    def _update_title(self) -> None:
        title = self.tr("Plant Emergency Command Center")
        if self.plant is not None:
            title = f"{self.plant_display_name()} — {title}"
        self.setWindowTitle(self.exercise_banner.title(title))

    def set_exercise(self, exercise: bool) -> None:
        """Mark the window while an exercise incident is open: title prefix, red status banner, a coloured frame
        around the window and a watermark across the map (so every screenshot says so)."""
        self.exercise_banner.set_exercise(exercise)
        mark_window(self, exercise)
        self.map_view.set_watermark(watermark_text() if exercise else None)
        self._update_title()

    def _update_plant_label(self) -> None:
        if self.plant is None:
            self.plant_label.setText(self.tr("No plant loaded"))
            self.plant_label.setToolTip("")
            return
        counts = self.plant.layer_counts()
        text = self.tr("{name} · {buildings} buildings · {walkways} walkways · {people} people · "
                       "{warnings} warnings")
        self.plant_label.setText(text.format(
            name=self.plant_display_name(), buildings=counts["buildings"], walkways=counts["walkways"],
            people=self.people_shown(), warnings=len(self.plant.warnings)))
        self.plant_label.setToolTip("\n".join(str(w) for w in self.plant.warnings[:30]))

    def _show_cursor(self, x: float, y: float) -> None:
        if self.plant is None:
            return
        lx, ly = self.map_view.to_local(x, y)
        text = self.tr("x {lx:.1f} m, y {ly:.1f} m  |  E {x:.1f}, N {y:.1f} ({crs})")
        self.cursor_label.setText(text.format(lx=lx, ly=ly, x=x, y=y, crs=self.plant.crs.to_string()))

