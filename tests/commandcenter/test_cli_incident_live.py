"""``incident open`` → ``incident launch`` → ``incident status`` from the shell, on SQLite and on a real
PostgreSQL server; two consoles on PostgreSQL see each other's launch through LISTEN/NOTIFY."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from commandcenter.cli import main
from commandcenter.runtime import IncidentRuntime
from commandcenter.store import EventStore
from commandcenter.store.follow import Follower
from plans.library import load_library, valid_plans
from tests.conftest import DEMO_PLANT, MINI_PLANT, REPO


def _run(capsys, *args: str) -> tuple[int, dict | str]:
    rc = main(list(args))
    out = capsys.readouterr()
    try:
        return rc, json.loads(out.out)
    except json.JSONDecodeError:
        return rc, out.out + out.err


def _flow(capsys, db: str) -> None:
    rc, opened = _run(capsys, "incident", "open", "--plant", str(DEMO_PLANT), "--db", db, "--title", "H2S T-101",
                      "--exercise", "--json")
    assert rc == 0
    assert set(opened) == {"incident"}
    iid = opened["incident"]
    rc, launched = _run(capsys, "incident", "launch", "--db", db, "--incident", iid, "h2s-release", "--level", "L2",
                        "--json")
    assert rc == 0
    plan = valid_plans(load_library(REPO / "data" / "plans"))["h2s-release"]
    assert launched["launched"] is True
    assert launched["level"] == "L2"
    # L1 and L2 tasks of the plan, plus one command task per level (the engine's rule, docs/plans.md)
    assert launched["tasks"] == len(plan.tasks_at("L2")) + 2
    rc, again = _run(capsys, "incident", "launch", "--db", db, "--incident", iid, "h2s-release", "--level", "L2",
                     "--json")
    assert rc == 0
    assert again["launched"] is False
    rc, status = _run(capsys, "incident", "status", "--db", db, "--incident", iid, "--json")
    assert rc == 0
    assert status["level"] == "L2"
    assert status["plan"] == "h2s-release"
    assert status["exercise"] is True
    assert sum(status["tasks"].values()) == launched["tasks"]
    assert status["zones"] == {"red": 0, "orange": 0, "yellow": 0}
    assert sum(v for k, v in status["people"].items() if k != "stale") == 212  # the demo population file
    # every time shown carries the plant's offset (Asia/Shanghai, +08:00)
    assert status["now"].endswith("+08:00")
    assert status["opened"].endswith("+08:00")


def test_open_launch_status_on_sqlite(tmp_path, capsys) -> None:
    _flow(capsys, str(tmp_path / "log.db"))


def test_open_launch_status_on_postgresql(pg_url, capsys) -> None:
    _flow(capsys, pg_url)


def test_unknown_incident_plan_and_missing_log_are_one_line_refusals(tmp_path, capsys) -> None:
    db = str(tmp_path / "log.db")
    rc, _ = _run(capsys, "incident", "status", "--db", db, "--incident", "X")
    assert rc == 2
    _run(capsys, "incident", "open", "--plant", str(DEMO_PLANT), "--db", db, "--title", "t", "--incident-id", "I-1")
    rc, err = _run(capsys, "incident", "launch", "--db", db, "--incident", "NOPE", "h2s-release", "--level", "L2")
    assert rc == 1
    assert "no incident 'NOPE'" in err
    rc, err = _run(capsys, "incident", "launch", "--db", db, "--incident", "I-1", "no-plan", "--level", "L2")
    assert rc == 1
    assert "no valid plan 'no-plan'" in err
    assert "Traceback" not in err


def test_two_consoles_on_postgresql_see_each_others_launch(pg_url, demo_plant) -> None:
    a_store, b_store = EventStore(pg_url), EventStore(pg_url)
    try:
        a = IncidentRuntime.create(a_store, title="two consoles", exercise=True, plant=demo_plant)
        b = IncidentRuntime.open(b_store, a.incident_id, plant=demo_plant)
        with Follower(b_store, a.incident_id, after_seq=b.seq, poll_s=30.0) as feed:
            launch = a.launch("h2s-release", "L2", console="A")
            woke = feed.wait(1.0)  # the NOTIFY wakes console B well before its 30 s poll
        assert [e.seq for e in woke] == [e.seq for e in launch]
        b.follow()
        assert b.level == "L2"
        assert b.state == a.state
        # B's click on the same launch a moment later is a no-op, and B's escalations are not doubled by A
        assert b.launch("h2s-release", "L2", console="B") == []
        later = dt.datetime.now(dt.UTC)
        assert all(e.time <= later for e in launch)
    finally:
        a_store.close()
        b_store.close()


@pytest.mark.parametrize("args", [
    ["incident", "open", "--plant", str(DEMO_PLANT), "--db", "{db}", "--title", "  "],
    ["incident", "launch", "--db", "{db}", "--incident", "I-1", "h2s-release", "--level", "L9"],
])
def test_usage_errors_exit_2(tmp_path, capsys, args) -> None:
    db = str(tmp_path / "log.db")
    _run(capsys, "incident", "open", "--plant", str(DEMO_PLANT), "--db", db, "--title", "t", "--incident-id", "I-1")
    rc, _ = _run(capsys, *[a.replace("{db}", db) for a in args])
    assert rc == 2


# ---------------------------------------------------------------------------- the evacuation order of a launch
def _zone_oracle(origin: tuple[float, float], positions: dict[str, tuple[float, float]]) -> list[str]:
    """By hand: the mini plant's zone polygon holding ``origin`` (shapely point-in-polygon), and who is in it."""
    from shapely.geometry import Point, shape

    zones = json.loads((MINI_PLANT / "zones.geojson").read_text(encoding="utf-8"))["features"]
    [poly] = [shape(f["geometry"]) for f in zones if shape(f["geometry"]).contains(Point(origin))]
    return sorted(pid for pid, xy in positions.items() if poly.contains(Point(xy)))


def _population() -> dict[str, tuple[float, float]]:
    import csv

    with (MINI_PLANT / "population.csv").open(encoding="utf-8") as f:
        return {r["id"]: (float(r["x"]), float(r["y"])) for r in csv.DictReader(f)}


def _mini_incident(capsys, db: str, moved: dict[str, tuple[float, float]], alarm_xy: tuple[float, float]) -> str:
    from gis.loader import load_plant
    from vocabulary.events import Draft

    rc, opened = _run(capsys, "incident", "open", "--plant", str(MINI_PLANT), "--db", db, "--title", "H2S",
                      "--exercise", "--json")
    assert rc == 0
    store = EventStore(db)
    rt = IncidentRuntime.open(store, opened["incident"], plant=load_plant(MINI_PLANT))
    now = rt.now()
    rt.submit([*(Draft("position.reported", now, {"person_id": p, "x": x, "y": y}) for p, (x, y) in moved.items()),
               Draft("alarm.raised", now, {"alarm_id": "A-1", "kind": "gas", "level": "alarm",
                                           "x": alarm_xy[0], "y": alarm_xy[1]})])
    store.close()
    return opened["incident"]


def test_a_cli_launch_orders_out_exactly_the_people_inside_the_levels_zone(tmp_path, capsys) -> None:
    db = str(tmp_path / "log.db")
    moved = {"P002": (668080.0, 3571100.0),  # from zone Z2 into Z1
             "P001": (668150.0, 3571100.0)}  # from Z1 into Z2
    alarm = (668050.0, 3571070.0)  # in Z1
    iid = _mini_incident(capsys, db, moved, alarm)
    expected = _zone_oracle(alarm, {**_population(), **moved})
    assert expected == ["P002", "P004", "P005"]  # P003 stands south of Z1; P001 has left it
    rc, out = _run(capsys, "incident", "launch", "--db", db, "--incident", iid, "h2s-release", "--level", "L1",
                   "--json")
    assert rc == 0, out
    assert out["launched"] is True
    assert sorted(out["ordered"]) == expected
    with EventStore(db) as store:
        evs = list(store.events(iid))
    launch = next(e for e in evs if e.type == "plan.launched")
    [order] = [e for e in evs if e.type == "evacuation.ordered"]
    assert order.seq > launch.seq
    assert order.payload["order_id"] == f"ORD-{launch.seq}"
    assert sorted(order.payload["people"]) == expected
    assert order.payload["scope"] == "zone"
    assert (order.payload["x"], order.payload["y"]) == alarm
    # launching again changes nothing and orders nobody twice
    rc, again = _run(capsys, "incident", "launch", "--db", db, "--incident", iid, "h2s-release", "--level", "L1",
                     "--json")
    assert rc == 0
    assert again["launched"] is False
    assert again["ordered"] == []


def test_a_cli_launch_that_stopped_before_the_order_records_it_on_the_next_launch(tmp_path, capsys,
                                                                                  monkeypatch) -> None:
    from commandcenter.services import evacuation_order

    db = str(tmp_path / "log.db")
    alarm = (668050.0, 3571070.0)
    iid = _mini_incident(capsys, db, {}, alarm)

    def crash(*_a, **_k):
        raise RuntimeError("power cut")  # the command stops between the launch and the order

    monkeypatch.setattr(evacuation_order, "order_evacuation", crash)
    assert main(["incident", "launch", "--db", db, "--incident", iid, "h2s-release", "--level", "L1"]) != 0
    monkeypatch.undo()
    capsys.readouterr()
    with EventStore(db) as store:
        types = [e.type for e in store.events(iid)]
    assert "plan.launched" in types
    assert "evacuation.ordered" not in types
    rc, out = _run(capsys, "incident", "launch", "--db", db, "--incident", iid, "h2s-release", "--level", "L1",
                   "--json")
    assert rc == 0
    assert out["launched"] is False
    assert sorted(out["ordered"]) == _zone_oracle(alarm, _population())
