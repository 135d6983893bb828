"""#11 item 3: a new wind reading re-plans the live incident — a new assessment of the same release in the new
wind, and new routes for the people the new zones affect — through the runtime, whoever records the reading.

The plant is the mini plant with one more walkway (L3, from the top of ladder L2 west to road R2), so that the
person by the drum (P002) has two ways out: down W2 next to the drum, or over L2/L3 to R2.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path

import pytest
import shapely

from tests.conftest import MINI_PLANT

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SOURCE = (668150.0, 3571090.0)  # H1, the H2S drum
RATE_KG_S = 0.2


@pytest.fixture(scope="module")
def plant_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("wind") / "plant"
    shutil.copytree(MINI_PLANT, d)
    p = d / "walkways.geojson"
    doc = json.loads(p.read_text(encoding="utf-8"))
    doc["features"].append({"type": "Feature", "properties": {"id": "L3", "kind": "walkway", "width_m": 1.5},
                            "geometry": {"type": "LineString",
                                         "coordinates": [[668125.0, 3571090.0], [668100.0, 3571090.0]]}})
    p.write_text(json.dumps(doc), encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def plant(plant_dir: Path):
    from gis.loader import load_plant

    return load_plant(plant_dir)


def _open_incident(tmp_path: Path, plant, plant_dir: Path, wind_from: float = 90.0):  # type: ignore[no-untyped-def]
    """An incident with an assessment of H1 leaking in a 2 m/s class D wind from ``wind_from`` and a capacity
    evacuation plan around its zones, both recorded through the runtime."""
    from commandcenter.runtime import IncidentRuntime, ManualClock
    from commandcenter.services.assessment import assess_equipment, assessed_draft
    from commandcenter.services.evacuation import evacuation_draft
    from commandcenter.services.zones import hazard_from_payload
    from commandcenter.store import EventStore
    from gis.hazards.weather import WeatherInput, plant_lonlat, resolve_weather
    from gis.routing.people import people_of_plant
    from gis.routing.plan import plan_evacuation
    from gis.routing.site import Site

    store = EventStore(tmp_path / "log.db")
    rt = IncidentRuntime.create(store, title="H2S drum leak", exercise=True, plant=plant, clock=ManualClock(T0))
    lon, lat = plant_lonlat(plant)
    a = assess_equipment(plant, "H1", resolve_weather(WeatherInput(2.0, wind_from, stability="D"), lat, lon),
                         rate_kg_s=RATE_KG_S)
    rt.submit(assessed_draft(a, rt.now(), by="console"))
    zones = hazard_from_payload(rt.state["hazard"]["current"]["zones"])
    plan = plan_evacuation(Site.of_plant(plant), people_of_plant(plant), zones, "capacity", optimise_s=0.0)
    rt.submit(evacuation_draft(plan, rt.now(), assessment_id=a.assessment_id, by="console"))
    rt.clock.advance(120)
    return rt


def _red(payload_zones: list) -> shapely.Geometry:
    from commandcenter.services.zones import hazard_from_payload

    hz = hazard_from_payload(payload_zones)
    return shapely.union_all([g for g, lv in zip(hz.polygons, hz.levels, strict=True) if lv == "red"])


def _route_lines(plant, row: dict) -> list[shapely.LineString]:  # type: ignore[no-untyped-def]
    return [shapely.LineString(plant.graph.edge_coords[e]) for e in row["edges"]]


def _along(bearing_deg: float, d: float) -> shapely.Point:
    """The point ``d`` metres from the source towards ``bearing_deg`` (clockwise from north)."""
    b = math.radians(bearing_deg)
    return shapely.Point(SOURCE[0] + d * math.sin(b), SOURCE[1] + d * math.cos(b))


def test_a_wind_turned_90_degrees_reassesses_and_reroutes_around_the_new_red_zone(tmp_path, plant, plant_dir):
    from commandcenter.services.evacuation import WIND_REPLAN_BY, replan_after_weather

    rt = _open_incident(tmp_path, plant, plant_dir, wind_from=90.0)
    before = rt.state["hazard"]
    old_assessment, old_plan = before["current"], before["evacuation"]
    seq = rt.state["seq"]
    ev = rt.record("weather.observed", {"wind_speed_mps": 2.0, "wind_from_deg": 0.0, "station_id": "WS-1"})
    results = replan_after_weather(rt, [ev])
    assert [r.outcome for r in results] == ["replanned"], results[0].reason
    new = [e for e in rt.store.events(rt.incident_id, after_seq=seq) if e.type != "weather.observed"]
    assert [e.type for e in new] == ["hazard.assessed", "evacuation.planned"]
    assessed, planned = new[0].payload, new[1].payload

    # the same release, the new wind (the station gave no class: the assessment's D is kept)
    assert assessed["by"] == WIND_REPLAN_BY
    assert assessed["assessment_id"] != old_assessment["id"]
    assert assessed["source"]["id"] == "H1"
    assert assessed["substance"] == old_assessment["substance"]
    assert assessed["rate_kg_s"] == pytest.approx(RATE_KG_S)
    assert (assessed["weather"]["wind_speed_mps"], assessed["weather"]["wind_from_deg"],
            assessed["weather"]["stability"]) == (2.0, 0.0, "D")

    # oracle by hand: a wind FROM the north carries the cloud TO the south (bearing 180°); before, from the
    # east, it went west (270°)
    red, old_red = _red(assessed["zones"]), _red(old_assessment["zones"])
    reach = assessed["reach_m"]["red"]
    assert reach > 50
    for d in (0.25 * reach, 0.5 * reach, 0.9 * reach):
        assert red.contains(_along(180.0, d))
        assert not red.contains(_along(270.0, d))
        assert old_red.contains(_along(270.0, d))
        assert not old_red.contains(_along(180.0, d))
    c = red.centroid
    assert math.degrees(math.atan2(c.x - SOURCE[0], c.y - SOURCE[1])) % 360 == pytest.approx(180.0, abs=1.0)

    # the plan: for the new assessment, and nobody's route crosses the new red zone (nobody starts in it)
    assert planned["assessment_id"] == assessed["assessment_id"]
    assert planned["by"] == WIND_REPLAN_BY
    rows = {r["person_id"]: r for r in planned["people"]}
    people = plant.population.set_index("id")
    for pid, row in rows.items():
        assert not red.contains(shapely.Point(people.loc[pid, "x"], people.loc[pid, "y"]))
        assert row["assembly_point_id"] is not None, f"{pid} lost their route"
        assert not any(line.intersects(red) for line in _route_lines(plant, row)), f"{pid}'s route crosses red"
    # ... which the old plan did not achieve: P002 walked down W2, past the drum, into the new cloud
    old_p002 = next(r for r in old_plan["people"] if r["person_id"] == "P002")
    assert any(line.intersects(red) for line in _route_lines(plant, old_p002))
    assert rows["P002"]["edges"] != old_p002["edges"]
    assert [c.id for c in results[0].changes] == ["P002"]
    # everyone the new zones do not touch keeps their route and assembly point
    for old in old_plan["people"]:
        if old["person_id"] != "P002":
            assert rows[old["person_id"]]["edges"] == old["edges"]
            assert rows[old["person_id"]]["assembly_point_id"] == old["assembly_point_id"]
    assert rt.state["hazard"]["current"]["id"] == assessed["assessment_id"]
    assert rt.state["hazard"]["evacuation"]["id"] == planned["evacuation_id"]
    rt.store.close()


@pytest.mark.parametrize(("reading", "outcome"), [
    ({"wind_speed_mps": 2.4, "wind_from_deg": 97.0}, "unchanged"),   # 7° and 0.4 m/s: one wind, two readings
    ({"wind_speed_mps": 2.0, "wind_from_deg": 83.0, "stability": "D"}, "unchanged"),
    ({"wind_speed_mps": 2.0, "wind_from_deg": 90.0, "stability": "B"}, "replanned"),  # a new class is new
])
def test_a_reading_within_measurement_uncertainty_records_nothing(tmp_path, plant, plant_dir, reading, outcome):
    from commandcenter.services.evacuation import replan_after_weather

    rt = _open_incident(tmp_path, plant, plant_dir)
    seq = rt.state["seq"]
    ev = rt.record("weather.observed", reading)
    (r,) = replan_after_weather(rt, [ev])
    assert r.outcome == outcome, r.reason
    recorded = [e.type for e in rt.store.events(rt.incident_id, after_seq=seq)]
    assert recorded == (["weather.observed"] if outcome == "unchanged"
                        else ["weather.observed", "hazard.assessed", "evacuation.planned"])
    rt.store.close()


def test_zones_moving_over_open_ground_are_reassessed_but_reroute_nobody(tmp_path, plant, plant_dir):
    """From the south to the south-south-west: the cloud stays north of the drum, where there is no walkway,
    assembly point or person — a new assessment is recorded (the map must show the new zones), the plan
    stays."""
    from commandcenter.services.evacuation import replan_after_weather

    rt = _open_incident(tmp_path, plant, plant_dir, wind_from=180.0)
    seq = rt.state["seq"]
    ev = rt.record("weather.observed", {"wind_speed_mps": 2.0, "wind_from_deg": 200.0})
    (r,) = replan_after_weather(rt, [ev])
    assert r.outcome == "reassessed", r.reason
    assert [e.type for e in rt.store.events(rt.incident_id, after_seq=seq)] == ["weather.observed",
                                                                                "hazard.assessed"]
    rt.store.close()


def test_a_class_the_new_wind_contradicts_is_refused_not_modelled(tmp_path, plant, plant_dir):
    from commandcenter.services.evacuation import replan_after_weather

    rt = _open_incident(tmp_path, plant, plant_dir)
    seq = rt.state["seq"]
    ev = rt.record("weather.observed", {"wind_speed_mps": 9.0, "wind_from_deg": 0.0, "stability": "F"})
    (r,) = replan_after_weather(rt, [ev])
    assert r.outcome == "refused"
    assert "contradicts" in r.reason
    assert [e.type for e in rt.store.events(rt.incident_id, after_seq=seq)] == ["weather.observed"]
    rt.store.close()


def test_the_replanner_subscriber_replans_whoever_records_the_wind(tmp_path, plant, plant_dir):
    """Attached to the runtime, it re-plans in the background when anyone records a reading (a field
    station, the window, a script), never inside the notification."""
    from commandcenter.services.evacuation import WindReplanner

    rt = _open_incident(tmp_path, plant, plant_dir)
    replanner = WindReplanner.attach(rt)
    try:
        rt.record("weather.observed", {"wind_speed_mps": 2.0, "wind_from_deg": 0.0})
        (r,) = replanner.wait(timeout=120)
    finally:
        replanner.close()
    assert r.outcome == "replanned"
    assert [e.type for e in rt.store.events(rt.incident_id)][-2:] == ["hazard.assessed", "evacuation.planned"]
    assert rt.state["hazard"]["current"]["weather"]["wind_from_deg"] == 0.0
    rt.store.close()


def test_cli_incident_weather_records_the_reading_and_prints_what_was_replanned(tmp_path, plant, plant_dir, capsys):
    from commandcenter.cli import main

    rt = _open_incident(tmp_path, plant, plant_dir)
    incident_id = rt.incident_id
    rt.store.close()
    rc = main(["incident", "weather", "--db", str(tmp_path / "log.db"), "--incident", incident_id, "--plant",
               str(plant_dir), "--wind-speed", "2", "--wind-from", "0", "--station", "WS-1", "--json"])
    out = capsys.readouterr().out
    assert rc == 0, out
    doc = json.loads(out)
    assert doc["weather"] == {"wind_speed_mps": 2.0, "wind_from_deg": 0.0, "station_id": "WS-1"}
    assert doc["replan"]["outcome"] == "replanned"
    assert [c["id"] for c in doc["replan"]["rerouted"]] == ["P002"]
    assert doc["replan"]["assessment_id"]
    assert doc["replan"]["evacuation_id"]


@pytest.mark.parametrize("args", [["--wind-from", "361"], ["--wind-from", "nan"], ["--wind-speed", "inf"],
                                  ["--stability", "G"]])
def test_cli_incident_weather_refuses_impossible_readings(tmp_path, plant, plant_dir, capsys, args):
    from commandcenter.cli import main

    rt = _open_incident(tmp_path, plant, plant_dir)
    rt.store.close()
    argv = ["incident", "weather", "--db", str(tmp_path / "log.db"), "--incident", rt.incident_id,
            "--wind-speed", "2", "--wind-from", "0", *args]
    assert main(argv) == 2
    assert args[0] in capsys.readouterr().err


@pytest.mark.parametrize(("old", "new", "changed"), [
    ((2.0, 355.0, "D"), (2.0, 3.0, "D"), False),    # 8° across north
    ((2.0, 350.0, "D"), (2.0, 5.0, "D"), True),     # 15° across north
    ((5.0, 90.0, "D"), (5.9, 90.0, "D"), False),    # 0.9 m/s: within max(1 m/s, 20 %)
    ((2.0, 90.0, "D"), (3.1, 90.0, "D"), True),     # 1.1 m/s
    ((10.0, 90.0, "D"), (11.9, 90.0, "D"), False),  # 1.9 m/s of 11.9: 16 %
    ((10.0, 90.0, "D"), (12.6, 90.0, "D"), True),   # 2.6 m/s of 12.6: 21 %
    ((2.0, 90.0, "D"), (2.0, 90.0, "E"), True),
])
def test_a_new_wind_is_one_beyond_two_readings_uncertainty(old, new, changed):
    from commandcenter.services.evacuation import wind_change

    def w(t: tuple) -> dict:
        return {"wind_speed_mps": t[0], "wind_from_deg": t[1], "stability": t[2]}

    assert (wind_change(w(old), w(new)) is not None) is changed
