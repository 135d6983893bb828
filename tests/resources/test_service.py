"""The resources service on the incident runtime: shortages of a launched plan with the drafted request,
dispatch through the runtime with the comms hook, changes refused before anything is recorded, and the
board read back from the log."""

from __future__ import annotations

import json
import math

import pytest
import shapely

from commandcenter.runtime import IncidentRuntime, ManualClock
from commandcenter.services.resources_service import ResourcesService
from commandcenter.services.zones import zones_payload
from commandcenter.store import EventStore
from gis.routing.hazard_graph import Hazard
from resources.ledger import ResourceError
from vocabulary.events import Draft

from .conftest import MORNING
from .plants import E0, N0, RED_CUT, P, g

SCBA_PLAN = """\
id: scba-drill
title: {zh: 呼吸器演练, en: SCBA drill}
plan_type: onsite
category: toxic_release
scenario: scba
summary: {zh: 测试用, en: For tests}
triggers:
- {id: manual, kind: manual, level: L1, description: {zh: 人工, en: Manual}}
levels:
  L1:
    commander: firefighter
    evacuation: {scope: none}
    description: {zh: 班组级, en: Team}
tasks:
- id: entry
  title: {zh: 进入, en: Entry team}
  role: firefighter
  level: L1
  deadline_s: 300
  resources: [{kind: scba, quantity: 3}]
- id: backup
  title: {zh: 后援, en: Backup team}
  role: operator
  alternates: [firefighter]
  level: L1
  deadline_s: 300
  resources: [{kind: scba, quantity: 3}]
contacts:
- {id: fire_119, name: {zh: 消防, en: Fire}, phone: '119', kind: agency}
notice_template: {zh: '{place}发生{substance}事故', en: '{substance} accident at {place}'}
"""


@pytest.fixture
def rt(tmp_path, detour):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "scba_drill.yaml").write_text(SCBA_PLAN, encoding="utf-8")
    store = EventStore(tmp_path / "log.db")
    runtime = IncidentRuntime.create(store, title="SCBA drill", exercise=True, plant=detour, plans_dir=plans,
                                     clock=ManualClock(MORNING))
    yield runtime
    runtime.close()
    store.close()


def _assess(rt) -> None:
    zones = json.loads(json.dumps(zones_payload(Hazard([shapely.Polygon([g(*p) for p in RED_CUT])], ["red"]))))
    rt.submit(Draft("hazard.assessed", rt.now(), {"assessment_id": "A1", "zones": zones,
                                                  "source": {"id": None, "x": E0 + P[0], "y": N0 + P[1]}}))


def test_launched_plan_short_of_scba_outside_the_hazard_drafts_the_request(rt):
    _assess(rt)
    rt.launch("scba-drill", "L1")
    svc = ResourcesService(rt)
    out = svc.shortages()
    # two tasks need 3 sets each; outside red: S1 (2) and S2 (2); S3's 4 sets stand inside red; S4 expired
    assert out["shortages"] == [{"kind": "scba", "needed": 6, "available": 4, "in_hazard": 4, "requested": 0,
                                 "short": 2, "tasks": ["entry", "backup"]}]
    assert out["deliver_to"]["id"] == "G1"  # the east gate: outside the zone, 5 + 50 + 2 m on foot from the place
    assert out["deliver_to"]["walk_s"] == pytest.approx((5 + 50 + 2) / 1.34, abs=0.1)
    recorded = svc.request_shortages(by="commander")
    assert [(e.type, e.payload["kind"], e.payload["quantity"], e.payload["deliver_to"]) for e in recorded] == [
        ("resource.requested", "scba", 2, "G1")]
    assert rt.state["resources"]["requested"] == {"scba": 2}
    again = svc.shortages()
    assert again["shortages"][0]["short"] == 0
    assert again["drafts"] == []


def test_taking_sets_makes_them_unavailable_and_over_taking_is_refused(rt):
    _assess(rt)
    rt.launch("scba-drill", "L1")
    svc = ResourcesService(rt)
    svc.take("S1", 2, person_id="F1")
    assert svc.shortages()["shortages"][0]["available"] == 2
    near = svc.nearest(E0 + P[0], N0 + P[1], kind="scba")
    assert [r["id"] for r in near["results"]] == ["S2"]
    assert {e["id"]: e["reason"] for e in near["excluded"]}["S1"] == "none-left"
    head = rt.seq
    with pytest.raises(ResourceError, match="S2: 3 taken but only 2"):
        svc.take("S2", 3)
    with pytest.raises(ResourceError, match="S4 expired"):
        svc.take("S4", 1)
    with pytest.raises(ResourceError, match="3 returned but only 2 are out"):
        svc.give_back("S1", 3)
    assert rt.seq == head
    svc.give_back("S1", 1, state="maintenance", person_id="F1")
    svc.give_back("S1", 1, person_id="F1")
    assert svc.board()["items"][0]["available"] == 1  # one set back in service, one in maintenance
    assert svc.board()["items"][0]["damaged"] == 1


def test_dispatch_goes_through_the_runtime_and_the_comms_hook(rt):
    sent = []

    def hook(event):
        sent.append(event.seq)
        return [Draft("command.sent", event.time, {"command_id": f"C-{event.seq}", "to": "F1", "kind": "dispatch",
                                                   "params": {"resource_id": event.payload["resource_id"]}})]

    svc = ResourcesService(rt, dispatch_hook=hook)
    x, y = E0 + P[0], N0 + P[1]
    events = svc.dispatch("S2", to="entry point", x=x, y=y, quantity=2, person_id="F1", by="commander")
    assert [e.type for e in events] == ["resource.dispatched", "command.sent"]
    assert sent == [events[0].seq]
    assert events[0].payload["walk_s"] == pytest.approx((3 + 100 + 2) / 1.34, abs=0.06)  # S2 along the road
    assert rt.state["resources"]["items"]["S2"]["committed"] == 2
    assert rt.state["commands"]["commands"]["C-" + str(events[0].seq)]["kind"] == "dispatch"
    with pytest.raises(ResourceError, match="only 0 of 2 are free"):
        svc.dispatch("S2", to="entry point")
    team = svc.dispatch_unit(to="entry point", team="fire_brigade")
    assert team[0].payload["resource_id"] == "team:fire_brigade"
    assert "team:fire_brigade" in rt.state["resources"]["dispatched"]


def test_nearest_people_follow_the_reported_positions(rt):
    svc = ResourcesService(rt)
    x, y = E0 + P[0], N0 + P[1]
    first = svc.nearest_people(x, y, quals=("scba",))
    # on shift at 10:00 (crew A, day staff) with a valid SCBA ticket: F1 (at 150, 33) and O1 (at 100, 2)
    assert [r["id"] for r in first["results"]] == ["O1", "F1"]
    rt.submit(Draft("position.reported", rt.now(), {"person_id": "F1", "x": E0 + 148.0, "y": N0 - 1.0}))
    moved = svc.nearest_people(x, y, quals=("scba",))
    assert [r["id"] for r in moved["results"]] == ["F1", "O1"]
    assert moved["results"][0]["path"][0] == pytest.approx(g(148, -1))
    assert moved["results"][0]["distance_m"] == pytest.approx(math.hypot(2, 1) + 2, abs=0.06)


def test_the_board_is_read_back_from_the_log(rt, detour, tmp_path):
    svc = ResourcesService(rt)
    svc.take("S2", 1, person_id="F2")
    svc.use("X1", 2, person_id="F2")
    svc.dispatch("S1", to="gate", quantity=1)
    again = IncidentRuntime.open(rt.store, rt.incident_id, plant=detour, read_only=True)
    assert again.state["resources"] == rt.state["resources"]
    board = {it["id"]: it for it in ResourcesService(again).board()["items"]}
    assert (board["S2"]["available"], board["S2"]["holders"]) == (1, {"F2": 1.0})
    assert board["X1"]["available"] == 1
    assert board["S1"]["available"] == 1
    codes = {w["code"] for w in ResourcesService(again).warnings()}
    assert {"expired", "inspection-overdue", "not-ready", "qualification-expired"} <= codes
