"""``commandcenter drill run --live``: the blind drill played with simulated field devices over real ZeroMQ sockets.

The mini plant's roster is given three crews (A, B, C) so that one crew is on shift whatever the time of
day the test runs (a live drill is played now, on the wall clock); the population file's people are not on
the roster (contractors, always on site). Every check reads the log the drill wrote and compares it with
the JSON the command printed, recomputing the figures from the raw events.
"""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from commandcenter.cli import main
from tests.conftest import MINI_PLANT

pytestmark = pytest.mark.slow  # a field server, 14 devices and a 10-minute drill at 120× (about 10 s)
SPEED = 120.0
SEED = 3  # a seed whose release reaches the mini plant's H2S detector and launches the H2S plan


def _crew_plant(dest):
    """The mini plant with each roster person in crews A, B and C (ids ``P001-A`` …), the visitor off the
    roster (on site as a visitor by the population file)."""
    shutil.copytree(MINI_PLANT, dest)
    with (dest / "personnel.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        if r["role"] == "visitor":
            continue
        for crew in "ABC":
            out.append({**r, "id": f"{r['id']}-{crew}", "shift": crew, "device_id": f"{r['device_id']}{crew}",
                        "phone": r["phone"][:-1] + str("ABC".index(crew))})
    with (dest / "personnel.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=[*rows[0].keys(), "shift"])
        w.writeheader()
        w.writerows(out)
    return dest


def _events(log):
    from commandcenter.store import EventStore

    store = EventStore(log)
    try:
        [inc] = store.incidents()
        return list(store.events(inc.id))
    finally:
        store.close()


def _run(*args: str) -> dict:
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main([*args, "--json"]) == 0
    return json.loads(buf.getvalue())


@pytest.fixture(scope="module")
def plant_dir(tmp_path_factory):
    return _crew_plant(tmp_path_factory.mktemp("crews") / "plant")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: "real" phones of the shift supervisor of each crew (the roster's device ids), run by the comms simulator
REAL = ("DEV-1A", "DEV-1B", "DEV-1C")


@pytest.fixture(scope="module")
def live(plant_dir, tmp_path_factory):
    """One live drill (seed 3, everyone evacuated at the launch, 10 drill minutes at 120×), with the shift
    supervisors' own phones — independent devices of the comms simulator, keys made beforehand — enrolled
    beside the simulated ones."""
    from comms.keys import KeyStore
    from comms.simulator import DeviceProfile, SimConfig, Simulator

    tmp = tmp_path_factory.mktemp("live")
    keys = KeyStore.init(tmp / "keys")
    for d in REAL:
        keys.new_device(d, "phone")
    endpoint = f"tcp://127.0.0.1:{_free_port()}"
    phones = Simulator([DeviceProfile(d, person_id=f"P001-{d[-1]}") for d in REAL],
                       {d: keys.device_keys(d) for d in REAL},
                       SimConfig(endpoint, keys.server_public(), task_s=0.2, heartbeat_s=1.0)).start()
    try:
        res = _run("drill", "run", str(plant_dir), "--blind", "--seed", str(SEED), "--out", str(tmp / "live.db"),
                   "--live", "--speed", str(SPEED), "--duration", "600", "--evacuate", "site",
                   "--endpoint", endpoint, "--keys", str(tmp / "keys"), *[x for d in REAL for x in ("--enrol", d)])
    finally:
        phones.stop()
    return res, _events(tmp / "live.db")


def _enrolled(events) -> dict[str, str | None]:
    return {e.payload["device_id"]: e.payload.get("person_id") for e in events if e.type == "device.enrolled"}


def test_device_facts_reach_the_log_only_through_the_field_server(live) -> None:
    """Positions, readings, SOS, acknowledgements and check-ins are all recorded by the field service from a
    device of the drill (they carry its ``device_id``; a model writing to the log would leave it out)."""
    res, events = live
    enrolled = _enrolled(events)
    phones = {d for d, p in enrolled.items() if p}
    positions = [e for e in events if e.type == "position.reported"]
    assert positions, "no position reached the log"
    assert {e.payload["device_id"] for e in positions} <= {d for d in phones if d.startswith("SIM-")}
    assert all(enrolled[e.payload["device_id"]] == e.payload["person_id"] for e in positions)
    for etype in ("sensor.reading", "person.mustered", "person.sos", "command.acknowledged"):
        evs = [e for e in events if e.type == etype]
        assert evs, f"no {etype} in the log"
        assert all(e.payload.get("device_id") in enrolled for e in evs), etype
    assert {e.payload["method"] for e in events if e.type == "person.mustered"} == {"device"}
    assert next(e for e in events if e.type == "sensor.alarm").payload["level"] in ("warn", "alarm")
    assert res["frames"]["refused"] == 0
    assert res["frames"]["accepted"] >= sum(res["live"]["reported"].values())
    assert res["live"]["settled"] is True


def test_the_launched_plans_orders_go_to_the_devices_and_are_acknowledged(live) -> None:
    """Every task command and the evacuation order the launch produced is acknowledged by each of its
    devices, and each task's acknowledgement came from its assignee's phone."""
    _, events = live
    enrolled = _enrolled(events)
    sent = [e for e in events if e.type == "command.sent"]
    assert {e.payload["kind"] for e in sent} >= {"task", "evacuate"}
    acked = {(e.payload["command_id"], e.payload["device_id"]) for e in events if e.type == "command.acknowledged"}
    for e in sent:
        for dev in e.payload["devices"]:
            assert (e.payload["command_id"], dev) in acked, (e.payload["kind"], e.payload.get("task_id"), dev)
    assigned = {e.payload["task_id"]: e.payload["person_id"] for e in events
                if e.type == "task.assigned" and e.payload.get("person_id")}
    assert assigned
    by_task = {e.payload["task_id"]: e.payload["person_id"] for e in events if e.type == "task.acknowledged"}
    assert by_task == assigned
    task_cmd = {e.payload["command_id"]: e.payload["task_id"] for e in sent if e.payload["kind"] == "task"}
    for e in events:
        if e.type == "command.acknowledged" and e.payload["command_id"] in task_cmd:
            assert enrolled[e.payload["device_id"]] == assigned[task_cmd[e.payload["command_id"]]]
    launched = next(e for e in events if e.type == "plan.launched")
    assert all(e.seq > launched.seq for e in sent)


def test_real_phones_enrolled_in_the_drill_speak_for_their_person(live) -> None:
    """``--enrol``: the supervisors' own phones are enrolled with their roster person, nobody carries a
    simulated phone for them, and the supervisor on shift got the plan's tasks on the real phone, which
    acknowledged them (the simulator's phones acknowledge on receipt)."""
    res, events = live
    enrolled = _enrolled(events)
    assert res["live"]["enrolled_real"] == list(REAL)
    assert {d: enrolled[d] for d in REAL} == {d: f"P001-{d[-1]}" for d in REAL}
    assert sorted(p for p in enrolled.values() if p and p.startswith("P001-")) == sorted(enrolled[d] for d in REAL)
    supervisor = {e.payload["task_id"]: e.payload["person_id"] for e in events
                  if e.type == "task.assigned" and str(e.payload.get("person_id", "")).startswith("P001-")}
    assert supervisor, "no task for the shift supervisor"
    cmds = {e.payload["command_id"]: e.payload["devices"] for e in events
            if e.type == "command.sent" and e.payload.get("task_id") in supervisor}
    assert cmds
    acked = {(e.payload["command_id"], e.payload["device_id"]) for e in events if e.type == "command.acknowledged"}
    for cid, devices in cmds.items():
        assert len(devices) == 1
        assert devices[0] in REAL
        assert (cid, devices[0]) in acked


def test_no_command_reaches_a_device_outside_the_exercise(live) -> None:
    """The exercise guard: every device a command was numbered for is enrolled in the drill, and the
    allow-listed, connected outsider received nothing."""
    res, events = live
    enrolled = set(_enrolled(events))
    numbered = {d for e in events if e.type == "command.queued" for d in e.payload["seqs"]}
    assert numbered
    assert numbered <= enrolled
    assert "SIM-OUTSIDER" not in enrolled
    assert res["live"]["outsider_commands"] == 0
    assert all(e.payload["text_en"].startswith("【演练 EXERCISE】") for e in events if e.type == "command.sent")


def test_everyone_who_mustered_in_the_model_is_mustered_in_the_log(live) -> None:
    """Of the people whose phone the model carries, the ones who reached an assembly point in the model are
    exactly those the log has mustered."""
    res, events = live
    in_log = {e.payload["person_id"] for e in events if e.type == "person.mustered"
              and e.payload["device_id"].startswith("SIM-")}
    assert res["live"]["mustered_in_model"]
    assert set(res["live"]["mustered_in_model"]) == in_log


def test_the_figures_are_those_of_the_raw_events(live) -> None:
    """Oracle: time to launch and the mustered count recomputed here from the events alone — the log is on the
    drill clock, so drill seconds are log seconds from the opening; to account for are the people ordered out
    (the order, else the evacuation plans) and walk-ups, at their task those of them who answered a task and
    never mustered (the report's groups, docs/report.md)."""
    res, events = live
    m = res["metrics"]
    t0 = events[0].time
    launch = next(e.time for e in events if e.type == "plan.launched")
    assert m["launch_s"] == pytest.approx((launch - t0).total_seconds(), abs=0.01)
    expected = {str(p) for e in events if e.type == "evacuation.ordered" for p in e.payload["people"]} or {
        str(p["person_id"]) for e in events if e.type == "evacuation.planned"
        for p in [*e.payload["people"], *(e.payload.get("unroutable") or [])]}
    expected |= {e.payload["person_id"] for e in events if e.type == "person.added"}
    mustered = {e.payload["person_id"] for e in events if e.type == "person.mustered"} & expected
    on_task = {e.payload.get("person_id") for e in events
               if e.type in ("task.acknowledged", "task.started", "task.done")} & expected - mustered
    assert m["to_account_for"] == len(expected) > 0
    assert m["mustered"] == len(mustered) > 0
    assert (m["on_task"], m["not_accounted_for"]) == (len(on_task), len(expected - mustered - on_task))
    assert 0 < m["detection_s"] < m["launch_s"]
    assert m["all_acks_s"] is None or m["all_acks_s"] > m["launch_s"]
    assert res["scenario"]["seed"] == SEED
    assert events[0].payload["exercise"] is True
    assert events[-1].type == "incident.closed"


def test_task_deadlines_are_the_plans_in_drill_seconds(live) -> None:
    """The plans engine runs on the drill clock with the library's real durations, so each assigned task's
    deadline is the one the plan file states (oracle: the bundled plan library itself)."""
    from commandcenter.services.drill_service import load_plans

    res, _ = live
    plan = load_plans()[res["scenario"]["plan_id"]]
    stated = {t.id: t.deadline_s for t in plan.tasks}
    checked = [t for t in res["metrics"]["tasks"] if t["planned_s"] is not None and t["task_id"] in stated]
    assert checked
    for t in checked:
        assert t["planned_s"] == pytest.approx(stated[t["task_id"]], abs=0.05), t["task_id"]


@pytest.mark.parametrize("mode", ["live", "offline"])
def test_the_report_is_written_for_a_live_and_an_offline_drill_log(mode, live, plant_dir, tmp_path) -> None:
    if mode == "live":
        log = live[0]["log"]
    else:
        log = str(tmp_path / "offline.db")
        _run("drill", "run", str(plant_dir), "--blind", "--seed", str(SEED), "--out", log, "--duration", "300")
    pdf = tmp_path / "r.pdf"
    assert main(["report", log, "--pdf", str(pdf), "--lang", "en"]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_live_options_without_live_are_a_usage_error(plant_dir, tmp_path, capsys) -> None:
    code = main(["drill", "run", str(plant_dir), "--seed", "3", "--out", str(tmp_path / "x.db"), "--speed", "60"])
    assert code == 2
    assert "--speed" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("speed", ["nan", "inf", "0", "-5", "5000"])
def test_a_speed_that_is_not_a_finite_factor_is_refused(speed, plant_dir, tmp_path, capsys) -> None:
    code = main(["drill", "run", str(plant_dir), "--seed", "3", "--out", str(tmp_path / "x.db"), "--live",
                 "--speed", speed])
    assert code == 2
    assert "--speed" in capsys.readouterr().err


def test_a_real_device_without_a_key_is_refused_before_anything_is_served(plant_dir, tmp_path, capsys) -> None:
    code = main(["drill", "run", str(plant_dir), "--seed", str(SEED), "--out", str(tmp_path / "x.db"), "--live",
                 "--keys", str(tmp_path / "keys"), "--enrol", "DEV-9", "--json"])
    assert code == 1
    err = json.loads(capsys.readouterr().out)["error"]
    assert "DEV-9" in err
    assert "keys new-device" in err
    assert not (tmp_path / "x.db").exists()
    assert not (tmp_path / "keys").exists()


def test_an_endpoint_that_is_not_tcp_is_a_usage_error(plant_dir, tmp_path, capsys) -> None:
    code = main(["drill", "run", str(plant_dir), "--seed", "3", "--out", str(tmp_path / "x.db"), "--live",
                 "--endpoint", "ipc:///tmp/x"])
    assert code == 2
    assert "--endpoint" in capsys.readouterr().err
