"""The ROUTER side over real sockets on 127.0.0.1: delivery, authentication, spoofing, revocation, presence."""

from __future__ import annotations

import contextlib
import itertools
import json
import time

import pytest
import zmq

from comms.keys import KeyPair
from comms.simulator import DeviceProfile, SimConfig, Simulator
from tests.comms.helpers import RawDevice, Recorder, command, make_keys, start_server, wait_until


class Net:
    """A context and the raw devices made on it, closed at teardown (not by the garbage collector mid-test)."""

    def __init__(self) -> None:
        self.ctx = zmq.Context()
        self.opened: list[RawDevice] = []


@pytest.fixture
def ctx():
    net = Net()
    yield net
    for d in net.opened:
        d.close()
    net.ctx.destroy(linger=0)


@pytest.fixture
def keys(tmp_path):
    return make_keys(tmp_path / "K", ["A", "B", "X"])


def device(ctx, srv, ks, device_id: str, routing_id: str | None = None, keys: KeyPair | None = None) -> RawDevice:
    d = RawDevice(ctx.ctx, srv.bound, ks.server_public(), keys or ks.device_keys(device_id), routing_id or device_id)
    ctx.opened.append(d)
    return d


def commands_of(dev: RawDevice) -> list[dict]:
    return [m for m in dev.messages() if m["type"] == "command"]


def test_hello_gets_welcome_then_every_owed_command_in_seq_order(ctx, keys) -> None:
    rec = Recorder()
    with start_server(keys, rec, heartbeat_s=2.0) as srv:
        srv.enqueue([("A", 1, command("C1"), "pending"), ("A", 2, command("C2"), "pending"),
                     ("B", 1, command("C2"), "pending")])
        a = device(ctx, srv, keys, "A")
        a.send("hello", "A", last_seq=0)
        wait_until(lambda: len(a.pump()) >= 3, what="welcome and two commands")
        msgs = a.messages()
        assert msgs[0]["type"] == "welcome"
        assert msgs[0]["heartbeat_s"] == 2.0
        assert [(m["seq"], m["command_id"]) for m in msgs[1:3]] == [(1, "C1"), (2, "C2")]
        assert all(m["device"] == "A" for m in msgs)
        a.send("ack", "A", seq=1, command_id="C1", state="received")
        a.send("ack", "A", seq=2, command_id="C2", state="done")
        wait_until(lambda: len(rec.of("ack", device="A")) == 2, what="two acks reported")
        assert {(i.command_id, i.state) for i in rec.of("ack", device="A")} == {("C1", "acked"), ("C2", "done")}
        assert rec.of("online", device="A")


def test_unacked_command_is_retried_with_growing_gaps_and_stops_once_acked(ctx, keys) -> None:
    rec = Recorder()
    with start_server(keys, rec, retry_base_s=0.1, retry_max_s=0.4) as srv:
        a = device(ctx, srv, keys, "A")
        a.send("hello", "A", last_seq=0)
        wait_until(lambda: rec.of("online", device="A"), what="A online")
        srv.enqueue([("A", 1, command("C1"), "pending")])
        arrivals: list[float] = []

        def got_four() -> bool:
            for _m in commands_of(a):
                arrivals.append(time.monotonic())
            a.received.clear()
            return len(arrivals) >= 4
        wait_until(got_four, what="four sends of an unacked command")
        gaps = [b - a_ for a_, b in itertools.pairwise(arrivals)]
        assert gaps[1] > gaps[0] * 1.3  # 0.1 s, 0.2 s, 0.4 s (capped)
        a.send("ack", "A", seq=1, command_id="C1", state="received")
        wait_until(lambda: rec.of("ack", device="A"), what="the ack")
        sent = srv.stats()["counters"]["sent"]
        srv.call(lambda s: None)
        wait_until(lambda: srv.outbox.slot("A", 1).state == "acked", what="acked")
        assert srv.outbox.next_due() is None
        assert srv.stats()["counters"]["sent"] == sent


def test_heartbeat_with_an_older_last_seq_brings_the_missing_commands_again(ctx, keys) -> None:
    rec = Recorder()
    with start_server(keys, rec, retry_base_s=30.0, in_flight_s=0.0) as srv:
        srv.enqueue([("A", s, command(f"C{s}"), "pending") for s in (1, 2, 3)])
        a = device(ctx, srv, keys, "A")
        a.send("hello", "A", last_seq=0)
        wait_until(lambda: len(commands_of(a)) >= 3, what="three commands")
        a.received.clear()
        a.send("heartbeat", "A", last_seq=2)
        wait_until(lambda: commands_of(a), what="the resend")
        assert [m["seq"] for m in a.messages() if m["type"] == "command"] == [3]


def test_unknown_key_receives_nothing_and_is_never_heard(ctx, keys) -> None:
    rec = Recorder()
    stranger = KeyPair(*zmq.curve_keypair())
    with start_server(keys, rec, retry_base_s=0.05, retry_max_s=0.1) as srv:
        srv.enqueue([("A", 1, command("C1"), "pending")])
        intruders = [device(ctx, srv, keys, "A", routing_id=rid, keys=stranger) for rid in ("A", "Z")]
        for dev, name in zip(intruders, ("A", "Z"), strict=True):
            dev.send("hello", name, last_seq=0)
            dev.send("position", name, lon=118.7, lat=32.2, accuracy_m=3.0)
        wait_until(lambda: srv.stats()["counters"].get("unknown_key", 0) >= 2, what="two refused handshakes")
        a = device(ctx, srv, keys, "A")
        a.send("hello", "A", last_seq=0)
        wait_until(lambda: len(commands_of(a)) >= 3, what="A's command and two retries")
        assert all(d.pump() == [] for d in intruders)
        assert {i.device for i in rec.items} == {"A"}
        assert srv.stats()["counters"]["accepted"] == 1


def test_valid_key_claiming_another_id_by_speaking_gets_nothing_of_it(ctx, keys) -> None:
    rec = Recorder()
    with start_server(keys, rec, retry_base_s=0.05, retry_max_s=0.1) as srv:
        srv.enqueue([("A", 1, command("C-A"), "pending"), ("X", 1, command("C-X"), "pending")])
        thief = device(ctx, srv, keys, "X", routing_id="A", keys=keys.device_keys("X"))
        thief.send("hello", "A", last_seq=0)
        thief.send("hello", "X", last_seq=0)
        wait_until(lambda: srv.stats()["counters"].get("spoofed", 0) >= 1, what="the spoof counted")
        honest_x = device(ctx, srv, keys, "X")
        honest_x.send("hello", "X", last_seq=0)
        a = device(ctx, srv, keys, "A")
        a.send("hello", "A", last_seq=0)
        wait_until(lambda: commands_of(a) and commands_of(honest_x), what="A and X get their own commands")
        assert all(m.get("device") != "A" for m in thief.messages())
        assert not any(m.get("command_id") == "C-A" for m in thief.messages())
        assert not rec.of("message", device="X")


def test_valid_key_silently_taking_over_an_online_devices_id_gets_nothing_of_it(ctx, keys) -> None:
    """ROUTER_HANDOVER hands the routing id to the newest connection without a word: the server must not
    send A's commands until that connection has spoken, and drops it when it stays silent; A (a device
    built to the spec) reconnects and gets its command."""
    rec = Recorder()
    with start_server(keys, rec, retry_base_s=0.05, retry_max_s=0.1, silent_drop_s=0.5, heartbeat_s=0.5) as srv:
        sim = Simulator([DeviceProfile("A")], {"A": keys.device_keys("A")},
                        SimConfig(srv.bound, keys.server_public(), heartbeat_s=0.5, positions=False))
        with sim:
            wait_until(lambda: rec.of("online", device="A"), what="A online")
            thief = device(ctx, srv, keys, "X", routing_id="A", keys=keys.device_keys("X"))
            wait_until(lambda: srv.stats()["counters"].get("handshakes", 0) >= 2, what="the thief's handshake")
            srv.enqueue([("A", 1, command("C-A"), "pending")])
            wait_until(lambda: srv.stats()["counters"].get("dropped_silent", 0) >= 1, what="the silent thief dropped")
            wait_until(lambda: sim.applied()["A"] == [(1, "C-A")], what="A served again")
            assert thief.messages() == []


def test_device_field_naming_another_device_is_a_spoof(ctx, keys) -> None:
    rec = Recorder()
    with start_server(keys, rec) as srv:
        srv.enqueue([("A", 1, command("C-A"), "pending")])
        b = device(ctx, srv, keys, "B")
        b.send("hello", "A", last_seq=0)
        b.send("checkin", "A", person_id="P1", assembly_point_id="AP-1")
        b.send("hello", "B", last_seq=0)
        wait_until(lambda: rec.of("online", device="B"), what="B heard as itself")
        wait_until(lambda: srv.stats()["counters"].get("rejected_spoofed", 0) == 2, what="two spoofs")
        assert not rec.of("message")
        assert all(m["device"] == "B" for m in b.messages())


def test_revoked_device_is_dropped_at_once_and_never_heard_again(ctx, keys) -> None:
    rec = Recorder()
    with start_server(keys, rec, key_poll_s=0.05) as srv:
        a = device(ctx, srv, keys, "A")
        a.send("hello", "A", last_seq=0)
        wait_until(lambda: rec.of("online", device="A"), what="A online")
        keys.revoke("A")
        wait_until(lambda: rec.of("revoked", device="A"), what="the revocation noticed")
        wait_until(lambda: srv.stats()["counters"].get("unknown_key", 0) >= 1, what="A's reconnection refused")
        srv.enqueue([("A", 1, command("C1"), "pending")])
        with contextlib.suppress(zmq.Again):  # its connection is gone and every new one is refused
            a.send("checkin", "A", person_id="P1", assembly_point_id="AP-1")
        b = device(ctx, srv, keys, "B")
        b.send("hello", "B", last_seq=0)
        wait_until(lambda: rec.of("online", device="B"), what="B still served")
        assert commands_of(a) == []
        assert not rec.of("message", device="A")
        assert rec.of("offline", device="A")


def test_a_key_added_to_the_store_is_accepted_by_the_running_server(ctx, keys) -> None:
    rec = Recorder()
    with start_server(keys, rec, key_poll_s=60.0) as srv:
        keys.new_device("NEW-1")
        d = device(ctx, srv, keys, "NEW-1")
        d.send("hello", "NEW-1", last_seq=0)
        wait_until(lambda: rec.of("online", device="NEW-1"), what="the new device heard")


def test_malformed_frames_are_counted_and_the_device_is_still_served(ctx, keys) -> None:
    rec = Recorder()
    with start_server(keys, rec) as srv:
        a = device(ctx, srv, keys, "A")
        a.sock.send(b"not json")
        a.sock.send_multipart([b"two", b"frames"])
        a.sock.send(json.dumps({"v": 1, "type": "position", "device": "A", "ts": "2026-11-30T10:00:00Z",
                                "lon": float("inf"), "lat": 0, "accuracy_m": 1}).encode())
        a.send("hello", "A", last_seq=0)
        srv.enqueue([("A", 1, command("C1"), "pending")])
        wait_until(lambda: commands_of(a), what="A served")
        c = srv.stats()["counters"]
        assert (c["rejected_not_json"], c["rejected_frames"], c["rejected"]) == (2, 1, 3)
        errors = [m for m in a.messages() if m["type"] == "error"]
        assert errors
        assert errors[0]["code"] == "not_json"


def test_device_is_online_while_it_speaks_and_offline_after_three_heartbeats(ctx, keys) -> None:
    rec = Recorder()
    with start_server(keys, rec, heartbeat_s=0.2) as srv:
        a = device(ctx, srv, keys, "A")
        a.send("hello", "A", last_seq=0)
        wait_until(lambda: srv.online().get("A"), what="online")
        t0 = time.monotonic()
        wait_until(lambda: rec.of("offline", device="A"), what="offline")
        assert time.monotonic() - t0 >= 0.55
        def beat() -> bool:  # the device's next heartbeats (the first may die with the dropped connection)
            a.send("heartbeat", "A", last_seq=0)
            return len(rec.of("online", device="A")) == 2
        wait_until(beat, what="online again")


def test_unacked_command_past_its_expiry_is_reported_expired(ctx, keys) -> None:
    rec = Recorder()
    with start_server(keys, rec) as srv:
        srv.enqueue([("A", 1, command("C1", expires_at=time.time() + 0.3), "pending")])
        wait_until(lambda: rec.of("expired", device="A"), what="the expiry")
        assert rec.of("expired", device="A")[0].command_id == "C1"
