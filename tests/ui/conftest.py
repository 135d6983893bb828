"""UI test set-up: no test may leave a window open, and a ready main window on the mini plant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QToolTip

from commandcenter.ui.main_window import MainWindow


@pytest.fixture(autouse=True, scope="session")
def settings_in_a_temporary_folder(tmp_path_factory) -> None:
    """The window's QSettings (dock layout, language) never touch the user's own."""
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)


@pytest.fixture(autouse=True)
def no_window_left_open(qapp: QApplication) -> Iterator[None]:
    """After each test, fail it if a top-level window is still visible (and close and delete those)."""
    yield
    QToolTip.hideText()
    left = [w for w in QApplication.topLevelWidgets()
            if w.isVisible() and w.metaObject().className() != "QTipLabel"]
    names = [f"{type(w).__name__} {w.windowTitle()!r}" for w in left]
    for widget in left:
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    if names:
        pytest.fail(f"test left {len(names)} window(s) open: {', '.join(names)}")


def shown_window(qtbot, plant, size: tuple[int, int] = (1200, 800)) -> MainWindow:
    """A main window on ``plant``, shown and painted at least once (closed by qtbot after the test)."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(*size)
    win.set_plant(plant)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.map_view.has_rendered)
    return win


@pytest.fixture
def window(qtbot, mini_plant) -> MainWindow:
    """A shown main window on the mini plant, painted at least once."""
    return shown_window(qtbot, mini_plant)


@pytest.fixture
def demo_window(qtbot, demo_plant) -> MainWindow:
    """A shown 1600 × 1000 main window on the demo plant, painted at least once."""
    return shown_window(qtbot, demo_plant, (1600, 1000))
