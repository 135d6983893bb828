"""File → Export report…: the after-action report of a finished incident or drill, written in a worker with a
progress dialog and opened when done.

The report is :func:`commandcenter.report.build_report` (PDF and offline HTML map). The worker opens its own
connection to the log (a store is not shared across threads); the dialog shows each step and can cancel
(the report stops at its next step). Without the report package the CLI contract
``commandcenter report LOG --incident ID --pdf OUT --html OUT --lang L`` is run as a process instead.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from commandcenter.services.jobs import CancelToken, JobRunner
from commandcenter.ui.job_bridge import JobBridge
from commandcenter.ui.translations import current_language

KIND = "report"


STEP_TEXTS = {"read": QT_TRANSLATE_NOOP("ReplayReport", "Reading the log…"),
              "plant": QT_TRANSLATE_NOOP("ReplayReport", "Loading the plant…"),
              "evidence": QT_TRANSLATE_NOOP("ReplayReport", "Checking the field evidence…"),
              "trend": QT_TRANSLATE_NOOP("ReplayReport", "Comparing with earlier drills…"),
              "model": QT_TRANSLATE_NOOP("ReplayReport", "Timing every step…"),
              "fonts": QT_TRANSLATE_NOOP("ReplayReport", "Preparing the fonts…"),
              "pdf": QT_TRANSLATE_NOOP("ReplayReport", "Writing the PDF…"),
              "html": QT_TRANSLATE_NOOP("ReplayReport", "Writing the HTML map…"),
              "done": QT_TRANSLATE_NOOP("ReplayReport", "Done")}


def step_text(step: str) -> str:
    """A report step in the UI language."""
    text = STEP_TEXTS.get(step.split(":")[0])
    return QCoreApplication.translate("ReplayReport", text) if text else step


def open_in_viewer(path: Path) -> None:
    """Open ``path`` with the desktop's viewer for its kind (the PDF reader, the browser)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def write_report(db: str, incident_id: str, pdf: Path | None, html: Path | None, lang: str,
                 progress: Any = None, cancel: Any = None) -> dict[str, Any]:
    """The background work, Qt-free: the report of ``incident_id`` in the log ``db`` (its own connection)."""
    try:
        from commandcenter.report import build_report
    except ImportError:
        return _report_by_cli(db, incident_id, pdf, html, lang)
    from commandcenter.store import EventStore

    store = EventStore(db)
    try:
        out = build_report(store, incident_id, lang, pdf=pdf, html=html, progress=progress, cancel=cancel)
    finally:
        store.close()
    return {"pdf": out.get("pdf"), "html": out.get("html"), "summary": out.get("summary")}


def _report_by_cli(db: str, incident_id: str, pdf: Path | None, html: Path | None, lang: str) -> dict[str, Any]:
    args = [sys.executable, "-c", "import sys; from commandcenter.cli import main; sys.exit(main())", "report", db,
            "--incident", incident_id, "--lang", lang]
    if pdf is not None:
        args += ["--pdf", str(pdf)]
    if html is not None:
        args += ["--html", str(html)]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr or proc.stdout).strip().splitlines()[-1] if (proc.stderr or proc.stdout)
                           else f"commandcenter report exited with {proc.returncode}")
    return {"pdf": pdf, "html": html, "summary": None}


class ReportExporter(QObject):
    """Runs one report at a time in a worker; ``progress``, ``finished`` and ``failed`` come on the UI thread.
    When done, ``opener(path)`` is given the PDF (else the HTML map) — by default :func:`open_in_viewer`; a test
    or a kiosk passes its own — unless ``open_when_done`` is False."""

    #: fraction 0–1 and the step's text
    progress = Signal(float, str)
    #: the result dict (``pdf``, ``html`` paths, ``summary``)
    finished = Signal(object)
    #: a one-line reason
    failed = Signal(str)
    _progressed = Signal(float, str)

    def __init__(self, parent: QWidget | None = None, *, open_when_done: bool = True,
                 opener: Callable[[Path], Any] | None = None):
        super().__init__(parent)
        self.parent_widget = parent
        self.open_when_done = open_when_done
        self.opener: Callable[[Path], Any] = opener or open_in_viewer
        self.runner = JobRunner(max_workers=1)
        self.bridge = JobBridge(self.runner, self)
        self.bridge.finished.connect(self._finished)
        self.bridge.failed.connect(self._failed)
        self._progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        self.dialog: QProgressDialog | None = None
        self.token: CancelToken | None = None
        self._shown = 0.0

    def choose_and_export(self, db: str | None, incident_id: str | None, title: str = "") -> Any:
        """Ask where to write the PDF (the HTML map goes beside it) and export; None when cancelled."""
        if not db or not incident_id:
            return None
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in incident_id)
        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget, QCoreApplication.translate("ReplayReport", "Export after-action report"),
            f"{stem}-report.pdf", QCoreApplication.translate("ReplayReport", "PDF report (*.pdf)"))
        if not path:
            return None
        pdf = Path(path)
        return self.export(db, incident_id, pdf, pdf.with_suffix(".html"))

    def export(self, db: str, incident_id: str, pdf: Path | None, html: Path | None, lang: str | None = None) -> Any:
        """Write the report in the background (a progress dialog shows each step); returns the job."""
        lang = lang or ("zh" if current_language() == "zh" else "en")
        self._shown = 0.0
        self.dialog = QProgressDialog(QCoreApplication.translate("ReplayReport", "Writing the report…"),
                                      QCoreApplication.translate("ReplayReport", "Cancel"), 0, 100,
                                      self.parent_widget)
        self.dialog.setWindowTitle(QCoreApplication.translate("ReplayReport", "After-action report"))
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setValue(0)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.show()

        def work(token: CancelToken) -> dict[str, Any]:
            self.token = token
            return write_report(db, incident_id, pdf, html, lang, progress=self._progressed.emit, cancel=token)

        return self.bridge.submit(KIND, work)

    def cancel(self) -> None:
        """Stop the report at its next step."""
        self.runner.cancel(KIND)
        self._close_dialog()

    def _show_progress(self, frac: float, step: str) -> None:
        self._shown = max(self._shown, frac)
        text = step_text(step)
        self.progress.emit(frac, text)
        if self.dialog is not None:  # setValue of a modal dialog runs the event loop: the next step may come in
            self.dialog.setLabelText(text)
            self.dialog.setValue(round(100 * min(max(self._shown, 0.0), 1.0)))

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _finished(self, kind: str, result: object) -> None:
        if kind != KIND:
            return
        self._close_dialog()
        out: dict[str, Any] = result  # type: ignore[assignment]
        target = out.get("pdf") or out.get("html")
        if self.open_when_done and target:
            self.opener(Path(target))
        self.finished.emit(out)

    def _failed(self, kind: str, message: str) -> None:
        if kind != KIND:
            return
        self._close_dialog()
        self.failed.emit(message)
        if self.parent_widget is not None:
            box = QMessageBox(QMessageBox.Icon.Warning,
                              QCoreApplication.translate("ReplayReport", "After-action report"),
                              QCoreApplication.translate("ReplayReport", "The report could not be written."),
                              QMessageBox.StandardButton.Close, self.parent_widget)
            box.setInformativeText(message)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self.last_error_box = box
