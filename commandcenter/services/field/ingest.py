"""What devices said, as drafts for the incidents they belong to — one batch in, one list of drafts per incident.

Positions arrive in WGS 84 and are projected to the plant CRS (one pyproj call for the whole batch); of
several positions of one device in one batch only the newest is recorded (the others are superseded and
counted: at the spec's 1 Hz a batch rarely holds two, and when the center falls behind its batches grow, so
this sheds exactly the load that would make the backlog grow, while the picture stays current); a
check-in becomes ``person.mustered``; an SOS ``person.sos`` plus an ``alarm.raised``; a reading
``sensor.reading`` with the plant sensor's kind, substance and place, and, when it crosses the sensor's
warn or alarm threshold (same unit only), ``sensor.alarm`` — the plans engine's trigger input — plus an
``alarm.raised`` at the alarm level (once until the sensor reads below warn again, then ``clear``); a gate
badge ``person.badged`` (the on-site list); evidence is stored by its SHA-256 beside the log and recorded
as ``evidence.received`` with the hash, so a photo swapped afterwards no longer matches its event.
Acknowledgements become ``command.acknowledged`` / ``done`` / ``failed``, and for a task command also
``task.acknowledged`` / ``task.done`` (the plans engine stops escalating).

A device's data goes to each open incident it is a recipient of (its drill, for an exercise); data of a
device in none of them is counted and dropped, except an alarm-level reading, which the service may use
to open a new incident.

Time: an event is stamped when the center received the message (the server's wall clock), mapped onto the
incident's own clock by :attr:`IncidentView.at` — the identity for a live incident, drill time for a live
drill played faster than the wall clock (:class:`commandcenter.runtime.clock.DrillClock`). A frame's
``ts`` (the device's own clock) is checked by the protocol but never used as an event time: a phone's clock
may be off by minutes, and in a drill at ``speed`` × its offset would be multiplied by the speed. One clock,
the center's, orders every event of the log.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from commandcenter.services.field.addressing import recipients
from commandcenter.services.field.geo import PlantGeo
from comms.server import Inbound
from vocabulary.events import UTC, Draft

_EXT = {"image/jpeg": ".jpg", "image/png": ".png"}


def wall_time(unix_s: float) -> dt.datetime:
    """Unix seconds as an aware UTC datetime (a live incident's clock is the wall clock)."""
    return dt.datetime.fromtimestamp(unix_s, UTC)


@dataclass
class IncidentView:
    """What the ingest needs of one open incident (its runtime supplies ``state``, ``exercise``, ``now``)."""

    id: str
    runtime: Any
    exercise: bool
    live: bool = True
    alarms: dict[str, str] = field(default_factory=dict)  # sensor → "warn" | "alarm" while active
    alarm_seq: int = 0

    def recipients(self, geo: PlantGeo | None) -> dict[str, dict[str, Any]]:
        """Devices that belong to this incident, with their person/team/role/kind."""
        return recipients(self.runtime.state, self.exercise, geo)

    def at(self, unix_s: float) -> dt.datetime:
        """A center wall time (Unix seconds) on the incident's clock as it is now: the clock's ``at_wall`` (a
        drill clock, which a runtime opened from the log may take up when the drill begins), else the wall
        time itself."""
        to_clock: Callable[[float], dt.datetime] | None = getattr(getattr(self.runtime, "clock", None), "at_wall",
                                                                  None)
        return to_clock(unix_s) if to_clock is not None else wall_time(unix_s)


def _held(view: IncidentView, sensor_id: str) -> bool:
    """Whether an open alarm of the incident already holds ``sensor_id`` (e.g. the graded alarm raised at its
    warn level): its reading reaching the alarm level then confirms that alarm (the ``sensor.alarm`` recorded
    beside it; :mod:`commandcenter.services.alarm_grading`) rather than raising a second one for the same
    leak."""
    alarms = view.runtime.state["alarms"]["alarms"]
    return any(a.get("state") != "cleared" and sensor_id in a.get("sensors", ()) for a in alarms.values())


def store_evidence(folder: Path, sha256: str, media_type: str, data: bytes) -> Path:
    """Write ``data`` to ``folder/<sha256><ext>`` once (atomically; an existing file with that name is the same
    bytes by construction) and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha256.lower()}{_EXT.get(media_type, '.bin')}"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".in-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return path


class Ingest:
    """Turns server batches into drafts per incident (stateless but for alarm memory and counters)."""

    def __init__(self, geo: PlantGeo | None, evidence_dir: Path):
        self.geo = geo
        self.evidence_dir = evidence_dir
        self.counters: Counter[str] = Counter()
        self._task_acked: set[tuple[str | None, str, str]] = set()

    def drafts(self, batch: list[Inbound], incidents: dict[str, IncidentView]) -> tuple[dict[str, list[Draft]],
                                                                                           list[Inbound]]:
        """``(incident id → drafts, alarm-level readings of devices in no open incident)``."""
        out: dict[str, list[Draft]] = {i: [] for i in incidents}
        orphans: list[Inbound] = []
        rec = {i: v.recipients(self.geo) for i, v in incidents.items()}
        homes_cache: dict[str, list[str]] = {}

        def homes(device: str) -> list[str]:
            h = homes_cache.get(device)
            if h is None:
                h = homes_cache[device] = [i for i in incidents if device in rec[i]]
            return h

        positions: list[tuple[Inbound, str, list[str]]] = []
        for item in batch:
            if item.kind in ("ack", "expired"):
                if item.incident in out:
                    v = incidents[item.incident]
                    out[item.incident] += self._outcome(item, v.at(item.t), v.runtime.state)
                continue
            where = homes(item.device)
            if item.kind in ("online", "offline", "revoked"):
                for i in where:
                    out[i].append(self._presence(item, incidents[i].at(item.t)))
                continue
            if item.kind != "message" or item.message is None:
                continue
            m = item.message
            if not where:
                self.counters["no_incident"] += 1
                if m.type == "reading" and self._level(m.body) == "alarm":
                    orphans.append(item)
                continue
            if m.type == "position":
                positions.append((item, self._person(m.body, item.device, rec[where[0]]), where))
                continue
            for i in where:
                out[i] += self._message(item, incidents[i].at(item.t), incidents[i], rec[i])
        if positions:
            self._positions(positions, out, incidents)
        return {i: d for i, d in out.items() if d}, orphans

    # ------------------------------------------------------------------ pieces
    @staticmethod
    def _person(body: dict[str, Any], device: str, rec: dict[str, dict[str, Any]]) -> str | None:
        return body.get("person_id") or (rec.get(device) or {}).get("person_id")

    def _positions(self, items: list[tuple[Inbound, str | None, list[str]]], out: dict[str, list[Draft]],
                   incidents: dict[str, IncidentView]) -> None:
        newest: dict[str, int] = {}
        for k, (it, _, _) in enumerate(items):
            newest[it.device] = k  # a device's later position in the same batch supersedes the earlier ones
        superseded = len(items) - len(newest)
        self.counters["position_superseded"] += superseded
        if superseded:
            items = [items[k] for k in sorted(newest.values())]
        keep = [(it, pid, where) for it, pid, where in items if pid]
        self.counters["position_without_person"] += len(items) - len(keep)
        if not keep or self.geo is None:
            return
        lon = np.array([it.message.body["lon"] for it, _, _ in keep], dtype=float)
        lat = np.array([it.message.body["lat"] for it, _, _ in keep], dtype=float)
        x, y = self.geo.to_plant(lon, lat)
        ok = (np.isfinite(x) & np.isfinite(y)).tolist()
        xs, ys = np.round(x, 2).tolist(), np.round(y, 2).tolist()
        self.counters["position_unprojectable"] += ok.count(False)
        for (it, pid, where), good, px, py in zip(keep, ok, xs, ys, strict=True):
            if not good:
                continue
            b = it.message.body
            payload = {"person_id": str(pid), "x": px, "y": py, "device_id": it.device,
                       "accuracy_m": float(b["accuracy_m"]), "lon": float(b["lon"]), "lat": float(b["lat"])}
            for i in where:
                out[i].append(Draft("position.reported", incidents[i].at(it.t), payload))

    @staticmethod
    def _presence(item: Inbound, t: dt.datetime) -> Draft:
        dev = item.device
        if item.kind == "revoked":
            return Draft("device.revoked", t, {"device_id": dev, "reason": "key revoked"})
        if item.kind == "offline":
            p: dict[str, Any] = {"device_id": dev, "reason": item.detail or "silent"}
            if item.value is not None:
                p["last_seen_s"] = float(item.value)
            return Draft("device.offline", t, p)
        p = {"device_id": dev}
        if item.detail:
            p["address"] = str(item.detail)
        if item.message is not None and item.message.type == "hello":
            p["last_seq"] = int(item.message.body["last_seq"])
            if item.message.body.get("app"):
                p["firmware"] = str(item.message.body["app"])
        return Draft("device.online", t, p)

    def _outcome(self, item: Inbound, t: dt.datetime, state: dict[str, Any]) -> list[Draft]:
        cid, dev = item.command_id, item.device
        acked = self._task_acked
        cmd = state["comms"]["commands"].get(cid) or {}
        person = (state["comms"]["devices"].get(dev) or {}).get("person_id")
        out: list[Draft] = []
        if item.state == "acked":
            p: dict[str, Any] = {"command_id": cid, "device_id": dev, "seq": item.seq}
            if person:
                p["person_id"] = person
            out.append(Draft("command.acknowledged", t, p))
        elif item.state == "done":
            out.append(Draft("command.done", t, {"command_id": cid, "device_id": dev}))
        elif item.state == "failed":
            out.append(Draft("command.failed", t, {"command_id": cid, "device_id": dev,
                                                   "reason": f"rejected: {item.detail or 'no reason given'}"}))
        elif item.state == "expired":
            out.append(Draft("command.expired", t, {"command_id": cid, "device_id": dev, "reason": "expired"}))
        task = cmd.get("task_id")
        if cmd.get("kind") == "task" and task and person and item.state in ("acked", "done"):
            tstate = state["tasks"]["tasks"].get(task) or {}
            key = (item.incident, task, person)
            if key not in acked and tstate.get("status") in ("assigned", "unassigned", None):
                acked.add(key)
                out.append(Draft("task.acknowledged", t, {"task_id": task, "person_id": person}))
            if item.state == "done":
                out.append(Draft("task.done", t, {"task_id": task, "person_id": person, "by": dev}))
        return out

    def _level(self, body: dict[str, Any]) -> str | None:
        s = self.geo.sensors.get(str(body["sensor_id"])) if self.geo is not None else None
        if s is None or (s.unit and body.get("unit") != s.unit):
            return None
        v = float(body["value"])
        if s.alarm is not None and v >= s.alarm:
            return "alarm"
        if s.warn is not None and v >= s.warn:
            return "warn"
        return "clear"

    def _message(self, item: Inbound, t: dt.datetime, view: IncidentView,
                 rec: dict[str, dict[str, Any]]) -> list[Draft]:
        m, dev = item.message, item.device
        b = m.body
        if m.type == "checkin":
            ap = str(b["assembly_point_id"])
            if self.geo is not None and ap not in self.geo.assembly_points:
                self.counters["unknown_assembly_point"] += 1
                return []
            return [Draft("person.mustered", t, {"person_id": str(b["person_id"]), "assembly_point_id": ap,
                                                 "method": "device", "device_id": dev})]
        if m.type == "access":
            return [Draft("person.badged", t, {"person_id": str(b["person_id"]), "gate_id": str(b["gate_id"]),
                                               "direction": b["direction"], "device_id": dev})]
        if m.type == "sos":
            return self._sos(item, t, view)
        if m.type == "reading":
            return self._reading(item, t, view)
        if m.type == "evidence":
            return self._evidence(item, t, view, rec)
        return []

    def _sos(self, item: Inbound, t: dt.datetime, view: IncidentView) -> list[Draft]:
        b = item.message.body
        p: dict[str, Any] = {"person_id": str(b["person_id"]), "device_id": item.device}
        if b.get("text"):
            p["text"] = str(b["text"])
        if b.get("lon") is not None and self.geo is not None:
            x, y = self.geo.to_plant(b["lon"], b["lat"])
            if np.isfinite(x) and np.isfinite(y):
                p["x"], p["y"] = round(float(x), 2), round(float(y), 2)
        view.alarm_seq += 1
        alarm = {"alarm_id": f"SOS-{item.device}-{int(item.t * 1000)}", "kind": "sos", "level": "alarm",
                 "person_id": p["person_id"], "device_id": item.device, "by": "field"}
        for k in ("x", "y", "text"):
            if k in p:
                alarm[k] = p[k]
        return [Draft("person.sos", t, p), Draft("alarm.raised", t, alarm)]

    def _reading(self, item: Inbound, t: dt.datetime, view: IncidentView) -> list[Draft]:
        b = item.message.body
        sid = str(b["sensor_id"])
        p: dict[str, Any] = {"sensor_id": sid, "value": float(b["value"]), "unit": str(b["unit"]),
                             "device_id": item.device}
        s = self.geo.sensors.get(sid) if self.geo is not None else None
        if s is None:
            self.counters["unknown_sensor"] += 1
            return [Draft("sensor.reading", t, p)]
        p.update({"kind": s.kind, "x": s.x, "y": s.y})
        if s.substance:
            p["substance"] = s.substance
        out = [Draft("sensor.reading", t, p)]
        level = self._level(b)
        if level is None:
            self.counters["unit_mismatch"] += 1
            return out
        active = view.alarms.get(sid)
        common = {k: p[k] for k in ("value", "unit", "substance", "kind") if k in p}
        if level == "clear":
            if active is not None:
                del view.alarms[sid]
                out.append(Draft("sensor.alarm", t, {"sensor_id": sid, "level": "clear", **common}))
            return out
        if active == "alarm" or active == level:
            return out
        view.alarms[sid] = level
        out.append(Draft("sensor.alarm", t, {"sensor_id": sid, "level": level, **common}))
        if level == "alarm" and not _held(view, sid):
            view.alarm_seq += 1
            out.append(Draft("alarm.raised", t, {"alarm_id": f"ALM-{sid}-{int(item.t * 1000)}", "kind": s.kind,
                                                 "level": "alarm", "sensor_id": sid, "x": s.x, "y": s.y,
                                                 "device_id": item.device, "by": "field", **common}))
        return out

    def _evidence(self, item: Inbound, t: dt.datetime, view: IncidentView,
                  rec: dict[str, dict[str, Any]]) -> list[Draft]:
        b = item.message.body
        data = base64.b64decode(b["data"])
        path = store_evidence(self.evidence_dir, b["sha256"], b["media_type"], data)
        self.counters["evidence_bytes"] += len(data)
        return [Draft("evidence.received", t, {"sha256": b["sha256"].lower(), "task_id": str(b["task_id"]),
                                               "device_id": item.device, "person_id": str(b["person_id"]),
                                               "mime": b["media_type"], "bytes": len(data), "path": str(path)})]
