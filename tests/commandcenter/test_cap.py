"""The external notice as OASIS CAP 1.2: valid against the OASIS schema, readable by a third-party parser
(PyPI ``capparser``), Exercise for an exercise, the hazard zone as a WGS 84 polygon, bilingual."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import capparser
import pytest
import xmlschema
from pyproj import Transformer

from commandcenter.cli import main
from commandcenter.services.dispatch import EXERCISE_MARK, ExerciseLeak, cap_status
from comms import cap
from tests.conftest import MINI_PLANT

XSD = Path("/work/shared/spec/CAP-v1.2-schema.xsd")
if not XSD.exists():
    XSD = Path(__file__).resolve().parents[3] / "shared" / "spec" / "CAP-v1.2-schema.xsd"
RED = [[668110.0, 3571060.0], [668190.0, 3571060.0], [668190.0, 3571110.0], [668110.0, 3571110.0],
       [668110.0, 3571060.0]]


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(XSD))


def make_log(tmp_path: Path, *, exercise: bool, zones: bool = True) -> tuple[str, str]:
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.store import EventStore

    db = str(tmp_path / "log.db")
    store = EventStore(db)
    rt = IncidentRuntime.create(store, title="V-101 硫化氢泄漏 H2S leak", exercise=exercise, engine=False)
    rt.record("plan.launched", {"plan_id": "h2s-release", "level": "L3",
                                "title": {"zh": "硫化氢泄漏应急预案", "en": "H2S release plan"}})
    if zones:
        rt.record("hazard.assessed", {"assessment_id": "A1", "substance": "H2S", "reach_m": {"red": 120.0},
                                      "zones": [{"level": "red", "geometry": {"type": "Polygon",
                                                                              "coordinates": [RED]}}]})
        rt.record("evacuation.ordered", {"order_id": "O1", "people": ["P001"]})
    iid = rt.incident_id
    store.close()
    return db, iid


def run_cap(db: str, iid: str, out: Path, capsys) -> dict:
    assert main(["cap", db, "--incident", iid, "--plant", str(MINI_PLANT), "--out", str(out), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_exercise_notice_is_valid_cap_readable_by_a_third_party_parser(tmp_path, capsys, schema) -> None:
    db, iid = make_log(tmp_path, exercise=True)
    out = tmp_path / "notice.xml"
    result = run_cap(db, iid, out, capsys)
    assert result["status"] == "Exercise"
    schema.validate(str(out))
    alert = capparser.parse(stringXML=out.read_text(encoding="utf-8"))
    assert alert.getStatus() == "Exercise"
    assert alert.getMsgType() == "Alert"
    infos = alert.getInfos()
    assert [i.getLanguage() for i in infos] == ["zh-CN", "en-US"]
    assert infos[1].getEvent() == "H2S release plan"
    assert infos[1].getSeverity() == "Severe"  # level L3
    assert infos[0].getHeadline().startswith(EXERCISE_MARK)
    assert "Evacuate" in str(infos[1].getResponseTypes())


def test_area_polygon_is_the_red_zone_in_wgs84_lat_lon_and_closed(tmp_path, capsys) -> None:
    db, iid = make_log(tmp_path, exercise=True)
    out = tmp_path / "notice.xml"
    run_cap(db, iid, out, capsys)
    alert = capparser.parse(stringXML=out.read_text(encoding="utf-8"))
    area = alert.getInfos()[1].getAreas()[0]
    polygon = area.polygon[0]  # the parser keeps one polygon as its text, several as a list
    polygon = polygon[0] if isinstance(polygon, list) else polygon
    pairs = [tuple(map(float, p.split(","))) for p in polygon.split()]
    assert pairs[0] == pairs[-1]
    to_wgs = Transformer.from_crs("EPSG:32650", "EPSG:4326", always_xy=True)
    expected = [to_wgs.transform(x, y) for x, y in RED]
    assert len(pairs) == len(expected)
    for (lat, lon), (elon, elat) in zip(pairs, expected, strict=True):
        assert lat == pytest.approx(elat, abs=1e-6)
        assert lon == pytest.approx(elon, abs=1e-6)
        assert 32.0 < lat < 32.5  # Nanjing: latitude first, as CAP wants
    assert "red zone" in area.areaDesc[0]


def test_real_incident_notice_is_actual_and_without_zones_covers_the_site(tmp_path, capsys, schema) -> None:
    db, iid = make_log(tmp_path, exercise=False, zones=False)
    out = tmp_path / "notice.xml"
    result = run_cap(db, iid, out, capsys)
    schema.validate(str(out))
    assert result["status"] == "Actual"
    assert result["areas"] == 1
    alert = capparser.parse(stringXML=out.read_text(encoding="utf-8"))
    assert alert.getStatus() == "Actual"
    assert "site" in alert.getInfos()[1].getAreas()[0].areaDesc[0]
    assert EXERCISE_MARK not in out.read_text(encoding="utf-8")


def test_writing_the_notice_is_recorded_as_a_notification(tmp_path, capsys) -> None:
    from commandcenter.store import EventStore

    db, iid = make_log(tmp_path, exercise=True)
    run_cap(db, iid, tmp_path / "n.xml", capsys)
    with EventStore(db) as store:
        [n] = [e for e in store.events(iid) if e.type == "notification.sent"]
    assert (n.payload["channel"], n.payload["live"]) == ("cap", False)


def test_an_exercise_notice_can_never_be_actual() -> None:
    assert cap_status(True) == "Exercise"
    with pytest.raises(ExerciseLeak):
        cap_status(True, "Actual")
    assert cap_status(False) == "Actual"


def test_cap_times_use_offsets_and_minus_zero_for_utc() -> None:
    assert cap.cap_time(dt.datetime(2026, 11, 30, 2, 3, 4, 500, tzinfo=dt.UTC)) == "2026-11-30T02:03:04-00:00"
    t = dt.datetime(2026, 11, 30, 10, 3, 4, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert cap.cap_time(t) == "2026-11-30T10:03:04+08:00"


@pytest.mark.parametrize(("field", "alert_kw", "info_kw"), [
    ("identifier", {"identifier": "has space"}, {}),
    ("sender", {"sender": "a,b"}, {}),
    ("status", {"status": "Real"}, {}),
    ("info[0].severity", {}, {"severity": "Huge"}),
    ("info[0].area[0].polygon[0]", {}, {"areas": [cap.Area("x", [[(32.0, 118.0), (32.1, 118.0)]])]}),
    ("info[0].area[0].polygon[0]", {}, {"areas": [cap.Area("x", [[(95.0, 118.0), (32.1, 118.0), (32.1, 118.1)]])]}),
])
def test_what_cap_forbids_is_refused_naming_the_element(field: str, alert_kw: dict, info_kw: dict) -> None:
    info = cap.Info(**{"language": "en-US", "event": "e", "headline": "h", "description": "d", "instruction": "i",
                       **info_kw})
    alert = cap.Alert(**{"identifier": "id-1", "sender": "s", "sent": dt.datetime.now(dt.UTC), "status": "Actual",
                         "infos": [info], **alert_kw})
    with pytest.raises(cap.CapError) as exc:
        cap.to_xml(alert)
    assert exc.value.field == field
