"""Resources of an open incident: the plant's inventory and teams joined to the incident runtime.

What the Resources panel (and any script) asks of one place — the nearest resources and qualified
people by walking time around the current hazard, with the path of each; what is short for the plan
that was launched; the inventory board — comes from here, Qt-free. Every change is a draft submitted
through :meth:`commandcenter.runtime.IncidentRuntime.submit`; the state read back is the runtime's
folded ``resources`` projection, so two consoles and a replay agree.

**Dispatch and field comms.** Dispatching records ``resource.dispatched``. When field comms exists it
turns that into a command to the responders' devices: pass ``dispatch_hook`` — called with each sealed
``resource.dispatched`` event, it returns the drafts to record next (a ``command.sent`` built and sent
through :class:`commandcenter.services.dispatch.Dispatcher`, so the exercise guard applies). Without a hook the
dispatch is recorded only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from commandcenter.services.people import PeopleModel
from commandcenter.store.chain import Event
from gis.routing.hazard_graph import Hazard, Penalties
from resources import ledger
from resources.inventory import Inventory, load_inventory
from resources.nearest import nearest_people, nearest_resources, resource_availability
from resources.shortages import delivery_point, plan_needs, request_drafts, shortages
from resources.teams import Teams, load_teams
from resources.walking import Reach, WalkNetwork
from vocabulary.events import Draft

DispatchHook = Callable[[Event], Iterable[Draft]]


class ResourcesService:
    """Resources of the incident held by ``runtime`` (whose ``plant`` must be loaded).

    ``dispatch_hook`` (see the module docstring) is the seam for field comms; ``penalties`` the cost of
    walking through orange and yellow zones (routing's defaults)."""

    def __init__(self, runtime: Any, *, dispatch_hook: DispatchHook | None = None,
                 penalties: Penalties | None = None):
        if runtime.plant is None:
            raise ValueError("this incident has no plant: resources need the plant package")
        self.rt = runtime
        self.plant = runtime.plant
        self.dispatch_hook = dispatch_hook
        self.penalties = penalties
        engine = getattr(runtime.plans, "engine", None)
        if engine is not None:
            self.calendar = engine.calendar
        else:
            from plans.shifts import ShiftCalendar

            self.calendar = ShiftCalendar(self.plant.timezone)
        self.people = PeopleModel(self.plant)
        self._site = WalkNetwork.of_plant(self.plant, penalties=penalties)
        self._net: tuple[object, WalkNetwork] | None = None
        self._dated: dict[str, tuple[dt.date, Any]] = {}
        self._home_xy: np.ndarray | None = None

    # ------------------------------------------------------------------ what is known
    def today(self) -> dt.date:
        """The plant's local date on the incident clock."""
        return self.rt.local(self.rt.now()).date()

    def _on(self, what: str, build: Callable[[dt.date], Any]) -> Any:
        today = self.today()
        held = self._dated.get(what)
        if held is None or held[0] != today:
            held = self._dated[what] = (today, build(today))
        return held[1]

    @property
    def inventory(self) -> Inventory:
        """The inventory, its warnings dated today (reloaded when the date changes)."""
        return self._on("inventory", lambda d: load_inventory(self.plant, d))

    @property
    def teams(self) -> Teams:
        """The teams, on the plans engine's calendar, qualification warnings dated today."""
        return self._on("teams", lambda d: load_teams(self.plant, d, self.calendar))

    def warnings(self) -> list[dict[str, Any]]:
        """Inventory and roster warnings (expired, expiring, overdue, not ready; qualifications)."""
        return [w.to_dict() for w in (*self.inventory.issues, *self.teams.issues)]

    @property
    def ledger(self) -> ledger.Ledger:
        """The folded ``resources`` projection of the incident."""
        return self.rt.state["resources"]

    def free(self) -> np.ndarray:
        """Units of each inventory item not taken, used, damaged or promised."""
        return ledger.free_units(self.inventory, self.ledger)

    def board(self) -> dict[str, Any]:
        """The inventory as it stands: every item with ``available`` units, what is out and with whom, the
        dispatches, the requests made, and the warnings."""
        inv = self.inventory
        avail, _ = resource_availability(inv, self.free())
        items = []
        for i in range(len(inv)):
            it = inv.item(i, int(avail[i]))
            state = self.ledger["items"].get(str(inv.ids[i]))
            if state:
                it.update({k: state[k] for k in ("out", "used", "damaged", "committed")}, holders=state["holders"])
            items.append(it)
        return {"items": items, "dispatched": self.ledger["dispatched"], "requests": self.ledger["requests"],
                "warnings": self.warnings()}

    # ------------------------------------------------------------------ where
    def hazard(self) -> Hazard:
        """The current assessment's zones (empty without one)."""
        return self.people.hazard(self.rt.state)

    def network(self, hazard: Hazard | None = None) -> WalkNetwork:
        """The walkway graph under ``hazard`` (default: the current assessment), kept until it changes."""
        if hazard is not None:
            return self._site.with_hazard(hazard)
        cur = self.rt.state.get("hazard", {}).get("current")
        key = (cur or {}).get("id"), (cur or {}).get("seq")
        if self._net is None or self._net[0] != key:
            hz = self.hazard()
            self._net = (key, self._site.with_hazard(hz if len(hz) else None))
        return self._net[1]

    def reach(self, x: float, y: float, hazard: Hazard | None = None) -> Reach:
        """Routes from everywhere to (x, y) (raises :class:`resources.walking.QueryError` off the walkways)."""
        return self.network(hazard).reach(x, y)

    def incident_place(self) -> tuple[float, float] | None:
        """Where the incident is: the current assessment's source, else the newest alarm with a position."""
        hz = self.rt.state.get("hazard", {})
        src = (hz.get("current") or {}).get("source") or {}
        if isinstance(src.get("x"), (int, float)) and isinstance(src.get("y"), (int, float)):
            return float(src["x"]), float(src["y"])
        placed = [a for a in hz.get("alarms", {}).values() if a.get("x") is not None and a.get("y") is not None]
        if placed:
            a = max(placed, key=lambda a: a.get("seq") or 0)
            return float(a["x"]), float(a["y"])
        return None

    def positions(self) -> np.ndarray:
        """Everyone on the roster's best known position: the log's last report or the population file,
        else the home-zone centroid (NaN when none), one row per roster row."""
        if self._home_xy is None:
            from plans.roster import Roster

            self._home_xy = Roster.from_plant(self.plant).where()
        store = self.people.positions(self.rt.state)
        out = self._home_xy.copy()
        in_store = {pid: i for i, pid in enumerate(store.ids.tolist())}
        pairs = [(r, in_store[pid]) for r, pid in enumerate(self.teams.ids.tolist()) if pid in in_store]
        if pairs:
            rows, srows = np.array(pairs, dtype=np.int64).T
            xy = np.column_stack([store.x[srows], store.y[srows]])
            good = np.isfinite(xy).all(axis=1)
            out[rows[good]] = xy[good]
        return out

    # ------------------------------------------------------------------ queries
    def nearest(self, x: float, y: float, *, kind: str | None = None, limit: int = 5,
                hazard: Hazard | None = None) -> dict[str, Any]:
        """The resources nearest to (x, y) by walking time around the hazard, with paths (see
        :func:`resources.nearest.nearest_resources`); units taken or promised in this incident are not free."""
        return nearest_resources(self.reach(x, y, hazard), self.inventory, kind=kind, limit=limit, free=self.free())

    def nearest_people(self, x: float, y: float, *, team: str | None = None, quals: tuple[str, ...] = (),
                       limit: int = 5, hazard: Hazard | None = None) -> dict[str, Any]:
        """The qualified people on shift nearest to (x, y) by walking time, from their last known positions."""
        return nearest_people(self.reach(x, y, hazard), self.teams, self.rt.now(), self.positions(), team=team,
                              quals=quals, limit=limit)

    def launched(self) -> tuple[Any, str] | None:
        """The plan launched in this incident and the current level, or None."""
        plans = self.rt.state["incident"]["plans"]
        if not plans:
            return None
        plan = getattr(self.rt.plans, "plans", {}).get(plans[-1]["plan"])
        return (plan, self.rt.level or plans[-1]["level"]) if plan is not None else None

    def shortages(self, x: float | None = None, y: float | None = None, *, by: str | None = None,
                  hazard: Hazard | None = None) -> dict[str, Any]:
        """What the launched plan needs at the current level, what is short outside the hazard around (x, y)
        (default: :meth:`incident_place`), where outside help should deliver, and the drafted requests
        (``drafts``: not yet recorded; :meth:`request_shortages` records them)."""
        launched = self.launched()
        if launched is None:
            return {"plan": None, "level": None, "needs": [], "shortages": [], "drafts": [], "deliver_to": None}
        plan, level = launched
        place = (x, y) if x is not None and y is not None else self.incident_place()
        if place is None:
            raise ValueError("no incident place: give x and y (no assessment source or alarm position)")
        reach = self.reach(*place, hazard)
        needs = plan_needs(plan, level)
        short = shortages(needs, self.inventory, reach, self.free(), self.ledger["requested"])
        deliver = delivery_point(reach, self.plant.layers["exits"])
        drafts = request_drafts(short, self.rt.now(), deliver, plan_id=plan.id, level=level, by=by)
        return {"plan": plan.id, "level": level,
                "needs": [{"kind": n.kind, "quantity": n.quantity, "tasks": n.tasks} for n in needs.values()],
                "shortages": [s.to_dict() for s in short], "deliver_to": deliver, "drafts": drafts,
                "destination": reach.destination()}

    # ------------------------------------------------------------------ changes (all through the runtime)
    def request_shortages(self, x: float | None = None, y: float | None = None, *, by: str | None = None
                          ) -> list[Event]:
        """Record the external requests :meth:`shortages` drafts (nothing when nothing is short)."""
        drafts = self.shortages(x, y, by=by)["drafts"]
        return self.rt.submit(drafts) if drafts else []

    def dispatch(self, resource_id: str, *, to: str, x: float | None = None, y: float | None = None,
                 quantity: int = 1, by: str | None = None, task_id: str | None = None,
                 person_id: str | None = None) -> list[Event]:
        """Send ``quantity`` units of an item ``to`` a place (at x, y when given: the walking time is
        recorded), carried by ``person_id``; then the dispatch hook's drafts (the field command)."""
        walk_s = self._walk_s(resource_id, x, y)
        draft = ledger.dispatch(self.inventory, self.ledger, resource_id, self.rt.now(), to=to, quantity=quantity,
                                by=by, task_id=task_id, person_id=person_id, walk_s=walk_s, x=x, y=y)
        return self._dispatched(self.rt.submit(draft))

    def dispatch_unit(self, *, to: str, team: str | None = None, person_id: str | None = None,
                      x: float | None = None, y: float | None = None, by: str | None = None,
                      task_id: str | None = None) -> list[Event]:
        """Send a team or one person ``to`` a place; then the dispatch hook's drafts."""
        walk_s = None
        if person_id is not None and x is not None and y is not None and person_id in self.teams.row:
            row = self.teams.row[person_id]
            nw = self.network()
            w, _, _ = nw.reach(x, y).walk(nw.join(self.positions()[row:row + 1]))
            walk_s = float(w[0]) if np.isfinite(w[0]) else None
        draft = ledger.dispatch_unit(self.rt.now(), to=to, team=team, person_id=person_id, by=by, task_id=task_id,
                                     walk_s=walk_s, x=x, y=y)
        return self._dispatched(self.rt.submit(draft))

    def take(self, resource_id: str, quantity: int = 1, **who: str | None) -> list[Event]:
        """Record units taken from an item (``by``, ``person_id``, ``task_id``)."""
        return self.rt.submit(ledger.take(self.inventory, self.ledger, resource_id, self.rt.now(), quantity, **who))

    def use(self, resource_id: str, quantity: int = 1, **who: str | None) -> list[Event]:
        """Record units used up (``by``, ``person_id``, ``task_id``)."""
        return self.rt.submit(ledger.use(self.inventory, self.ledger, resource_id, self.rt.now(), quantity, **who))

    def give_back(self, resource_id: str, quantity: int = 1, *, state: str = "ready", **who: str | None
                  ) -> list[Event]:
        """Record units returned (``state`` other than ``ready`` keeps them off the shelf)."""
        return self.rt.submit(ledger.give_back(self.inventory, self.ledger, resource_id, self.rt.now(), quantity,
                                               state=state, **who))

    def _walk_s(self, resource_id: str, x: float | None, y: float | None) -> float | None:
        if x is None or y is None:
            return None
        inv = self.inventory
        i = inv.row.get(resource_id)
        if i is None:
            return None
        nw = self.network()
        w, _, _ = nw.reach(x, y).walk(nw.join(inv.xy[i:i + 1]))
        return float(w[0]) if np.isfinite(w[0]) else None

    def _dispatched(self, events: list[Event]) -> list[Event]:
        if self.dispatch_hook is None:
            return events
        follow: list[Draft] = []
        for e in events:
            if e.type == ledger.DISPATCH:
                follow.extend(self.dispatch_hook(e))
        return events + (self.rt.submit(follow) if follow else [])
