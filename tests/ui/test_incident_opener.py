"""File → Open incident log…: the recorded incident on the map, marked as an exercise."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from commandcenter.launcher import main
from gis.positions import PersonStatus
from tests.conftest import DEMO_PLANT, REPO

TABLETOP = REPO / "data" / "scripts" / "h2s-tabletop.yaml"


@pytest.fixture(scope="module")
def tabletop_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("log") / "drill.db"
    assert main(["incident", "play", str(TABLETOP), "--plant", str(DEMO_PLANT), "--db", str(db)]) == 0
    return db


def test_opening_an_exercise_log_restores_people_and_marks_the_window(demo_window, tabletop_db):
    tool = demo_window.incident_tool
    assert tool.open_incident(tabletop_db)
    assert demo_window.exercise_banner.isVisible()
    assert "[EXERCISE]" in demo_window.windowTitle()
    store = demo_window.positions
    assert (store.status == PersonStatus.MUSTERED).sum() == 3  # the tabletop ends with three at AP-03
    assert demo_window.map_view.positions is store
    assert "H2S-TT-2026-001" in demo_window.statusBar().currentMessage()


def test_a_broken_log_is_reported_not_raised(demo_window, tmp_path, qtbot):
    bad = tmp_path / "not-a-log.db"
    bad.write_bytes(b"garbage" * 100)
    with qtbot.waitSignal(demo_window.incident_tool.openFailed, timeout=5000) as blocker:
        assert not demo_window.incident_tool.open_incident(bad)
    assert "not-a-log.db" in blocker.args[0]
    assert not demo_window.exercise_banner.isVisible()
    demo_window.incident_tool.last_error_box.close()


def test_the_file_menu_offers_the_incident_log(demo_window):
    assert demo_window.incident_tool.action in demo_window.file_menu.actions()


def test_cli_screenshot_of_an_incident(tabletop_db, tmp_path):
    target = tmp_path / "incident.png"
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "--plant", str(DEMO_PLANT), "--db", str(tabletop_db),
                           "--screenshot", str(target), "--size", "1000x700"], cwd=REPO, capture_output=True,
                          text=True, timeout=180, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert QImage(str(target)).width() == 1000
    broken = subprocess.run([sys.executable, str(REPO / "main.py"), "--plant", str(DEMO_PLANT), "--db",
                             str(tmp_path / "missing.db"), "--screenshot", str(target)], cwd=REPO,
                            capture_output=True, text=True, timeout=180,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert broken.returncode == 1
    assert "missing.db" in broken.stderr
