"""``commandcenter drill run``: a blind drill written as an exercise incident that replays to its own figures."""

from __future__ import annotations

import json

import numpy as np
import pytest

from commandcenter.cli import main
from tests.conftest import DEMO_PLANT
from tests.simulation.plants import corridor, write_layout

DURATION = "900"
pytestmark = pytest.mark.slow  # each drill simulates 15 minutes of a 215-person plant with its log


def _drill(capsys, out, seed: int = 3, *extra: str) -> dict:
    code = main(["drill", "run", str(DEMO_PLANT), "--blind", "--seed", str(seed), "--out", str(out),
                 "--duration", DURATION, "--json", *extra])
    assert code == 0
    return json.loads(capsys.readouterr().out)


def _events(log, incident_id):
    from commandcenter.store import EventStore

    store = EventStore(log)
    try:
        return list(store.events(incident_id))
    finally:
        store.close()


@pytest.fixture(scope="module")
def drill_log(tmp_path_factory):
    """One blind drill (seed 3) shared by the tests that only read it."""
    import contextlib
    import io

    out = tmp_path_factory.mktemp("drill") / "d.db"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["drill", "run", str(DEMO_PLANT), "--blind", "--seed", "3", "--out", str(out),
                     "--duration", DURATION, "--json"]) == 0
    res = json.loads(buf.getvalue())
    return res, _events(out, res["incident_id"])


def test_json_and_the_log_of_a_blind_drill(drill_log, demo_plant):
    res, events = drill_log
    for key in ("incident_id", "log", "scenario", "metrics", "wall_s", "events"):
        assert key in res
    assert events[0].type == "incident.opened"
    assert events[0].payload["exercise"] is True
    scenario = next(e for e in events if e.type == "drill.scenario")
    assert scenario.payload["hidden"] is True
    assert scenario.payload["source_id"] in demo_plant.layers["hazard_sources"].index
    assert [e.time for e in events] == sorted(e.time for e in events)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[-1].type == "incident.closed"
    types = {e.type for e in events}
    assert {"sensor.reading", "sensor.alarm", "plan.launched", "task.assigned", "task.acknowledged",
            "task.done", "evacuation.planned", "person.mustered", "exposure.assessed"} <= types


def test_the_figures_are_those_of_the_log(drill_log):
    """Replay: the projections folded from the log have the musters, and the figures computed again from the
    stored events equal the ones the command printed; the hash chain verifies."""
    from commandcenter.projections import fold
    from commandcenter.store.chain import verify_chain
    from simulation.metrics import drill_metrics

    res, events = drill_log
    assert drill_metrics(events) == res["metrics"]
    state = fold(events)
    assert set(state["muster"]["mustered"]) == {e.payload["person_id"] for e in events if e.type == "person.mustered"}
    assert res["metrics"]["mustered"] <= len(state["muster"]["mustered"])
    count, broken = verify_chain(events, res["incident_id"])
    assert broken is None
    assert count == len(events)
    m = res["metrics"]
    assert m["detection_s"] <= m["launch_s"] <= m["all_acks_s"]
    assert m["mustered_90_s"] <= m["mustered_100_s"]


def test_the_evacuation_follows_the_launched_scope(drill_log, demo_plant):
    """Everyone the plan sent to an assembly point started within the launched level's radius of the origin
    (population file positions, measured here with numpy)."""
    _, events = drill_log
    launch = next(e for e in events if e.type == "plan.launched")
    evac = launch.payload["evacuation"]
    planned = {p["person_id"] for e in events if e.type == "evacuation.planned" for p in e.payload["people"]}
    assert planned
    pop = demo_plant.population.set_index("id")
    o = launch.payload["origin"]
    known = [p for p in planned if p in pop.index]
    d = np.hypot(pop.loc[known, "x"] - o["x"], pop.loc[known, "y"] - o["y"])
    if evac["scope"] == "radius":
        assert (d <= evac["radius_m"] + 1e-6).all()


def test_breathing_apparatus_is_taken_before_work_in_it(drill_log, demo_plant):
    _, events = drill_log
    kinds = demo_plant.layers["resources"]["kind"]
    taken = {(e.payload["person_id"], e.payload["task_id"]): e for e in events if e.type == "resource.taken"}
    assert taken
    for (pid, tid), e in taken.items():
        assert kinds.loc[e.payload["resource_id"]] == "scba"
        started = [s for s in events if s.type == "task.started" and s.payload["task_id"] == tid
                   and s.payload["person_id"] == pid]
        assert all(s.seq > e.seq for s in started)


def test_same_seed_same_log(capsys, tmp_path, drill_log):
    _, first = drill_log
    again = _drill(capsys, tmp_path / "again.db")
    second = _events(again["log"], again["incident_id"])
    assert [(e.type, e.time, e.payload, e.hash) for e in first] == [(e.type, e.time, e.payload, e.hash)
                                                                     for e in second]


def test_site_evacuation_sends_everyone_but_the_control_room(capsys, tmp_path, demo_plant):
    res = _drill(capsys, tmp_path / "site.db", 3, "--evacuate", "site")
    events = _events(res["log"], res["incident_id"])
    planned = {p["person_id"] for e in events if e.type == "evacuation.planned"
               for p in e.payload["people"] + e.payload.get("unroutable", [])}
    roles = demo_plant.personnel["role"]
    assert not any(roles.get(p) == "control_room_operator" for p in planned)
    assert len(planned) >= res["people"] - (roles == "control_room_operator").sum()


def test_refusals_are_one_line(capsys, tmp_path):
    out = tmp_path / "x.db"
    out.write_text("")
    assert main(["drill", "run", str(DEMO_PLANT), "--blind", "--seed", "1", "--out", str(out)]) == 1
    assert "exists" in capsys.readouterr().err
    bare = write_layout(tmp_path / "bare", corridor())
    assert main(["drill", "run", str(bare), "--blind", "--seed", "1", "--out", str(tmp_path / "y.db")]) == 1
    assert "nothing to drill" in capsys.readouterr().err
    assert main(["drill", "run", str(DEMO_PLANT), "--seed", "-3", "--out", str(tmp_path / "z.db")]) == 2
    assert main(["drill", "run", str(DEMO_PLANT), "--seed", "1", "--out", str(tmp_path / "z.db"),
                 "--duration", "inf"]) == 2
