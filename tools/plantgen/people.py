"""The people of the demo plant: a roster of about 330 (day staff, three shift crews, contractors,
visitors) and where everyone on site is at 10:00 on a weekday.

Names are drawn from common Chinese surnames (weighted, most common first) and given-name
characters; teams, roles and places come from :mod:`tools.plantgen.tables`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import LineString, Point

from tools.plantgen import tables
from tools.plantgen.layout import Layout
from tools.plantgen.tables import Group

QUALIFICATIONS = ("scba", "first_aid", "cpr", "hot_work", "confined_space", "work_at_height", "electrical",
                  "hazmat", "fire_fighting", "forklift", "crane", "gas_testing", "incident_command",
                  "emergency_medical", "pressure_vessel")


@dataclass
class Person:
    row: dict[str, str]
    places: str
    present: bool


def roster(rng: random.Random, phones: set[str]) -> tuple[list[Person], dict[str, str]]:
    """About 330 people (day staff, three shift crews, contractors, visitors) and the zone owners' ids.

    ``phones`` holds the numbers already given out (in other plants of a park) and is updated.
    """
    surnames, given_chars, phone_prefixes = tables.names()
    by_role, by_trade = tables.qualifications()
    names: set[str] = set()
    weights = [len(surnames) - i for i in range(len(surnames))]  # common surnames first
    people: list[Person] = []
    owners: dict[str, str] = {}
    count = {"E": 0, "C": 0, "V": 0, "DEV": 0}

    def name() -> str:
        while True:
            given = "".join(rng.choice(given_chars) for _ in range(1 if rng.random() < 0.3 else 2))
            full = rng.choices(surnames, weights)[0] + given
            if full not in names:
                names.add(full)
                return full

    def phone() -> str:
        while True:
            number = rng.choice(phone_prefixes) + f"{rng.randrange(10 ** 8):08d}"
            if number not in phones:
                phones.add(number)
                return number

    def quals(grp: Group) -> str:
        always, maybe = by_trade[grp.trade] if grp.trade else by_role[grp.role]
        held = set(always) | {q for q in maybe if rng.random() < 0.4}
        return ";".join(q for q in QUALIFICATIONS if q in held)

    def add(groups: list[Group], shift: str, on_site: bool) -> None:
        for grp in groups:
            for _ in range(grp.n):
                kind = {"visitor": "V", "contractor": "C"}.get(grp.role, "E")
                count[kind] += 1
                pid = f"{kind}{count[kind]:04d}"
                if kind == "V":
                    dev = f"TAG-V{count['V']:03d}"
                else:
                    count["DEV"] += 1
                    dev = f"DEV-{count['DEV']:04d}"
                if grp.owner_key:
                    owners[grp.owner_key] = pid
                row = {"id": pid, "name": name(), "role": grp.role, "team": grp.team, "phone": phone(),
                       "qualifications": quals(grp), "home_zone": grp.zone, "device_id": dev, "shift": shift}
                on_leave = shift == "day" and kind == "E" and grp.n > 1 and rng.random() < 0.04
                people.append(Person(row, grp.places, on_site and not on_leave))

    add(tables.groups("day"), "day", True)
    for shift in ("A", "B", "C"):
        add(tables.groups("shift", shift), shift, shift == "A")
    add(tables.groups("contractors"), "day", True)
    add(tables.groups("visitors"), "day", True)
    return people, owners


def _pick_place(rng: random.Random, places: str) -> str:
    items = [item.partition(":") for item in places.split()]
    weights = [float(w) if w else 1.0 for _, _, w in items]
    return rng.choices([p for p, _, _ in items], weights)[0]


def _beside(rng: random.Random, line: LineString, offset: float) -> tuple[float, float]:
    """A random point ``offset`` metres to the side of a random point of a straight line."""
    (ax, ay), (bx, by) = line.coords[0], line.coords[-1]
    t = rng.uniform(0.05, 0.95)
    n = math.hypot(bx - ax, by - ay)
    return ax + t * (bx - ax) - (by - ay) / n * offset, ay + t * (by - ay) + (bx - ax) / n * offset


def population(rng: random.Random, layout: Layout, people: list[Person]) -> list[dict[str, Any]]:
    """Weekday 10:00 positions (local metres) of everyone on site.

    That is the day staff (less a few on leave), shift A, the contractors and the visitors: indoors on
    a ground-floor corridor of their work building, or outdoors beside a walkway of their home zone.
    Speed and pre-movement time are left to the model, except for three impaired people (slow) and
    the control-room operators (who stay five minutes to bring the plant to a safe state).
    """
    solids = shapely.union_all([p.buffer(0.3) for p in layout.solids])
    shapely.prepare(solids)
    present = [p for p in people if p.present]
    visitors = [p.row["id"] for p in present if p.row["role"] == "visitor"]
    staff = [p.row["id"] for p in present if p.row["role"] in ("admin_staff", "lab_analyst", "canteen_staff")]
    impaired = set(rng.sample(visitors, 1) + rng.sample(staff, 2))  # e.g. a sprained ankle, late pregnancy
    rows: list[dict[str, Any]] = []
    for person in present:
        place = _pick_place(rng, person.places)
        if place.startswith("Z-"):
            lines = layout.zone_lines[place]
            while True:
                xy = _beside(rng, rng.choice(lines), rng.choice((-1.0, 1.0)) * rng.uniform(0.6, 3.0))
                if not solids.contains(Point(xy)):
                    break
        else:
            xy = _beside(rng, rng.choice(layout.rooms[place]), rng.uniform(-1.2, 1.2))
        pid = person.row["id"]
        row: dict[str, Any] = {"id": pid, "x": xy[0], "y": xy[1], "speed_mps": "", "premovement_s": "",
                               "mobility": "normal"}
        if pid in impaired:
            row["mobility"] = "impaired"
            row["speed_mps"] = f"{rng.uniform(0.45, 0.7):.2f}"
        if person.row["role"] == "control_room_operator":
            row["premovement_s"] = "300"
        rows.append(row)
    return rows

