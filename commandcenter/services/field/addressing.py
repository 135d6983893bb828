"""Command addresses expanded to devices when the command is issued (``shared/spec/field-protocol.md``,
"Addressing"): ``all``, ``device:ID``, ``person:ID``, ``team:T``, ``role:R``, ``zone:Z``.

The recipients of an incident are its enrolled devices (``device.enrolled``, with person, team and role). In
a real incident the plant roster's devices count as enrolled too; in an exercise only the devices enrolled
in the drill do — everything else is a live recipient, outside the exercise. Revoked devices never count.
"""

from __future__ import annotations

from typing import Any

from commandcenter.services.field.geo import PlantGeo

KINDS = ("all", "device", "person", "team", "role", "zone")


class AddressError(ValueError):
    """A target that cannot be expanded (unknown form, unknown zone, or no device behind it)."""


def recipients(state: dict[str, Any], exercise: bool, geo: PlantGeo | None) -> dict[str, dict[str, Any]]:
    """Device id → ``{"person_id", "team", "role", "kind"}`` for every device that may be commanded."""
    devs = state["comms"]["devices"]
    out: dict[str, dict[str, Any]] = {}
    if not exercise and geo is not None:
        for pid, r in geo.roster.items():
            if r["device_id"]:
                out[r["device_id"]] = {"person_id": pid, "team": r["team"], "role": r["role"], "kind": "phone"}
    for dev, d in devs.items():
        if d["enrolled"]:
            base = out.get(dev, {})
            out[dev] = {k: d.get(k) if d.get(k) is not None else base.get(k) for k in ("person_id", "team", "role",
                                                                                      "kind")}
    return {dev: v for dev, v in out.items() if not devs.get(dev, {}).get("revoked")}


def positions(state: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Person id → last reported (x, y) in metres, for everyone with a position."""
    return {pid: (p["x"], p["y"]) for pid, p in state["personnel"]["people"].items()
            if p.get("x") is not None and p.get("y") is not None}


def resolve(target: str, state: dict[str, Any], exercise: bool, geo: PlantGeo | None) -> list[str]:
    """The devices ``target`` stands for, sorted; :class:`AddressError` naming what is wrong."""
    kind, _, value = str(target).partition(":")
    if kind not in KINDS or (kind == "all") != (value == "" and ":" not in target):
        raise AddressError(f"target {target!r}: expected all, device:ID, person:ID, team:T, role:R or zone:Z")
    rec = recipients(state, exercise, geo)
    if kind == "all":
        found = list(rec)
    elif kind == "device":
        found = [value] if value in rec else []
        if not found:
            raise AddressError(f"target {target!r}: device {value} is not "
                               + ("enrolled in this exercise" if exercise else "enrolled or revoked"))
    elif kind == "person":
        found = [d for d, r in rec.items() if r.get("person_id") == value]
    elif kind in ("team", "role"):
        found = [d for d, r in rec.items() if r.get(kind) == value]
    else:
        if geo is None:
            raise AddressError(f"target {target!r}: zone addressing needs the plant (--plant)")
        if value not in geo.zones:
            raise AddressError(f"target {target!r}: no zone {value!r} in the plant (zones: "
                               f"{', '.join(sorted(geo.zones)[:10])})")
        inside = set(geo.people_in_zone(value, positions(state)))
        found = [d for d, r in rec.items() if r.get("person_id") in inside]
    if not found:
        raise AddressError(f"target {target!r} resolves to no device")
    return sorted(found)
