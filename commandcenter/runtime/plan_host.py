"""The plans engine inside an incident: rebuilt from the log, expanding what producers submit.

:class:`plans.engine.PlanEngine` is deterministic: the same inputs at the same times give the same
outputs. So the engine of an open incident is *rebuilt* by feeding it the recorded inputs again at their
recorded times and discarding what it derives (that is in the log already); after a crash its
deadlines and escalations carry on where they were. Live, the host *expands* each submitted draft into
what to record: the deadlines that passed before it, the draft itself (a launch or level change is
replaced by the engine's own, fuller event), and what follows from it.

Inputs the engine consumes: ``plan.launched``, ``level.changed``, ``task.acknowledged|started|done|
skipped``, ``task.reassigned``, ``sensor.reading``, ``sensor.alarm``, ``position.reported``,
``incident.closed``. Every other event only moves the engine's clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from vocabulary import events as ev
from vocabulary.events import Draft, EventError, level_rank

_TASK_INPUTS = frozenset({ev.TASK_ACKNOWLEDGED, ev.TASK_STARTED, ev.TASK_DONE, ev.TASK_SKIPPED})
_HANDLED = _TASK_INPUTS | {ev.SENSOR_READING, ev.SENSOR_ALARM, ev.POSITION_REPORTED}
#: payload fields a producer may add to a launch or level change; the engine writes the rest
_LAUNCH_EXTRA = ("by", "console", "launch_key", "alarm_id", "assessment_id", "context")


class PlanHost:
    """One incident's plans engine (``engine`` is None without a plant: then launches are refused)."""

    def __init__(self, plant: Any, plans_dir: str | Path | None, incident_id: str, *, as_written: bool = False):
        """The engine over ``plant``'s roster and the valid plans in ``plans_dir`` (default: the bundled
        library). Without a plant there is no engine: launches are refused, or, with ``as_written``,
        recorded as written (the store's one-launch rule still applies)."""
        self.incident_id = incident_id
        self.engine = None
        self.as_written = as_written
        self.plans: dict[str, Any] = {}
        if plant is None or as_written:
            return
        from plans.engine import PlanEngine
        from plans.library import load_library, valid_plans

        plans_dir = Path(plans_dir) if plans_dir is not None else default_plans_dir()
        self.plans = valid_plans(load_library(plans_dir))
        self.engine = PlanEngine.for_plant(self.plans, plant, incident_prefix=incident_id)

    # ------------------------------------------------------------------ state
    @property
    def active(self) -> Any:
        """The engine's running plan incident (the one launched in this incident), or None."""
        if self.engine is None:
            return None
        running = [i for i in self.engine.incidents.values() if not i.closed]
        return running[0] if running else None

    def _clock_ok(self, t: dt.datetime) -> bool:
        return self.engine is not None and (self.engine.now is None or t >= self.engine.now)

    # ------------------------------------------------------------------ live
    def expand(self, draft: Draft) -> list[Draft]:
        """What to record for ``draft``: derived events due before it, the draft (or the engine's fuller
        version of a launch or level change), and what follows from it. Raises :class:`EventError` for a
        launch or level change the engine refuses (no plant, unknown plan, level not higher …).

        The engine sees the draft at ``max(draft.time, engine.now)``: after a ``tick()`` has moved the
        engine's clock to the incident's now without recording anything, a draft stamped a few ms earlier
        (a device's timestamp, another producer's clock) is normal in a live incident, and the engine's
        clock must never go backwards. The draft itself is recorded with its own time (that is when it
        happened, as its producer says); what the engine derives from it is stamped on the engine's clock,
        so it follows the draft in the log."""
        if self.engine is None:
            if draft.type in (ev.PLAN_LAUNCHED, ev.LEVEL_CHANGED) and not self.as_written:
                raise EventError("this incident has no plant, so no plan can be launched or raised", "plan")
            return [draft]
        seen = self._at_engine_time(draft)
        p = draft.payload
        if draft.type == ev.PLAN_LAUNCHED:
            return self._launch(seen, p)
        if draft.type == ev.LEVEL_CHANGED:
            return self._raise(seen, p)
        if draft.type == ev.TASK_REASSIGNED:
            return self._reassign(seen, p, draft.time)
        if draft.type == "incident.closed":
            out = self.engine.advance(seen.time)
            if self.active is not None:
                self.engine.close(self.active.id)
            return [*out, draft]
        if draft.type in _HANDLED:
            due = self.engine.advance(seen.time)  # stamped at their deadlines, before the draft
            p = self._with_incident(draft)
            return [*due, draft, *self.engine.handle(Draft(draft.type, seen.time, p))]
        return [*self.engine.advance(seen.time), draft]

    def _at_engine_time(self, draft: Draft) -> Draft:
        """``draft`` as the engine must see it: not earlier than the engine's clock (see :meth:`expand`)."""
        now = self.engine.now
        if now is None or draft.time >= now:
            return draft
        return Draft(draft.type, now, draft.payload)

    def expand_many(self, drafts: Sequence[Draft]) -> list[Draft]:
        """:meth:`expand` over a batch, in order, with the same result, but a run of position reports is handed
        to the engine in one step: the first report of the run moves the engine's clock as :meth:`expand`
        would (what fell due before it is recorded before it); the reports that follow it, in time order and
        before the engine's next deadline or trigger time, change nothing but the roster's positions, so
        they are set at once (one ``set_positions`` call) and the clock moved once, to the last of them.
        (Per report the engine would re-check every task deadline and every trigger: the cost of a busy
        feed of positions.)"""
        if self.engine is None:
            return [d for x in drafts for d in self.expand(x)]
        out: list[Draft] = []
        i, n = 0, len(drafts)
        while i < n:
            d = drafts[i]
            out += self.expand(d)
            i += 1
            if d.type != ev.POSITION_REPORTED:
                continue
            due, t = self.engine.next_due(), self.engine.now
            j = i
            while j < n and drafts[j].type == ev.POSITION_REPORTED and t <= drafts[j].time \
                    and (due is None or drafts[j].time < due):
                t = drafts[j].time
                j += 1
            if j > i:
                run = drafts[i:j]
                pl = [r.payload for r in run]
                self.engine.roster.set_positions([p["person_id"] for p in pl], [float(p["x"]) for p in pl],
                                                 [float(p["y"]) for p in pl])
                out += run
                out += self.engine.advance(t)  # nothing falls due before ``due``; kept for the engine's clock
                i = j
        return out

    def due_by(self, now: dt.datetime) -> bool:
        """Whether a deadline check or trigger time falls at or before ``now`` (else :meth:`advance` would
        derive nothing)."""
        if self.engine is None:
            return False
        due = self.engine.next_due()
        return due is not None and due <= now

    def advance(self, now: dt.datetime) -> list[Draft]:
        """Deadlines, escalations and trigger proposals due up to ``now``."""
        if not self._clock_ok(now):
            return []
        return self.engine.advance(now)

    def _with_incident(self, draft: Draft) -> dict[str, Any]:
        p = draft.payload
        if draft.type in _TASK_INPUTS and not p.get("incident_id") and self.active is not None:
            return {**p, "incident_id": self.active.id}
        return p

    def _launch(self, draft: Draft, p: dict[str, Any]) -> list[Draft]:
        if self.active is not None:
            if self.active.plan.id == p["plan_id"] and level_rank(str(p["level"])) <= level_rank(self.active.level):
                return []  # the same launch again (a second console, a double click): it happened once
            raise EventError(f"plan {self.active.plan.id} is already running in this incident at {self.active.level}; "
                             "raise its level instead", "plan_id")
        plan_id, level = str(p["plan_id"]), str(p["level"])
        if plan_id not in self.plans:
            raise EventError(f"no valid plan {plan_id!r} in the library", "plan_id")
        origin = p.get("origin")
        xy = (float(origin["x"]), float(origin["y"])) if isinstance(origin, dict) and "x" in origin else None
        try:
            ctx = p.get("context") if isinstance(p.get("context"), dict) else {}
            radii = {k: ctx.get(k) for k in ("cordon_m", "evacuation_m")
                     if isinstance(ctx.get(k), (int, float)) and not isinstance(ctx.get(k), bool)}
            out = self.engine.launch(plan_id, level, draft.time, incident_id=p.get("incident_id") or self.incident_id,
                                     origin_xy=xy, reason=str(p.get("reason") or "manual"),
                                     trigger_id=p.get("trigger_id"), radii=radii or None)
        except (KeyError, ValueError) as exc:
            raise EventError(str(exc).strip("'\""), "plan") from None
        for d in out:
            if d.type == ev.PLAN_LAUNCHED:
                d.payload.update({k: p[k] for k in _LAUNCH_EXTRA if p.get(k) is not None})
                break
        return out

    def _raise(self, draft: Draft, p: dict[str, Any]) -> list[Draft]:
        inc = self.active
        if inc is None:
            raise EventError("no plan is running in this incident; launch one first", "level")
        to = str(p["to"])
        if to == inc.level:
            raise EventError(f"the incident is already at {to}", "to")
        if level_rank(to) < level_rank(inc.level):
            # de-escalation: recorded with its reason; the tasks already given stay on the board, and a
            # later raise opens the higher level's tasks again only for those not yet created
            out = self.engine.advance(draft.time)
            payload = {**p, "from": inc.level, "plan_id": inc.plan.id, "incident_id": inc.id}
            inc.level = to
            return [*out, Draft(draft.type, draft.time, payload)]
        try:
            out = self.engine.raise_level(inc.id, to, draft.time, reason=str(p.get("reason") or "manual"))
        except (KeyError, ValueError) as exc:
            raise EventError(str(exc).strip("'\""), "to") from None
        for d in out:
            if d.type == ev.LEVEL_CHANGED and p.get("by"):
                d.payload["by"] = p["by"]
        return out

    def _reassign(self, draft: Draft, p: dict[str, Any], own_time: dt.datetime | None = None) -> list[Draft]:
        inc = self.active
        out = self.engine.advance(draft.time)
        if inc is None or str(p["task_id"]) not in inc.tasks:
            raise EventError(f"no task {p['task_id']!r} in the running plan", "task_id")
        run = inc.tasks[str(p["task_id"])]
        if run.state in ("done", "skipped"):
            raise EventError(f"task {run.id} is already {run.state}", "task_id")
        to = str(p["to_person_id"])
        if to not in self.engine.roster.row:
            raise EventError(f"no person {to!r} in the roster", "to_person_id")
        payload = {**p, "from_person_id": run.assignee}
        if run.assignee:
            inc.load[run.assignee] = max(0, inc.load.get(run.assignee, 0) - 1)
        run.assignee, run.state = to, "assigned"
        run.tried.append(to)
        inc.load[to] = inc.load.get(to, 0) + 1
        run.next_check = run.deadline if not run.overdue else draft.time + dt.timedelta(
            seconds=inc.plan.escalation_s)
        return [*out, Draft(draft.type, own_time or draft.time, payload)]

    # ------------------------------------------------------------------ rebuild
    def absorb(self, events: Iterable[Any]) -> None:
        """Feed recorded events (in log order) to the engine, discarding what it derives: rebuilds the
        engine's state after an open, a crash, or another writer's appends."""
        if self.engine is None:
            return
        run: list[Any] = []  # consecutive position reports, handed over in one step (see expand_many)
        for e in events:
            if e.type == ev.POSITION_REPORTED:
                run.append(e)  # a recorded event has the draft's type, time and payload
                continue
            if run:
                self._absorb_positions(run)
                run = []
            d = self._at_engine_time(Draft(e.type, e.time, e.payload))
            try:
                if e.type == ev.PLAN_LAUNCHED:
                    if self.active is None:
                        self._launch(d, e.payload)
                    else:
                        self.engine.advance(d.time)
                elif e.type == ev.LEVEL_CHANGED:
                    inc = self.active
                    if inc is not None and str(e.payload["to"]) != inc.level:
                        self._raise(d, e.payload)
                    else:
                        self.engine.advance(d.time)
                else:
                    self.expand(d)
            except EventError:
                self.engine.advance(d.time)  # recorded but not replayable (e.g. the plan left the library)
        if run:
            self._absorb_positions(run)

    def _absorb_positions(self, run: list[Any]) -> None:
        """A run of recorded position reports, as :meth:`expand_many` takes them (what it derives is dropped)."""
        now = self.engine.now
        if now is not None and run[0].time < now:  # the first report as the engine saw it when recorded
            run[0] = Draft(run[0].type, now, run[0].payload)
        self.expand_many(run)


def default_plans_dir() -> Path:
    """The bundled plan library (``data/plans``)."""
    from commandcenter.paths import DATA_DIR

    return DATA_DIR / "plans"
