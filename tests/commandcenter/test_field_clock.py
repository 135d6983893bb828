"""The field service on the incident's clock: a live drill's :class:`DrillClock` stamps everything the service
records in drill time, while the network (retries, a command's ``expires`` on the wire) stays on the wall
clock; without a clock — ``field serve`` — the service stamps wall time. Real sockets on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import math
import signal
import time

import pytest
import zmq
from hypothesis import given
from hypothesis import strategies as st

from commandcenter.runtime.clock import DrillClock
from commandcenter.services.field_service import on_wall
from tests.comms.helpers import RawDevice, make_keys, wait_until
from tests.conftest import MINI_PLANT
from vocabulary.events import UTC, parse_time

#: a drill start far from the wall clock, so a drill time and a wall time cannot be mistaken for each other
START = dt.datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
SPEED = 10.0


def _drill_time(clock: DrillClock, unix_s: float) -> dt.datetime:
    """Hand formula of the drill clock: ``start + (wall − wall at start) × speed``."""
    return START + dt.timedelta(seconds=(unix_s - clock.wall_at(START)) * SPEED)


# ---------------------------------------------------------------------------- the clock alone
def test_a_drill_clock_stands_at_its_start_until_the_drill_begins() -> None:
    clock = DrillClock(START, SPEED)
    assert not clock.running
    assert clock.now() == START
    before = time.time()
    assert clock.at_wall(before + 100.0) == START  # the set-up is drill second 0
    assert clock.begin() >= START
    assert clock.running
    assert clock.at_wall(before - 1.0) == START  # what arrived before the drill began is drill second 0


def test_a_running_drill_clock_reads_speed_times_the_wall_seconds() -> None:
    """Hand calculation at 10×: 2.5 wall seconds after the start is drill second 25; drill second 600 is 60
    wall seconds after it; ``now`` lies between the drill times of the wall times read around it."""
    clock = DrillClock(START, SPEED)
    clock.begin()
    w0 = clock.wall_at(START)
    assert clock.at_wall(w0 + 2.5) == START + dt.timedelta(seconds=25)
    assert clock.wall_at(START + dt.timedelta(seconds=600)) == pytest.approx(w0 + 60.0, abs=1e-6)
    before = time.time()
    now = clock.now()
    after = time.time()
    tol = dt.timedelta(milliseconds=50)  # monotonic and Unix clocks read a few µs apart
    assert clock.at_wall(before) - tol <= now <= clock.at_wall(after) + tol
    assert clock.now() >= now


@given(st.floats(0.0, 1e6), st.floats(0.01, 1000.0))
def test_wall_and_drill_times_map_back_and_forth(offset_s: float, speed: float) -> None:
    clock = DrillClock(START, speed)
    clock.begin()
    t = START + dt.timedelta(seconds=offset_s)
    back = clock.at_wall(clock.wall_at(t))
    assert abs((back - t).total_seconds()) <= 1e-5 + 1e-6 * speed  # float64 Unix seconds × speed


@pytest.mark.parametrize("speed", [0.0, -1.0, math.nan, math.inf])
def test_a_drill_clock_refuses_a_speed_that_is_not_a_finite_positive_factor(speed: float) -> None:
    with pytest.raises(ValueError, match="speed"):
        DrillClock(START, speed)


def test_a_drill_command_expires_on_the_wire_at_the_wall_time_of_its_drill_expiry() -> None:
    """Hand calculation at 60×: a command recorded at drill second 100 with ``expires_s`` 300 drill seconds
    goes out as sent at the wall time of drill second 100 and expiring 300 / 60 = 5 wall seconds later."""
    clock = DrillClock(START, 60.0)
    clock.begin()
    sent = START + dt.timedelta(seconds=100)
    payload, sent_wall = on_wall({"command_id": "C1", "expires_s": 300.0, "kind": "message"}, sent, clock.wall_at)
    assert payload["expires_s"] == pytest.approx(5.0, abs=1e-6)
    assert sent_wall.timestamp() == pytest.approx(clock.wall_at(START) + 100 / 60, abs=1e-6)
    assert payload["command_id"] == "C1"


# ---------------------------------------------------------------------------- the service on real sockets
def _ap(plant) -> str:
    from commandcenter.services.field.geo import PlantGeo

    return sorted(PlantGeo(plant).assembly_points)[0]


def _service(tmp, plant, clock):
    """A log with one exercise incident (DEV-1 enrolled for P001) on ``clock`` (None: the wall clock), served
    by a FieldService given that clock, and a raw DEV-1 that said hello."""
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.services.field_service import FieldConfig, FieldService
    from commandcenter.store import EventStore
    from comms.server import ServerConfig

    keys = make_keys(tmp / "K", ["DEV-1"])
    store = EventStore(tmp / "log.db")
    rt = IncidentRuntime.create(store, title="clock drill", exercise=True, plant=plant, clock=clock)
    rt.record("device.enrolled", {"device_id": "DEV-1", "person_id": "P001", "kind": "phone"})
    iid = rt.incident_id
    rt.close()
    config = FieldConfig(server=ServerConfig(heartbeat_s=5.0, retry_base_s=0.3, retry_max_s=0.3), follow_s=0.05,
                         scan_s=0.05)
    svc = FieldService(store, keys, "tcp://127.0.0.1:0", plant=plant, config=config, incidents=[iid],
                       evidence_dir=tmp / "ev", clock=clock).start()
    wait_until(lambda: iid in svc.incidents(), what="the incident served")
    ctx = zmq.Context()
    dev = RawDevice(ctx, svc.endpoint, keys.server_public(), keys.device_keys("DEV-1"), "DEV-1")
    wait_until(lambda: _try(dev.send, "hello", "DEV-1", last_seq=0), what="hello sent")
    wait_until(lambda: [e for e in store.events(iid) if e.type == "device.online"], what="DEV-1 online")
    return svc, store, iid, dev, ctx


def _try(fn, *a, **kw) -> bool:
    try:
        fn(*a, **kw)
        return True
    except zmq.Again:
        return False


def _close(svc, store, dev, ctx) -> None:
    dev.close()
    ctx.term()
    svc.stop()
    store.close()


@pytest.mark.slow
def test_a_drill_clock_stamps_what_the_devices_say_and_the_commands_in_drill_time(tmp_path, mini_plant) -> None:
    """At 10×: a check-in is recorded at the drill time of its arrival (between the hand-formula drill times
    of the wall times read around it — days from the wall clock); a command with ``expires_s`` 600 drill
    seconds reaches the device expiring 60 wall seconds after it was sent; the resend of the unacknowledged
    command comes after the protocol's 0.3 wall seconds (not ÷ speed); the acknowledgement is in drill time."""
    clock = DrillClock(START, SPEED)
    clock.begin()
    svc, store, iid, dev, ctx = _service(tmp_path, mini_plant, clock)
    try:
        w0 = time.time()
        dev.send("checkin", "DEV-1", person_id="P001", assembly_point_id=_ap(mini_plant))
        [m] = wait_until(lambda: [e for e in store.events(iid) if e.type == "person.mustered"], what="check-in")
        w1 = time.time()
        assert _drill_time(clock, w0) <= m.time <= _drill_time(clock, w1)
        assert abs((m.time - dt.datetime.now(UTC)).total_seconds()) > 86_400

        w0 = time.time()
        out = svc.send_command(iid, "device:DEV-1", "message", text_zh="测试", text_en="test", expires_s=600.0)
        arrivals: list[tuple[float, dict]] = []

        def commands(n: int) -> list[tuple[float, dict]] | None:
            for f in dev.pump()[len(arrivals):]:
                arrivals.append((time.time(), json.loads(f)))
            c = [a for a in arrivals if a[1]["type"] == "command"]
            return c if len(c) >= n else None
        got = wait_until(lambda: commands(2), what="the command and its resend")
        sent = next(e for e in store.events(iid) if e.type == "command.sent")
        assert _drill_time(clock, w0) <= sent.time <= _drill_time(clock, got[0][0])
        expires = parse_time(got[0][1]["expires"]).timestamp()
        assert expires == pytest.approx(clock.wall_at(sent.time) + 60.0, abs=0.01)
        assert got[1][0] - got[0][0] >= 0.25  # the retry interval is wall time

        w0 = time.time()
        dev.send("ack", "DEV-1", seq=1, command_id=out["command_id"], state="received")
        [a] = wait_until(lambda: [e for e in store.events(iid) if e.type == "command.acknowledged"], what="ack")
        assert _drill_time(clock, w0) <= a.time <= _drill_time(clock, time.time())
    finally:
        _close(svc, store, dev, ctx)


@pytest.mark.slow
def test_without_a_clock_the_service_stamps_wall_time(tmp_path, mini_plant) -> None:
    """A service given no clock (as ``field serve`` builds it) records a check-in at the wall time of its
    arrival."""
    svc, store, iid, dev, ctx = _service(tmp_path, mini_plant, None)
    try:
        w0 = dt.datetime.now(UTC)
        dev.send("checkin", "DEV-1", person_id="P001", assembly_point_id=_ap(mini_plant))
        [m] = wait_until(lambda: [e for e in store.events(iid) if e.type == "person.mustered"], what="check-in")
        assert w0 <= m.time <= dt.datetime.now(UTC)
    finally:
        _close(svc, store, dev, ctx)


@pytest.mark.slow
def test_field_serve_stamps_wall_time(tmp_path) -> None:
    """``commandcenter field serve`` as a process: a device's hello is recorded ``device.online`` at the wall
    time it arrived."""
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.store import EventStore
    from tests.commandcenter.test_field_cli import cli, free_port

    keys = make_keys(tmp_path / "K", ["DEV-1"])
    db = str(tmp_path / "log.db")
    with EventStore(db) as store:
        iid = IncidentRuntime.create(store, title="real", exercise=False, engine=False).incident_id
    ep = f"tcp://127.0.0.1:{free_port()}"
    serve = cli("field", "serve", "--plant", str(MINI_PLANT), "--db", db, "--keys", str(tmp_path / "K"), "--bind",
                ep, "--json")
    ctx = zmq.Context()
    dev = None
    try:
        assert json.loads(serve.stdout.readline())["event"] == "serving"

        def enrolled(store) -> bool:
            return any(e.type == "device.enrolled" for e in store.events(iid))
        with EventStore(db) as store:
            wait_until(lambda: enrolled(store), timeout=30, what="DEV-1 enrolled by the server")
        dev = RawDevice(ctx, ep, keys.server_public(), keys.device_keys("DEV-1"), "DEV-1")
        w0 = dt.datetime.now(UTC)
        wait_until(lambda: _try(dev.send, "hello", "DEV-1", last_seq=0), what="hello sent")
        with EventStore(db) as store:
            [on] = wait_until(lambda: [e for e in store.events(iid) if e.type == "device.online"], timeout=30,
                              what="device.online")
        assert w0 <= on.time <= dt.datetime.now(UTC)
    finally:
        if dev is not None:
            dev.close()
        ctx.term()
        serve.send_signal(signal.SIGTERM)
        serve.communicate(timeout=30)
