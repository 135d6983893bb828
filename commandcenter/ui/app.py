"""Starting the GUI: the QApplication, the translations, the main window and the screenshot mode."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication

from commandcenter.ui.fonts import ensure_cjk_font
from commandcenter.ui.main_window import MainWindow, settings
from commandcenter.ui.plant_loading import load_outcome
from commandcenter.ui.translations import UnknownLocale, choose_locale, install_translations, remove_translations

#: Qt messages that are harmless on the headless "offscreen" platform and would only alarm a user
_QUIET_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in _QUIET_QT_MESSAGES:
        return
    print(message, file=sys.stderr)


# Keeps the QApplication we created alive for the life of the process (Qt wants exactly one).
_app: QApplication | None = None
#: the GIL switch interval of the window's process (s); see :func:`application`
SWITCH_INTERVAL_S = 0.0005


def application() -> QApplication:
    """The running QApplication, created (and kept) on first use.

    The interpreter's thread switch interval drops to :data:`SWITCH_INTERVAL_S`: the UI thread gives up the GIL
    at every Qt call it makes (PySide releases it around C++ calls) and, with a routing or report job running
    pure Python in the service pool, waits up to the switch interval (5 ms by default) to get it back — a
    frame of a few hundred calls then stalls for hundreds of ms (the convoy effect; bench/ui.py measured the
    longest UI gap during a 10,000-person capacity plan at 512 ms with 5 ms and 296 ms with 0.5 ms)."""
    global _app
    app = QApplication.instance()
    if app is None:
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        qInstallMessageHandler(_qt_message)
        _app = app = QApplication([sys.argv[0] if sys.argv else "commandcenter"])
        app.setApplicationName("Plant Command Center")
        app.setOrganizationName("plant-commandcenter")
        ensure_cjk_font(app)
    assert isinstance(app, QApplication)
    return app


def wait_until(predicate: Callable[[], bool], timeout_ms: int = 5000, step_ms: int = 20) -> bool:
    """Run the event loop in short slices until ``predicate()`` is true or ``timeout_ms`` has passed."""
    clock = QElapsedTimer()
    clock.start()
    while not predicate():
        if clock.elapsed() > timeout_ms:
            return False
        loop = QEventLoop()
        QTimer.singleShot(step_ms, loop.quit)
        loop.exec()
    return True


def dispose(window: MainWindow) -> None:
    """Close ``window`` and delete it now (PySide6 with pyqtgraph can abort at exit when windows
    are left to the garbage collector)."""
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def take_screenshot(window: MainWindow, path: str | Path, size: tuple[int, int]) -> bool:
    """Show ``window`` at ``size``, wait until the map has been painted, and save it to the PNG ``path``."""
    window.resize(*size)
    window.show()
    wait_until(lambda: window.map_view.has_rendered or window.map_view.plant is None)
    wait_until(lambda: False, timeout_ms=100)  # let late layout and range updates settle
    pixmap: QPixmap = window.grab()
    if pixmap.size().width() != size[0] or pixmap.size().height() != size[1]:
        pixmap = pixmap.scaled(*size)
    return bool(pixmap.save(str(path), "PNG"))


def run_gui(plant_path: str | Path | None, screenshot: str | Path | None = None,
            size: tuple[int, int] = (1600, 1000), locale: str | None = None,
            incident_db: str | Path | None = None, incident_id: str | None = None) -> int:
    """Run the command center GUI on the plant at ``plant_path`` (or none); returns the exit code.

    ``incident_db`` (a log file or URL) opens incident ``incident_id`` (default: the newest) on the plant.
    With ``screenshot``, nothing waits for a user: the window is shown at ``size``, rendered,
    saved to that PNG and closed (a plant or log that fails to load prints its errors to stderr and
    returns 1). ``locale`` (``zh``, ``zh_CN``, ``en`` …) overrides the language chosen in the menu last time
    and the system's; an unknown one is refused (exit 2). On Linux, missing X11 libraries are named with the
    ``apt-get`` line that installs them before Qt would abort (exit 1)."""
    try:
        choose_locale(locale)
    except UnknownLocale as exc:
        print(f"commandcenter: --locale: {exc}", file=sys.stderr)
        return 2
    from commandcenter.ui.first_run import check

    problem = check() if screenshot is None else None
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    app = application()
    if locale is None and screenshot is None:
        saved = settings().value("language")
        locale = saved if isinstance(saved, str) and saved in ("zh", "en") else None
    install_translations(app, locale)
    try:
        if screenshot is not None:
            return _screenshot(plant_path, Path(screenshot), size, incident_db, incident_id)
        window = MainWindow()
        try:
            window.resize(*size)
            window.restore_layout()
            window.show()
            if plant_path is not None:
                window.open_plant(plant_path)
            if incident_db is not None:
                window.incident_tool.open_incident(incident_db, incident_id)
            elif window.plant is not None:  # the default log: resume its open incident on this plant
                from commandcenter.ui.session import default_log_path

                window.session.open_log(default_log_path())
            return int(app.exec())
        finally:
            dispose(window)
    finally:
        remove_translations(app)


def _screenshot(plant_path: str | Path | None, screenshot: Path, size: tuple[int, int],
                incident_db: str | Path | None = None, incident_id: str | None = None) -> int:
    window = MainWindow()
    try:
        if plant_path is not None:
            outcome = load_outcome(plant_path)
            if not outcome.ok:
                print(f"cannot load plant {plant_path}:", file=sys.stderr)
                for line in outcome.errors:
                    print(f"  {line}", file=sys.stderr)
                return 1
            window.show_outcome(outcome)
        if incident_db is not None:
            failures: list[str] = []
            window.incident_tool.openFailed.connect(lambda db, message: failures.append(message))
            if not window.incident_tool.open_incident(incident_db, incident_id):
                print(f"cannot open incident log {incident_db}: {failures[-1] if failures else ''}", file=sys.stderr)
                return 1
        if not take_screenshot(window, screenshot, size):
            print(f"cannot write screenshot {screenshot}", file=sys.stderr)
            return 1
        return 0
    finally:
        dispose(window)
