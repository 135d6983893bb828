"""Issue 17 item 3: File → Export report… in the command window writes the after-action report of a finished
drill in a worker, shows its progress, and hands the PDF to the viewer when done (the viewer is injected here,
so no program is launched); the PDF's first page renders (pdftoppm, as a reader's viewer would)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from commandcenter.runtime import ManualClock
from vocabulary.events import Draft

START = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _finished_drill(window, tmp_path) -> None:
    """A drill recorded through the window: opened, the H2S plan launched at L2 at 1 min, an order and its
    acknowledgement, one check-in, the all-clear at 6 min."""
    window.session.open_log(tmp_path / "log.db", resume=False)
    clock = ManualClock(START)
    window.session.new_incident("H2S drill for the report", exercise=True, clock=clock)
    window.session.timer.stop()
    clock.advance_to(60)
    window.session.launch("h2s-release", "L2")
    clock.advance_to(90)
    window.session.submit(Draft("command.sent", clock.now(), {"command_id": "C-1", "to": ["E0001"],
                                                              "kind": "evacuate"}))
    clock.advance_to(130)
    window.session.submit(Draft("command.acknowledged", clock.now(), {"command_id": "C-1", "person_id": "E0001"}))
    clock.advance_to(300)
    window.session.submit(Draft("person.mustered", clock.now(), {"person_id": "E0001"}))
    clock.advance_to(360)
    window.session.submit(Draft("incident.closed", clock.now(), {"reason": "all clear"}))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is installed by .ci/run")
def test_export_from_the_file_menu_writes_the_pdf_in_a_worker_and_opens_it(window, qtbot, tmp_path, monkeypatch):
    tools = window.replay_tools
    export = next(a for a in window.file_menu.actions() if a.objectName() == "exportReportAction")
    assert export is tools.export_action
    _finished_drill(window, tmp_path)
    qtbot.waitUntil(export.isEnabled)
    target = tmp_path / "out" / "drill-report.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    opened: list = []
    tools.exporter.opener = opened.append
    fractions: list[float] = []
    tools.exporter.progress.connect(lambda f, _text: fractions.append(f))
    with qtbot.waitSignal(tools.exporter.finished, timeout=180_000) as done:
        export.trigger()
        assert tools.exporter.dialog is not None  # the progress dialog while the worker writes
    assert done.args[0]["pdf"] == target
    assert opened == [target]  # the PDF, handed to the viewer once
    assert tools.exporter.dialog is None
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert target.read_bytes().startswith(b"%PDF")
    assert target.with_suffix(".html").is_file()
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-png", str(target), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=120)
    page = QImage(str(next(tmp_path.glob("page*.png"))))
    assert page.width() > 200
    assert page.height() > page.width()  # a portrait A4 page
    grey = np.array([[page.pixelColor(x, y).lightness() for x in range(0, page.width(), 4)]
                     for y in range(0, page.height(), 4)])
    assert (grey < 128).mean() > 0.002  # ink on the page: the report's text, not a blank render
