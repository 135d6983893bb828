"""A second console follows the live log (#9 item 3): on PostgreSQL through LISTEN/NOTIFY, on SQLite by polling.

The PostgreSQL test needs a real server (``CC_TEST_PG_URL``); it skips without one, except under ``CI=true``."""

from __future__ import annotations

from commandcenter.ui.session import FOLD_SLICE, IncidentSession
from tests.commandcenter.conftest import pg_url  # noqa: F401  (the fixture: a fresh database)

PLAN, LEVEL = "h2s-release", "L2"


def _consoles(db: str, plant) -> tuple[IncidentSession, IncidentSession]:
    """Console A opens a new incident in ``db``; console B opens the same incident."""
    a, b = IncidentSession(), IncidentSession()
    for s in (a, b):
        s.set_plant(plant)
    a.open_log(db, resume=False)
    rt = a.new_incident("H2S at unit 100", exercise=True)
    b.open_log(db, rt.incident_id)
    return a, b


def _close(*sessions: IncidentSession) -> None:
    for s in sessions:
        s.shutdown()
        s.deleteLater()


def test_a_launch_on_one_console_reaches_the_other_within_a_second_on_postgresql(
        qtbot, demo_plant, pg_url):  # noqa: F811
    a, b = _consoles(pg_url, demo_plant)
    try:
        assert b.listener is not None  # PostgreSQL: the LISTEN thread runs
        assert a.runtime.incident_id == b.runtime.incident_id
        b.timer.stop()  # no polling on B: only the notification can bring the launch
        seen: list[list] = []
        b.changed.connect(seen.append)
        launched = a.launch(PLAN, LEVEL)
        assert any(e.type == "plan.launched" for e in launched)
        # within a second the panels are told (changed, on the UI thread), not only the state folded
        qtbot.waitUntil(lambda: any(e.type == "plan.launched" for batch in seen for e in batch), timeout=1000)
        assert b.state["incident"]["level"] == LEVEL
        assert b.state["incident"]["plans"][-1]["plan"] == PLAN
        assert b.runtime.seq == a.runtime.seq
        types = [e.type for batch in seen for e in batch]
        assert len(types) == len(set(e.seq for batch in seen for e in batch))  # each event announced once
        # and back: a task done on B shows on A
        tid = next(iter(b.state["tasks"]["tasks"]))
        a.timer.stop()
        b.task_done(tid, "cordon set")
        qtbot.waitUntil(lambda: a.state["tasks"]["tasks"][tid]["status"] == "done", timeout=1000)
    finally:
        _close(a, b)


def test_the_listener_stops_with_the_incident(qtbot, demo_plant, pg_url):  # noqa: F811
    a, b = _consoles(pg_url, demo_plant)
    try:
        listener = b.listener
        b.close_incident()
        assert b.listener is None
        assert not listener.thread.is_alive()
        assert listener.error is None
    finally:
        _close(a, b)


def test_on_sqlite_the_second_console_follows_by_polling(qtbot, demo_plant, tmp_path):
    a, b = _consoles(str(tmp_path / "log.db"), demo_plant)
    try:
        assert b.listener is not None
        assert b.listener.poll_s < 0.5
        b.timer.stop()  # no heartbeat on B: only the listener can bring the launch
        a.launch(PLAN, LEVEL)
        qtbot.waitUntil(lambda: b.state["incident"]["level"] == LEVEL, timeout=1000)
    finally:
        _close(a, b)


def test_the_ui_thread_folds_a_busy_feed_but_never_reads_it(qtbot, demo_plant, tmp_path):
    """A field server's positions (another writer) reach B's views once each, in order, read and decoded on
    the listener thread: the UI thread only folds."""
    import threading

    from vocabulary.events import Draft

    a, b = _consoles(str(tmp_path / "log.db"), demo_plant)
    readers: list[str] = []
    read = b.store.events

    def events(*args, **kwargs):
        readers.append(threading.current_thread().name)
        return read(*args, **kwargs)
    b.store.events = events
    try:
        b.timer.stop()
        seen: list[list] = []
        b.changed.connect(seen.append)
        people = sorted(a.state["personnel"]["people"]) or [f"P-{i}" for i in range(50)]
        last = {}
        for k in range(6):
            now = a.now()
            drafts = [Draft("position.reported", now, {"person_id": pid, "x": 10.0 * k + i, "y": 5.0 * k})
                      for i, pid in enumerate(people[:50])]
            a.submit(drafts)
            last.update({d.payload["person_id"]: (d.payload["x"], d.payload["y"]) for d in drafts})
        now = a.now()  # one commit larger than a slice: handed to the UI thread in slices
        big = [Draft("position.reported", now, {"person_id": people[i % 50], "x": 1000.0 + i, "y": 7.0})
               for i in range(2 * FOLD_SLICE + 30)]
        a.submit(big)
        last.update({d.payload["person_id"]: (d.payload["x"], d.payload["y"]) for d in big})
        qtbot.waitUntil(lambda: bool(seen) and seen[-1][-1].seq == a.runtime.seq, timeout=3000)
        got = [e.seq for batch in seen for e in batch]
        assert got == list(range(got[0], a.runtime.seq + 1))  # every event once, in log order
        assert readers
        assert all(name.startswith("log-listener-") for name in readers)
        assert max(len(batch) for batch in seen) <= FOLD_SLICE
        shown = b.state["personnel"]["people"]
        assert {pid: (shown[pid]["x"], shown[pid]["y"]) for pid in last} == last
    finally:
        b.store.events = read
        _close(a, b)
