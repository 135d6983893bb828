"""Follow an incident's new events from another process (the multi-console feed).

PostgreSQL: every append transaction ends with ``NOTIFY cc_events, '<incident>:<seq>'``; a follower holds
its own autocommit psycopg connection that ``LISTEN``s, wakes on each notification (delivered at commit)
and reads the events after the last seq it has seen. A notification is only a wake-up: the events are
always read from the table, so a missed notification costs at most one ``poll_s`` of delay.
SQLite: polling every ``poll_s`` seconds (one indexed query).
"""

from __future__ import annotations

import time
from typing import Any

from commandcenter.store.chain import Event
from commandcenter.store.eventstore import NOTIFY_CHANNEL, EventStore


class Follower:
    """New events of one incident, as another console appends them."""

    def __init__(self, store: EventStore, incident_id: str, after_seq: int = 0, poll_s: float = 0.25):
        """Start following after ``after_seq``; ``poll_s`` bounds the delay when no notification arrives."""
        self.store, self.incident_id, self.last_seq, self.poll_s = store, incident_id, after_seq, poll_s
        self._conn: Any = None
        if store.dialect == "postgresql":
            import psycopg

            url = store.engine.url.set(drivername="postgresql")
            self._conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
            self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def _fetch(self) -> list[Event]:
        out = list(self.store.events(self.incident_id, after_seq=self.last_seq))
        if out:
            self.last_seq = out[-1].seq
        return out

    def wait(self, timeout: float) -> list[Event]:
        """Events appended since the last call, waiting up to ``timeout`` s for at least one."""
        deadline = time.monotonic() + timeout
        while True:
            got = self._fetch()
            left = deadline - time.monotonic()
            if got or left <= 0:
                return got
            step = min(left, self.poll_s)
            if self._conn is not None:
                for _ in self._conn.notifies(timeout=step, stop_after=1):
                    pass
            else:
                time.sleep(step)

    def close(self) -> None:
        """Stop listening."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Follower:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
