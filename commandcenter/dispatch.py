"""The one choke point every outgoing message passes: it keeps exercises away from live recipients.

A *live* recipient is anyone outside the exercise: authorities, public alerting, real phones or radios not
enrolled in the drill. Drill participants' field devices are not live. :meth:`Dispatcher.send` refuses
(:class:`ExerciseLeak`) any message of an exercise incident to a live recipient *before* the transport is
called, marks every exercise message as one, and records a ``notification.sent`` event for what went out.
Later comms code must send through a :class:`Dispatcher`, never a transport directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from commandcenter.store.chain import Event
from commandcenter.store.eventstore import EventStore

EXERCISE_MARK = "【演练 EXERCISE】"


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
