"""The Tasks dock: a task whose order nobody acknowledged by its deadline says so, and its Deadline and Left
columns count from the task's own deadline (not from the later escalation's assignment)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from commandcenter.runtime import ManualClock
from commandcenter.ui.session import IncidentSession
from commandcenter.ui.task_panel import ID_ROLE, TaskPanel
from vocabulary.events import Draft

DAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _board(qtbot, tmp_path, plant) -> tuple[IncidentSession, TaskPanel, ManualClock]:
    session = IncidentSession()
    tasks = TaskPanel(session)
    qtbot.addWidget(tasks)
    session.set_plant(plant)
    tasks.set_plant(plant)
    clock = ManualClock(DAY)
    session.open_log(tmp_path / "log.db", resume=False)
    session.new_incident("t", exercise=True, clock=clock)
    session.timer.stop()
    return session, tasks, clock


def _row(tasks: TaskPanel, tid: str) -> list[str]:
    (top,) = [tasks._groups[g] for g in tasks._groups if any(
        tasks._groups[g].child(i).data(0, ID_ROLE) == tid for i in range(tasks._groups[g].childCount()))]
    (item,) = [top.child(i) for i in range(top.childCount()) if top.child(i).data(0, ID_ROLE) == tid]
    return [item.text(c) for c in range(7)]


def _roster_ids(plant, n: int) -> list[str]:
    return [str(i) for i in plant.personnel.index[:n]]


def test_an_escalated_unacknowledged_task_reads_not_acknowledged_in_time_and_counts_past_its_deadline(
        qtbot, tmp_path, demo_plant):
    session, tasks, clock = _board(qtbot, tmp_path, demo_plant)
    first, second = _roster_ids(demo_plant, 2)
    session.submit(Draft("task.assigned", clock.now(), {"task_id": "T-1", "person_id": first, "deadline_s": 240,
                                                         "title": {"zh": "关阀", "en": "Close the valve"}}))
    clock.advance(240)  # 10:04:00, the deadline: nobody acknowledged
    session.submit([Draft("task.overdue", clock.now(), {"task_id": "T-1", "person_id": first}),
                    Draft("task.escalated", clock.now(), {"task_id": "T-1", "from_person_id": first,
                                                          "to_person_id": second, "reason": "not_acknowledged"}),
                    Draft("task.assigned", clock.now(), {"task_id": "T-1", "person_id": second, "deadline_s": 240,
                                                         "title": {"zh": "关阀", "en": "Close the valve"}})])
    clock.advance(75)  # 10:05:15
    session.heartbeat()
    qtbot.waitUntil(lambda: "T-1" in tasks.tasks() and tasks.tasks()["T-1"]["overdue"])
    tasks.refresh()
    title, who, deadline, left, state, _ev, _eq = _row(tasks, "T-1")
    assert title == "Close the valve"
    assert second in who
    assert state == "not acknowledged in time"
    assert deadline == "10:04:00"  # the task's own deadline, not 10:08:00 from the escalation's assignment
    assert left == "−01:15"  # 75 s past it, not "04:00" left
    assert tasks._groups["overdue"].childCount() == 1
    assert "1 overdue" in tasks.summary.text()
    session.shutdown()


def test_an_acknowledged_task_past_its_deadline_reads_overdue(qtbot, tmp_path, demo_plant):
    session, tasks, clock = _board(qtbot, tmp_path, demo_plant)
    (who,) = _roster_ids(demo_plant, 1)
    session.submit(Draft("task.assigned", clock.now(), {"task_id": "T-2", "person_id": who, "deadline_s": 120}))
    clock.advance(30)
    session.submit(Draft("task.acknowledged", clock.now(), {"task_id": "T-2", "person_id": who}))
    clock.advance(90)  # 10:02:00
    session.submit(Draft("task.overdue", clock.now(), {"task_id": "T-2", "person_id": who}))
    clock.advance(10)
    session.heartbeat()
    qtbot.waitUntil(lambda: tasks.tasks().get("T-2", {}).get("overdue"))
    tasks.refresh()
    _t, _w, deadline, left, state, _ev, _eq = _row(tasks, "T-2")
    assert state == "overdue"
    assert deadline == "10:02:00"
    assert left == "−00:10"
    session.shutdown()
