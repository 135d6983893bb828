"""The live mode of a drill: the simulated people carry simulated field devices, and the incident hears of them
only through the field server.

:class:`LiveDrill` is the offline :class:`simulation.drill.Drill` — the same release, detectors, duty
officer, responders and crowd on SimPy's clock — with everything a field device would say sent by a device
over ZeroMQ instead of being written to the incident:

* **positions** of people on their way → ``position`` (WGS 84) from their phone;
* **detector readings** → ``reading`` from the gas-detector gateway; the field service's ingest raises
  ``sensor.alarm`` / ``alarm.raised`` from them (the model records no alarm of its own), and the duty
  officer reacts to the alarm or the plan proposal *in the log*;
* **arrivals at an assembly point** → ``checkin`` from the person's phone (``person.mustered``);
* **acknowledgements**: a person acts on an order only once their phone has *received* the command (a
  task command, an evacuation order), then acknowledges it after the modelled delay (``ack`` ``received``)
  and reports it carried out (``ack`` ``done``: a task done, the assembly point reached). The field
  service turns those into ``command.acknowledged`` / ``task.acknowledged`` / ``task.done``;
* an **SOS** (``sos``) from anyone ordered out who has no way to an assembly point (the evacuation plan's
  ``unroutable``): trapped, they call for help.

What only the command center knows still goes through the incident runtime (the launch by the duty
officer, the evacuation plan and order, hazard assessments, radio reports of a task started, resources
taken, the exposure assessment and the close).

Time: a ``simpy.rt.RealtimeEnvironment`` runs the model ``speed`` times faster than the wall clock; the
incident and the field service share a drill clock running at the same speed
(:class:`commandcenter.runtime.clock.DrillClock`), so drill second ``s`` is incident time ``origin + s`` and
the log reads in drill time. (:func:`drill_time_events` re-times logs of live drills recorded before that,
on compressed wall time.)

:class:`FieldLink` is the field-comms device simulator (:class:`comms.simulator.Simulator`: real DEALER
sockets, CurveZMQ keys, ``hello``/``heartbeat``, per-device sequence numbers applied once) with what a
device does with a command taken over by the model: a command is applied in sequence and handed to the
model instead of being carried out by the device itself.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import queue
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import simpy

from comms.keys import KeyPair
from comms.protocol import Message
from comms.simulator import DeviceProfile, SimConfig, Simulator
from simulation.drill import Drill
from simulation.response import ResponseParams, lognormal
from vocabulary.events import Draft, parse_time

#: device id of the drill's outsider: allow-listed, connected, never enrolled — no command may reach it
OUTSIDER_ID = "SIM-OUTSIDER"
#: device id of the simulated gas-detector gateway that reports every detector of the plant
DETECTOR_ID = "SIM-GD"


def device_ids(people: Iterable[str]) -> dict[str, str]:
    """Person id → the id of their simulated phone (``SIM-00001`` …: person ids may hold characters a device
    id may not)."""
    return {str(p): f"SIM-{i:05d}" for i, p in enumerate(people, start=1)}


class FieldLink(Simulator):
    """The comms device simulator with the model carrying out the commands (see the module docstring).

    Runs on the simulator's own thread: :meth:`_on_command` applies ``seq = last_seq + 1`` once and queues it
    in :attr:`commands`; a resent seq already applied is answered again with what the model last answered
    (nothing while the person has not acknowledged: the center keeps retrying, as the spec wants). Any thread
    calls :meth:`report` and :meth:`answer`."""

    def __init__(self, profiles: list[DeviceProfile], keys: dict[str, KeyPair], config: SimConfig):
        super().__init__(profiles, keys, config)
        self.commands: queue.SimpleQueue[tuple[str, Message]] = queue.SimpleQueue()
        self._answers: dict[tuple[str, int], dict[str, Any]] = {}
        self.reported: collections.Counter[str] = collections.Counter()

    def _on_command(self, d: Any, msg: Message) -> None:
        self._in_order(d, msg, self._take, self._again)

    def _again(self, d: Any, msg: Message) -> None:
        with self._lock:
            ans = self._answers.get((d.p.device_id, int(msg.body["seq"])))
        if ans is not None:
            self._send(d, "ack", dict(ans))

    def _take(self, d: Any, msg: Message) -> None:
        self._record_applied(d, msg)
        self.counters["applied"] += 1
        self.commands.put((d.p.device_id, msg))

    def report(self, device_id: str, msg_type: str, fields: dict[str, Any]) -> None:
        """Send one device → center message (``shared/spec/field-protocol.md``) from ``device_id``."""
        with self._lock:
            self.reported[msg_type] += 1
        self.send(device_id, msg_type, fields)

    def answer(self, device_id: str, seq: int, command_id: str, state: str) -> None:
        """Acknowledge command ``seq`` of ``device_id`` (``received`` | ``done``); kept to answer a resend. A
        ``done`` is never taken back."""
        fields = {"seq": int(seq), "command_id": command_id, "state": state}
        with self._lock:
            prev = self._answers.get((device_id, int(seq)))
            if prev is not None and prev["state"] == "done":
                return
            self._answers[(device_id, int(seq))] = fields
        self.report(device_id, "ack", fields)

    def reports(self) -> dict[str, int]:
        """Messages the model had the devices send, by type (counted when asked, before they go out)."""
        with self._lock:
            return dict(self.reported)

    def commands_received(self) -> dict[str, int]:
        """Device → how many command frames it received (resends included)."""
        with self._lock:
            return {d: sum(1 for m in v.received if m.type == "command") for d, v in self.devs.items()}


class LivePort:
    """The incident runtime as a drill's :class:`simulation.drill.IncidentPort`, for a runtime that another
    thread (the field service) also writes to and ticks.

    Every write runs through ``call(fn)`` (the field service's :meth:`call`: on its thread, so the drill's
    writes and the service's ticks never interleave), and a draft the plans engine's clock has already passed
    (the model runs a little behind the wall clock) is stamped at the engine's time. What the runtime
    announces is queued on whatever thread announced it and handed to the drill's subscribers only on the
    drill's thread (:meth:`pump`)."""

    def __init__(self, runtime: Any = None, call: Callable[[Callable[[], Any]], Any] | None = None):
        self._q: collections.deque[list[Any]] = collections.deque()
        self._fns: list[Callable[[list[Any]], None]] = []
        self.rt: Any = None
        self._unsub: Callable[[], None] = lambda: None
        if runtime is not None:
            self.bind(runtime, call)

    def bind(self, runtime: Any, call: Callable[[Callable[[], Any]], Any] | None = None) -> None:
        """Attach the incident's runtime (a drill is built before its incident is opened, so that building the
        model does not eat into the drill's clock)."""
        self.rt = runtime
        self._call = call or (lambda fn: fn())
        self._unsub = runtime.subscribe(self._q.append)

    def submit(self, drafts: Draft | Iterable[Draft]) -> list[Any]:
        """Record drafts (see :meth:`commandcenter.runtime.IncidentRuntime.submit`)."""
        batch = [drafts] if isinstance(drafts, Draft) else list(drafts)

        def go() -> list[Any]:
            floor = getattr(getattr(self.rt.plans, "engine", None), "now", None)
            return self.rt.submit([d if floor is None or d.time >= floor else Draft(d.type, floor, d.payload)
                                   for d in batch])
        return self._call(go)

    def launch(self, plan_id: str, level: str, **kw: Any) -> list[Any]:
        """Launch a plan through the plans engine."""
        return self._call(lambda: self.rt.launch(plan_id, level, **kw))

    def change_level(self, level: str, **kw: Any) -> list[Any]:
        """Raise the running plan's level."""
        return self._call(lambda: self.rt.change_level(level, **kw))

    def tick(self) -> list[Any]:
        """Record the deadlines due up to now."""
        return self._call(self.rt.tick)

    def now(self) -> dt.datetime:
        """The incident's clock (the wall clock)."""
        return self.rt.now()

    def subscribe(self, fn: Callable[[list[Any]], None]) -> Callable[[], None]:
        """Have ``fn`` called (on the drill's thread, from :meth:`pump`) with each batch of new events."""
        self._fns.append(fn)
        return lambda: self._fns.remove(fn) if fn in self._fns else None

    def pump(self) -> bool:
        """Hand the queued batches to the subscribers; True when there were any."""
        any_ = False
        while self._q:
            batch = self._q.popleft()
            any_ = True
            for fn in list(self._fns):
                fn(batch)
        return any_

    def close(self) -> None:
        """Stop listening to the runtime."""
        self._unsub()


#: payload fields holding a time on the incident's clock (the plans engine's task times)
TIME_FIELDS = ("created", "deadline", "respond_by")


def drill_time_events(events: list[Any], speed: float) -> list[Draft]:
    """The events of a live drill as drafts on the drill's clock: drill second 0 is the ``drill.scenario``
    event (the release starts then); each later time ``t`` — the event's and those of its
    :data:`TIME_FIELDS` — becomes ``t0 + (t − t0) × speed``, and what was recorded before it (the opening,
    the devices' enrolment) is stamped ``t0``. So a drill played at ``speed`` × gives its figures
    (:func:`simulation.metrics.drill_metrics`) in drill seconds."""
    if not events:
        return []
    t0 = next((e.time for e in events if e.type == "drill.scenario"), events[0].time)
    k = float(speed)

    def at(t: dt.datetime) -> dt.datetime:
        return t0 + max(t - t0, dt.timedelta(0)) * k

    out = []
    for e in events:
        p = dict(e.payload)
        for f in TIME_FIELDS:
            if isinstance(p.get(f), str):
                with contextlib.suppress(ValueError):
                    p[f] = at(parse_time(p[f])).isoformat()
        out.append(Draft(e.type, at(e.time), p))
    return out


class LiveDrill(Drill):
    """A drill whose people carry field devices (see the module docstring).

    ``env`` is a ``simpy.rt.RealtimeEnvironment`` with ``factor = 1 / speed`` whose time 0 is the incident
    time ``origin`` on the drill clock (when not known yet, set :attr:`wall0` and call ``env.sync()`` just
    before :meth:`run`);
    ``port`` a :class:`LivePort`; ``link`` the running :class:`FieldLink`; ``devices`` person → phone id for
    everyone on site who carries one; ``detector`` the gateway reporting the gas detectors."""

    def __init__(self, env: simpy.Environment, port: LivePort, plant: Any, scenario: Any, plans: dict[str, Any], *,
                 link: FieldLink, devices: dict[str, str], origin: dt.datetime | None, speed: float,
                 detector: str | None = DETECTOR_ID, params: ResponseParams | None = None,
                 population: Any = None, poll_wall_s: float = 0.02):
        super().__init__(env, port, plant, scenario, plans, params=params, population=population)
        self.link = link
        self.devices = dict(devices)
        self.person_of = {d: p for p, d in self.devices.items()}
        self.detector = detector
        self.wall0 = origin
        self.speed = float(speed)
        self.poll_s = poll_wall_s * self.speed
        self.rng["device"] = np.random.default_rng([int(scenario.seed), 10])
        from pyproj import Transformer

        self._to_wgs = Transformer.from_crs(plant.crs, "EPSG:4326", always_xy=True)
        self.task_cmd: dict[tuple[str, str], tuple[int, str]] = {}
        self.task_waits: dict[tuple[str, str], simpy.Event] = {}
        self.evac_cmd: dict[str, tuple[int, str]] = {}
        self.acked: set[tuple[str, int]] = set()
        self.arrived: dict[str, str] = {}
        self.mustered_model: dict[str, float] = {}
        self.orders: list[Draft] = []
        self.closing: list[Draft] = []
        self.unanswerable = 0
        self._arrivals = self.mover.new_arrivals
        self.mover.new_arrivals = self._arrivals_by_device  # type: ignore[method-assign]

    # ------------------------------------------------------------------ the clock
    def time(self, t_s: float | None = None) -> dt.datetime:
        """The incident (drill clock) time of drill second ``t_s`` (default: now)."""
        return self.wall0 + dt.timedelta(seconds=float(self.env.now if t_s is None else t_s))

    def seconds(self, t: dt.datetime | str) -> float:
        """Drill seconds of an incident time."""
        tt = parse_time(t) if isinstance(t, str) else t
        return (tt - self.wall0).total_seconds()

    # ------------------------------------------------------------------ what goes where
    def emit(self, event_type: str, payload: dict[str, Any], t_s: float | None = None) -> None:
        """Field-device facts go out through the devices; the rest to the incident (the close waits for the
        devices' last words: :attr:`closing`)."""
        if self.closed:
            return
        if event_type in ("position.reported", "sensor.alarm"):
            return  # positions come from the phones (:meth:`_positions`); alarms from the gateway's readings
        if event_type == "task.acknowledged":
            self._answer_task(payload, "received")
        elif event_type == "task.done":
            self._answer_task(payload, "done")
        elif event_type == "incident.closed":
            self.closing.append(Draft(event_type, self.time(t_s), payload))
        else:
            super().emit(event_type, payload, t_s)

    def _sos(self, pid: str, text: str) -> None:
        dev, row = self.devices.get(pid), self.row.get(pid)
        if dev is None or row is None:
            return
        xy = self.movement.positions([row], self.env.now)[0]
        lon, lat = self._to_wgs.transform(float(xy[0]), float(xy[1]))
        self.link.report(dev, "sos", {"person_id": pid, "lon": round(float(lon), 7), "lat": round(float(lat), 7),
                                      "text": text})

    def _answer_task(self, payload: dict[str, Any], state: str) -> None:
        pid, tid = str(payload["person_id"]), str(payload["task_id"])
        dev = self.devices.get(pid)
        cmd = self.task_cmd.get((dev, tid)) if dev else None
        if cmd is None:
            self.unanswerable += 1
            return
        self.link.answer(dev, cmd[0], cmd[1], state)

    def _arrivals_by_device(self) -> list[Any]:
        """Assembly-point arrivals are check-ins from the person's phone (and the evacuation order ``done``);
        none is written to the incident directly."""
        for a in self._arrivals():
            pid = str(self.people.ids[a.row])
            ap = str(self.site.aps.ids[a.ap])
            dev = self.devices.get(pid)
            if dev is None or pid in self.arrived:
                continue  # no simulated phone (a real one speaks for them, or none)
            self.mustered_model.setdefault(pid, float(a.t))
            self.arrived[pid] = ap
            self.link.report(dev, "checkin", {"person_id": pid, "assembly_point_id": ap})
            cmd = self.evac_cmd.get(pid)
            if cmd is not None and (dev, cmd[0]) in self.acked:
                self.link.answer(dev, cmd[0], cmd[1], "done")
        return []

    # ------------------------------------------------------------------ the log and the devices
    def _dispatch(self) -> bool:
        self.port.pump()
        if not self.first_alert.triggered and any(e.type == "alarm.raised" for e in self.inbox):
            self.first_alert.succeed(self.env.now)
        self._take_commands()
        return super()._dispatch()

    def _take_commands(self) -> None:
        """Commands the phones received since the last look: a task wakes its responder; an evacuation order
        is acknowledged after the person's delay; anything else is acknowledged and done."""
        while True:
            try:
                dev, msg = self.link.commands.get_nowait()
            except queue.Empty:
                return
            b = msg.body
            seq, cid, kind = int(b["seq"]), str(b["command_id"]), str(b["kind"])
            if kind == "task" and b.get("task_id"):
                key = (dev, str(b["task_id"]))
                self.task_cmd[key] = (seq, cid)
                ev = self.task_waits.pop(key, None)
                if ev is not None and not ev.triggered:
                    ev.succeed()
                continue
            pid = self.person_of.get(dev)
            if kind == "evacuate" and pid is not None:
                self.evac_cmd[pid] = (seq, cid)
            self.env.process(self._acknowledge(dev, seq, cid, done=kind != "evacuate"))

    def _acknowledge(self, dev: str, seq: int, cid: str, done: bool):  # type: ignore[no-untyped-def]
        yield self.env.timeout(lognormal(self.rng["device"], self.params.ack_delay))
        self.link.answer(dev, seq, cid, "received")
        self.acked.add((dev, seq))
        pid = self.person_of.get(dev)
        if done or (pid is not None and pid in self.arrived):
            self.link.answer(dev, seq, cid, "done")

    def _responder(self, tid: str, pid: str, p: dict[str, Any]):  # type: ignore[no-untyped-def]
        """A responder starts when their phone has the task command (nobody without one hears of it)."""
        dev = self.devices.get(pid)
        if dev is None:
            return
        if (dev, tid) not in self.task_cmd:
            ev = self.task_waits.setdefault((dev, tid), self.env.event())
            yield ev
        if self.assignee.get(tid) != pid:
            return
        yield from super()._responder(tid, pid, p)

    def _evacuate(self, evacuation: dict[str, Any]) -> None:
        """The evacuation plan as offline, then the order that sends it to the phones (submitted after the
        plan, so the order carries each person's assembly point)."""
        n = self.evac_id
        super()._evacuate(evacuation)
        if self.evac_id == n:
            return
        plan = next(d for d in reversed(self.outbox) if d.type == "evacuation.planned")
        people = [str(r["person_id"]) for r in plan.payload["people"]]
        for r in plan.payload.get("unroutable") or []:
            self._sos(str(r["person_id"]), f"no way out: {r.get('reason') or 'no route'}")
        if people:
            self.orders.append(Draft("evacuation.ordered", self.time(), {
                "order_id": f"ORD-{self.evac_id}", "people": people, "by": self._officer_id(),
                **({"level": self.level} if self.level else {}),
                **({"scope": str(evacuation["scope"])} if evacuation.get("scope") else {})}))

    def flush(self) -> None:
        """Submit as offline, then the evacuation orders in a submit of their own."""
        super().flush()
        if self.orders and not self.closed:
            orders, self.orders = self.orders, []
            self.port.submit(orders)
            self.drafts += len(orders)
            self.submits += 1
            super().flush()

    # ------------------------------------------------------------------ processes
    def _detectors(self):  # type: ignore[no-untyped-def]
        """The gateway reports the detectors that read at least a tenth of their warn level (and each once
        more as it falls below), every ``sensor_period_s``; the engine's trigger times are ticked."""
        s = self.sensors
        if not s["ids"] or self.detector is None:
            return
        while True:
            ok = np.isfinite(s["per_ppm"])
            value = np.where(ok, self.field.ppm(s["x"], s["y"], self.env.now) * np.nan_to_num(s["per_ppm"]), 0.0)
            warn = np.where(np.isfinite(s["warn"]), s["warn"], s["alarm"])
            for k in np.flatnonzero(ok & ((value >= 0.1 * warn) | s["reporting"])).tolist():
                self.link.report(self.detector, "reading", {
                    "sensor_id": s["ids"][k], "value": round(float(value[k]), 3), "unit": str(s["unit"][k])})
            for thr, dur, unit in self.triggers:
                crossed = ok & (s["unit"] == unit) & (value >= thr) & (s["last"] < thr)
                if crossed.any():
                    self._tick_at(self.env.now + dur + 1e-6)
            s["reporting"] = ok & (value >= 0.1 * warn)
            s["last"] = value
            yield self.env.timeout(self.params.sensor_period_s)

    def _positions(self):  # type: ignore[no-untyped-def]
        """Every ``position_period_s``, each person on their way who moved at least ``position_min_move_m``
        since their last report sends a ``position`` from their phone (one projection for all of them)."""
        m = self.movement
        last = np.column_stack([self.people.x, self.people.y])
        phone = np.array([str(p) in self.devices for p in self.people.ids], dtype=bool)
        while True:
            yield self.env.timeout(self.params.position_period_s)
            rows = np.array([i for i in m.moving() if phone[i]], dtype=np.int64)
            if not len(rows):
                continue
            xy = m.positions(rows.tolist(), self.env.now)
            moved = np.hypot(*(xy - last[rows]).T) >= self.params.position_min_move_m
            rows, xy = rows[moved], xy[moved]
            lon, lat = self._to_wgs.transform(xy[:, 0], xy[:, 1])
            for i, lo, la in zip(rows.tolist(), np.round(lon, 7).tolist(), np.round(lat, 7).tolist(), strict=True):
                pid = str(self.people.ids[i])
                self.link.report(self.devices[pid], "position", {"lon": lo, "lat": la, "accuracy_m": 5.0,
                                                                 "person_id": pid})
            last[rows] = xy

    def _pump(self):  # type: ignore[no-untyped-def]
        """Every ``poll_wall_s`` of wall time: take what the phones received and what the log recorded."""
        while True:
            yield self.env.timeout(self.poll_s)
            if self.port.pump() or not self.link.commands.empty():
                self.flush()

    def run(self):  # type: ignore[no-untyped-def]
        """Run the drill to its end (the close is left in :attr:`closing` for after the devices' last words)."""
        self.env.process(self._pump())
        return super().run()
