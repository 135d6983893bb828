"""The command center's main window: the plant map, the layer list and the menus around them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from commandcenter.ui.exercise_marking import ExerciseBanner
from commandcenter.ui.hazard_layer import HazardTool
from commandcenter.ui.incident_opener import IncidentTool
from commandcenter.ui.layer_panel import LayerPanel, entries_for
from commandcenter.ui.map_view import MapView
from commandcenter.ui.plan_panel import install_plan_panel
from commandcenter.ui.plant_loading import LoadOutcome, load_outcome
from commandcenter.ui.route_layer import RouteTool
from commandcenter.ui.session import IncidentSession
from commandcenter.ui.translations import current_language
from gis.plant import Plant
from gis.positions import PositionStore

# Errors listed in the message box itself; all of them are under "Show Details".
SHOWN_ERRORS = 12


class MainWindow(QMainWindow):
    """The main window: File and View menus, the map in the centre, the layer list in a dock and
    a status bar with the cursor's coordinates and the plant's name and counts."""

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

        self.map_view = MapView(self)
        self.setCentralWidget(self.map_view)
        self.layer_panel = LayerPanel()
        self.layer_dock = QDockWidget(self)
        self.layer_dock.setObjectName("layerDock")
        self.layer_dock.setWidget(self.layer_panel)
        self.layer_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                    | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.layer_dock)
        self.resizeDocks([self.layer_dock], [230], Qt.Orientation.Horizontal)
        self.layer_panel.layerToggled.connect(self.map_view.set_layer_visible)

        self.cursor_label = QLabel()
        self.plant_label = QLabel()
        self.statusBar().addWidget(self.cursor_label, 1)
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

        self._create_actions()
        self._create_menus()
        self.hazard_tool = HazardTool(self)  # Emergency menu → Hazard zone… (issue 4)
        self.route_tool = RouteTool(self, self.hazard_tool.menu)  # Emergency → Plan evacuation… (issue 3)
        self.plan_dock = install_plan_panel(self)  # the plans dock and its task board (issue 5)
        self.incident_tool = IncidentTool(self)  # File → Open incident log… (issue 6)
        self.retranslate_ui()
        self.resize(1400, 900)

    # ----------------------------------------------------------------- menus
    def _create_actions(self) -> None:
        self.open_folder_action = QAction(self)
        self.open_folder_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_folder_action.triggered.connect(self.choose_plant_folder)
        self.open_gpkg_action = QAction(self)
        self.open_gpkg_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.open_gpkg_action.triggered.connect(self.choose_plant_gpkg)
        self.screenshot_action = QAction(self)
        self.screenshot_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.screenshot_action.triggered.connect(self.choose_screenshot_file)
        self.new_incident_action = QAction(self)
        self.new_incident_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_incident_action.triggered.connect(self.choose_new_incident)
        self.close_incident_action = QAction(self)
        self.close_incident_action.triggered.connect(self.close_incident)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.fit_action = QAction(self)
        self.fit_action.setShortcuts([QKeySequence("Ctrl+0"), QKeySequence(Qt.Key.Key_Home)])
        self.fit_action.triggered.connect(self.map_view.fit_plant)
        self.zoom_in_action = QAction(self)
        self.zoom_in_action.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.zoom_in_action.triggered.connect(lambda: self.map_view.zoom_by(1.5))
        self.zoom_out_action = QAction(self)
        self.zoom_out_action.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.zoom_out_action.triggered.connect(lambda: self.map_view.zoom_by(1 / 1.5))
        self.layers_action = self.layer_dock.toggleViewAction()

    def _create_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addActions([self.new_incident_action, self.close_incident_action])
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.open_folder_action, self.open_gpkg_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.screenshot_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.view_menu = bar.addMenu("")
        self.view_menu.addActions([self.fit_action, self.zoom_in_action, self.zoom_out_action])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.layers_action)

    def retranslate_ui(self) -> None:
        """Set every visible text in the current UI language."""
        self.file_menu.setTitle(self.tr("&File"))
        self.open_folder_action.setText(self.tr("&Open plant folder…"))
        self.open_folder_action.setStatusTip(
            self.tr("Open a plant package stored as a folder of GeoJSON files"))
        self.open_gpkg_action.setText(self.tr("Open plant &GeoPackage…"))
        self.open_gpkg_action.setStatusTip(self.tr("Open a plant package stored as one .gpkg file"))
        self.screenshot_action.setText(self.tr("Save &screenshot…"))
        self.new_incident_action.setText(self.tr("&New incident…"))
        self.new_incident_action.setStatusTip(self.tr("Open a new incident (or exercise) in the incident log"))
        self.close_incident_action.setText(self.tr("Close incident (all clear)…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.fit_action.setText(self.tr("&Fit plant"))
        self.zoom_in_action.setText(self.tr("Zoom &in"))
        self.zoom_out_action.setText(self.tr("Zoom &out"))
        self.layer_dock.setWindowTitle(self.tr("Layers"))
        self.layers_action.setText(self.tr("&Layers panel"))
        self._update_title()
        self._update_plant_label()
        self._update_incident_label()

    def changeEvent(self, event: QEvent) -> None:
        """Re-translate the window when the UI language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

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
        """Show an already loaded ``plant``; personnel dots come from ``positions`` or, by default,
        from the plant's population file."""
        self.plant = plant
        self.positions = positions if positions is not None else PositionStore.from_population(plant)
        self.map_view.set_plant(plant, self.positions)
        self.layer_panel.set_entries(entries_for(plant.layers, self.people_shown()))
        self._update_title()
        self._update_plant_label()
        self.plantChanged.emit()

    def set_positions(self, positions: PositionStore) -> None:
        """Show ``positions`` as the personnel layer (e.g. an incident's last reported positions)."""
        self.positions = positions
        self.map_view.set_positions(positions)
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
            from vocabulary.events import Draft

            self.session.submit(Draft("incident.closed", rt.now(), {"reason": "all clear", "by": "console"}))

    def _incident_reset(self) -> None:
        rt = self.session.runtime
        self.set_exercise(bool(rt and rt.exercise))
        self._refresh_people()
        self._update_incident_label()
        ok = self.session.verified
        if ok is not None and not ok.intact:
            b = ok.brk
            self.incident_label.setStyleSheet("QLabel { color: white; background: #b00000; font-weight: bold; }")
            self.incident_label.setText(self.tr("TAMPERED LOG: event {seq} {kind} — shown read-only").format(
                seq=b.seq, kind=b.kind))

    def _incident_events(self, events: list) -> None:
        if any(e.type in ("position.reported", "person.mustered", "person.sos", "person.added") for e in events):
            self._refresh_people()
        self._update_incident_label()

    def _refresh_people(self) -> None:
        state, people = self.session.state, self.session.people
        if self.plant is None or people is None:
            return
        self.set_positions(people.positions(state) if state is not None else people.base)

    def _update_incident_label(self) -> None:
        rt = self.session.runtime
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

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Close the incident view and the log (the log keeps everything)."""
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
        """Grab the window as it is on screen into the PNG ``path``; returns whether it was written."""
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
        """Mark the window (title prefix and red status banner) while an exercise incident is open."""
        self.exercise_banner.set_exercise(exercise)
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
