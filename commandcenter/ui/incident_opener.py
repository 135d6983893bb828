"""File → Open incident log…: show a recorded incident (real or exercise) on the plant map.

The people appear where the log last placed them, with their muster and SOS status, and an exercise is
marked as one (title prefix and red banner). After a crash this restores the screen the duty officer
had; on a second console it shows the same incident.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from commandcenter.services.incident_view import IncidentView, load_incident_view, positions_from_view
from gis.positions import PositionStore


class IncidentTool(QObject):
    """The window's "Open incident log…" action and the incident it shows."""

    # the IncidentView now shown
    opened = Signal(object)
    # the database and the error message
    openFailed = Signal(str, str)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view: IncidentView | None = None
        self.last_error_box: QMessageBox | None = None
        self.action = QAction(self)
        self.action.triggered.connect(self.choose_log)
        menu = window.file_menu
        first_separator = next((a for a in menu.actions() if a.isSeparator()), None)
        menu.insertAction(first_separator, self.action)
        window.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.action.setText(QCoreApplication.translate("IncidentOpener", "Open &incident log…"))
        self.action.setStatusTip(QCoreApplication.translate(
            "IncidentOpener", "Show the newest incident of a log file on the map, as it stands now"))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Follow the window's language changes."""
        if obj is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def choose_log(self) -> None:
        """Ask for an incident log (SQLite file) and which of its incidents to show (the newest first)."""
        path, _ = QFileDialog.getOpenFileName(
            self.window, QCoreApplication.translate("IncidentOpener", "Open incident log"), "",
            QCoreApplication.translate("IncidentOpener", "Incident logs (*.db *.sqlite);;All files (*)"))
        if not path:
            return
        from commandcenter.ui.replay_window import choose_incident

        incident_id = choose_incident(self.window, path)  # which one, when the log holds several
        if incident_id is not None:
            self.open_incident(path, incident_id)

    def open_incident(self, db: str | Path, incident_id: str | None = None, at: dt.datetime | None = None) -> bool:
        """Show incident ``incident_id`` (default: the newest) of the log at ``db`` on the current plant;
        returns whether it opened. A log that cannot be read is reported in a message box."""
        if "://" not in str(db) and not Path(db).is_file():
            self._show_error(str(db), QCoreApplication.translate("IncidentOpener", "no such file"))
            return False
        try:
            view = load_incident_view(db, incident_id, at)
            if at is None:  # live: the session's runtime owns the incident from now on
                self.window.session.open_log(db, view.incident_id)
        except Exception as exc:  # a missing file, an unknown incident, a database that is not a log
            self._show_error(str(db), f"{type(exc).__name__}: {exc}")
            return False
        self.view = view
        if at is not None:  # a look back in time: drawn from the state at ``at``, not followed
            base = PositionStore.from_population(self.window.plant) if self.window.plant is not None else None
            self.window.set_positions(positions_from_view(view, base))
            self.window.set_exercise(view.exercise)
        when = view.time.strftime("%Y-%m-%d %H:%M:%S") if view.time else "—"
        text = QCoreApplication.translate(
            "IncidentOpener", "Incident {id}: {title} · level {level} · {n} events · as of {when}")
        self.window.statusBar().showMessage(text.format(
            id=view.incident_id, title=view.title, level=view.level or "—", n=view.seq, when=when))
        self.opened.emit(view)
        return True

    def _show_error(self, db: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical,
                          QCoreApplication.translate("IncidentOpener", "Cannot open incident log"),
                          QCoreApplication.translate("IncidentOpener", "The incident log {db} could not be read.")
                          .format(db=db), QMessageBox.StandardButton.Close, self.window)
        box.setInformativeText(message)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda: setattr(self, "last_error_box", None))
        self.last_error_box = box
        self.openFailed.emit(db, message)
        box.open()
