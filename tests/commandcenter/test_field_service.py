"""Field comms on the incident runtime, with real sockets on 127.0.0.1 and simulated devices on the mini plant."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

import pytest
from pyproj import Transformer

from commandcenter.services.dispatch import ExerciseLeak
from commandcenter.services.field import views
from commandcenter.services.field.addressing import AddressError
from tests.comms.helpers import MINI_PEOPLE, FieldRig, wait_until
from vocabulary.events import UTC, Draft

pytestmark = pytest.mark.slow  # a field server and simulated devices per test (about 3 s each)


@pytest.fixture
def rig(tmp_path, mini_plant):
    r = FieldRig(tmp_path, mini_plant)
    yield r
    r.close()


def all_done(rig: FieldRig, cid: str) -> bool:
    rows = rig.svc.commands(rig.iid, cid)
    return bool(rows) and all(v == "done" for v in rows[0]["devices"].values())


def test_broadcast_is_recorded_and_numbered_before_any_device_acknowledges_it(rig) -> None:
    out = rig.svc.send_command(rig.iid, "all", "message", text_zh="集合", text_en="Gather")
    assert out["devices"] == sorted(rig.devices)
    wait_until(lambda: all_done(rig, out["command_id"]), what="every device done")
    evs = [e for e in rig.events() if e.payload.get("command_id") == out["command_id"]]
    types = [e.type for e in evs]
    assert types[:2] == ["command.sent", "command.queued"]
    assert evs[1].payload["seqs"] == dict.fromkeys(sorted(rig.devices), 1)
    assert types.count("command.acknowledged") == len(rig.devices)
    assert rig.events("command.sent")[0].payload["text_en"].startswith("【演练 EXERCISE】")
    assert all(v == [(1, out["command_id"])] for v in rig.sim.applied().values())


def test_positions_arrive_in_wgs84_and_are_recorded_in_the_plant_crs(rig) -> None:
    wait_until(lambda: rig.events("position.reported"), what="a position")
    e = rig.events("position.reported")[0]
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True).transform(e.payload["lon"],
                                                                                     e.payload["lat"])
    assert e.payload["x"] == pytest.approx(x, abs=0.01)
    assert e.payload["y"] == pytest.approx(y, abs=0.01)
    assert e.payload["x"] == pytest.approx(668050.0, abs=0.05)  # where the simulator put the phone
    assert e.payload["person_id"] == MINI_PEOPLE[e.payload["device_id"]]


def test_a_backlog_of_messages_is_committed_in_one_submit(rig) -> None:
    gate = threading.Event()
    blocked = threading.Thread(target=lambda: rig.svc.call(lambda s: gate.wait(10)), daemon=True)
    blocked.start()
    wait_until(lambda: rig.svc.server.stats()["counters"].get("type_position", 0) >= 1, what="traffic")
    before_pos = rig.svc.server.stats()["counters"].get("type_position", 0)
    wait_until(lambda: rig.svc.server.stats()["counters"].get("type_position", 0) >= before_pos + 8,
               what="positions piling up while the service is busy")
    submits = rig.svc.counters["submits"]
    gate.set()
    blocked.join()
    rig.svc.call(lambda s: None)
    assert rig.svc.counters["submits"] - submits == 1


def test_gas_reading_over_the_sensor_alarm_threshold_raises_the_alarm_once(rig) -> None:
    rig.sim.raise_gas("GD-1", "S1")
    wait_until(lambda: rig.events("alarm.raised"), what="the alarm")
    wait_until(lambda: len(rig.events("sensor.reading")) >= 4, what="more readings")
    rig.sim.raise_gas("GD-1", "S1", high=False)
    wait_until(lambda: [e for e in rig.events("sensor.alarm") if e.payload["level"] == "clear"], what="clear")
    [alarm] = rig.events("alarm.raised")
    assert alarm.payload["sensor_id"] == "S1"
    assert alarm.payload["value"] >= 20.0  # the plant's alarm threshold for S1
    assert (alarm.payload["x"], alarm.payload["y"]) == (668150.0, 3571080.0)
    levels = [e.payload["level"] for e in rig.events("sensor.alarm")]
    assert levels == ["alarm", "clear"]
    high = [e for e in rig.events("sensor.reading") if e.payload["value"] >= 20]
    assert high[0].payload["substance"] == "H2S"


def test_checkins_become_musters_and_gate_badges_keep_the_on_site_list(rig) -> None:
    wait_until(lambda: len(views.on_site(rig.state())) == 4, what="four badged in")
    assert views.on_site(rig.state()) == sorted(MINI_PEOPLE.values())
    out = rig.svc.send_command(rig.iid, "person:P002", "muster", text_zh="报到", text_en="Report",
                               params={"assembly_point_id": "AP1"})
    assert out["devices"] == ["DEV-2"]
    wait_until(lambda: all_done(rig, out["command_id"]), what="muster done")


def test_evacuation_order_walks_each_person_to_the_assembly_point_and_checks_them_in(rig) -> None:
    g = rig.plant.graph
    rig.svc.call(lambda s: s.runtime(rig.iid).submit([
        Draft("evacuation.planned", s.runtime(rig.iid).now(), {
            "evacuation_id": "EV1", "method": "test", "people": [
                {"person_id": "P001", "assembly_point_id": "AP1", "edges": [0, 1]},
                {"person_id": "P003", "assembly_point_id": "AP2", "edges": [2]}]}),
        Draft("evacuation.ordered", s.runtime(rig.iid).now(), {"order_id": "ORD-1", "people": ["P001", "P003"]})]))
    wait_until(lambda: len(rig.events("person.mustered")) == 2, timeout=20, what="two check-ins")
    cmd = next(e for e in rig.events("command.sent") if e.payload["kind"] == "evacuate")
    assert cmd.payload["devices"] == ["DEV-1", "DEV-3"]
    per = cmd.payload["params"]["per_device"]
    assert per["DEV-1"]["assembly_point_id"] == "AP1"
    to_m = Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True)
    walked = [to_m.transform(*p) for p in per["DEV-1"]["route"]]
    ends = {tuple(map(float, g.edge_coords[0][0])), tuple(map(float, g.edge_coords[0][-1])),
            tuple(map(float, g.edge_coords[1][0])), tuple(map(float, g.edge_coords[1][-1]))}
    assert any(abs(walked[-1][0] - ex) < 0.01 and abs(walked[-1][1] - ey) < 0.01 for ex, ey in ends)
    assert {(e.payload["person_id"], e.payload["assembly_point_id"]) for e in rig.events("person.mustered")} == {
        ("P001", "AP1"), ("P003", "AP2")}


def test_evidence_is_stored_by_its_hash_and_linked_to_its_task(rig, tmp_path) -> None:
    rig.svc.call(lambda s: s.runtime(rig.iid).submit(Draft("task.assigned", s.runtime(rig.iid).now(), {
        "task_id": "T-FAN", "person_id": "P003", "title": {"zh": "启动排风机", "en": "Start the fans"},
        "deadline_s": 60.0})))
    wait_until(lambda: rig.events("evidence.received"), what="evidence")
    [ev] = rig.events("evidence.received")
    data = (tmp_path / "evidence" / f"{ev.payload['sha256']}.png").read_bytes()
    assert hashlib.sha256(data).hexdigest() == ev.payload["sha256"]
    assert (ev.payload["task_id"], ev.payload["device_id"], ev.payload["bytes"]) == ("T-FAN", "DEV-3", len(data))
    wait_until(lambda: rig.events("task.done"), what="the task done")
    assert rig.events("task.done")[0].payload == {"task_id": "T-FAN", "person_id": "P003", "by": "DEV-3"}
    assert rig.events("task.acknowledged")[0].payload["task_id"] == "T-FAN"


def test_a_command_recorded_by_another_process_is_sent(rig) -> None:
    from commandcenter.runtime import IncidentRuntime

    other = IncidentRuntime.open(rig.store, rig.iid, engine=False)  # as `command send` or the window would
    other.record("command.sent", {"command_id": "C-OTHER", "to": "device:DEV-4", "devices": ["DEV-4"],
                                  "kind": "message", "text_en": "hi", "text_zh": "你好"})
    wait_until(lambda: all_done(rig, "C-OTHER"), what="the other writer's command delivered")
    assert rig.sim.applied()["DEV-4"] == [(1, "C-OTHER")]


def test_exercise_never_commands_a_device_outside_the_drill(tmp_path, mini_plant) -> None:
    r = FieldRig(tmp_path, mini_plant, extra=("OUTSIDER",))
    try:
        with pytest.raises(AddressError, match="not enrolled in this exercise"):
            r.svc.send_command(r.iid, "device:OUTSIDER", "message")
        from commandcenter.runtime import IncidentRuntime

        rogue = IncidentRuntime.open(r.store, r.iid, engine=False)  # bypassing the CLI's check
        rogue.record("command.sent", {"command_id": "C-LEAK", "to": "device:OUTSIDER", "devices": ["OUTSIDER",
                                                                                                    "DEV-1"],
                                      "kind": "message", "text_en": "x"})
        wait_until(lambda: [c["devices"] for c in r.svc.commands(r.iid, "C-LEAK")] == [{"OUTSIDER": "failed",
                                                                                         "DEV-1": "done"}],
                   what="the outsider refused, the participant served")
        assert r.sim.applied()["OUTSIDER"] == []
        [f] = r.events("command.failed")
        assert f.payload["reason"] == "exercise: device not enrolled in this drill"
    finally:
        r.close()


def test_equipment_actions_go_to_the_gateway_and_make_the_linkage_rate(tmp_path, mini_plant) -> None:
    r = FieldRig(tmp_path, mini_plant, drill={"scenario_id": "S", "params": {"equipment": ["FAN-1"]}})
    try:
        r.svc.call(lambda s: s.runtime(r.iid).submit(Draft("task.assigned", s.runtime(r.iid).now(), {
            "task_id": "T-VENT", "person_id": "P002", "title": {"zh": "通风", "en": "Ventilate"}, "deadline_s": 30.0,
            "equipment": [{"equipment_id": "FAN-1", "action": "start"}, "VALVE-9:close"]})))
        wait_until(lambda: r.svc.linkage(r.iid)["sent"] == 2 and r.events("command.done"), what="linkage")
        wait_until(lambda: r.svc.linkage(r.iid)["done_in_time"] == 1, what="fan done")
        link = r.svc.linkage(r.iid)
        assert (link["sent"], link["done_in_time"], link["rate"]) == (2, 1, 0.5)
        failed = {e.payload["command_id"]: e.payload["reason"] for e in r.events("command.failed")}
        assert list(failed.values()) == ["exercise: equipment VALVE-9 is not enrolled in this drill"]
        actuated = [m.body for m in r.sim.devs["GW-1"].received if m.type == "command"]
        assert [(b["equipment_id"], b["action"], b["exercise"]) for b in actuated] == [("FAN-1", "start", True)]
    finally:
        r.close()


def test_revoking_a_device_is_recorded_and_it_is_heard_no_more(rig) -> None:
    wait_until(lambda: rig.state()["comms"]["devices"]["DEV-4"]["online"], what="DEV-4 online")
    rig.keys.revoke("DEV-4")
    wait_until(lambda: rig.events("device.revoked"), what="the revocation recorded")
    n = len([e for e in rig.events("position.reported") if e.payload["device_id"] == "DEV-4"])
    out = rig.svc.send_command(rig.iid, "all", "message")
    assert "DEV-4" not in out["devices"]
    wait_until(lambda: all_done(rig, out["command_id"]), what="the others served")
    assert len([e for e in rig.events("position.reported") if e.payload["device_id"] == "DEV-4"]) == n


def test_closing_the_incident_expires_what_is_still_pending(tmp_path, mini_plant) -> None:
    r = FieldRig(tmp_path, mini_plant, sim=False)
    try:
        out = r.svc.send_command(r.iid, "device:DEV-1", "message")
        r.svc.call(lambda s: s.runtime(r.iid).record("incident.closed", {"reason": "drill over"}))
        wait_until(lambda: r.events("command.expired"), what="expired on close")
        [e] = r.events("command.expired")
        assert (e.payload["command_id"], e.payload["device_id"], e.payload["reason"]) == (
            out["command_id"], "DEV-1", "incident closed")
        wait_until(lambda: r.svc.incidents() == [], what="the incident retired")
    finally:
        r.close()


def test_positions_older_than_30_s_are_stale() -> None:
    t0 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    us = int(t0.timestamp() * 1e6)
    state = {"personnel": {"people": {"A": {"x": 1.0, "y": 2.0, "t": us}, "B": {"x": 3.0, "y": 4.0, "t": us - 31e6},
                                      "C": {"x": None, "y": None, "t": None}}}}
    assert views.stale_positions(state, t0 + dt.timedelta(seconds=10)) == [
        {"person_id": "B", "age_s": 41.0, "x": 3.0, "y": 4.0}]
    assert [r["person_id"] for r in views.stale_positions(state, t0 + dt.timedelta(seconds=31))] == ["B", "A"]


def test_an_exercise_command_to_an_outsider_is_refused_before_recording() -> None:
    from commandcenter.services.dispatch import check_field_recipients

    with pytest.raises(ExerciseLeak, match="1 device"):
        check_field_recipients("I1", True, ["A", "Z"], ["A"])
    check_field_recipients("I1", False, ["A", "Z"], ["A"])  # a real incident: everyone is a recipient


def test_of_two_positions_of_a_device_in_one_batch_only_the_newer_is_recorded(mini_plant, tmp_path) -> None:
    import time

    from commandcenter.services.field.geo import PlantGeo
    from commandcenter.services.field.ingest import IncidentView, Ingest
    from comms import protocol
    from comms.server import Inbound

    class Rt:
        def __init__(self) -> None:
            self.state = {"comms": {"devices": {"D1": {"enrolled": True, "person_id": "P1", "kind": "phone",
                                                       "team": None, "role": None, "revoked": False}},
                                    "commands": {}}}

    def pos(lon: float, t: float) -> Inbound:
        m = protocol.decode_device(protocol.encode("position", "D1", {"lon": lon, "lat": 32.24, "accuracy_m": 3}))
        return Inbound("message", "D1", t, message=m)
    ing = Ingest(PlantGeo(mini_plant), tmp_path)
    now = time.time()
    out, _ = ing.drafts([pos(118.78, now), pos(118.79, now + 0.2)], {"I": IncidentView("I", Rt(), True)})
    [d] = out["I"]
    assert d.payload["lon"] == 118.79
    assert ing.counters["position_superseded"] == 1


def test_a_device_ahead_of_the_log_gets_its_pending_command_numbered_again(tmp_path, mini_plant) -> None:
    """A device used with another log reports last_seq 57: seq 1 of this log would be acked "again" without
    being applied, so the pending command is numbered 58 (recorded) and then delivered."""
    from comms.simulator import DeviceProfile, SimConfig, Simulator

    r = FieldRig(tmp_path, mini_plant, sim=False)
    try:
        out = r.svc.send_command(r.iid, "device:DEV-1", "message", text_en="hello")
        wait_until(lambda: r.events("command.queued"), what="numbered 1")
        sim = Simulator([DeviceProfile("DEV-1", person_id="P001")], {"DEV-1": r.keys.device_keys("DEV-1")},
                        SimConfig(r.svc.endpoint, r.keys.server_public(), positions=False, heartbeat_s=0.5))
        sim.devs["DEV-1"].last_seq = 57  # kept across the device's restarts, from its other center
        with sim:
            wait_until(lambda: all_done(r, out["command_id"]), what="delivered after renumbering")
            assert sim.applied()["DEV-1"] == [(58, out["command_id"])]
        queued = [e.payload for e in r.events("command.queued")]
        assert [q["seqs"] for q in queued] == [{"DEV-1": 1}, {"DEV-1": 58}]
        assert queued[1]["reason"] == "device reported last_seq 57"
    finally:
        r.close()


def test_a_resource_dispatch_goes_out_as_a_task_to_the_carrier(rig) -> None:
    rig.svc.call(lambda s: s.runtime(rig.iid).submit(Draft("resource.dispatched", s.runtime(rig.iid).now(), {
        "resource_id": "SCBA-1", "quantity": 1, "to": "V-101", "person_id": "P002"})))
    wait_until(lambda: rig.events("command.sent"), what="the dispatch command")
    [c] = rig.events("command.sent")
    assert (c.payload["kind"], c.payload["devices"], c.payload["to"]) == ("task", ["DEV-2"], "dispatch:" + str(
        next(e.seq for e in rig.events("resource.dispatched"))))
    assert "SCBA-1" in c.payload["text_en"]
    wait_until(lambda: all_done(rig, c.payload["command_id"]), what="carried out")


def test_a_gas_alarm_from_the_field_makes_the_plans_engine_propose_the_h2s_plan(tmp_path, mini_plant) -> None:
    """The readings a detector gateway sends, as the ingest records them, meet the H2S plan's sensor trigger
    (≥ 10 ppm for 30 s on one detector, data/plans/h2s_release.yaml): the engine proposes the plan."""
    from commandcenter.runtime import IncidentRuntime, ManualClock
    from commandcenter.services.field.geo import PlantGeo
    from commandcenter.services.field.ingest import IncidentView, Ingest
    from commandcenter.store import EventStore
    from comms import protocol
    from comms.server import Inbound

    t0 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    clock = ManualClock(t0)
    with EventStore(tmp_path / "log.db") as store:
        rt = IncidentRuntime.create(store, title="gas", exercise=True, plant=mini_plant, clock=clock)
        rt.record("device.enrolled", {"device_id": "GD-1", "kind": "detector"})
        ing = Ingest(PlantGeo(mini_plant), tmp_path)
        view = IncidentView(rt.incident_id, rt, True, live=False)
        for s in (1, 16, 32):
            clock.set(t0 + dt.timedelta(seconds=s))
            m = protocol.decode_device(protocol.encode("reading", "GD-1", {"sensor_id": "S1", "value": 25.0,
                                                                         "unit": "ppm"}))
            out, _ = ing.drafts([Inbound("message", "GD-1", clock.now().timestamp(), message=m)],
                                {rt.incident_id: view})
            rt.submit(out[rt.incident_id])
        rt.tick()
        types = [e.type for e in store.events(rt.incident_id)]
        proposed = [e.payload for e in store.events(rt.incident_id) if e.type == "plan.proposed"]
    assert types.count("alarm.raised") == 1
    assert [(p["plan_id"], p["level"]) for p in proposed][:1] == [("h2s-release", "L1")]


def test_a_cli_launch_orders_the_people_in_the_zone_out_and_their_devices_get_the_evacuate_command(rig, capsys) -> None:
    import json

    from shapely.geometry import Point, shape

    from commandcenter.cli import main
    from tests.conftest import MINI_PLANT

    alarm = (668050.0, 3571070.0)  # in zone Z1, where the simulated phones stand
    rig.rt.record("alarm.raised", {"alarm_id": "A-1", "kind": "gas", "level": "alarm", "x": alarm[0], "y": alarm[1]})
    wait_until(lambda: {e.payload["person_id"] for e in rig.events("position.reported")} >= set(MINI_PEOPLE.values()),
               what="every phone's position in the log")
    assert main(["incident", "launch", "--db", str(rig.store.engine.url.database), "--incident", rig.iid,
                 "h2s-release", "--level", "L1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    evs = rig.events()
    [order] = [e for e in evs if e.type == "evacuation.ordered"]
    # oracle, by hand: everyone's last position before the order (the log's, else the population file), and
    # the zone polygon holding the alarm, point in polygon with shapely
    where = {r.split(",")[0]: (float(r.split(",")[1]), float(r.split(",")[2]))
             for r in (MINI_PLANT / "population.csv").read_text(encoding="utf-8").splitlines()[1:]}
    for e in evs:
        if e.type == "position.reported" and e.seq < order.seq:
            where[e.payload["person_id"]] = (e.payload["x"], e.payload["y"])
    zones = json.loads((MINI_PLANT / "zones.geojson").read_text(encoding="utf-8"))["features"]
    [poly] = [shape(f["geometry"]) for f in zones if shape(f["geometry"]).contains(Point(alarm))]
    expected = sorted(p for p, xy in where.items() if poly.contains(Point(xy)))
    assert sorted(order.payload["people"]) == sorted(out["ordered"]) == expected
    phones = sorted(d for d, p in MINI_PEOPLE.items() if p in expected)
    assert phones
    sent = wait_until(lambda: [e for e in rig.events("command.sent") if e.payload.get("kind") == "evacuate"],
                      what="the evacuate command")
    assert sent[0].payload["devices"] == phones
    cid = sent[0].payload["command_id"]
    wait_until(lambda: all(any(c == cid for _, c in rig.sim.applied().get(d, [])) for d in phones),
               what="every ordered phone applying the evacuate command")


def test_a_detector_already_held_by_an_open_alarm_raises_no_second_alarm(rig) -> None:
    """The graded alarm of S1 (raised at its warn level, here recorded by the console) is open: the detector
    reaching its alarm level is recorded as a sensor alarm, which confirms that alarm, and no second alarm is
    raised for the same leak."""
    rig.svc.call(lambda s: s.runtime(rig.iid).submit(Draft("alarm.raised", s.runtime(rig.iid).now(), {
        "alarm_id": "AL-S1-WARN", "kind": "gas", "level": "warn", "sensor_id": "S1", "by": "grader"})))
    rig.sim.raise_gas("GD-1", "S1")
    wait_until(lambda: [e for e in rig.events("sensor.alarm") if e.payload["level"] == "alarm"],
               what="the sensor alarm")
    wait_until(lambda: len([e for e in rig.events("sensor.reading") if e.payload["value"] >= 20]) >= 3,
               what="more readings at the alarm level")
    assert [e.payload["alarm_id"] for e in rig.events("alarm.raised")] == ["AL-S1-WARN"]
