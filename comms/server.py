"""The command center's side of the field protocol: one ROUTER with CurveZMQ, a ZAP allow-list, and one thread.

One network thread owns every socket (the ROUTER, the ZAP handler, the ROUTER's monitor and a wake-up pipe)
and, on each wake-up, drains *every* waiting message of each: a ZeroMQ socket's file descriptor signals
edges, not levels, so a message left behind would wait until the next unrelated wake-up. Other threads talk
to it only through :meth:`FieldServer.enqueue` and friends (a queue plus the wake-up pipe); it hands what
devices said to ``sink(batch)`` once per wake-up (the service turns a batch into one incident-log commit).

Authentication (``shared/spec/field-protocol.md``, "Security"). The ZAP handler answers each CurveZMQ
handshake from the key store's allow-list and names the device bound to the key (ZAP ``User-Id``). A message
counts only when its routing id and its ``device`` field are that device; otherwise it is dropped and
counted as a spoof. Because of ``ROUTER_HANDOVER`` a routing id alone proves nothing, so the center tracks
*connections* — by the descriptor each message came from (``SRCFD``) and the monitor's accept/disconnect
events — and sends a device's commands only to the connection a message has authenticated as that device:

* a message on a new connection with the right key replaces the device's old connection (the half-open
  one a reboot leaves behind is shut down so it cannot linger);
* a message whose routing id names another device than its key means the routing id now points at an
  impostor's connection: the device is marked unreachable, the impostor's connection and the victim's
  stale one are shut down (the victim reconnects and takes its id back);
* a new connection that passed ZAP but has not spoken yet could have taken over *any* routing id, without a
  sign: while one exists, nothing is sent (a barrier, lifted the moment it speaks — a device sends ``hello``
  at once — or when it is dropped after ``silent_drop_s``);
* a revoked key's connections are shut down at once and its messages dropped.

A connection is shut down by ``shutdown(2)`` on a duplicate of its descriptor: libzmq sees the peer gone and
cleans up as for any disconnect (the ROUTER has no call to drop one peer).

Delivery (``comms.outbox``): sequence numbers per device, resend on ``hello``/``heartbeat``, retries with
backoff, expiry, online while a message arrived within ``online_factor × heartbeat_s``. Malformed,
oversized and spoofed frames are dropped and counted per code (:attr:`FieldServer.counters`), never a crash.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import zmq
from zmq.utils.monitor import parse_monitor_message

from comms import protocol
from comms.keys import KeyPair
from comms.loop_thread import LoopThread, RunsLoopThread, call_in_thread
from comms.outbox import Command, Outbox, OutboxError, Slot
from comms.protocol import Message, ProtocolError

log = logging.getLogger(__name__)
ZAP_ENDPOINT = "inproc://zeromq.zap.01"
ZAP_DOMAIN = b"field"
#: refused frames are logged as one summary line per code at most this often (a flood must not flood the log)
REPORT_S = 10.0
#: silent connections of one key tolerated before its key is refused for a while
SILENT_FORGIVEN = 2


@dataclass
class ServerConfig:
    """Timing and limits of the server (seconds). Tests scale them down; the defaults are the spec's."""

    heartbeat_s: float = 5.0
    online_factor: float = 3.0
    retry_base_s: float = 1.0
    retry_max_s: float = 30.0
    #: a connection that passed ZAP but has not spoken after this long is shut down (None: ``heartbeat_s``)
    silent_drop_s: float | None = None
    #: how often the key store is checked for new and revoked keys
    key_poll_s: float = 0.25
    #: a heartbeat resends only what was not sent within this many seconds (still in flight)
    in_flight_s: float = 1.0
    #: positions closer together than this from one device are dropped (code ``rate``); 0 accepts all
    position_min_interval_s: float = 0.5
    #: most messages handled per pass before timers and sends get a turn (the pass then repeats at once)
    max_batch: int = 5000
    sndhwm: int = 100_000
    rcvhwm: int = 100_000

    def silent_s(self) -> float:
        """Seconds a connection may stay silent after its handshake."""
        return self.heartbeat_s if self.silent_drop_s is None else self.silent_drop_s


@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing the server reports to its sink.

    ``kind``: ``message`` (a checked data message: position, checkin, sos, reading, access, evidence,
    hello), ``ack`` (a slot changed state: ``state`` acked | done | failed), ``expired`` (a slot expired
    unacknowledged), ``online`` / ``offline`` (presence changed), ``revoked`` (a key was revoked), or
    ``seq_ahead`` (the device reported ``last_seq = value`` beyond every seq this log numbered for it).
    ``t`` is Unix seconds at the center."""

    kind: str
    device: str
    t: float
    message: Message | None = None
    command_id: str | None = None
    incident: str | None = None
    seq: int | None = None
    state: str | None = None
    detail: str | None = None
    value: int | None = None


Sink = Callable[[list[Inbound]], None]


@dataclass
class _Conn:
    """What the server knows of one device."""

    fd: int | None = None  # the connection a message authenticated as this device
    last_seen: float | None = None  # monotonic
    online: bool = False
    last_position: float = -1e18
    last_error: float = -1e18
    address: str | None = None
    fds: set[int] = field(default_factory=set)


class KeySource:
    """What the server needs of a key store (:class:`comms.keys.KeyStore` is one)."""

    def stamp(self) -> tuple: ...
    def allow_list(self) -> dict[bytes, str]: ...
    def revoked(self) -> dict[bytes, str]: ...


class FieldServer(RunsLoopThread):
    """The ROUTER side of the field protocol, run by one network thread (:meth:`start` / :meth:`stop`)."""

    def __init__(self, endpoint: str, server_keys: KeyPair, keys: KeySource, sink: Sink,
                 config: ServerConfig | None = None):
        self.endpoint = endpoint
        self.config = config or ServerConfig()
        self._server_keys = server_keys
        self._keys = keys
        self._sink = sink
        self.outbox = Outbox(self.config.retry_base_s, self.config.retry_max_s)
        self.counters: Counter[str] = Counter()
        self.bound: str | None = None
        self._ops: deque[tuple[str, Any]] = deque()
        self._lock = threading.Lock()
        self._net = LoopThread(self._main, name="field-network", what="field server")
        # network-thread state
        self._conns: dict[str, _Conn] = {}
        self._fd_device: dict[int, str] = {}
        self._live_fds: set[int] = set()
        self._silent: dict[int, float] = {}
        self._unmatched = 0  # ZAP approvals whose connection has not spoken (upper bound)
        self._approvals: deque[tuple[str, float]] = deque()  # (device, when) of those approvals
        self._strikes: dict[str, int] = {}
        self._quarantine: dict[str, float] = {}
        self._allow: dict[bytes, str] = {}
        self._revoked_ids: set[str] = set()
        self._stamp: tuple | None = None
        self._next_keys = 0.0
        self._next_presence = 0.0
        self._next_report = 0.0
        self._reported: dict[str, int] = {}
        self._floor: dict[str, int] = {}
        self._resend: deque[Slot] = deque()
        self._out: list[Inbound] = []
        self._more = False
        self._control: deque[tuple[str, bytes]] = deque()

    # ------------------------------------------------------------------ thread-safe API (start/stop: RunsLoopThread)
    def _post(self, op: str, arg: Any = None) -> None:
        with self._lock:
            self._ops.append((op, arg))
        self._wake()

    def _wake(self) -> None:
        self._net.wake()

    def enqueue(self, slots: list[tuple[str, int, Command, str]]) -> None:
        """Add ``(device, seq, command, state)`` slots (from the log) to the outbox; pending ones go out."""
        self._post("enqueue", list(slots))

    def renumber(self, device: str, moves: list[tuple[int, int]]) -> None:
        """Move suspended slots of ``device`` to new seqs (recorded in the log first) and send them."""
        self._post("renumber", (device, list(moves)))

    def set_floor(self, floors: dict[str, int]) -> None:
        """The highest seq the log ever numbered per device (closed incidents included)."""
        self._post("floor", dict(floors))

    def call(self, fn: Callable[[FieldServer], Any], timeout: float = 10.0) -> Any:
        """Run ``fn(server)`` on the network thread and return its result (tests and status queries)."""
        return call_in_thread(lambda run: self._post("call", run), lambda: fn(self), timeout, "network thread")

    def online(self) -> dict[str, bool]:
        """Device id → online, as of now (a snapshot from the network thread)."""
        return self.call(lambda s: {d: c.online for d, c in s._conns.items()})

    def stats(self) -> dict[str, Any]:
        """Counters (messages, rejections per code, spoofs, sends …) and connection figures."""
        def snap(s: FieldServer) -> dict[str, Any]:
            return {"counters": dict(s.counters), "online": sum(c.online for c in s._conns.values()),
                    "connections": len(s._live_fds), "silent": len(s._silent), "pending": s.outbox.pending_count()}
        return self.call(snap)

    # ------------------------------------------------------------------ the network thread
    def _main(self) -> None:
        ctx = zmq.Context()
        ctx.set(zmq.MAX_SOCKETS, 64)
        socks: list[zmq.Socket] = []
        try:
            try:
                zap = ctx.socket(zmq.REP)
                socks.append(zap)
                zap.linger = 0
                zap.bind(ZAP_ENDPOINT)
                router = ctx.socket(zmq.ROUTER)
                socks.append(router)
                self._configure(router)
                monitor = self._monitor(ctx, router)
                socks.append(monitor)
                router.bind(self.endpoint)
                self.bound = router.getsockopt_string(zmq.LAST_ENDPOINT)
                self._reload_keys(time.monotonic(), force=True)
            except BaseException as exc:  # handed to start()
                self._net.error = exc
                self._net.ready.set()
                return
            self._net.ready.set()
            self._loop(router, zap, monitor)
        except Exception:
            log.exception("the field network thread failed")
            raise
        finally:
            for s in socks:
                s.close(linger=0)
            ctx.term()

    @staticmethod
    def _monitor(ctx: zmq.Context, router: zmq.Socket) -> zmq.Socket:
        """The ROUTER's monitor, read without a high-water mark: a lost accept event would hide a connection
        from the send barrier."""
        addr = f"inproc://field-monitor-{id(router):x}"
        router.monitor(addr, zmq.EVENT_ACCEPTED | zmq.EVENT_DISCONNECTED | zmq.EVENT_CLOSED)
        mon = ctx.socket(zmq.PAIR)
        mon.setsockopt(zmq.RCVHWM, 0)
        mon.linger = 0
        mon.connect(addr)
        return mon

    def _configure(self, router: zmq.Socket) -> None:
        router.setsockopt(zmq.ROUTER_MANDATORY, 1)
        router.setsockopt(zmq.ROUTER_HANDOVER, 1)
        router.setsockopt(zmq.MAXMSGSIZE, protocol.MAX_EVIDENCE_FRAME + 4096)
        router.setsockopt(zmq.SNDHWM, self.config.sndhwm)
        router.setsockopt(zmq.RCVHWM, self.config.rcvhwm)
        router.setsockopt(zmq.LINGER, 0)
        # No ZMTP heartbeats (HEARTBEAT_IVL): libzmq 4.3.5 aborts (stream_engine_base.cpp:310, !_io_error)
        # when a heartbeat timer fires on a connection whose input stopped after a handover; half-open
        # connections are found by the protocol's own heartbeats instead (offline → the connection is shut).
        router.curve_server = True
        router.curve_publickey = self._server_keys.public
        router.curve_secretkey = self._server_keys.secret
        router.zap_domain = ZAP_DOMAIN

    def _loop(self, router: zmq.Socket, zap: zmq.Socket, monitor: zmq.Socket) -> None:
        poller = zmq.Poller()
        poller.register(router, zmq.POLLIN)
        poller.register(zap, zmq.POLLIN)
        poller.register(monitor, zmq.POLLIN)
        poller.register(self._net.wake_fd, zmq.POLLIN)
        self._router = router
        while not self._net.stopping:
            poller.poll(0 if self._more else self._timeout_ms())
            self._net.drain()
            self._drain_zap(zap)
            self._drain_monitor(monitor)
            self._unmatched = min(self._unmatched, len(self._silent))
            while len(self._approvals) > self._unmatched:
                self._approvals.popleft()
            self._drain_ops()
            self._drain_router(router)
            now, wall = time.monotonic(), time.time()
            self._timers(now, wall)
            self._flush(router, now, wall)
            if self._out:
                batch, self._out = self._out, []
                try:
                    self._sink(batch)
                except Exception:  # the sink's failure must not stop the network
                    log.exception("field sink failed on %d items", len(batch))

    def _timeout_ms(self) -> int:
        now = time.monotonic()
        nxt = [self._next_keys, self._next_presence]
        if self._silent:
            nxt.append(min(self._silent.values()) + self.config.silent_s())
        if self._unmatched > 0:  # sends wait for the barrier: wake for events and the silence timer only
            return max(0, min(50, int((min(nxt) - now) * 1000) + 1))
        due = self.outbox.next_due()
        if due is not None:
            nxt.append(due)
        exp = self.outbox.next_expiry()
        if exp is not None:
            nxt.append(now + (exp - time.time()))
        if self._resend or self._control:
            nxt.append(now)
        return max(0, min(1000, int((min(nxt) - now) * 1000) + 1))

    # ------------------------------------------------------------------ ZAP and connections
    def _drain_zap(self, zap: zmq.Socket) -> None:
        while True:
            try:
                req = zap.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            self._answer_zap(zap, req)

    def _answer_zap(self, zap: zmq.Socket, req: list[bytes]) -> None:
        if len(req) < 6:
            zap.send_multipart([b"1.0", b"", b"500", b"bad ZAP request", b"", b""])
            return
        version, request_id, domain, _address, _identity, mechanism = req[:6]
        creds = req[6:]
        device = None
        if version == b"1.0" and domain == ZAP_DOMAIN and mechanism == b"CURVE" and len(creds) == 1:
            device = self._allow.get(creds[0])
            if device is None and self._stamp != self._keys.stamp():  # a key added a moment ago
                self._reload_keys(time.monotonic(), force=True)
                device = self._allow.get(creds[0])
        if device is None:
            self.counters["unknown_key"] += 1
            zap.send_multipart([b"1.0", request_id, b"400", b"key not allowed", b"", b""])
            return
        now = time.monotonic()
        if self._quarantine.get(device, 0.0) > now:
            self.counters["quarantined"] += 1
            zap.send_multipart([b"1.0", request_id, b"400", b"key quarantined", b"", b""])
            return
        self._unmatched += 1
        self._approvals.append((device, now))
        self.counters["handshakes"] += 1
        zap.send_multipart([b"1.0", request_id, b"200", b"OK", device.encode("ascii"), b""])

    def _drain_monitor(self, monitor: zmq.Socket) -> None:
        now = time.monotonic()
        while True:
            try:
                ev = parse_monitor_message(monitor.recv_multipart(zmq.NOBLOCK))
            except zmq.Again:
                return
            fd = int(ev["value"])
            if ev["event"] == zmq.EVENT_ACCEPTED:
                self._forget_fd(fd)
                self._live_fds.add(fd)
                self._silent[fd] = now
            elif ev["event"] in (zmq.EVENT_DISCONNECTED, zmq.EVENT_CLOSED):
                self._forget_fd(fd)

    def _forget_fd(self, fd: int) -> None:
        self._live_fds.discard(fd)
        self._silent.pop(fd, None)
        device = self._fd_device.pop(fd, None)
        if device is not None:
            c = self._conns.get(device)
            if c is not None:
                c.fds.discard(fd)
                if c.fd == fd:
                    c.fd = None

    def _drop_fd(self, fd: int | None, why: str) -> None:
        """Shut down one connection of the ROUTER (libzmq then closes it as a peer disconnect)."""
        if fd is None or fd not in self._live_fds:
            return
        try:
            dup = os.dup(fd)
        except OSError:
            return
        try:
            s = socket.socket(fileno=dup)
        except OSError:
            os.close(dup)
            return
        try:
            s.shutdown(socket.SHUT_RDWR)
            self.counters[f"dropped_{why}"] += 1
        except OSError:
            pass
        finally:
            s.close()
        self._forget_fd(fd)

    def _spoke(self, device: str) -> None:
        """A new connection of ``device`` sent its first message: its approval is matched."""
        for i, (d, _) in enumerate(self._approvals):
            if d == device:
                del self._approvals[i]
                break
        self._strikes.pop(device, None)

    def _strike(self, accepted_at: float) -> None:
        """A connection accepted at ``accepted_at`` stayed silent: blame the key approved first after that
        moment (its handshake). From the third silent connection in a row, refuse that key for 2, 4, 8 … at
        most 60 s: a device built to the spec says ``hello`` at once (a slow one in a reconnection storm is
        forgiven twice), so only a key used to squat other devices' routing ids is slowed down."""
        for i, (device, t) in enumerate(self._approvals):
            if t >= accepted_at:
                del self._approvals[i]
                n = self._strikes[device] = self._strikes.get(device, 0) + 1
                self.counters["silent_strikes"] += 1
                if n >= SILENT_FORGIVEN + 1:
                    wait = min(60.0, 2.0 ** (n - SILENT_FORGIVEN))
                    self._quarantine[device] = time.monotonic() + wait
                    log.warning("connections with the key of %s stay silent: key refused for %.0f s", device, wait)
                return

    def _reload_keys(self, now: float, force: bool = False) -> None:
        self._next_keys = now + self.config.key_poll_s
        stamp = self._keys.stamp()
        if not force and stamp == self._stamp:
            return
        self._stamp = stamp
        try:
            allow, revoked = self._keys.allow_list(), self._keys.revoked()
        except OSError:
            log.exception("cannot read the key store")
            return
        gone = set(self._allow.values()) - set(allow.values())
        self._allow = allow
        newly = (set(revoked.values()) | gone) - set(allow.values())
        for device in sorted(newly - self._revoked_ids):
            self._revoke(device)
        self._revoked_ids = newly | (self._revoked_ids - set(allow.values()))

    def _revoke(self, device: str) -> None:
        c = self._conns.get(device)
        if c is not None:
            for fd in list(c.fds):
                self._drop_fd(fd, "revoked")
            c.fd = None
            if c.online:
                c.online = False
                self._out.append(Inbound("offline", device, time.time(), detail="revoked"))
        self.counters["revoked"] += 1
        self._out.append(Inbound("revoked", device, time.time()))

    # ------------------------------------------------------------------ inbound
    def _drain_ops(self) -> None:
        while True:
            with self._lock:
                if not self._ops:
                    return
                op, arg = self._ops.popleft()
            now = time.monotonic()
            if op == "enqueue":
                for device, seq, command, state in arg:
                    try:
                        self.outbox.add(device, seq, command, state, now=now)
                    except OutboxError:
                        log.exception("outbox refused %s seq %s", device, seq)
            elif op == "renumber":
                device, moves = arg
                for old, new in moves:
                    with contextlib.suppress(OutboxError):
                        self.outbox.move(device, old, new, now)
            elif op == "floor":
                for d, n in arg.items():
                    self._floor[d] = max(self._floor.get(d, 0), int(n))
            elif op == "call":
                arg()

    def _drain_router(self, router: zmq.Socket) -> None:
        self._more = False
        for _ in range(self.config.max_batch):
            try:
                frames = router.recv_multipart(zmq.NOBLOCK, copy=False)
            except zmq.Again:
                return
            try:
                self._on_frames(frames)
            except Exception:  # never let one frame stop the network
                self.counters["internal_error"] += 1
                log.exception("field message handling failed")
        self._more = True

    def _on_frames(self, frames: list[zmq.Frame]) -> None:
        now, wall = time.monotonic(), time.time()
        self.counters["frames"] += 1
        data = frames[-1]
        user = data.get("User-Id") or ""
        try:
            fd = int(data.get(zmq.SRCFD))
        except (zmq.ZMQError, TypeError, ValueError):
            fd = -1
        if fd in self._silent:
            del self._silent[fd]
            self._unmatched = max(0, self._unmatched - 1)
            self._spoke(user)
        elif fd >= 0 and fd not in self._live_fds:
            self._live_fds.add(fd)  # its accept event was not read yet
        rid = frames[0].bytes
        if not user or user in self._revoked_ids:
            self._reject("revoked", user or "?")
            self._drop_fd(fd, "revoked")
            return
        if rid != user.encode("ascii"):
            self._spoof(rid, user, fd)
            return
        c = self._conns.get(user)
        if c is None:
            c = self._conns[user] = _Conn()
        if c.fd != fd:
            if c.fd is not None:
                self._drop_fd(c.fd, "replaced")  # the half-open connection a reconnect left behind
            c.fd = fd
            c.fds.add(fd)
            self._fd_device[fd] = user
            with contextlib.suppress(zmq.ZMQError):
                c.address = data.get("Peer-Address")
        c.last_seen = now
        if len(frames) != 2:
            self._reject("frames", user, c, now)
            return
        try:
            msg = protocol.decode_device(data.bytes)
        except ProtocolError as exc:
            self._reject(exc.code, user, c, now, exc)
            return
        if msg.device != user:
            self.counters["spoofed"] += 1
            self._reject("spoofed", user, c, now, ProtocolError("spoofed", f"device {msg.device!r} is not {user}"))
            return
        self.counters["accepted"] += 1
        self.counters[f"type_{msg.type}"] += 1
        if not c.online:
            c.online = True
            self._out.append(Inbound("online", user, wall, detail=c.address,
                                     message=msg if msg.type == "hello" else None))
        t = msg.type
        if t in ("hello", "heartbeat"):
            self._on_hello(user, msg, now, wall, fresh=t == "hello")
        elif t == "ack":
            self._on_ack(user, msg, wall)
        else:
            if t == "position" and self.config.position_min_interval_s > 0:
                if now - c.last_position < self.config.position_min_interval_s:
                    self._reject("rate", user)
                    return
                c.last_position = now
            self._out.append(Inbound("message", user, wall, message=msg))

    def _spoof(self, rid: bytes, user: str, fd: int) -> None:
        """A connection whose routing id is not its key's device: the id now points at the impostor."""
        self.counters["spoofed"] += 1
        claimed = rid.decode("utf-8", "replace")
        log.warning("spoof: a connection with the key of %s claims routing id %r", user, claimed[:64])
        victim = self._conns.get(claimed)
        if victim is not None and victim.fd is not None:
            self._drop_fd(victim.fd, "stale")
            victim.fd = None
        self._drop_fd(fd, "spoof")

    def _reject(self, code: str, device: str, c: _Conn | None = None, now: float = 0.0,
                exc: ProtocolError | None = None) -> None:
        self.counters["rejected"] += 1
        self.counters[f"rejected_{code}"] += 1
        if c is not None and exc is not None and now - c.last_error >= 1.0 and c.fd is not None:
            c.last_error = now
            self._control.append((device, protocol.error(device, code, exc.detail)))

    def _on_hello(self, device: str, msg: Message, now: float, wall: float, fresh: bool) -> None:
        last_seq = int(msg.body["last_seq"])
        if fresh:
            self._control.append((device, protocol.welcome(device, self.config.heartbeat_s)))
        known = max(self._floor.get(device, 0), self.outbox.max_seq(device))
        if last_seq > known:
            suspended = self.outbox.suspend_through(device, last_seq)
            self._floor[device] = last_seq
            self._out.append(Inbound("seq_ahead", device, wall, value=last_seq,
                                     detail=",".join(str(s.seq) for s in suspended)))
        in_flight = 0.0 if fresh else self.config.in_flight_s
        for s in self.outbox.resend_from(device, last_seq, now, wall, skip_sent_within=in_flight):
            self._resend.append(s)

    def _on_ack(self, device: str, msg: Message, wall: float) -> None:
        b = msg.body
        try:
            slot, new = self.outbox.ack(device, b["seq"], b["command_id"], b["state"])
        except OutboxError as exc:
            self._reject("unknown_command", device)
            log.debug("ack refused: %s", exc)
            return
        if new is not None:
            self._out.append(Inbound("ack", device, wall, message=msg, command_id=slot.command.command_id,
                                     incident=slot.command.incident, seq=slot.seq, state=new,
                                     detail=b.get("reason")))

    # ------------------------------------------------------------------ timers and sends
    def _timers(self, now: float, wall: float) -> None:
        if now >= self._next_keys:
            self._reload_keys(now)
        for s in self.outbox.expire(wall):
            self._out.append(Inbound("expired", s.device, wall, command_id=s.command.command_id,
                                     incident=s.command.incident, seq=s.seq, state="expired"))
        limit = self.config.silent_s()
        for fd, since in list(self._silent.items()):
            if now - since > limit:
                self._drop_fd(fd, "silent")
                self._strike(since)
        if now >= self._next_report:
            self._next_report = now + REPORT_S
            rejected = {k[9:]: v for k, v in self.counters.items() if k.startswith("rejected_")}
            new = {k: v - self._reported.get(k, 0) for k, v in rejected.items() if v != self._reported.get(k, 0)}
            if new:
                log.warning("field frames refused in the last %.0f s, by code: %s", REPORT_S,
                            ", ".join(f"{k} {v}" for k, v in sorted(new.items())))
                self._reported = rejected
        if now >= self._next_presence:
            self._next_presence = now + min(0.5, self.config.heartbeat_s / 4)
            horizon = self.config.online_factor * self.config.heartbeat_s
            for device, c in self._conns.items():
                if c.online and c.last_seen is not None and now - c.last_seen > horizon:
                    c.online = False
                    self._out.append(Inbound("offline", device, wall, detail="silent",
                                             value=int(now - c.last_seen)))
                    self._drop_fd(c.fd, "offline")  # a half-open connection: let the device reconnect

    def _reachable(self, device: str) -> bool:
        c = self._conns.get(device)
        return c is not None and c.fd is not None and device not in self._revoked_ids

    def _flush(self, router: zmq.Socket, now: float, wall: float) -> None:
        if self._unmatched > 0:
            self.counters["barrier_waits"] += 1
            return  # a connection that has not spoken may hold any routing id: send nothing yet
        while self._control:
            device, frame = self._control.popleft()
            if self._reachable(device):
                self._send(device, frame)
        while self._resend:
            s = self._resend.popleft()
            if self._reachable(s.device) and self._send_slot(s, wall):
                self.outbox.sent(s, now)
                self.counters["resent"] += 1
        for s in self.outbox.due(now, wall):
            if self._reachable(s.device) and self._send_slot(s, wall):
                self.outbox.sent(s, now)
            else:
                self.outbox.skipped(s, now)

    def _send_slot(self, s: Slot, wall: float) -> bool:
        frame = protocol.encode("command", s.device, {"seq": s.seq, "command_id": s.command.command_id,
                                                       **s.command.wire_fields(s.device)})
        return self._send(s.device, frame)

    def _send(self, device: str, frame: bytes) -> bool:
        try:
            self._router.send_multipart([device.encode("ascii"), frame], zmq.NOBLOCK)
        except zmq.Again:
            self.counters["send_full"] += 1
            return False
        except zmq.ZMQError as exc:
            if exc.errno != zmq.EHOSTUNREACH:
                raise
            self.counters["send_unreachable"] += 1
            c = self._conns.get(device)
            if c is not None and c.fd is not None:
                self._drop_fd(c.fd, "unreachable")  # its routing id left it: a handed-over zombie
                c.fd = None
            return False
        self.counters["sent"] += 1
        return True
