"""A second process for the crash-safety and multi-console tests (``python -m tests.commandcenter.console_child``).

Modes:
* ``write DB INCIDENT`` — append events forever, printing ``seq hash json`` after each append returned
  (with ``CC_TEST_NO_CHECKPOINT=1`` SQLite never checkpoints, so every commit stays in the ``-wal`` file);
* ``reply DB INCIDENT`` — follow the incident; print ``ready``; on a note ``ping`` append a note ``pong``;
  print ``seen <seq>`` and exit;
* ``launch DB INCIDENT CONSOLE`` — print ``ready``, wait for a line on stdin, launch plan P-1 at L2, print
  ``created seq hash``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

from sqlalchemy import event

from commandcenter.store import EventStore
from commandcenter.store.follow import Follower
from vocabulary.events import Draft

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def write(db: str, incident: str) -> None:
    store = EventStore(db)
    if os.environ.get("CC_TEST_NO_CHECKPOINT") == "1":
        store.engine.dispose()  # new connections get the pragma below
        event.listen(store.engine, "connect", lambda c, _r: c.execute("PRAGMA wal_autocheckpoint=0"))
    i = 0
    kinds = ("position.reported", "note.added", "person.mustered", "task.assigned", "task.done", "person.sos")
    while True:
        i += 1
        t = T0 + dt.timedelta(seconds=i)
        kind = kinds[i % len(kinds)]
        person = f"E{i % 17:04d}"
        payload = {"position.reported": {"person_id": person, "x": i * 0.5, "y": 3.25},
                   "note.added": {"text": f"note {i}"},
                   "person.mustered": {"person_id": person, "assembly_point_id": f"AP-0{i % 3}"},
                   "task.assigned": {"task_id": f"T{i % 5}", "person_id": person},
                   "task.done": {"task_id": f"T{(i - 1) % 5}"},
                   "person.sos": {"person_id": person}}[kind]
        if i % 10 == 0:  # every tenth round is a batch of three
            evs = store.append_many(incident, [Draft(kind, t, payload), Draft("note.added", t, {"text": "b1"}),
                                               Draft("note.added", t, {"text": "b2"})])
        else:
            evs = [store.append(incident, kind, payload, t)]
        for e in evs:
            sys.stdout.write(f"{e.seq} {e.hash} {json.dumps(e.to_dict(), ensure_ascii=False)}\n")
        sys.stdout.flush()


def reply(db: str, incident: str) -> None:
    store = EventStore(db)
    with Follower(store, incident, after_seq=store.incident(incident).head_seq) as f:
        print("ready", flush=True)
        while True:
            for e in f.wait(10.0):
                if e.type == "note.added" and e.payload["text"] == "ping":
                    print(f"seen {e.seq}", flush=True)
                    store.append(incident, "note.added", {"text": "pong"})
                    return


def launch(db: str, incident: str, console: str) -> None:
    store = EventStore(db)
    print("ready", flush=True)
    sys.stdin.readline()
    ev, created = store.launch_plan(incident, "P-1", "L2", by=console, console=console)
    print(f"{int(created)} {ev.seq} {ev.hash}", flush=True)


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    {"write": write, "reply": reply, "launch": launch}[mode](*args)
