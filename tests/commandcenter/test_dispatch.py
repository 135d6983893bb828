"""The exercise guard: nothing of an exercise reaches a live recipient; exercise messages are marked."""

from __future__ import annotations

import pytest

from commandcenter.services.dispatch import EXERCISE_MARK, Dispatcher, ExerciseLeak, Recipient
from tests.commandcenter.conftest import T0


def test_exercise_message_to_live_recipient_is_refused_and_not_sent(store) -> None:
    sent = []
    d = Dispatcher(store, lambda r, m: sent.append((r, m)))
    before = store.count("I1")
    with pytest.raises(ExerciseLeak, match="I1 is an exercise"):
        d.send("I1", Recipient("+8613800000000", "sms", live=True), "evacuate now")
    assert sent == []
    assert store.count("I1") == before


def test_exercise_message_to_drill_device_is_marked_and_recorded(store) -> None:
    sent = []
    d = Dispatcher(store, lambda r, m: sent.append((r, m)))
    ev = d.send("I1", Recipient("DEV-0114", "field", live=False), "evacuate to AP-03")
    assert sent[0][1]["text"] == EXERCISE_MARK + "evacuate to AP-03"
    assert sent[0][1]["exercise"] is True
    assert ev.type == "notification.sent"
    assert ev.payload["text"].startswith(EXERCISE_MARK)


def test_real_incident_reaches_live_recipients_unmarked(store) -> None:
    store.create_incident("REAL-1", "real", exercise=False, time=T0)
    sent = []
    Dispatcher(store, lambda r, m: sent.append(m)).send("REAL-1", Recipient("EPB", "phone", live=True), "leak")
    assert sent == [{"incident": "REAL-1", "exercise": False, "text": "leak"}]
