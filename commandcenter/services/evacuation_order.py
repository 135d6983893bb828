"""Who a launch orders out: the ``evacuation.ordered`` of a plan launch or level raise, Qt-free.

When a plan is launched (or raised) at a level whose evacuation scope takes people in — the whole site,
everyone within a radius of the incident, or everyone in the plant zone holding it (``evacuation`` of the
engine's ``plan.launched`` / ``level.changed``) — everyone inside that scope *where they are at that moment*
is ordered to evacuate. Where they are is the log's last reported positions, else the plant's population
file (:class:`commandcenter.services.people.PeopleModel`); mustered and off-site people are not ordered
(:func:`commandcenter.services.launch_preview.evacuees`). The order is recorded once per launch or raise
(``order_id`` ``ORD-<seq of that event>``), whoever records it first — the window or the CLI — and names
nobody ordered out before. The field service turns it into an ``evacuate`` command to those people's devices
(:mod:`commandcenter.services.field.orders`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vocabulary.events import Draft

_HEADS = ("plan.launched", "level.changed")


def incident_origin(state: dict[str, Any] | None, alarm_id: str | None = None) -> tuple[float, float] | None:
    """Where the incident is (m, plant CRS): the place of alarm ``alarm_id`` (else of the newest alarm that has
    one and is not cleared), else the current hazard assessment's source; None when nothing says."""
    if state is None:
        return None
    alarms = state.get("alarms", {}).get("alarms", {})
    if alarm_id in alarms:
        picks = [alarms[alarm_id]]
    else:
        newest_first = [alarms[a] for a in reversed(state.get("alarms", {}).get("order", [])) if a in alarms]
        picks = [a for a in newest_first if a.get("state") != "cleared"]
    for a in picks:
        if _is_num(a.get("x")) and _is_num(a.get("y")):
            return float(a["x"]), float(a["y"])
    cur = state.get("hazard", {}).get("current") or {}
    src = cur.get("source") or {}
    if _is_num(src.get("x")) and _is_num(src.get("y")):
        return float(src["x"]), float(src["y"])
    return None


def order_payload(state: dict[str, Any] | None, plant: Any, events: Sequence[Any], positions: Any = None, *,
                  origin: tuple[float, float] | None = None, alarm_id: str | None = None) -> dict[str, Any] | None:
    """The ``evacuation.ordered`` payload for the launch or raise recorded in ``events`` (sealed events), or
    None: no launch or raise with an evacuation scope among them, the order recorded already, nobody (new)
    inside the scope, or a scope that needs the incident's place when it is not known.

    ``state``: the incident's folded state after ``events``; ``positions``: where everyone is (a
    :class:`gis.positions.PositionStore`; default: the log's positions over the plant's population file);
    ``origin``: the incident's place when the launch does not carry one (default :func:`incident_origin`);
    ``alarm_id``: the alarm the order answers (default: the launch's)."""
    from commandcenter.services.launch_preview import evacuees
    from commandcenter.services.people import PeopleModel

    head = next((e for e in events if e.type in _HEADS and isinstance(e.payload.get("evacuation"), dict)), None)
    if head is None or state is None:
        return None
    order_id = f"ORD-{head.seq}"
    if any(o.get("order_id") == order_id for o in state["muster"]["orders"]):
        return None  # recorded already (by this console or another)
    p = head.payload
    evac = p["evacuation"]
    scope, radius = str(evac.get("scope")), evac.get("radius_m")
    o = p.get("origin")
    if isinstance(o, dict) and _is_num(o.get("x")) and _is_num(o.get("y")):
        origin = (float(o["x"]), float(o["y"]))
    alarm_id = alarm_id or (p.get("alarm_id") if isinstance(p.get("alarm_id"), str) else None)
    if origin is None:
        origin = incident_origin(state, alarm_id)
    if positions is None and plant is not None:
        positions = PeopleModel(plant).positions(state)
    people = evacuees(plant, scope, radius, origin, positions)
    already = state["muster"]["ordered"]
    people = [x for x in people or () if x not in already]
    if not people:
        return None
    payload: dict[str, Any] = {"order_id": order_id, "people": people, "scope": scope,
                               "level": str(p.get("level") or p.get("to")), "plan_id": str(p.get("plan_id") or "")}
    if radius is not None:
        payload["radius_m"] = float(radius)
    if origin is not None:
        payload["x"], payload["y"] = origin
    if alarm_id:
        payload["alarm_id"] = alarm_id
    return payload


def order_evacuation(runtime: Any, events: Sequence[Any], *, positions: Any = None,
                     origin: tuple[float, float] | None = None, alarm_id: str | None = None,
                     by: str | None = None) -> list[Any]:
    """Record (in ``runtime``) the ``evacuation.ordered`` the launch or raise in ``events`` implies
    (:func:`order_payload`); returns the new events (none when there is nothing to order)."""
    payload = order_payload(runtime.state, runtime.plant, events, positions, origin=origin, alarm_id=alarm_id)
    if payload is None:
        return []
    if by:
        payload["by"] = by
    return runtime.submit(Draft("evacuation.ordered", runtime.now(), payload))


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
