"""The per-device delivery state of commands: sequence numbers, acknowledgements, retries with backoff, expiry.

Pure logic with the clock passed in (``now``: monotonic seconds for retry timers; ``wall``: Unix seconds for
``expires``), so the rules are tested without sockets. The durable outbox is the incident log (a command is
recorded, and numbered per device, before it is first sent); this in-memory view is rebuilt from the log
after a restart and fed with the acknowledgements as they arrive.

Rules (``shared/spec/field-protocol.md``, "Delivery"):

* each device has its own sequence 1, 2, 3 … with no gaps; a slot is one command for one device at one seq;
* a slot not acknowledged is resent after 1 s, 2 s, 4 s … at most 30 s (doubling from ``retry_base_s``,
  capped at ``retry_max_s``), until it is acknowledged or expires;
* on ``hello``/``heartbeat`` with ``last_seq = k`` every slot with ``seq > k`` that has not expired is sent
  again in order, and the backoff of the pending ones starts over (the device is back);
* an expired slot that lies *before* a live one is still sent on ``hello`` (its ``expires`` in the past): a
  device holds every seq beyond ``last_seq + 1`` until it has the one before, so without it the device
  could never take another command (see docs/field-comms.md, "Expired commands and gaps");
* ``received`` makes a slot ``acked``; ``done`` makes it ``done``; ``rejected`` makes it ``failed``;
  ``done`` and ``failed`` are final; an expired slot only moves on to ``done`` (a fact the device reports).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

STATES = ("pending", "acked", "done", "failed", "expired", "suspended")
_FINAL = frozenset({"done", "failed"})
_ACK_TO_STATE = {"received": "acked", "done": "done", "rejected": "failed"}


class OutboxError(ValueError):
    """An inconsistent outbox operation (two commands for one device and seq, an unknown slot)."""


@dataclass(frozen=True)
class Command:
    """One command as the wire needs it, already through the exercise guard (``commandcenter.services.dispatch``).

    ``fields`` are the wire fields shared by every device (``incident``, ``kind``, ``text``, ``exercise``,
    ``expires`` and the per-kind ones); ``per_device`` adds fields for one device (its own route and
    assembly point); ``expires_at`` is ``expires`` in Unix seconds (None: never)."""

    command_id: str
    incident: str
    kind: str
    fields: dict[str, Any]
    expires_at: float | None = None
    per_device: dict[str, dict[str, Any]] = field(default_factory=dict)

    def wire_fields(self, device: str) -> dict[str, Any]:
        """The command's fields for ``device`` (without ``seq``)."""
        extra = self.per_device.get(device)
        return {**self.fields, **extra} if extra else dict(self.fields)


@dataclass
class Slot:
    """One command for one device at one seq, and its delivery state."""

    device: str
    seq: int
    command: Command
    state: str = "pending"
    attempts: int = 0
    next_at: float = 0.0
    last_sent: float | None = None

    @property
    def live(self) -> bool:
        """True while the slot still needs an acknowledgement (pending)."""
        return self.state == "pending"


class Outbox:
    """Slots per device, a retry schedule and the expiry of unacknowledged slots."""

    def __init__(self, retry_base_s: float = 1.0, retry_max_s: float = 30.0):
        if not (0 < retry_base_s <= retry_max_s):
            raise ValueError("need 0 < retry_base_s <= retry_max_s")
        self.retry_base_s = retry_base_s
        self.retry_max_s = retry_max_s
        self._lanes: dict[str, dict[int, Slot]] = {}
        self._heap: list[tuple[float, int, str, int]] = []  # (next_at, tiebreak, device, seq)
        self._tie = 0
        self._expiring: list[tuple[float, int, str, int]] = []

    # ------------------------------------------------------------------ filling
    def add(self, device: str, seq: int, command: Command, state: str = "pending", now: float = 0.0) -> Slot:
        """Put ``command`` at ``seq`` of ``device``'s lane (idempotent for the same command; a different
        command at a taken seq raises :class:`OutboxError`). ``state`` restores a state read from the log."""
        if state not in STATES:
            raise OutboxError(f"unknown state {state!r}")
        if type(seq) is not int or seq < 1:
            raise OutboxError(f"seq must be an integer ≥ 1, got {seq!r}")
        lane = self._lanes.setdefault(device, {})
        old = lane.get(seq)
        if old is not None:
            if old.command.command_id != command.command_id:
                raise OutboxError(f"device {device} seq {seq} holds {old.command.command_id}, "
                                  f"not {command.command_id}")
            self._restore(old, state)
            return old
        slot = Slot(device, seq, command, state, next_at=now)
        lane[seq] = slot
        if slot.live:
            self._schedule(slot, now)
        return slot

    def _restore(self, slot: Slot, state: str) -> None:
        if slot.state in _FINAL or state == "pending":
            return
        if slot.state == "expired" and state != "done":
            return
        slot.state = state

    def move(self, device: str, old_seq: int, new_seq: int, now: float) -> Slot:
        """Renumber a (suspended) slot of ``device`` to ``new_seq``: after the device reported a
        ``last_seq`` beyond what this log numbered, its unacknowledged commands are numbered again."""
        lane = self._lanes.get(device, {})
        slot = lane.pop(old_seq, None)
        if slot is None:
            raise OutboxError(f"device {device} has no seq {old_seq}")
        slot.state = "pending"
        slot.attempts = 0
        return self.add(device, new_seq, slot.command, now=now) if new_seq not in lane else lane[new_seq]

    def _schedule(self, slot: Slot, at: float) -> None:
        slot.next_at = at
        self._tie += 1
        heapq.heappush(self._heap, (at, self._tie, slot.device, slot.seq))
        if slot.command.expires_at is not None:
            heapq.heappush(self._expiring, (slot.command.expires_at, self._tie, slot.device, slot.seq))

    # ------------------------------------------------------------------ reading
    def slot(self, device: str, seq: int) -> Slot | None:
        """The slot at ``seq`` of ``device`` (None if none)."""
        return self._lanes.get(device, {}).get(seq)

    def lane(self, device: str) -> list[Slot]:
        """``device``'s slots in seq order."""
        return [s for _, s in sorted(self._lanes.get(device, {}).items())]

    def devices(self) -> list[str]:
        """Devices with at least one slot."""
        return list(self._lanes)

    def max_seq(self, device: str) -> int:
        """The highest seq numbered for ``device`` (0 if none)."""
        lane = self._lanes.get(device)
        return max(lane) if lane else 0

    def pending_count(self) -> int:
        """Slots still waiting for an acknowledgement."""
        return sum(1 for lane in self._lanes.values() for s in lane.values() if s.live)

    def backoff(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th send: base·2^(attempts−1), at most ``retry_max_s``."""
        if attempts <= 0:
            return 0.0
        return min(self.retry_base_s * 2.0 ** min(attempts - 1, 62), self.retry_max_s)

    def next_due(self) -> float | None:
        """The earliest retry time of a pending slot (None when nothing waits)."""
        while self._heap:
            at, _, device, seq = self._heap[0]
            s = self.slot(device, seq)
            if s is None or not s.live or s.next_at != at:
                heapq.heappop(self._heap)
                continue
            return at
        return None

    def next_expiry(self) -> float | None:
        """The earliest ``expires_at`` of a pending slot (Unix seconds), or None."""
        while self._expiring:
            at, _, device, seq = self._expiring[0]
            s = self.slot(device, seq)
            if s is None or not s.live:
                heapq.heappop(self._expiring)
                continue
            return at
        return None

    # ------------------------------------------------------------------ sending
    def due(self, now: float, wall: float, limit: int | None = None) -> list[Slot]:
        """Pending, unexpired slots whose retry time has come, earliest first (taken off the schedule:
        call :meth:`sent` or :meth:`defer` for each)."""
        out: list[Slot] = []
        while self._heap and (limit is None or len(out) < limit):
            at, _, device, seq = self._heap[0]
            if at > now:
                break
            heapq.heappop(self._heap)
            s = self.slot(device, seq)
            if s is None or not s.live or s.next_at != at:
                continue
            if s.command.expires_at is not None and s.command.expires_at <= wall:
                continue  # expire() reports it
            out.append(s)
        return out

    def sent(self, slot: Slot, now: float) -> None:
        """Record a send of ``slot`` at ``now`` and schedule its next retry (growing backoff)."""
        slot.attempts += 1
        slot.last_sent = now
        if slot.live:
            self._schedule(slot, now + self.backoff(slot.attempts))

    def skipped(self, slot: Slot, now: float) -> None:
        """The device of ``slot`` could not be reached: try again after the next backoff step (counted as an
        attempt, so an absent device is polled ever less often; its ``hello`` starts over)."""
        slot.attempts += 1
        if slot.live:
            self._schedule(slot, now + self.backoff(slot.attempts))

    def defer(self, slot: Slot, at: float) -> None:
        """Put ``slot`` back on the schedule for ``at`` without counting a send (the device was away)."""
        if slot.live:
            self._schedule(slot, at)

    def resend_from(self, device: str, last_seq: int, now: float, wall: float,
                    skip_sent_within: float = 0.0) -> list[Slot]:
        """What to send ``device`` after it reported ``last_seq`` (hello/heartbeat), in seq order: every slot
        with ``seq > last_seq`` that has not expired, plus the expired ones lying before a live one (gap
        fillers). Slots sent less than ``skip_sent_within`` seconds ago are left out (still in flight). The
        pending ones start their backoff over."""
        lane = self._lanes.get(device)
        if not lane:
            return []
        later = sorted(s for s in lane if s > last_seq)
        out: list[Slot] = []
        gap: list[Slot] = []
        for seq in later:
            s = lane[seq]
            if s.state == "suspended":
                break  # renumbering pending: nothing after it may go out of order
            expired = s.state == "expired" or (s.command.expires_at is not None and s.command.expires_at <= wall)
            if expired:
                gap.append(s)
                continue
            out += gap
            gap = []
            out.append(s)
        chosen = [s for s in out if s.last_sent is None or now - s.last_sent >= skip_sent_within]
        for s in chosen:
            if s.live:
                s.attempts = 0
        return chosen

    # ------------------------------------------------------------------ outcomes
    def ack(self, device: str, seq: int, command_id: str, state: str) -> tuple[Slot, str | None]:
        """Apply an ``ack`` (``received`` | ``done`` | ``rejected``): returns the slot and its new state when
        it changed (None for a repeated ack). Raises :class:`OutboxError` when ``device`` has no such seq or
        the seq holds another command."""
        s = self.slot(device, seq)
        if s is None:
            raise OutboxError(f"device {device} has no command at seq {seq}")
        if s.command.command_id != command_id:
            raise OutboxError(f"device {device} seq {seq} is {s.command.command_id}, not {command_id}")
        new = _ACK_TO_STATE.get(state)
        if new is None:
            raise OutboxError(f"unknown ack state {state!r}")
        old = s.state
        if old in _FINAL or old == new or (old == "acked" and new == "acked"):
            return s, None
        if old == "expired" and new != "done":
            return s, None
        if old == "suspended":
            return s, None  # numbered again; the device's ack of the old number means nothing
        s.state = new
        return s, new

    def expire(self, wall: float) -> list[Slot]:
        """Pending slots whose ``expires_at`` has passed, now marked ``expired`` (each reported once)."""
        out: list[Slot] = []
        while self._expiring and self._expiring[0][0] <= wall:
            _, _, device, seq = heapq.heappop(self._expiring)
            s = self.slot(device, seq)
            if s is not None and s.live and s.command.expires_at is not None and s.command.expires_at <= wall:
                s.state = "expired"
                out.append(s)
        return out

    def suspend_through(self, device: str, last_seq: int) -> list[Slot]:
        """Hold every pending slot of ``device`` with ``seq <= last_seq``: the device reports having applied
        seqs this log never delivered to it, so these must be numbered again (:meth:`move`) before sending."""
        out = []
        for seq, s in self._lanes.get(device, {}).items():
            if seq <= last_seq and s.live:
                s.state = "suspended"
                out.append(s)
        return sorted(out, key=lambda s: s.seq)

    def forget(self, commands: Iterable[str]) -> int:
        """Drop every slot of these command ids (their incident closed); returns how many."""
        ids = set(commands)
        n = 0
        for lane in self._lanes.values():
            for seq in [q for q, s in lane.items() if s.command.command_id in ids and s.live]:
                lane[seq].state = "expired"
                n += 1
        return n
