"""``commandcenter simulate``: its JSON keys, given speeds and pre-movement used exactly, the hazard, the log."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from commandcenter.cli import main
from gis.routing.hazard_graph import Hazard, hazard_to_geojson
from tests.simulation.plants import X0, Y0, Layout, Line, corridor, write_layout, write_population


def _simulate(capsys, *args: str) -> tuple[int, dict]:
    code = main(["simulate", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _two_exit_hall(tmp_path):
    """A 40 m hall with a 1 m door at each end onto 5 m of walkway and an assembly point."""
    lay = Layout([Line("DW", "door", 1.0, [(-1.0, 0.0), (0.0, 0.0)]),
                  Line("HALL", "corridor", 6.0, [(0.0, 0.0), (40.0, 0.0)]),
                  Line("DE", "door", 1.0, [(40.0, 0.0), (41.0, 0.0)]),
                  Line("OW", "walkway", 4.0, [(-1.0, 0.0), (-6.0, 0.0)]),
                  Line("OE", "walkway", 4.0, [(41.0, 0.0), (46.0, 0.0)])],
                 [("AP-W", (-6.0, 0.0), 100), ("AP-E", (46.0, 0.0), 100)], (-70.0, -60.0, 110.0, 60.0))
    return write_layout(tmp_path / "hall", lay)


def test_json_keys_and_the_given_speeds_and_premovement_are_used_exactly(capsys, tmp_path):
    """Three people on a 40 m corridor with speeds and pre-movement times in the file, far enough apart in
    time never to meet: arrival = pre-movement + 40 m / speed, by hand."""
    plant = write_layout(tmp_path / "c", corridor(40.0, 2.0))
    pop = write_population(tmp_path / "pop.csv", np.zeros((3, 2)), [1.0, 1.25, 0.8], [5.0, 100.0, 200.0])
    code, out = _simulate(capsys, str(plant), "--population", str(pop))
    assert code == 0
    for key in ("evacuation_time_s", "mustered_90_s", "wall_s", "people"):
        assert key in out
    by_id = {p["id"]: p for p in out["people"]}
    expected = {"P0001": (5.0, 5.0 + 40 / 1.0), "P0002": (100.0, 100.0 + 40 / 1.25), "P0003": (200.0, 250.0)}
    for pid, (pm, arr) in expected.items():
        p = by_id[pid]
        assert set(p) >= {"id", "assembly_point", "premovement_s", "arrival_s"}
        assert p["premovement_s"] == pm
        assert p["arrival_s"] == pytest.approx(arr, abs=1e-3)
        assert p["assembly_point"] == "AP-1"
    assert out["evacuation_time_s"] == pytest.approx(250.0, abs=1e-3)
    assert out["mustered_90_s"] == pytest.approx(250.0, abs=1e-3)  # ⌈0.9 × 3⌉ = 3rd arrival
    assert 0 < out["wall_s"] < 60


def test_red_zone_over_the_near_door_sends_everyone_the_long_way(capsys, tmp_path):
    """One person 2 m into a 40 m hall from its west door: without a hazard 2 + 1 + 5 = 8 m west (8 s at
    1 m/s); with the west door in a red zone, the 2 m to the hall's west end where they join the walkway
    (the nearest node), then 40 m east + 1 + 5 = 48 m (48 s)."""
    plant = _two_exit_hall(tmp_path)
    pop = write_population(tmp_path / "pop.csv", np.array([[2.0, 0.0]]), 1.0, 0.0)
    _, free = _simulate(capsys, str(plant), "--population", str(pop))
    hz = tmp_path / "red.geojson"
    hz.write_text(json.dumps(hazard_to_geojson(Hazard([shapely.box(X0 - 3, Y0 - 3, X0 - 0.5, Y0 + 3)], ["red"]),
                                               "EPSG:32650")))
    code, red = _simulate(capsys, str(plant), "--population", str(pop), "--hazard", str(hz))
    assert code == 0
    assert free["people"][0]["assembly_point"] == "AP-W"
    assert free["people"][0]["arrival_s"] == pytest.approx(8.0, abs=1e-6)
    assert red["people"][0]["assembly_point"] == "AP-E"
    assert red["people"][0]["arrival_s"] == pytest.approx(48.0, abs=1e-6)


def test_seed_draws_the_missing_speeds_reproducibly(capsys, tmp_path):
    plant = write_layout(tmp_path / "c", corridor(40.0, 2.0))
    pop = write_population(tmp_path / "pop.csv", np.column_stack([np.zeros(5), np.arange(5.0)]), None, None)
    _, a = _simulate(capsys, str(plant), "--population", str(pop), "--seed", "7")
    _, b = _simulate(capsys, str(plant), "--population", str(pop), "--seed", "7")
    _, c = _simulate(capsys, str(plant), "--population", str(pop), "--seed", "8")
    assert [p["arrival_s"] for p in a["people"]] == [p["arrival_s"] for p in b["people"]]
    assert [p["speed_mps"] for p in a["people"]] != [p["speed_mps"] for p in c["people"]]


def test_out_writes_an_exercise_log_with_every_muster(capsys, tmp_path):
    from commandcenter.projections import fold
    from commandcenter.store import EventStore

    plant = _two_exit_hall(tmp_path)
    pos = np.column_stack([np.linspace(1.0, 39.0, 30), np.zeros(30)])
    pop = write_population(tmp_path / "pop.csv", pos, 1.2, 0.0)
    log = tmp_path / "sim.db"
    code, out = _simulate(capsys, str(plant), "--population", str(pop), "--out", str(log))
    assert code == 0
    store = EventStore(log)
    try:
        events = list(store.events(out["log"]["incident_id"]))
    finally:
        store.close()
    assert events[0].type == "incident.opened"
    assert events[0].payload["exercise"] is True
    state = fold(events)
    assert len(state["muster"]["mustered"]) == 30
    arrivals = {p["id"]: p["arrival_s"] for p in out["people"]}
    t0 = events[0].time
    for e in events:
        if e.type == "person.mustered":
            assert (e.time - t0).total_seconds() == pytest.approx(arrivals[e.payload["person_id"]], abs=1e-3)
    assert events[-1].type == "incident.closed"
    assert [e.time for e in events] == sorted(e.time for e in events)


def test_bad_inputs_are_one_line_errors(capsys, tmp_path):
    plant = write_layout(tmp_path / "c", corridor(40.0, 2.0))
    assert main(["simulate", str(plant), "--population", str(tmp_path / "nope.csv")]) == 1
    err = capsys.readouterr().err
    assert "nope.csv" in err
    assert len(err.strip().splitlines()) == 1
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"level": "purple"},'
                   ' "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}]}')
    pop = write_population(tmp_path / "pop.csv", np.zeros((1, 2)), 1.0, 0.0)
    assert main(["simulate", str(plant), "--population", str(pop), "--hazard", str(bad)]) == 1
    assert "level" in capsys.readouterr().err
    assert main(["simulate", str(tmp_path / "no-plant"), "--population", str(pop)]) == 1
    assert main(["simulate", str(plant), "--population", str(pop), "--until", "nan"]) == 2
    log = tmp_path / "x.db"
    log.write_text("")
    assert main(["simulate", str(plant), "--population", str(pop), "--out", str(log)]) == 1
    assert "exists" in capsys.readouterr().err
