"""The muster board (commandcenter.services.muster_board): who must muster, expected and arrived per assembly
point, the unaccounted with the age of their last position — against counts made by hand from the events."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from commandcenter.runtime import IncidentRuntime, ManualClock
from commandcenter.services.muster_board import muster_board
from commandcenter.services.people import PeopleModel
from commandcenter.store import EventStore
from gis.routing.hazard_graph import Hazard
from vocabulary.events import Draft

T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def rt(tmp_path, demo_plant):
    store = EventStore(tmp_path / "log.db")
    runtime = IncidentRuntime.create(store, title="muster", exercise=True, plant=demo_plant, clock=ManualClock(T0),
                                     engine=False)
    yield runtime
    store.close()


def _board(rt, plant, hazard=None):
    pm = PeopleModel(plant)
    return muster_board(plant, rt.state, pm.positions(rt.state), rt.now().timestamp(), hazard)


def test_before_an_order_nobody_is_missing(rt, demo_plant):
    board = _board(rt, demo_plant)
    assert board.on_site == len(demo_plant.population)
    assert board.ordered == 0
    assert board.unaccounted == []


def test_the_board_counts_down_as_people_check_in(rt, demo_plant):
    pop = demo_plant.population
    ordered = [str(i) for i in pop["id"][:30]]
    aps = demo_plant.layers["assembly_points"]
    rt.clock.advance(10)
    rt.submit(Draft("evacuation.ordered", rt.now(), {"order_id": "O1", "people": ordered, "scope": "site"}))
    board = _board(rt, demo_plant)
    assert board.ordered == 30
    assert len(board.unaccounted) == 30
    # expected per point: by hand, each ordered person's nearest assembly point in a straight line
    ap_xy = np.column_stack([aps.geometry.x, aps.geometry.y])
    by_hand: dict[str, int] = {}
    for pid in ordered:
        row = pop[pop["id"] == pid].iloc[0]
        k = int(np.argmin([(row.x - x) ** 2 + (row.y - y) ** 2 for x, y in ap_xy]))
        by_hand[str(aps.index[k])] = by_hand.get(str(aps.index[k]), 0) + 1
    assert {p.id: p.expected for p in board.points if p.expected} == by_hand
    for n, pid in enumerate(ordered[:20], 1):
        rt.clock.advance(2)
        rt.submit(Draft("person.mustered", rt.now(), {"person_id": pid, "assembly_point_id": "AP-01",
                                                      "method": "roll_call" if n % 2 else "badge"}))
        assert len(_board(rt, demo_plant).unaccounted) == 30 - n
    board = _board(rt, demo_plant)
    assert {p.id: p.arrived for p in board.points if p.arrived} == {"AP-01": 20}
    assert sum(m["method"] == "roll_call" for m in rt.state["muster"]["mustered"].values()) == 10


def test_responders_walk_ups_and_the_age_of_the_last_position(rt, demo_plant):
    pop = demo_plant.population
    a, b, c = (str(i) for i in pop["id"][:3])
    rt.clock.advance(5)
    rt.submit([Draft("evacuation.ordered", rt.now(), {"order_id": "O1", "people": [a, b, c]}),
               Draft("position.reported", rt.now(), {"person_id": b, "x": 669700.0, "y": 3570000.0}),
               Draft("task.assigned", rt.now(), {"task_id": "T1", "person_id": c}),
               Draft("task.acknowledged", rt.now(), {"task_id": "T1", "person_id": c}),
               Draft("person.added", rt.now(), {"person_id": "W-1", "name": "Visitor One", "kind": "visitor",
                                                "assembly_point_id": "AP-02"}),
               Draft("person.mustered", rt.now(), {"person_id": "W-1", "assembly_point_id": "AP-02",
                                                   "method": "walk_up"})])
    rt.clock.advance(40)
    red = Hazard.from_zones({"red": __import__("shapely").Point(669700.0, 3570000.0).buffer(30.0)})
    board = _board(rt, demo_plant, red)
    assert board.responders == [c]
    assert board.on_site == len(pop) + 1  # the walk-up is on site
    lost = {u.person_id: u for u in board.unaccounted}
    assert set(lost) == {a, b}
    assert lost[b].age_s == pytest.approx(40.0)
    assert lost[b].zone == "red"
    assert lost[a].age_s is None  # never reported: the population file's place
    assert board.unaccounted[0].person_id == b  # inside the red zone first
