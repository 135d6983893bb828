"""run_gui: the screenshot mode, errors, the event loop and a clean exit."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from commandcenter.ui import translations
from commandcenter.ui.app import run_gui
from commandcenter.ui.main_window import MainWindow
from tests.conftest import DEMO_PLANT, MINI_PLANT, REPO


def test_screenshot_mode_writes_a_png_of_the_requested_size(tmp_path):
    target = tmp_path / "map.png"
    assert run_gui(MINI_PLANT, screenshot=target, size=(900, 640)) == 0
    image = QImage(str(target))
    assert (image.width(), image.height()) == (900, 640)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


def test_screenshot_mode_leaves_the_language_as_it_was(tmp_path):
    assert run_gui(MINI_PLANT, screenshot=tmp_path / "zh.png", size=(400, 300), locale="zh_CN") == 0
    assert translations.current_language() == "en"


def test_screenshot_of_a_broken_plant_prints_the_errors_and_returns_1(tmp_path, mini_copy, capsys):
    (mini_copy / "assembly_points.geojson").unlink()
    assert run_gui(mini_copy, screenshot=tmp_path / "x.png") == 1
    err = capsys.readouterr().err
    assert "assembly_points" in err
    assert "missing" in err
    assert not (tmp_path / "x.png").exists()


def test_the_event_loop_runs_the_window_on_the_plant_until_quit(qapp):
    seen: list[str] = []

    def quit_when_shown() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].plant is not None:
            seen.append(windows[0].windowTitle())
            qapp.exit(7)
        else:
            QTimer.singleShot(20, quit_when_shown)

    QTimer.singleShot(0, quit_when_shown)
    assert run_gui(MINI_PLANT, size=(800, 600)) == 7
    assert seen
    assert "Mini Test Plant" in seen[0]


def test_a_fresh_interpreter_exits_cleanly_after_a_screenshot(tmp_path):
    """PySide6 with pyqtgraph can abort at interpreter exit when windows are left to the GC."""
    target = tmp_path / "fresh.png"
    code = ("import sys; from commandcenter.ui.app import run_gui; "
            f"sys.exit(run_gui({str(MINI_PLANT)!r}, screenshot={str(target)!r}, size=(640, 480)))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert QImage(str(target)).width() == 640


def test_main_py_opens_the_demo_plant_headless_and_exits_0(tmp_path):
    """The README's run command, headless: main.py on the demo plant renders the map and exits 0."""
    target = tmp_path / "demo.png"
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "--plant", str(DEMO_PLANT), "--screenshot",
                           str(target), "--size", "1400x900", "--locale", "zh_CN"],
                          cwd=REPO, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1400, 900)
    # The map area is drawn: many distinct colours (zones by risk, buildings, symbols), little blank.
    colours = Counter(image.pixel(x, y) for x in range(300, 1380, 6) for y in range(60, 860, 6))
    assert len(colours) > 40
    assert colours.most_common(1)[0][1] / sum(colours.values()) < 0.5
