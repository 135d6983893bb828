"""The launch confirmation and the launch itself evacuate what the recorded hazard assessment says (its
evacuation distance), not the plan's default radius, and cordon at the assessed red reach."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from commandcenter.runtime import IncidentRuntime, ManualClock
from commandcenter.services.launch_preview import assessed_radii, preview
from commandcenter.services.people import PeopleModel
from commandcenter.store import EventStore

T0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
SQUARE = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]


@pytest.fixture
def rt(tmp_path, demo_plant):
    store = EventStore(tmp_path / "log.db")
    runtime = IncidentRuntime.create(store, title="H2S", exercise=True, plant=demo_plant, clock=ManualClock(T0))
    yield runtime
    store.close()


def _assess(rt, cordon_m: float | None, evacuation_m: float | None) -> None:
    rt.record("hazard.assessed", {"assessment_id": "A1", "substance": "H2S", "cordon_m": cordon_m,
                                  "evacuation_m": evacuation_m,
                                  "zones": [{"level": "red",
                                             "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}]})


def test_the_radii_are_those_the_zones_gave_and_none_beyond_reach():
    state = {"hazard": {"current": {"cordon_m": 510.0, "evacuation_m": None}}}
    assert assessed_radii(state) == {"cordon_m": 510.0}
    assert assessed_radii({"hazard": {"current": None}}) == {}
    assert assessed_radii({"hazard": {"current": {"cordon_m": float("nan"), "evacuation_m": 730.0}}}) == {
        "evacuation_m": 730.0}


def test_the_confirmation_counts_everyone_within_the_assessed_evacuation_distance(rt, demo_plant):
    _assess(rt, 510.0, 730.0)
    origin = (float(demo_plant.population["x"].iloc[0]), float(demo_plant.population["y"].iloc[0]))
    positions = PeopleModel(demo_plant).positions(rt.state)
    pv = preview(rt, "h2s-release", "L3", origin=origin, positions=positions)
    assert pv.radius_m == 730.0  # the plan's L3 says 500 m
    # by hand: every person of the population file within 730 m of the origin (nobody has reported yet)
    within = {str(p) for p, x, y in zip(demo_plant.population["id"], demo_plant.population["x"],
                                        demo_plant.population["y"], strict=True)
              if math.hypot(x - origin[0], y - origin[1]) <= 730.0}
    assert set(pv.evacuate) == within
    assert len(within) > len([1 for x, y in zip(demo_plant.population["x"], demo_plant.population["y"], strict=True)
                              if math.hypot(x - origin[0], y - origin[1]) <= 500.0])


def test_the_cordon_task_states_the_assessed_red_reach(rt, demo_plant):
    _assess(rt, 510.0, 730.0)
    origin = (float(np.mean(demo_plant.population["x"])), float(np.mean(demo_plant.population["y"])))
    events = rt.launch("h2s-release", "L3", assessment_id="A1", origin=origin, context=assessed_radii(rt.state))
    head = next(e for e in events if e.type == "plan.launched")
    assert head.payload["evacuation"]["radius_m"] == 730.0
    titles = {e.payload["task_id"].rsplit(":", 1)[-1] if ":" in e.payload["task_id"] else e.payload["task_id"]:
              e.payload["title"]["en"] for e in events if e.type == "task.assigned"}
    cordon = next(t for k, t in titles.items() if k.endswith("cordon"))
    assert cordon.startswith("Set up a 510 m cordon")  # the plan file says {cordon_m|200}
    assert not any("500 m" in t or "200 m" in t for t in titles.values())
