"""The one choke point every outgoing message passes: it keeps exercises away from live recipients.

A *live* recipient is anyone outside the exercise: authorities, public alerting, real phones or radios not
enrolled in the drill. Drill participants' field devices are not live. :meth:`Dispatcher.send` refuses
(:class:`ExerciseLeak`) any message of an exercise incident to a live recipient *before* the transport is
called, marks every exercise message as one, and records a ``notification.sent`` event for what went out.

Field commands and CAP alerts pass here too: :func:`check_field_recipients` when a command is issued (an
exercise command to a device not enrolled in the drill is refused), :func:`field_command` when the field
server turns a recorded ``command.sent`` into what goes on the wire (the only maker of
:class:`comms.outbox.Command`: the exercise flag and mark are set here, devices outside the drill and
``actuate`` of equipment not enrolled in it are refused again, each with its reason), and
:func:`cap_status` for the external notice (an exercise is only ever ``Exercise``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from commandcenter.store.chain import Event
from commandcenter.store.eventstore import EventStore

if TYPE_CHECKING:
    from comms.outbox import Command

EXERCISE_MARK = "【演练 EXERCISE】"
NOT_ENROLLED = "exercise: device not enrolled in this drill"


class ExerciseLeak(PermissionError):
    """A message of an exercise incident addressed to a live recipient (refused, nothing was sent)."""


@dataclass(frozen=True)
class Recipient:
    """Where a message goes: an id, a channel (``field``, ``sms``, ``cap``, ``phone``…) and whether it is live
    (outside any exercise)."""

    id: str
    channel: str
    live: bool


def mark_exercise(text: str, exercise: bool) -> str:
    """``text`` prefixed with the exercise mark when ``exercise`` (idempotent)."""
    if not exercise or text.startswith(EXERCISE_MARK):
        return text
    return EXERCISE_MARK + text


class Dispatcher:
    """Sends messages of incidents through ``transport(recipient, message)`` with the exercise guard."""

    def __init__(self, store: EventStore, transport: Callable[[Recipient, dict[str, Any]], None]):
        self.store = store
        self._transport = transport

    def send(self, incident_id: str, recipient: Recipient, text: str, *, extra: dict[str, Any] | None = None,
             time: dt.datetime | None = None) -> Event:
        """Send ``text`` about the incident to ``recipient``; returns the recorded ``notification.sent``.
        Raises :class:`ExerciseLeak` for an exercise incident and a live recipient (nothing sent or recorded)."""
        exercise = self.store.incident(incident_id).exercise
        if exercise and recipient.live:
            raise ExerciseLeak(f"incident {incident_id} is an exercise: refusing to send to live recipient "
                               f"{recipient.id!r} ({recipient.channel})")
        message = {**(extra or {}), "incident": incident_id, "exercise": exercise,
                   "text": mark_exercise(text, exercise)}
        self._transport(recipient, message)
        payload = {"recipient": recipient.id, "channel": recipient.channel, "text": message["text"],
                   "live": recipient.live}
        return self.store.append(incident_id, "notification.sent", payload, time)


def check_field_recipients(incident_id: str, exercise: bool, devices: Collection[str],
                           enrolled: Collection[str]) -> None:
    """Refuse (:class:`ExerciseLeak`, nothing recorded) a command of an exercise to any device not enrolled in
    the drill: such a device is a live recipient."""
    if not exercise:
        return
    outside = sorted(set(devices) - set(enrolled))
    if outside:
        shown = ", ".join(outside[:5]) + (" …" if len(outside) > 5 else "")
        raise ExerciseLeak(f"incident {incident_id} is an exercise: refusing to command {len(outside)} device(s) "
                           f"not enrolled in the drill ({shown})")


def field_command(incident_id: str, exercise: bool, payload: dict[str, Any], sent_at: dt.datetime, *,
                  enrolled: Collection[str], drill_equipment: Collection[str] = ()) -> tuple[Command, dict[str, str]]:
    """The wire command of a recorded ``command.sent`` (``payload``) and the devices refused, with reasons.

    Sets ``exercise`` and marks both texts of an exercise; ``expires`` is ``sent_at + expires_s``. In an
    exercise, a device not enrolled in the drill is refused, and so is every device of an ``actuate`` whose
    equipment is not enrolled in the drill (an exercise moves no real equipment)."""
    from comms.outbox import Command

    params = payload.get("params") if isinstance(payload.get("params"), dict) else {}
    kind = str(payload.get("kind") or "message")
    en = str(payload.get("text_en") or payload.get("text") or "")
    zh = str(payload.get("text_zh") or payload.get("text") or en)
    expires_s = payload.get("expires_s")
    expires = sent_at + dt.timedelta(seconds=float(expires_s)) if isinstance(expires_s, (int, float)) else None
    fields: dict[str, Any] = {"incident": incident_id, "kind": kind,
                              "text": {"zh": mark_exercise(zh, exercise), "en": mark_exercise(en, exercise)},
                              "exercise": bool(exercise),
                              "expires": expires.astimezone(dt.UTC).isoformat() if expires else None}
    for key in ("assembly_point_id", "route", "equipment_id", "action"):
        if params.get(key) is not None:
            fields[key] = params[key]
    if payload.get("task_id"):
        fields["task_id"] = payload["task_id"]
    devices = [d for d in payload.get("devices") or [] if isinstance(d, str)]
    refused: dict[str, str] = {}
    if exercise:
        inside = set(enrolled)
        refused.update({d: NOT_ENROLLED for d in devices if d not in inside})
        if kind == "actuate" and str(params.get("equipment_id")) not in set(drill_equipment):
            reason = f"exercise: equipment {params.get('equipment_id')} is not enrolled in this drill"
            refused.update(dict.fromkeys(devices, reason))
    per_device = params.get("per_device") if isinstance(params.get("per_device"), dict) else {}
    command = Command(str(payload["command_id"]), incident_id, kind, fields,
                      expires.timestamp() if expires else None,
                      {d: dict(v) for d, v in per_device.items() if isinstance(v, dict) and d not in refused})
    return command, refused


def cap_status(exercise: bool, requested: str | None = None) -> str:
    """The CAP ``status`` of an incident's notice: ``Exercise`` for an exercise (whatever was asked: an
    exercise never goes out as ``Actual``), ``Actual`` otherwise unless ``requested`` says Test/Draft/System."""
    if exercise:
        if requested not in (None, "Exercise"):
            raise ExerciseLeak(f"an exercise's notice is CAP status Exercise, not {requested}")
        return "Exercise"
    return requested or "Actual"
