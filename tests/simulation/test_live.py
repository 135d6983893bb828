"""The pieces of a live drill: drill time from the log, the model-driven devices on real sockets, the port."""

from __future__ import annotations

import datetime as dt
import queue
import threading

import pytest

from simulation.live import FieldLink, LivePort, drill_time_events
from tests.comms.helpers import Recorder, command, make_keys, start_server, wait_until
from vocabulary.events import UTC, Draft

T0 = dt.datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


def _ev(etype: str, seconds: float, **payload) -> Draft:
    return Draft(etype, T0 + dt.timedelta(seconds=seconds), payload)


def test_drill_time_starts_at_the_scenario_and_runs_speed_times_faster() -> None:
    """Hand calculation at 60×: the opening 2 s before the scenario is drill second 0 (set-up), an event 0.5 s
    of wall time after the scenario is drill second 30, and a task deadline 1 s after it is second 60."""
    events = [_ev("incident.opened", -2.0), _ev("drill.scenario", 0.0),
              _ev("task.assigned", 0.5, task_id="T", deadline=(T0 + dt.timedelta(seconds=1)).isoformat(),
                  created=T0.isoformat(), title="x")]
    out = drill_time_events(events, 60.0)
    assert [(d.time - T0).total_seconds() for d in out] == [0.0, 0.0, 30.0]
    assert dt.datetime.fromisoformat(out[2].payload["deadline"]) == T0 + dt.timedelta(seconds=60)
    assert dt.datetime.fromisoformat(out[2].payload["created"]) == T0
    assert out[2].payload["title"] == "x"
    assert events[2].payload["deadline"] == (T0 + dt.timedelta(seconds=1)).isoformat()  # the input is untouched


@pytest.mark.slow
def test_a_device_acknowledges_only_when_the_model_answers_and_the_center_retries_meanwhile(tmp_path) -> None:
    """The device applies the command once and hands it to the model; until the person answers, resends
    are not acknowledged (the center keeps retrying); the answer then reaches the center, and a ``done``
    is never taken back."""
    from comms.simulator import DeviceProfile, SimConfig

    ks = make_keys(tmp_path / "K", ["D1"])
    sink = Recorder()
    server = start_server(ks, sink, heartbeat_s=0.5, retry_base_s=0.1, retry_max_s=0.2)
    link = FieldLink([DeviceProfile("D1", person_id="P1")], {"D1": ks.device_keys("D1")},
                     SimConfig(server.bound, ks.server_public(), positions=False, heartbeat_s=0.5)).start()
    try:
        wait_until(lambda: server.online().get("D1"), what="D1 online")
        server.enqueue([("D1", 1, command("C1", kind="task", task_id="T1"), "pending")])
        dev, msg = link.commands.get(timeout=10)
        assert (dev, msg.body["command_id"], msg.body["seq"]) == ("D1", "C1", 1)
        wait_until(lambda: link.counters["duplicate"] >= 2, what="the center resending the unanswered command")
        assert not sink.of("ack")
        with pytest.raises(queue.Empty):
            link.commands.get_nowait()  # a resend is not handed to the model again
        link.answer("D1", 1, "C1", "received")
        wait_until(lambda: sink.of("ack", command_id="C1"), what="the acknowledgement")
        link.answer("D1", 1, "C1", "done")
        wait_until(lambda: [i for i in sink.of("ack", command_id="C1") if i.state == "done"], what="done")
        link.answer("D1", 1, "C1", "received")
        assert link.applied()["D1"] == [(1, "C1")]
        assert link.reported["ack"] == 2
    finally:
        link.stop()
        server.stop()


def test_the_port_hands_announcements_to_the_drill_only_when_it_pumps(tmp_path) -> None:
    """Events recorded by another thread (the field service) reach the drill's subscribers on the drill's own
    thread, in log order, when it pumps — never in the middle of a SimPy step."""
    from commandcenter.runtime import IncidentRuntime, ManualClock
    from commandcenter.store import EventStore

    store = EventStore(tmp_path / "log.db")
    try:
        rt = IncidentRuntime.create(store, title="t", exercise=True, clock=ManualClock(T0), engine=False)
        port = LivePort(rt)
        got: list[list] = []
        port.subscribe(got.append)
        writer = threading.Thread(target=lambda: [rt.record("note.added", {"text": f"n{i}"}) for i in range(3)])
        writer.start()
        writer.join()
        assert got == []
        assert port.pump() is True
        assert [e.payload["text"] for batch in got for e in batch] == ["n0", "n1", "n2"]
        assert port.pump() is False
        port.close()
        rt.record("note.added", {"text": "after"})
        assert port.pump() is False
    finally:
        store.close()
