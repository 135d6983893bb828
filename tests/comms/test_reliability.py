"""Reliability over real sockets on 127.0.0.1: dropouts mid-broadcast, lossy links, and a fuzzing device.

Times are scaled down (heartbeat 0.3 s, retries capped at 0.5 s, a "30 s" dropout is 3 s: the protocol's
rules are the same at any scale); every wait is on a condition with a timeout.
"""

from __future__ import annotations

import json
import random
import string
import time

import pytest
import zmq

from comms import protocol
from comms.simulator import DeviceProfile, SimConfig, Simulator
from tests.comms.helpers import RawDevice, Recorder, command, make_keys, start_server, wait_until

SCALE = 0.1  # the spec's seconds × SCALE


def broadcast(srv, devices: list[str], seq: int) -> None:
    srv.enqueue([(d, seq, command(f"C{seq}"), "pending") for d in devices])


@pytest.mark.slow
def test_a_fifth_of_200_devices_cut_off_30_s_mid_broadcast_get_every_command_once(tmp_path) -> None:
    ids = [f"PH-{i:03d}" for i in range(200)]
    ks = make_keys(tmp_path / "K", ids)
    rec = Recorder()
    with start_server(ks, rec, heartbeat_s=5 * SCALE, retry_base_s=1 * SCALE, retry_max_s=30 * SCALE / 6,
                      silent_drop_s=2.0) as srv:
        sim = Simulator([DeviceProfile(i) for i in ids], {i: ks.device_keys(i) for i in ids},
                        SimConfig(srv.bound, ks.server_public(), positions=False, heartbeat_s=5 * SCALE))
        with sim:
            wait_until(lambda: srv.stats()["online"] == 200, timeout=60, what="200 devices online")
            broadcast(srv, ids, 1)
            wait_until(lambda: sum(len(v) >= 1 for v in sim.applied().values()) >= 50, what="the broadcast under way")
            cut = random.Random(7).sample(ids, 40)
            sim.cut_off(cut, 30 * SCALE)
            for seq in (2, 3, 4, 5):
                broadcast(srv, ids, seq)
            wait_until(lambda: sim.counters["cut_off"] == 40, what="the cut")
            wait_until(lambda: all(len(v) == 5 for v in sim.applied().values()), timeout=90,
                       what="every device applied five commands")
            applied = sim.applied()
            assert sim.counters.get("applied_twice", 0) == 0
            assert all(v == [(s, f"C{s}") for s in range(1, 6)] for v in applied.values())
            wait_until(lambda: srv.call(lambda s: s.outbox.pending_count()) == 0, what="every command acknowledged")
            # the 40 came back on new connections (the socket monitor's event may be read after their hello)
            wait_until(lambda: sim.counters["connected"] >= 240, what="the 40 reconnections counted")
            assert sim.counters["connected"] >= 240


@pytest.mark.slow
def test_a_lossy_link_loses_nothing_and_applies_nothing_twice(tmp_path) -> None:
    ids = [f"PH-{i:02d}" for i in range(20)]
    ks = make_keys(tmp_path / "K", ids)
    with start_server(ks, Recorder(), heartbeat_s=0.3, retry_base_s=0.05, retry_max_s=0.3) as srv:
        sim = Simulator([DeviceProfile(i) for i in ids], {i: ks.device_keys(i) for i in ids},
                        SimConfig(srv.bound, ks.server_public(), positions=False, heartbeat_s=0.3, drop_rate=0.4,
                                  seed=3))
        with sim:
            wait_until(lambda: srv.stats()["online"] == 20, what="online")
            for seq in range(1, 11):
                broadcast(srv, ids, seq)
            wait_until(lambda: all(len(v) == 10 for v in sim.applied().values()), timeout=60, what="all applied")
            wait_until(lambda: srv.call(lambda s: s.outbox.pending_count()) == 0, timeout=60,
                       what="everything acknowledged")
            assert all(v == [(s, f"C{s}") for s in range(1, 11)] for v in sim.applied().values())
            assert sim.counters["dropped_in"] > 0
            assert sim.counters["duplicate"] > 0  # resends of what a lost ack left unconfirmed: acked, not applied
            assert sim.counters["held"] > 0  # a seq after a lost one waits for it (asked for with hello)
            assert sim.counters.get("applied_twice", 0) == 0


# ---------------------------------------------------------------------------- fuzzing
REQUIRED = {"hello": ["last_seq"], "heartbeat": ["last_seq"], "ack": ["seq", "command_id", "state"],
            "position": ["lon", "lat", "accuracy_m"], "checkin": ["person_id", "assembly_point_id"],
            "sos": ["person_id"], "reading": ["sensor_id", "value", "unit"],
            "access": ["person_id", "gate_id", "direction"]}
VALID = {"hello": {"last_seq": 0}, "heartbeat": {"last_seq": 0},
         "ack": {"seq": 1, "command_id": "C1", "state": "received"},
         "position": {"lon": 118.7, "lat": 32.2, "accuracy_m": 3.0},
         "checkin": {"person_id": "P1", "assembly_point_id": "AP1"}, "sos": {"person_id": "P1"},
         "reading": {"sensor_id": "S1", "value": 1.0, "unit": "ppm"},
         "access": {"person_id": "P1", "gate_id": "G1", "direction": "in"}}
#: values no field of its kind accepts: ints (seq, last_seq), numbers (with their ranges), strings (ids, enums)
WRONG = {"int": [-1, 1.5, "3", True, [], 10**30], "num": ["1.0", True, [], {}, 1e300, -1e300],
         "str": [1, True, [], {"a": 1}, "", "x" * 3000, "\x00"]}
KIND = {"last_seq": "int", "seq": "int", "lon": "num", "lat": "num", "accuracy_m": "num", "value": "num"}


def invalid_frame(rng: random.Random, device: str) -> list[bytes]:
    """One frame (or multipart) that the protocol refuses, by construction."""
    t = rng.choice(sorted(VALID))
    body = {"v": 1, "type": t, "device": device, "ts": "2026-11-30T10:00:00+08:00", **VALID[t]}
    how = rng.randrange(12)
    if how == 0:
        return [bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 200)))]
    if how == 1:
        return [json.dumps(body).encode()[: rng.randrange(0, 20)]]  # truncated
    if how == 2:
        del body[rng.choice(["v", "type", "device", "ts", *REQUIRED[t]])]
    elif how == 3:
        name = rng.choice(REQUIRED[t])
        body[name] = rng.choice(WRONG[KIND.get(name, "str")])
    elif how == 4:
        body["v"] = rng.choice([0, 2, "1", 1.0, None])
    elif how == 5:
        body["type"] = "".join(rng.choices(string.ascii_lowercase, k=6))
    elif how == 6:
        body["device"] = rng.choice(["OTHER-DEVICE", "", "bad id", 7])
    elif how == 7:
        body["ts"] = rng.choice(["yesterday", "2026-11-30T10:00:00", 12345])
    elif how == 8:
        body["pad"] = "x" * (protocol.MAX_FRAME + 1)  # oversized
    elif how == 9:
        return [json.dumps(body).encode().replace(b"1", b"NaN", 1) if b"1" in json.dumps(body).encode()
                else b"[NaN]"]
    elif how == 10:
        return [b"[" * rng.randrange(1000, 5000)]
    else:
        return [json.dumps(body).encode(), b"second frame"]
    return [json.dumps(body).encode()]


def fuzz(n: int, seed: int, tmp_path) -> dict:
    """Send ``n`` invalid frames from an authenticated device while real devices take commands; returns
    what the server counted and what the real devices applied."""
    ids = [f"PH-{i}" for i in range(5)]
    ks = make_keys(tmp_path / "K", [*ids, "FUZZ"])
    rng = random.Random(seed)
    ctx = zmq.Context()
    rec = Recorder()
    try:
        with start_server(ks, rec, heartbeat_s=0.5, retry_base_s=0.1, retry_max_s=0.5) as srv:
            sim = Simulator([DeviceProfile(i) for i in ids], {i: ks.device_keys(i) for i in ids},
                            SimConfig(srv.bound, ks.server_public(), positions=False, heartbeat_s=0.5))
            with sim:
                fz = RawDevice(ctx, srv.bound, ks.server_public(), ks.device_keys("FUZZ"), "FUZZ")
                fz.sock.setsockopt(zmq.SNDTIMEO, 10_000)
                fz.send("hello", "FUZZ", last_seq=0)
                wait_until(lambda: srv.stats()["online"] == 6, what="all online")
                base = srv.stats()["counters"]
                seq = 0
                t0 = time.monotonic()
                for k in range(n):
                    fz.sock.send_multipart(invalid_frame(rng, "FUZZ"))
                    if k % max(1, n // 10) == 0:
                        seq += 1
                        broadcast(srv, ids, seq)
                    if k % 500 == 0:
                        fz.pump()
                wait_until(lambda: srv.stats()["counters"].get("rejected", 0) - base.get("rejected", 0) >= n,
                           timeout=120, what="every frame counted")
                wait_until(lambda: all(len(v) == seq for v in sim.applied().values()), timeout=60,
                           what="the real devices' commands")
                fz.close()
                return {"rejected": srv.stats()["counters"]["rejected"] - base.get("rejected", 0),
                        "counters": srv.stats()["counters"], "seq": seq, "applied": sim.applied(),
                        "seconds": time.monotonic() - t0,
                        "fuzz_messages": len(rec.of("message", device="FUZZ"))}
    finally:
        ctx.destroy(linger=0)


@pytest.mark.slow
def test_fuzzed_frames_from_an_authenticated_device_are_each_refused_and_counted(tmp_path) -> None:
    n = 3000  # `python -m bench --only comms` sends 100,000
    out = fuzz(n, seed=11, tmp_path=tmp_path)
    assert out["rejected"] == n
    assert out["fuzz_messages"] == 0
    assert all(v == [(s, f"C{s}") for s in range(1, out["seq"] + 1)] for v in out["applied"].values())
    assert out["counters"].get("internal_error", 0) == 0
    for code in ("not_json", "missing_field", "bad_field", "bad_version", "unknown_type", "too_large", "frames",
                 "spoofed"):
        assert out["counters"].get(f"rejected_{code}", 0) > 0, code
