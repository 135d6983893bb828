"""The window is a view of the incident log: a launch from the window, a SIGKILL, a reopen — the same
level, tasks, zones and routes are on the screen, and an overdue task escalates after the restart."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys

from commandcenter.ui.main_window import MainWindow
from tests.conftest import DEMO_PLANT, REPO
from tests.ui.window_child import screen


def test_killed_window_reopens_to_the_same_screen_and_escalation_carries_on(qtbot, tmp_path, demo_plant):
    log = tmp_path / "incidents.db"
    # the killed session ran three hours ago, so its task deadlines have passed by the time it reopens
    start = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).replace(microsecond=0)
    proc = subprocess.run([sys.executable, "-m", "tests.ui.window_child", str(log), str(DEMO_PLANT),
                           start.isoformat()], cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]
    before = json.loads(proc.stdout.strip().splitlines()[-1])
    assert before["board"]
    assert before["zones"]["red"] > 0
    assert before["loads"]

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.set_plant(demo_plant)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.session.reset):
        win.session.open_log(log)  # resumes the newest open incident on this plant
    rt = win.session.runtime
    assert rt is not None
    assert rt.level == "L2"
    after = screen(win)
    # the same zones and routes, drawn from the log; the level in the incident label
    assert after["zones"] == before["zones"]
    assert after["loads"] == before["loads"]
    assert "L2" in after["label"]
    # the same tasks and assignees; on reopening the runtime recorded what fell due while the window was dead
    assert sorted(row[0] for row in after["board"]) == sorted(row[0] for row in before["board"])
    escalated = [e for e in rt.store.events(rt.incident_id) if e.type == "task.escalated"]
    assert escalated, "no task escalated after the restart"
    states = {row[3] for row in after["board"]}
    assert states & {"overdue", "已超时", "not acknowledged in time", "未按时回复"}  # past due, acknowledged or not
    assert {row[3] for row in before["board"]} <= {"assigned", "已分派"}
    win.session.shutdown()
