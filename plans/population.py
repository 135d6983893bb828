"""Who an incident must account for: one set of named groups, defined once from the log, that every people
figure counts — the after-action report's (:mod:`commandcenter.report`: headline, muster curve, maps,
evacuation accuracy, findings) and the drill's (:func:`simulation.metrics.drill_metrics`, the ``drill run``
JSON), so both documents state the same numbers under the same names.

* **on site** — the people the log shows on site: everyone whose last gate badge (``person.badged``) at the
  alarm was ``in``, and everyone else the log names as a person on site (position reports, SOS, an
  evacuation order or plan, a task, a check-in at an assembly point, a walk-up, the exposure assessment).
  A log without gate badges or a roster cannot name people who never reported: ``on_site_basis`` says so;
* **ordered to evacuate** — the people ``evacuation.ordered`` named; without an order, the people an
  ``evacuation.planned`` routed or could not route (a simulated drill orders out whoever its plan routes);
  without either, the recipients of ``evacuate``/``muster`` commands; without any, everyone on site;
* **walk-ups** — people checked in by hand who were not on the roster (``person.added``: visitors,
  contractors);
* **to account for** — ordered ∪ walk-ups; every person in it is exactly one of
  **mustered** (a ``person.mustered``), **at their task** (a responder: answered a task assignment —
  ``task.acknowledged``/``started``/``done`` naming them — and never mustered) or **not accounted for**;
  so mustered + at their task + not accounted for = to account for;
* **mustered, not ordered** — people who mustered but were not in the group (they are shown, not counted
  in the group's figures).

A person is *accounted for* from their first muster or first task answer, whichever came first: the muster
curve counts that against the group's size.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vocabulary.events import to_us

#: the sensor alarm levels that count as an alarm; the command kinds that order people out
ALARM_LEVELS = ("warn", "alarm")
EVACUATE_KINDS = ("evacuate", "muster")
#: the events by which a responder answers a task assignment
ANSWERS = ("task.acknowledged", "task.started", "task.done")


@dataclass
class Population:
    """The named groups of people (ids sorted) and the times that place them (µs since the epoch)."""

    alarm_us: int
    alarm_basis: str  # alarm | launch | opened
    on_site_basis: str  # gate | seen
    on_site: list[str]
    ordered_basis: str  # evacuation_ordered | evacuation_plan | evacuate_command | on_site | none
    ordered: list[str]
    walk_ups: list[str]
    group: list[str]
    mustered: dict[str, tuple[int, str]]  # group member → (first muster time, assembly point)
    on_task: dict[str, int]  # group member who never mustered → first task answer time
    unaccounted: list[str]
    mustered_not_ordered: dict[str, tuple[int, str]] = field(default_factory=dict)
    accounted_us: dict[str, int] = field(default_factory=dict)  # group member → time accounted for

    def counts(self) -> dict[str, int]:
        """The group sizes (the report's one population statement)."""
        return {"on_site": len(self.on_site), "ordered": len(self.ordered), "walk_ups": len(self.walk_ups),
                "to_account_for": len(self.group), "mustered": len(self.mustered), "on_task": len(self.on_task),
                "not_accounted_for": len(self.unaccounted), "mustered_not_ordered": len(self.mustered_not_ordered)}

    def counts_at(self, t_us: int) -> dict[str, int]:
        """The group's state at ``t_us``: mustered, at their task, not yet accounted for (they add up to the
        group's size), and the people mustered by then who were not in the group."""
        mustered = sum(1 for t, _ap in self.mustered.values() if t <= t_us)
        on_task = sum(1 for p, t in self.accounted_us.items()
                      if t <= t_us and not (p in self.mustered and self.mustered[p][0] <= t_us))
        return {"to_account_for": len(self.group), "mustered": mustered, "on_task": on_task,
                "not_accounted_for": len(self.group) - mustered - on_task,
                "mustered_not_ordered": sum(1 for t, _ap in self.mustered_not_ordered.values() if t <= t_us)}

    def accounted_by(self, fraction: float) -> int | None:
        """When ``fraction`` (0–1] of the group had been accounted for (µs since the epoch): the
        ⌈fraction·n⌉-th first-muster-or-task-answer time of the group's n people; None for an empty group or
        while fewer were ever accounted for (so ``accounted_by(1.0)`` is "all accounted for")."""
        if not 0.0 < fraction <= 1.0:
            raise ValueError(f"fraction must be in (0, 1], got {fraction!r}")
        n = len(self.group)
        need = max(1, math.ceil(fraction * n - 1e-9)) if n else 0
        times = sorted(self.accounted_us.values())
        return times[need - 1] if n and len(times) >= need else None


def _ids(v: Any) -> set[str]:
    if v is None:
        return set()
    return {str(x) for x in v} if isinstance(v, list) else {str(v)}


def _first_alarm(records: list[Any]) -> tuple[int, str]:
    for r in records:
        if (r.type == "sensor.alarm" and r.payload.get("level") in ALARM_LEVELS) or r.type == "alarm.raised":
            return r.t_us, "alarm"
    launch = next((r for r in records if r.type == "plan.launched"), None)
    return (launch.t_us, "launch") if launch is not None else (records[0].t_us, "opened")


def population_of(records: list[Any], people_seen: Iterable[str] = ()) -> Population:
    """The report's groups from the incident's events (``people_seen``: the ids of the position reports,
    which the report reads apart from the other events)."""
    alarm_us, alarm_basis = _first_alarm(records)
    gate: dict[str, str] = {}
    seen = {str(p) for p in people_seen}
    ordered_ev: set[str] = set()
    has_order = False
    planned: set[str] = set()
    has_plan = False
    commanded: set[str] = set()
    walk_ups: dict[str, None] = {}
    answered: dict[str, int] = {}
    mustered_all: dict[str, tuple[int, str]] = {}
    for r in records:
        p = r.payload
        if r.type == "person.badged":
            if r.t_us <= alarm_us:
                gate[str(p["person_id"])] = str(p.get("direction"))
            elif p.get("direction") == "in":
                seen.add(str(p["person_id"]))
        elif r.type == "evacuation.ordered":
            has_order = True
            ordered_ev |= _ids(p.get("people"))
        elif r.type == "evacuation.planned":
            has_plan = True
            for key in ("people", "unroutable"):
                planned |= {str(x.get("person_id") or x.get("id")) for x in p.get(key) or []
                            if isinstance(x, dict) and (x.get("person_id") or x.get("id"))}
        elif r.type == "command.sent" and p.get("kind") in EVACUATE_KINDS:
            commanded |= _ids(p.get("to"))
        elif r.type in ANSWERS and p.get("person_id"):
            answered.setdefault(str(p["person_id"]), r.t_us)
        elif r.type == "person.mustered":
            mustered_all.setdefault(str(p["person_id"]), (r.t_us, str(p["assembly_point_id"])))
        elif r.type == "person.added":
            walk_ups[str(p["person_id"])] = None
        elif r.type == "person.sos" or (r.type == "task.assigned" and p.get("person_id")):
            seen.add(str(p["person_id"]))
        elif r.type == "exposure.assessed":
            seen |= {str(x["person_id"]) for x in p.get("people") or [] if isinstance(x, dict) and x.get("person_id")}
    seen |= ordered_ev | planned | set(walk_ups) | set(mustered_all) | set(answered)
    gate_in = {pid for pid, d in gate.items() if d == "in"}
    on_site = gate_in | seen
    if has_order:
        basis, ordered = "evacuation_ordered", ordered_ev
    elif has_plan:
        basis, ordered = "evacuation_plan", planned
    elif commanded:
        basis, ordered = "evacuate_command", commanded
    elif on_site:
        basis, ordered = "on_site", set(on_site)
    else:
        basis, ordered = "none", set()
    group = ordered | set(walk_ups)
    mustered = {pid: v for pid, v in mustered_all.items() if pid in group}
    on_task = {pid: answered[pid] for pid in group if pid in answered and pid not in mustered}
    accounted: dict[str, int] = {}
    for pid in group:
        times = [t for t in (mustered.get(pid, (None,))[0], answered.get(pid)) if t is not None]
        if times:
            accounted[pid] = min(times)
    return Population(alarm_us, alarm_basis, "gate" if gate else "seen", sorted(on_site), basis, sorted(ordered),
                      sorted(walk_ups), sorted(group), mustered, on_task,
                      sorted(group - set(mustered) - set(on_task)),
                      {pid: v for pid, v in mustered_all.items() if pid not in group},
                      accounted)


@dataclass(frozen=True)
class _Rec:
    t_us: int
    type: str
    payload: dict[str, Any]


def population_of_events(events: Iterable[Any]) -> Population:
    """:func:`population_of` for events as a log or a simulation holds them — each with ``type``, ``payload``
    and either ``t_us`` (µs since the epoch) or an aware ``time`` — position reports included: their people
    are the ones seen on site, as the report reads them from the position tracks."""
    records: list[Any] = []
    seen: set[str] = set()
    for e in events:
        if e.type == "position.reported":
            if e.payload.get("person_id"):
                seen.add(str(e.payload["person_id"]))
            continue
        records.append(e if hasattr(e, "t_us") else _Rec(to_us(e.time), e.type, e.payload))
    if not records:
        raise ValueError("no events")
    return population_of(records, seen)
