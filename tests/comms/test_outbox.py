"""Per-device delivery rules: sequence slots, the spec's backoff, acknowledgements, expiry and resend."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comms.outbox import Outbox, OutboxError
from tests.comms.helpers import command


def test_backoff_follows_the_spec_1_2_4_up_to_30_s() -> None:
    ob = Outbox()
    assert [ob.backoff(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 30, 30, 30]


def test_unacked_slot_is_retried_at_growing_intervals() -> None:
    ob = Outbox()
    ob.add("D1", 1, command("C1"), now=0.0)
    sends = []
    t = 0.0
    while t <= 70.0:
        for s in ob.due(t, wall=0.0):
            sends.append(t)
            ob.sent(s, t)
        t = round(t + 0.5, 1)
    assert sends == [0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 61.0]


def test_received_ack_stops_retries_and_repeated_acks_report_nothing() -> None:
    ob = Outbox()
    ob.add("D1", 1, command("C1"), now=0.0)
    [s] = ob.due(0.0, 0.0)
    ob.sent(s, 0.0)
    assert ob.ack("D1", 1, "C1", "received")[1] == "acked"
    assert ob.ack("D1", 1, "C1", "received")[1] is None
    assert ob.due(100.0, 0.0) == []
    assert ob.ack("D1", 1, "C1", "done")[1] == "done"
    assert ob.ack("D1", 1, "C1", "rejected")[1] is None
    assert ob.slot("D1", 1).state == "done"


def test_rejected_command_is_failed_for_that_device() -> None:
    ob = Outbox()
    ob.add("D1", 1, command("C1"), now=0.0)
    assert ob.ack("D1", 1, "C1", "rejected")[1] == "failed"


def test_ack_naming_another_command_or_seq_is_refused() -> None:
    ob = Outbox()
    ob.add("D1", 1, command("C1"), now=0.0)
    with pytest.raises(OutboxError, match="is C1, not C2"):
        ob.ack("D1", 1, "C2", "received")
    with pytest.raises(OutboxError, match="no command at seq 2"):
        ob.ack("D1", 2, "C1", "received")
    with pytest.raises(OutboxError):
        ob.ack("D2", 1, "C1", "received")


def test_two_commands_cannot_share_a_devices_seq() -> None:
    ob = Outbox()
    ob.add("D1", 1, command("C1"))
    ob.add("D1", 1, command("C1"))  # the same command again: fine (rebuilt from the log)
    with pytest.raises(OutboxError, match="holds C1"):
        ob.add("D1", 1, command("C2"))


def test_unacked_slot_expires_once_and_acked_one_never() -> None:
    ob = Outbox()
    ob.add("D1", 1, command("C1", expires_at=100.0), now=0.0)
    ob.add("D2", 1, command("C1", expires_at=100.0), now=0.0)
    ob.ack("D2", 1, "C1", "received")
    assert ob.expire(99.0) == []
    assert [(s.device, s.seq) for s in ob.expire(100.0)] == [("D1", 1)]
    assert ob.expire(200.0) == []
    assert ob.slot("D1", 1).state == "expired"
    assert ob.due(1000.0, 200.0) == []
    assert ob.ack("D1", 1, "C1", "received")[1] is None  # too late: it stays expired


def test_hello_resends_every_later_unexpired_slot_in_order() -> None:
    ob = Outbox()
    for seq in (1, 2, 3, 4):
        ob.add("D1", seq, command(f"C{seq}"), now=0.0)
    ob.ack("D1", 1, "C1", "received")
    ob.ack("D1", 3, "C3", "done")
    assert [s.seq for s in ob.resend_from("D1", 1, now=5.0, wall=0.0)] == [2, 3, 4]
    assert [s.seq for s in ob.resend_from("D1", 0, now=5.0, wall=0.0)] == [1, 2, 3, 4]


def test_hello_sends_an_expired_slot_only_to_fill_the_gap_before_a_live_one() -> None:
    ob = Outbox()
    ob.add("D1", 1, command("C1", expires_at=10.0), now=0.0)
    ob.add("D1", 2, command("C2"), now=0.0)
    ob.add("D1", 3, command("C3", expires_at=10.0), now=0.0)
    ob.expire(20.0)
    assert [s.seq for s in ob.resend_from("D1", 0, now=1.0, wall=20.0)] == [1, 2]


def test_heartbeat_resend_skips_what_is_still_in_flight() -> None:
    ob = Outbox()
    ob.add("D1", 1, command("C1"), now=0.0)
    ob.add("D1", 2, command("C2"), now=0.0)
    for s in ob.due(0.0, 0.0):
        ob.sent(s, 0.0 if s.seq == 1 else 0.9)
    assert [s.seq for s in ob.resend_from("D1", 0, now=1.2, wall=0.0, skip_sent_within=1.0)] == [1]


def test_device_ahead_of_the_log_suspends_then_renumbers_its_pending_slots() -> None:
    ob = Outbox()
    ob.add("D1", 1, command("C1"), now=0.0)
    ob.add("D1", 2, command("C2"), now=0.0)
    ob.ack("D1", 1, "C1", "received")
    assert [s.seq for s in ob.suspend_through("D1", 57)] == [2]
    assert ob.due(10.0, 0.0) == []
    assert ob.resend_from("D1", 57, 10.0, 0.0) == []
    ob.move("D1", 2, 58, now=10.0)
    assert [(s.seq, s.command.command_id) for s in ob.due(10.0, 0.0)] == [(58, "C2")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ack", "send", "expire"]), st.integers(1, 4),
                          st.sampled_from(["received", "done", "rejected"])), max_size=40))
def test_final_states_never_change_and_each_expiry_is_reported_once(ops) -> None:
    ob = Outbox()
    for seq in range(1, 5):
        ob.add("D", seq, command(f"C{seq}", expires_at=50.0 + seq), now=0.0)
    reported: list[int] = []
    finals: dict[int, str] = {}
    t = 0.0
    for op, seq, state in ops:
        t += 3.0
        if op == "ack":
            ob.ack("D", seq, f"C{seq}", state)
        elif op == "send":
            for s in ob.due(t, t):
                ob.sent(s, t)
        else:
            reported += [s.seq for s in ob.expire(t)]
        for q in range(1, 5):
            st_ = ob.slot("D", q).state
            if q in finals:
                assert st_ == finals[q] or (finals[q] == "expired" and st_ == "done")
            if st_ in ("done", "failed"):
                finals[q] = st_
    assert len(reported) == len(set(reported))
