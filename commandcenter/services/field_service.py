"""Field comms joined to the incident runtime: the outbox is the log.

:class:`FieldService` serves every open incident of one log over one :class:`comms.server.FieldServer`:

* **Commands are events before they are sent.** A ``command.sent`` (written by this process, the window or
  ``commandcenter command send``) names its devices; the service numbers it per device and records
  ``command.queued`` (``seqs``: device → seq) *before* the first send, then hands the slots to the network
  thread. Per-device numbers are unique across the whole log (every incident), so a device's sequence
  never restarts. A server started later, or restarted after ``kill -9``, reads the log: every command
  still pending on a device is resent, none is numbered twice, none is lost.
* **What devices say becomes events in batches**: the network thread hands over everything drained in one
  wake-up; the service turns it into drafts (``commandcenter.services.field.ingest``) and makes one
  ``runtime.submit`` per incident per batch — one commit, not one per message.
* **Plan orders go out by themselves**: tasks to their assignees' devices, equipment actions to the
  controller gateway, evacuation orders with each person's route and assembly point
  (``commandcenter.services.field.orders``).
* **Other writers are followed** (``runtime.follow()`` every ``follow_s``), new incidents picked up and
  closed ones retired (their pending commands recorded ``expired``) every ``scan_s``; deadlines are ticked.
* **Two clocks.** What the service records is stamped on the incident's clock: the wall clock by default, or
  the ``clock`` given (a live drill's :class:`commandcenter.runtime.clock.DrillClock`, so the log of a drill
  played at 60× reads in drill time, with the plans' real durations). The network stays on the wall clock:
  retries, backoff, heartbeats and presence are the server's own timers, and a command's ``expires`` goes on
  the wire as the wall time at which the incident's clock reaches it. A device's data is stamped when the
  center received it (see :mod:`commandcenter.services.field.ingest`; the frame's ``ts`` is not used).

One worker thread does all of this (the runtime's subscribers only queue events to it, never submit from
inside a notification); the network thread never touches the store.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commandcenter.services.dispatch import ExerciseLeak, field_command
from commandcenter.services.field import views
from commandcenter.services.field.addressing import AddressError, recipients, resolve
from commandcenter.services.field.geo import PlantGeo
from commandcenter.services.field.ingest import IncidentView, Ingest
from commandcenter.services.field.orders import command_draft, plan_orders
from comms.keys import KeyStore
from comms.loop_thread import call_in_thread
from comms.server import FieldServer, Inbound, ServerConfig
from vocabulary.events import UTC, Draft, from_us

if TYPE_CHECKING:
    from commandcenter.runtime.clock import Clock

log = logging.getLogger(__name__)
_PLAN_INPUTS = frozenset({"task.assigned", "evacuation.ordered", "evacuation.planned", "resource.dispatched"})
_OUTCOMES = {"command.acknowledged": "acked", "command.done": "done", "command.failed": "failed",
             "command.expired": "expired"}


@dataclass
class FieldConfig:
    """The service's timing (seconds) and choices; ``server`` is the network thread's."""

    server: ServerConfig = field(default_factory=ServerConfig)
    follow_s: float = 0.25
    scan_s: float = 1.0
    tick_s: float = 1.0
    stale_s: float = views.STALE_S
    #: an alarm-level reading from a device of no open incident opens a real incident
    auto_open: bool = True
    #: allow-listed devices are enrolled in every real incident the service serves
    enroll_real: bool = True
    evidence_dir: Path | None = None


def evidence_dir_for(db: str) -> Path:
    """Where evidence of log ``db`` is kept: beside a SQLite file (``LOG.evidence/``), else in the user's data
    directory (``…/commandcenter/evidence``)."""
    if "://" not in str(db):
        p = Path(db)
        return p.with_name(p.name + ".evidence")
    from platformdirs import user_data_dir

    return Path(user_data_dir("commandcenter")) / "evidence"


def seq_floors(store: Any) -> dict[str, int]:
    """Device → the highest seq any incident of the log numbered for it, or that it reported having applied
    (``command.queued`` seqs; ``device.online`` ``last_seq``)."""
    from sqlalchemy import select

    from commandcenter.store.schema import events

    floors: dict[str, int] = {}
    q = select(events.c.type, events.c.payload).where(events.c.type.in_(("command.queued", "device.online")))
    with store.engine.connect() as conn:
        for etype, text in conn.execute(q):
            p = json.loads(text)
            pairs = p.get("seqs", {}).items() if etype == "command.queued" else [(p.get("device_id"),
                                                                                  p.get("last_seq"))]
            for dev, seq in pairs:
                if isinstance(dev, str) and isinstance(seq, int) and not isinstance(seq, bool):
                    floors[dev] = max(floors.get(dev, 0), seq)
    return floors


def _drill_equipment(e: Any) -> list[str]:
    """Equipment a drill enrols (``drill.scenario`` ``params.equipment``, or ``incident.opened``
    ``drill.equipment``): the only equipment an exercise's ``actuate`` may move."""
    src = (e.payload.get("params") if e.type == "drill.scenario" else e.payload.get("drill")) or {}
    items = src.get("equipment") if isinstance(src, dict) else None
    return [str(x) for x in items] if isinstance(items, list) else []


class _Served:
    """One open incident served: its runtime, ingest view, and the command payloads recorded in it."""

    def __init__(self, runtime: Any):
        self.rt = runtime
        self.view = IncidentView(runtime.incident_id, runtime, bool(runtime.exercise),
                                 bool(getattr(runtime.clock, "live", False)))
        self.payloads: dict[str, tuple[dict[str, Any], dt.datetime]] = {}
        self.equipment: list[str] = []  # equipment enrolled in the drill (an exercise's actuate may move it)
        self.seen = runtime.seq  # the last event the service has reacted to
        self.unsub = None

    @property
    def id(self) -> str:
        return self.rt.incident_id


class FieldService:
    """Serve every open incident of ``store`` to the field devices of ``keys`` on ``endpoint``.

    ``clock`` is the clock of the incidents the service opens from the log (default: the runtime's choice —
    a running live drill's clock rebuilt from its ``drill.scenario``, else the wall clock); give
    a live drill's :class:`commandcenter.runtime.clock.DrillClock` with ``incidents=[its incident]``. An
    incident the service opens itself for an alarm (``auto_open``) is a real one, always on the wall clock."""

    def __init__(self, store: Any, keys: KeyStore, endpoint: str, *, plant: Any = None,
                 plans_dir: str | Path | None = None, config: FieldConfig | None = None,
                 incidents: list[str] | None = None, evidence_dir: Path | None = None, clock: Clock | None = None):
        self.store = store
        self.clock = clock
        self.keys = keys
        self.plant = plant
        self.plans_dir = plans_dir
        self.config = config or FieldConfig()
        self.only = None if incidents is None else set(incidents)
        self.geo = PlantGeo(plant) if plant is not None else None
        url = str(store.engine.url)
        db = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
        self.ingest = Ingest(self.geo, evidence_dir or self.config.evidence_dir or evidence_dir_for(db))
        self.counters: Counter[str] = Counter()
        self.server = FieldServer(endpoint, keys.server_keys(), keys, self._from_network, self.config.server)
        self._q: queue.SimpleQueue = queue.SimpleQueue()
        self._served: dict[str, _Served] = {}
        self._lock = threading.RLock()
        self._next: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._retired: set[str] = set()

    # ------------------------------------------------------------------ life
    def start(self, timeout: float = 60.0) -> FieldService:
        """Bind the server, load the open incidents from the log and start serving."""
        if self._thread is not None:
            raise RuntimeError("this field service was started already")
        self.server.start()
        self._thread = threading.Thread(target=self._main, name="field-service", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the field service did not start")
        if self._error is not None:
            self.stop()
            raise self._error
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Stop serving (what was recorded stays; pending commands are resent by the next server)."""
        self._stop.set()
        self._q.put(("wake", None))
        if self._thread is not None:
            self._thread.join(timeout)
        self.server.stop()
        with self._lock:
            for s in self._served.values():
                if s.unsub:
                    s.unsub()

    def __enter__(self) -> FieldService:
        return self if self._thread is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def endpoint(self) -> str | None:
        """Where the ROUTER is bound (``tcp://host:port``)."""
        return self.server.bound

    # ------------------------------------------------------------------ API (any thread)
    def call(self, fn: Any, timeout: float = 30.0) -> Any:
        """Run ``fn(self)`` on the service thread and return its result."""
        return call_in_thread(lambda run: self._q.put(("call", run)), lambda: fn(self), timeout, "field service")

    def runtime(self, incident_id: str) -> Any:
        """The runtime the service holds for an open incident (KeyError if not served)."""
        return self._served[incident_id].rt

    def incidents(self) -> list[str]:
        """The incidents being served."""
        with self._lock:
            return sorted(self._served)

    def send_command(self, incident_id: str, to: str, kind: str, *, text_zh: str | None = None,
                     text_en: str | None = None, by: str | None = None, params: dict[str, Any] | None = None,
                     task_id: str | None = None, expires_s: float | None = None) -> dict[str, Any]:
        """Issue a command (recorded, then numbered and sent): ``{"command_id", "devices"}``. Raises
        :class:`AddressError` or :class:`commandcenter.services.dispatch.ExerciseLeak` (nothing recorded)."""
        def issue(svc: FieldService) -> dict[str, Any]:
            s = svc._served[incident_id]
            devices = resolve(to, s.rt.state, s.view.exercise, svc.geo)
            d = command_draft(incident_id, s.view.exercise, s.rt.state, s.rt.now(), kind=kind, devices=devices,
                              to=to, text_zh=text_zh, text_en=text_en, by=by, task_id=task_id, params=params,
                              expires_s=expires_s, geo=svc.geo)
            svc._submit(s, [d])
            return {"command_id": d.payload["command_id"], "devices": d.payload["devices"]}
        return self.call(issue)

    def commands(self, incident_id: str, command_id: str | None = None) -> list[dict[str, Any]]:
        """``[{"command_id", "kind", "devices": {device: acked|done|pending|failed|expired}}]``."""
        return self.call(lambda svc: views.command_rows(svc._served[incident_id].rt.state, command_id))

    def devices(self, incident_id: str) -> dict[str, dict[str, Any]]:
        """The incident's devices with presence (see :func:`commandcenter.services.field.views.devices`)."""
        return self.call(lambda svc: views.devices(svc._served[incident_id].rt.state))

    def online(self) -> dict[str, bool]:
        """Device → online, as the network thread sees it now."""
        return self.server.online()

    def stale_positions(self, incident_id: str) -> list[dict[str, Any]]:
        """People whose last position is older than ``stale_s`` (30 s) on the incident's clock (in a drill at
        ``speed`` ×, the simulated phones report in drill time too)."""
        def rows(svc: FieldService) -> list[dict[str, Any]]:
            rt = svc._served[incident_id].rt
            return views.stale_positions(rt.state, rt.now(), svc.config.stale_s)
        return self.call(rows)

    def linkage(self, incident_id: str) -> dict[str, Any]:
        """The equipment linkage figure of the incident."""
        return self.call(lambda svc: views.linkage(svc._served[incident_id].rt.state))

    def stats(self) -> dict[str, Any]:
        """Service, ingest and network counters."""
        net = self.server.stats()
        return {"service": dict(self.counters), "ingest": dict(self.ingest.counters), **net,
                "incidents": self.incidents()}

    # ------------------------------------------------------------------ network → service
    def _from_network(self, batch: list[Inbound]) -> None:
        self._q.put(("batch", batch))

    def _on_events(self, incident_id: str):
        def fn(events: list[Any]) -> None:
            self._q.put(("events", (incident_id, events)))
        return fn

    # ------------------------------------------------------------------ the service thread
    def _main(self) -> None:
        try:
            self._floors = seq_floors(self.store)
            self._next = dict(self._floors)
            self.server.set_floor(self._floors)
            self._scan()
        except BaseException as exc:  # handed to start()
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        nxt_follow = nxt_scan = nxt_tick = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            wait = max(0.0, min(nxt_follow, nxt_scan, nxt_tick) - now)
            items = []
            try:
                items.append(self._q.get(timeout=wait))
                while True:
                    items.append(self._q.get_nowait())
            except queue.Empty:
                pass
            try:
                self._handle(items)
                now = time.monotonic()
                if now >= nxt_follow:
                    nxt_follow = now + self.config.follow_s
                    self._follow()
                if now >= nxt_scan:
                    nxt_scan = now + self.config.scan_s
                    self._scan()
                if now >= nxt_tick:
                    nxt_tick = now + self.config.tick_s
                    self._tick()
            except Exception:  # the service must outlive one bad batch; the log stays the truth
                self.counters["errors"] += 1
                log.exception("field service step failed")

    def _handle(self, items: list[tuple[str, Any]]) -> None:
        batch: list[Inbound] = []
        events: dict[str, list[Any]] = {}
        calls = []
        for kind, arg in items:
            if kind == "batch":
                batch += arg
            elif kind == "events":
                events.setdefault(arg[0], []).extend(arg[1])
            elif kind == "call":
                calls.append(arg)
        try:
            if batch:
                self._guarded(self._ingest, batch)
            for iid, evs in events.items():
                s = self._served.get(iid)
                if s is not None:
                    self._guarded(self._react, s, evs)
        finally:
            for fn in calls:
                fn()

    def _guarded(self, fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except Exception:  # one bad batch must not stop the others; the log stays the truth
            self.counters["errors"] += 1
            log.exception("field service: %s failed", getattr(fn, "__name__", fn))

    # ------------------------------------------------------------------ incidents
    def _scan(self) -> None:
        """Serve the open incidents not served yet; retire the closed ones; enroll new keys."""
        from commandcenter.runtime import IncidentRuntime

        for inc in self.store.incidents():
            if inc.id in self._served or inc.id in self._retired or (self.only is not None and inc.id not in self.only):
                continue
            try:  # no clock given: the runtime's own choice (a running live drill's clock, else the wall clock)
                rt = IncidentRuntime.open(self.store, inc.id, plant=self.plant, plans_dir=self.plans_dir,
                                          clock=self.clock, engine=self.plant is not None)
                if rt.closed:
                    self._retired.add(inc.id)
                    continue
                self._serve(rt)
            except Exception:  # one incident that cannot be opened must not cut the others off
                log.exception("cannot serve incident %s", inc.id)
                self.counters["incidents_unservable"] += 1
                self._retired.add(inc.id)
        for _iid, s in list(self._served.items()):
            if s.rt.closed:
                self._retire(s)
            elif self.config.enroll_real and not s.view.exercise:
                self._enroll_keys(s)

    def _serve(self, rt: Any) -> None:
        s = _Served(rt)
        for e in self.store.events(rt.incident_id, until_seq=rt.seq):  # later ones come through follow()
            if e.type == "command.sent":
                s.payloads[e.payload["command_id"]] = (e.payload, e.time)
            elif e.type in ("drill.scenario", "incident.opened"):
                s.equipment += _drill_equipment(e)
        with self._lock:
            self._served[rt.incident_id] = s
        s.unsub = rt.subscribe(self._on_events(rt.incident_id))
        self.counters["incidents_served"] += 1
        if self.config.enroll_real and not s.view.exercise:
            self._enroll_keys(s)
        self._restore(s)
        log.info("serving incident %s (%s)", rt.incident_id, "exercise" if s.view.exercise else "real")

    def _retire(self, s: _Served) -> None:
        """The incident closed: its still-pending commands are recorded expired, then it is no longer served."""
        drafts = []
        t = s.rt.now()
        for c in s.rt.state["comms"]["commands"].values():
            for dev, st in c["devices"].items():
                if st == "pending":
                    drafts.append(Draft("command.expired", t, {"command_id": c["command_id"], "device_id": dev,
                                                               "reason": "incident closed"}))
        if drafts:
            self._submit(s, drafts)
        self.server.call(lambda srv: srv.outbox.forget(list(s.payloads)))
        if s.unsub:
            s.unsub()
        with self._lock:
            del self._served[s.id]
        self._retired.add(s.id)

    def _enroll_keys(self, s: _Served) -> None:
        devs = s.rt.state["comms"]["devices"]
        drafts = []
        t = s.rt.now()
        for dev in self.keys.devices():
            if devs.get(dev, {}).get("enrolled"):
                continue
            p: dict[str, Any] = {"device_id": dev, "by": "field-server"}
            kind = self.keys.device_kind(dev)
            person = self.geo.device_person.get(dev) if self.geo is not None else None
            if person:
                r = self.geo.roster[person]
                p.update({"person_id": person, "team": r["team"], "role": r["role"]})
            p["kind"] = kind or ("phone" if person else "device")
            drafts.append(Draft("device.enrolled", t, {k: v for k, v in p.items() if v is not None}))
        if drafts:
            self._submit(s, drafts)

    def _follow(self) -> None:
        for s in list(self._served.values()):
            s.rt.follow()  # announces to our subscriber → queued → handled next pass

    def _tick(self) -> None:
        for s in list(self._served.values()):
            if s.rt.plans.engine is not None:
                s.rt.tick()

    def _submit(self, s: _Served, drafts: list[Draft]) -> list[Any]:
        engine = getattr(s.rt.plans, "engine", None)
        floor = getattr(engine, "now", None)
        if floor is not None and s.view.live:  # a tick moved the engine's clock past a message's arrival
            drafts = [d if d.time >= floor else Draft(d.type, floor, d.payload) for d in drafts]
        evs = s.rt.submit(drafts)
        self.counters["submits"] += 1
        self.counters["events"] += len(evs)
        return evs

    # ------------------------------------------------------------------ commands: log → wire
    def _restore(self, s: _Served) -> None:
        """Hand every recorded command of an incident to the network thread, numbering what is not yet."""
        cmds = s.rt.state["comms"]["commands"]
        slots = []
        unnumbered: dict[str, list[str]] = {}
        for cid, c in cmds.items():
            if cid not in s.payloads:
                continue
            for dev, st in c["devices"].items():
                seq = c["seqs"].get(dev)
                if seq is None:
                    unnumbered.setdefault(cid, []).append(dev)
                else:
                    slots.append((cid, dev, seq, st))
        self._enqueue(s, slots)
        if unnumbered:
            self._number(s, unnumbered)

    def _number(self, s: _Served, todo: dict[str, list[str]]) -> None:
        """Record ``command.queued`` for these devices of these commands (the next free seqs), then send."""
        drafts, slots = [], []
        t = s.rt.now()
        refused = []
        for cid, devices in todo.items():
            payload, sent_at = s.payloads[cid]
            _, no = self._wire(s, payload, sent_at)
            seqs = {}
            for dev in devices:
                if dev in no:
                    refused.append(Draft("command.failed", t, {"command_id": cid, "device_id": dev,
                                                               "reason": no[dev]}))
                    continue
                self._next[dev] = self._next.get(dev, 0) + 1
                seqs[dev] = self._next[dev]
                slots.append((cid, dev, seqs[dev], "pending"))
            if seqs:
                drafts.append(Draft("command.queued", t, {"command_id": cid, "seqs": seqs}))
        if drafts or refused:
            self._submit(s, drafts + refused)  # recorded before the first send
        self._enqueue(s, slots)

    def _wire(self, s: _Served, payload: dict[str, Any], sent_at: dt.datetime) -> tuple[Any, dict[str, str]]:
        enrolled = [d for d, v in s.rt.state["comms"]["devices"].items() if v["enrolled"] and not v["revoked"]]
        wall_at = getattr(s.rt.clock, "wall_at", None)
        if wall_at is not None:
            payload, sent_at = on_wall(payload, sent_at, wall_at)
        return field_command(s.id, s.view.exercise, payload, sent_at, enrolled=enrolled,
                             drill_equipment=s.equipment)

    def _enqueue(self, s: _Served, slots: list[tuple[str, str, int, str]]) -> None:
        out = []
        built: dict[str, Any] = {}
        for cid, dev, seq, st in slots:
            if cid not in built:
                payload, sent_at = s.payloads[cid]
                built[cid] = self._wire(s, payload, sent_at)[0]
            out.append((dev, seq, built[cid], st))
            self._next[dev] = max(self._next.get(dev, 0), seq)
        if out:
            self.server.enqueue(out)

    def _react(self, s: _Served, events: list[Any]) -> None:
        """Recorded events of one incident: number new commands, pass outcomes written by others to the
        network thread, turn plan events into orders. Events of other writers that the runtime folded while
        catching up before one of our own submits are not announced: they are read here from the log."""
        events = [e for e in events if e.seq > s.seen]
        if not events:
            return
        if events[0].seq > s.seen + 1:
            gap = list(self.store.events(s.id, after_seq=s.seen, until_seq=events[0].seq - 1))
            self.counters["gap_events"] += len(gap)
            events = gap + events
        s.seen = events[-1].seq
        new_cmds: dict[str, list[str]] = {}
        outcomes = []
        plan = []
        weather = []
        for e in events:
            if e.type == "command.sent":
                cid = e.payload["command_id"]
                if cid not in s.payloads:
                    s.payloads[cid] = (e.payload, e.time)
                    new_cmds[cid] = [d for d in e.payload.get("devices") or [] if isinstance(d, str)]
            elif e.type in _OUTCOMES and e.payload.get("device_id"):
                outcomes.append(e)
            elif e.type in _PLAN_INPUTS:
                plan.append(e)
            elif e.type == "weather.observed":
                weather.append(e)
            elif e.type == "drill.scenario":
                s.equipment += _drill_equipment(e)
        if new_cmds:
            already = s.rt.state["comms"]["commands"]
            todo = {cid: [d for d in devs if d not in already.get(cid, {}).get("seqs", {})]
                    for cid, devs in new_cmds.items()}
            self._number(s, {c: d for c, d in todo.items() if d})
        if outcomes:
            slots = []
            for e in outcomes:
                c = s.rt.state["comms"]["commands"].get(e.payload["command_id"])
                seq = c["seqs"].get(e.payload["device_id"]) if c else None
                if seq is not None and c["command_id"] in s.payloads:
                    slots.append((c["command_id"], e.payload["device_id"], seq, _OUTCOMES[e.type]))
            self._enqueue(s, slots)
        if plan:
            try:
                drafts = plan_orders(plan, s.rt.state, s.id, s.view.exercise, s.rt.now(), self.geo)
            except ExerciseLeak as exc:
                log.warning("plan order refused: %s", exc)
                self.counters["plan_orders_refused"] += 1
                drafts = []
            if drafts:
                self._submit(s, drafts)
        if weather:  # a new wind: new zones and routes (recorded; their orders go out on the next pass)
            from commandcenter.services.evacuation import replan_after_weather

            replan_after_weather(s.rt, weather[-1:])

    # ------------------------------------------------------------------ devices → log
    def _ingest(self, batch: list[Inbound]) -> None:
        ahead = [i for i in batch if i.kind == "seq_ahead"]
        views_ = {iid: s.view for iid, s in self._served.items()}
        per, orphans = self.ingest.drafts(batch, views_)
        for iid, drafts in per.items():
            self._submit(self._served[iid], drafts)
        for item in ahead:
            self._renumber(item.device, int(item.value or 0))
        if orphans and self.config.auto_open:
            self._open_for(orphans)

    def _renumber(self, device: str, last_seq: int) -> None:
        """The device applied seqs this log never gave it: number its unacknowledged commands again above
        ``last_seq`` (recorded as a new ``command.queued``) and send them."""
        self._next[device] = max(self._next.get(device, 0), last_seq)
        for s in self._served.values():
            moves, drafts = [], []
            t = s.rt.now()
            for c in s.rt.state["comms"]["commands"].values():
                seq = c["seqs"].get(device)
                if seq is not None and seq <= last_seq and c["devices"].get(device) == "pending":
                    self._next[device] += 1
                    moves.append((seq, self._next[device]))
                    drafts.append(Draft("command.queued", t, {"command_id": c["command_id"],
                                                              "seqs": {device: self._next[device]},
                                                              "reason": f"device reported last_seq {last_seq}"}))
            if drafts:
                self._submit(s, drafts)
                self.server.renumber(device, moves)
                self.counters["renumbered"] += len(moves)

    def _open_for(self, orphans: list[Inbound]) -> None:
        """An alarm-level reading from a device of no open incident: open a real incident for it."""
        from commandcenter.runtime import IncidentRuntime, WallClock

        sensor = orphans[0].message.body["sensor_id"]
        rt = IncidentRuntime.create(self.store, title=f"Gas alarm at {sensor} / {sensor} 气体报警", exercise=False,
                                    plant=self.plant, plans_dir=self.plans_dir, clock=WallClock(),
                                    engine=self.plant is not None)
        self.counters["incidents_opened"] += 1
        self._serve(rt)
        per, _ = self.ingest.drafts(orphans, {rt.incident_id: self._served[rt.incident_id].view})
        for iid, drafts in per.items():
            self._submit(self._served[iid], drafts)


def on_wall(payload: dict[str, Any], sent_at: dt.datetime, wall_at: Any) -> tuple[dict[str, Any], dt.datetime]:
    """A ``command.sent`` recorded on a drill clock, as the wire needs it: sent at the wall time ``wall_at``
    (the clock's map to Unix seconds) gives for ``sent_at``, and its ``expires_s`` (drill seconds) as the wall
    seconds until the drill clock reaches ``sent_at + expires_s`` (÷ the drill's speed)."""
    w0 = float(wall_at(sent_at))
    out = dict(payload)
    exp = payload.get("expires_s")
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        out["expires_s"] = float(wall_at(sent_at + dt.timedelta(seconds=float(exp)))) - w0
    return out, dt.datetime.fromtimestamp(w0, UTC)


def time_of(t_us: int) -> dt.datetime:
    """A log time (µs) as an aware UTC datetime."""
    return from_us(t_us)


__all__ = ["AddressError", "FieldConfig", "FieldService", "evidence_dir_for", "on_wall", "recipients", "seq_floors"]
