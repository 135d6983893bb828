"""Shortages of a launched plan: needs from the plan file, availability outside the hazard, the request."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely
import yaml

from gis.routing.hazard_graph import Hazard
from plans.library import load_library, valid_plans
from resources import ledger
from resources.inventory import load_inventory
from resources.shortages import delivery_point, plan_needs, request_drafts, shortages
from resources.walking import WalkNetwork
from tests.conftest import REPO
from vocabulary.events import LEVELS, validate

from .conftest import TODAY
from .plants import E0, N0, RED_CUT, P, g

PLANS = REPO / "data" / "plans"
T = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def library():
    return valid_plans(load_library(PLANS))


@pytest.mark.parametrize("plan_id", ["cl2-release", "chemical-splash", "tank-fire"])
@pytest.mark.parametrize("level", ["L1", "L3"])
def test_needs_add_up_the_task_resources_of_the_level_and_respect_supplies(library, plan_id, level):
    """Oracle: the YAML read directly — tasks at or below the level, resources as `kind` or {kind, quantity}."""
    path = next(p for p in PLANS.glob("*.yaml") if yaml.safe_load(p.read_text(encoding="utf-8"))["id"] == plan_id)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    want: dict[str, int] = {}
    for task in doc["tasks"]:
        if LEVELS.index(task["level"]) <= LEVELS.index(level):
            for r in task.get("resources") or []:
                kind, q = (r, 1) if isinstance(r, str) else (r["kind"], r.get("quantity", 1))
                want[kind] = want.get(kind, 0) + q
    for sup in doc.get("supplies") or []:
        want[sup["kind"]] = max(want.get(sup["kind"], 0), sup["quantity"])
    got = {k: n.quantity for k, n in plan_needs(library[plan_id], level).items()}
    assert got == want


class _Plan:
    """A stand-in plan with two tasks needing SCBA sets and a supplies floor of first-aid kits."""

    class _Need:
        def __init__(self, kind, quantity):
            self.kind, self.quantity = kind, quantity

    class _Task:
        def __init__(self, tid, needs):
            self.id, self.resources = tid, needs

    def __init__(self, scba_each):
        self.supplies = [self._Need("first_aid", 2)]
        self._tasks = [self._Task("entry", [self._Need("scba", scba_each)]),
                       self._Task("backup", [self._Need("scba", scba_each)])]

    def tasks_at(self, level):
        return self._tasks


@pytest.fixture(scope="module")
def setup(detour):
    return load_inventory(detour, TODAY), WalkNetwork.of_plant(detour)


def test_red_zone_makes_the_plan_short_and_the_request_goes_to_the_gate(detour, setup):
    inv, net = setup
    red = shapely.Polygon([g(*p) for p in RED_CUT])
    reach = net.with_hazard(Hazard([red], ["red"])).reach(E0 + P[0], N0 + P[1])
    needs = plan_needs(_Plan(3), "L1")
    short = shortages(needs, inv, reach)
    # scba: 6 needed, S1 + S2 = 4 outside red, S3's 4 inside, S4 expired; first_aid: K1 in maintenance
    assert [s.to_dict() for s in short] == [
        {"kind": "scba", "needed": 6, "available": 4, "in_hazard": 4, "requested": 0, "short": 2,
         "tasks": ["entry", "backup"]},
        {"kind": "first_aid", "needed": 2, "available": 0, "in_hazard": 0, "requested": 0, "short": 2,
         "tasks": ["supplies"]}]
    deliver = delivery_point(reach, detour.layers["exits"])
    assert deliver["id"] == "G1"
    drafts = request_drafts(short, T, deliver, plan_id="p", level="L1", by="commander")
    for d in drafts:
        validate(d.type, d.payload)
    assert [(d.payload["kind"], d.payload["quantity"], d.payload["deliver_to"]) for d in drafts] == [
        ("scba", 2, "G1"), ("first_aid", 2, "G1")]
    assert (drafts[0].payload["x"], drafts[0].payload["y"]) == pytest.approx(tuple(g(205, 0)))
    # without the hazard the road is open and S3's sets count
    assert [s.kind for s in shortages(needs, inv, net.reach(E0 + P[0], N0 + P[1]))] == ["first_aid"]


def test_requested_and_taken_units_are_counted(setup):
    inv, net = setup
    reach = net.reach(E0 + P[0], N0 + P[1])
    needs = plan_needs(_Plan(4), "L1")  # 8 sets; S1 + S2 + S3 = 8 without a hazard
    assert [s.kind for s in shortages(needs, inv, reach)] == ["first_aid"]
    s = ledger.empty()
    d = ledger.take(inv, s, "S3", T, 3)
    ledger.apply(s, d.type, d.payload)
    short = shortages(needs, inv, reach, ledger.free_units(inv, s), {"scba": 1})
    assert (short[0].kind, short[0].available, short[0].requested, short[0].short) == ("scba", 5, 1, 2)


def test_gate_inside_a_zone_is_not_a_delivery_point(detour, setup):
    _, net = setup
    yellow = shapely.Point(g(205, 0)).buffer(15.0)  # over the east gate
    reach = net.with_hazard(Hazard([yellow], ["yellow"])).reach(E0 + P[0], N0 + P[1])
    assert delivery_point(reach, detour.layers["exits"])["id"] == "G2"
