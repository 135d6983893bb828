"""Keeps the people on the map in step with the log, a few times a second at most, whatever the rate of reports.

Position reports are applied to the window's arrays as they arrive (one vectorised update per batch of
events; a batch with musters, SOS calls or walk-ups rebuilds from the log's projections); at most every
:data:`FRAME_MS` the classes (:func:`commandcenter.ui.people_layer.classify`) are recomputed with numpy and the
one people item is redrawn. A once-a-second tick ages positions into *stale* and *missing*.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QObject, QTimer, Signal

from commandcenter.ui.people_layer import classify
from gis.positions import PersonStatus, PositionStore
from vocabulary.events import to_us

FRAME_MS = 100
_POSITION_ONLY = frozenset({"position.reported"})
_PEOPLE = frozenset({"position.reported", "person.mustered", "person.sos", "person.added", "person.badged"})
_CONTEXT = ("task.", "hazard.assessed", "evacuation.", "plan.launched", "level.changed", "incident.")
_STATUS = {s.name.lower(): int(s) for s in PersonStatus}


class LivePeople:
    """Where everyone is, as arrays, updated in place from batches of events (Qt-free)."""

    def __init__(self) -> None:
        self.store: PositionStore | None = None
        self._index: pd.Index | None = None

    def reset(self, store: PositionStore | None) -> None:
        """Start again from ``store`` (copied: the window updates its own arrays)."""
        if store is None:
            self.store, self._index = None, None
            return
        copy = PositionStore(store.ids.tolist())
        copy.x[:], copy.y[:], copy.status[:], copy.updated_s[:] = store.x, store.y, store.status, store.updated_s
        self.store = copy
        self._index = pd.Index(copy.ids.astype(str))

    def apply(self, events: list) -> bool:
        """Apply the position reports of ``events`` in place; False when the batch needs a rebuild (someone
        unknown, or events other than position reports that change who is where)."""
        if self.store is None or self._index is None:
            return False
        reports = [e for e in events if e.type == "position.reported"]
        if any(e.type in _PEOPLE and e.type not in _POSITION_ONLY for e in events):
            return False
        if not reports:
            return True
        ids = [e.payload["person_id"] for e in reports]
        rows = self._index.get_indexer(ids)
        if (rows < 0).any():
            return False
        x = np.fromiter((e.payload["x"] for e in reports), float, len(reports))
        y = np.fromiter((e.payload["y"] for e in reports), float, len(reports))
        t = np.fromiter((e.t_us for e in reports), float, len(reports)) / 1e6
        s = self.store
        s.x[rows], s.y[rows], s.updated_s[rows] = x, y, t  # later reports of one person win (numpy assigns in order)
        given = [(r, e.payload.get("status")) for r, e in zip(rows.tolist(), reports, strict=True)
                 if e.payload.get("status")]
        for r, st in given:
            if s.status[r] not in (PersonStatus.MUSTERED, PersonStatus.INJURED) or st == "mustered":
                s.status[r] = _STATUS.get(str(st), int(PersonStatus.ON_SITE))
        fresh = (s.status[rows] == PersonStatus.UNKNOWN)
        s.status[rows[fresh]] = PersonStatus.ON_SITE
        return True


class PeopleController(QObject):
    """Feeds the map's people item from the session (see the module docstring)."""

    #: the people were redrawn: counts per class
    drawn = Signal(dict)

    def __init__(self, window: Any):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.live = LivePeople()
        self._context: dict[str, Any] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.draw)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._aging)
        self._tick.start()
        self.session.reset.connect(self.rebuild)
        self.session.changed.connect(self._events)
        self._zone_key: Any = None
        self._zone_rank: np.ndarray | None = None

    # ------------------------------------------------------------------ inputs
    def rebuild(self) -> None:
        """Everyone from the log's projections (or the population file without an incident)."""
        self.live.reset(self.session.positions())
        self._refresh_context()
        self._zone_key = None
        self.draw()  # at once: another incident is a new screen

    def _events(self, events: list) -> None:
        types = self.session.types_of(events)
        people = not _PEOPLE.isdisjoint(types)
        if people and not self.live.apply(events):
            self.live.reset(self.session.positions())
            self._zone_key = None
        elif people:
            self._zone_key = None  # positions moved: zones to test again
        if any(t.startswith(_CONTEXT) or t in _PEOPLE - _POSITION_ONLY for t in types):
            self._refresh_context()
            if "hazard.assessed" in types:
                self._zone_key = None
        if people or self._context.get("dirty"):
            self.request()

    def request(self) -> None:
        """Redraw within :data:`FRAME_MS` (bursts of reports coalesce into one frame)."""
        if not self._timer.isActive():
            self._timer.start()

    def _aging(self) -> None:
        if self.session.active and self.live.store is not None:
            self.request()

    def _refresh_context(self) -> None:
        """What classes depend on besides positions: responders, who mustered, when evacuation was ordered."""
        state = self.session.state
        if state is None:
            self._context = {}
            return
        from commandcenter.services.muster_board import must_muster, responders

        evac = [o["t"] for o in state["muster"]["orders"]]
        self._context = {"responders": np.array(sorted(responders(state)), dtype=object),
                         "mustered": np.array(sorted(state["muster"]["mustered"]), dtype=object),
                         "ordered": np.array(sorted(must_muster(state)), dtype=object),
                         "evacuation_since_s": min(evac) / 1e6 if evac else None, "dirty": True}

    # ------------------------------------------------------------------ output
    def codes(self) -> np.ndarray | None:
        """The class code of everyone in :attr:`live`'s store now."""
        store = self.live.store
        if store is None:
            return None
        state = self.session.state
        if state is None:
            return classify(store.status, store.updated_s, None)
        ids = store.ids.astype(str)
        ctx = self._context
        resp = np.isin(ids, ctx.get("responders", np.zeros(0, object)))
        mustered = np.isin(ids, ctx.get("mustered", np.zeros(0, object))) | (store.status == PersonStatus.MUSTERED)
        ordered = np.isin(ids, ctx.get("ordered", np.zeros(0, object)))
        now_s = to_us(self.session.now()) / 1e6
        return classify(store.status, store.updated_s, now_s, self.zone_rank(state), resp,
                        ordered & ~mustered & ~resp, ctx.get("evacuation_since_s"))

    def zone_rank(self, state: dict[str, Any]) -> np.ndarray | None:
        """0–3 (outside … red) for everyone, from the current assessment; recomputed when positions or zones
        change."""
        store = self.live.store
        cur = state["hazard"]["current"]
        if store is None or cur is None or self.session.people is None:
            return None
        key = (cur["seq"], id(store))
        if self._zone_key != key or self._zone_rank is None:
            hz = self.session.people.hazard(state)
            self._zone_rank = hz.rank_at(store.x, store.y) if len(hz) else np.zeros(len(store), np.int8)
            self._zone_key = key
        return self._zone_rank

    def draw(self) -> None:
        """Classify and redraw everyone now."""
        self._timer.stop()
        store = self.live.store
        if store is None or self.window.plant is None:
            return
        codes = self.codes()
        self._context["dirty"] = False
        self.window.set_positions(store, codes)
        self.drawn.emit(self.window.map_view.people_counts())

