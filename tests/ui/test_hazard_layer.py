"""Emergency → Hazard zone…: the zones computed off the UI thread and drawn with people counts."""

from __future__ import annotations

import json
import math

import pytest

from commandcenter.ui.hazard_dialog import HazardDialog, HazardRequest
from commandcenter.ui.hazard_layer import ZONE_RGBA, fit_label, label_anchor


def test_hazard_zones_are_drawn_with_people_counts(window, qtbot):
    tool = window.hazard_tool
    req = HazardRequest("H1", "H2S", 0.5, None, 2.0, 90.0, "D")  # east wind: the people west of H1 are downwind
    with qtbot.waitSignal(tool.zonesShown, timeout=10000) as blocker:
        tool.compute(req)
    report = blocker.args[0]
    assert [z["level"] for z in report["zones"]] == ["red", "orange", "yellow"]
    assert all("people" in z for z in report["zones"])
    assert sum(z["people"] for z in report["zones"]) > 0  # the mini plant's people stand downwind
    # wedge + three zones + wind arrow + label
    assert len(tool.layer.items) == 6
    fills = {item.brush().color().getRgb() for item in tool.layer.items if hasattr(item, "brush")}
    assert {ZONE_RGBA[level] for level in ZONE_RGBA} <= fills
    assert "people" in tool.layer.summary()


def test_a_new_wind_reading_replaces_the_zones(window, qtbot):
    tool = window.hazard_tool
    with qtbot.waitSignal(tool.zonesShown, timeout=10000):
        tool.compute(HazardRequest("H1", "H2S", 0.5, None, 2.0, 90.0, "D"))
    before = [z["people"] for z in tool.layer.report["zones"]]
    with qtbot.waitSignal(tool.zonesShown, timeout=10000) as blocker:
        tool.update_wind(5.0, 270.0)
    assert blocker.args[0]["wind_from_deg"] == 270.0
    assert sum(before) > 0
    assert sum(z["people"] for z in blocker.args[0]["zones"]) == 0  # now blowing away from everyone
    assert len(tool.layer.items) == 6


def test_impossible_weather_is_reported_not_drawn(window, qtbot):
    tool = window.hazard_tool
    with qtbot.waitSignal(tool.zonesFailed, timeout=10000) as blocker:
        tool.compute(HazardRequest("H1", "H2S", 0.5, None, 8.0, 270.0, "F"))
    assert "contradicts" in blocker.args[0]
    assert tool.layer.items == []


def test_dialog_takes_the_substance_from_the_source(qtbot, mini_plant):
    dialog = HazardDialog(mini_plant)
    qtbot.addWidget(dialog)
    req = dialog.request()
    assert req.source_id == "H1"
    assert req.substance == "H2S"
    assert req.duration_s is None  # until stopped
    dialog.duration_spin.setValue(10.0)
    assert dialog.request().duration_s == 600.0  # entered in minutes


def test_emergency_menu_is_in_the_menu_bar(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Emergency" in titles
    assert window.hazard_tool.action.text() == "&Hazard zone…"


def test_view_zooms_out_to_show_a_red_zone_beyond_the_site(window, qtbot):
    tool = window.hazard_tool
    window.map_view.fit_plant()
    with qtbot.waitSignal(tool.zonesShown, timeout=10000) as blocker:
        tool.compute(HazardRequest("H1", "H2S", 5.0, None, 2.0, 90.0, "F"))  # a big release, stable night air
    red = next(z for z in blocker.args[0]["zones"] if z["level"] == "red")
    assert red["reach_m"] > 500  # far beyond the 200 m mini plant
    (vx0, vx1), _ = window.map_view.view_range()
    sx = window.plant.layers["hazard_sources"].geometry["H1"].x
    assert vx0 <= sx - red["reach_m"] * 0.95  # the zone runs west (wind from the east)
    assert vx1 >= window.plant.bounds[2]


def _ring(cx: float, cy: float, r: float) -> dict:
    import shapely

    return json.loads(shapely.to_geojson(shapely.Point(cx, cy).buffer(r, quad_segs=8)))


def test_zones_of_every_recorded_shape_are_read_alike():
    """The service's ``polygon``, the older ``geometry`` and the simulator's GeoJSON features: a replay of any
    log draws the same zones, with reach and people where recorded."""
    from commandcenter.services.zones import assessment_shown, hazard_from_payload, zone_rows

    service = [{"level": "red", "polygon": _ring(0, 0, 100), "reach_m": 100.0, "people": 2, "guideline": "AEGL-3",
                "threshold_ppm": 50.0, "beyond_10km": False, "beyond_fence": False},
               {"level": "yellow", "polygon": None, "reach_m": None, "people": None, "beyond_10km": False}]
    older = [{"level": "red", "geometry": _ring(0, 0, 100)}]
    drill = [{"type": "Feature", "geometry": _ring(0, 0, 100), "properties": {"level": "red", "distance_m": 100.0}}]
    areas = [hazard_from_payload(z).polygons[0].area for z in (service, older, drill)]
    assert areas[0] == areas[1] == areas[2]
    assert [hazard_from_payload(z).levels for z in (service, older, drill)] == [["red"]] * 3
    rows = zone_rows({"zones": service})
    assert [(r["level"], r["reach_m"], r["people"]) for r in rows] == [("red", 100.0, 2), ("yellow", None, None)]
    assert zone_rows({"zones": drill})[0]["reach_m"] == 100.0
    assert zone_rows({"zones": older, "raw": {"summary": [{"level": "red", "distance_m": 99.0, "people": 3}]}})[0][
        "people"] == 3
    _report, polygons, wedge = assessment_shown({"zones": drill, "raw": {}})
    assert set(polygons) == {"red"}
    assert wedge is None
    with pytest.raises(ValueError, match=r"zones\[0\].level"):
        hazard_from_payload([{"level": "purple", "geometry": _ring(0, 0, 1)}])
    with pytest.raises(ValueError, match=r"zones\[0\].geometry: a Point"):
        hazard_from_payload([{"level": "red", "geometry": {"type": "Point", "coordinates": [0, 0]}}])


def test_a_replayed_assessment_is_drawn_from_the_log_not_recomputed(window, qtbot, tmp_path):
    """An assessment written by another console (or before a restart) is drawn as recorded."""
    import datetime as dt

    from commandcenter.runtime import ManualClock
    from vocabulary.events import Draft

    window.session.open_log(tmp_path / "log.db", resume=False)
    window.session.new_incident("other console", exercise=True,
                                clock=ManualClock(dt.datetime(2026, 11, 30, 3, tzinfo=dt.UTC)))
    sx, sy = (float(v) for v in window.plant.layers["hazard_sources"].geometry["H1"].coords[0])
    zones = [{"level": "red", "polygon": _ring(sx - 30, sy, 30), "reach_m": 60.0, "people": 0,
              "guideline": "AEGL-3", "threshold_ppm": 50.0}]
    with qtbot.waitSignal(window.hazard_tool.zonesShown, timeout=5000) as shown:
        window.session.submit(Draft("hazard.assessed", window.session.now(), {
            "assessment_id": "A-X", "zones": zones, "substance": "H2S", "source": {"id": "H1", "x": sx, "y": sy},
            "weather": {"wind_speed_mps": 2.0, "wind_from_deg": 90.0, "stability": "D"}}))
    assert shown.args[0]["zones"][0]["reach_m"] == 60.0
    assert window.hazard_tool.layer.zone_polygons["red"].area == pytest.approx(math.pi * 30 ** 2, rel=0.05)
    assert "60 m" in window.hazard_tool.layer.summary()


@pytest.mark.parametrize(("wind_from", "grows"), [(270.0, "left, up"), (90.0, "right, up"), (0.0, "right, up"),
                                                  (180.0, "right, down"), (225.0, "left, down"), (45.0, "right, up")])
def test_the_zone_summary_grows_upwind_never_over_the_plume(wind_from, grows):
    ax, ay = label_anchor(wind_from)
    # a TextItem anchored at (0, y) extends right of the source, at (1, y) left; at (x, 1) up, at (x, 0) down
    horizontal = "right" if ax == 0.0 else "left"
    vertical = "up" if ay == 1.0 else "down"
    assert f"{horizontal}, {vertical}" == grows
    # by hand: the plume goes toward wind_from + 180°; the label's quadrant never contains that direction
    to = math.radians(wind_from + 180.0)
    east, north = math.sin(to), math.cos(to)
    assert not (east > 1e-9 and horizontal == "right" and north > 1e-9 and vertical == "up")
    assert not (east < -1e-9 and horizontal == "left")


@pytest.mark.parametrize(("at", "anchor", "want"), [
    ((50.0, 50.0), (1.0, 1.0), (20.0, 50.0)),  # fits where it wants: left of and above the source
    ((10.0, 50.0), (1.0, 1.0), (10.0, 50.0)),  # would cross the left edge: flipped right
    ((50.0, 95.0), (1.0, 1.0), (20.0, 75.0)),  # would cross the top: flipped down
    ((10.0, 95.0), (1.0, 1.0), (10.0, 75.0)),  # a corner: flipped on both axes
    ((-40.0, 200.0), (0.0, 1.0), (0.0, 80.0)),  # source off the view: pushed inside at the nearest edge
    ((95.0, 5.0), (0.0, 0.0), (65.0, 5.0)),  # bottom right, growing right and down: flipped left and up
])
def test_the_zone_summary_label_stays_inside_the_view(at, anchor, want):
    # a 30 × 20 label in a 0–100 × 0–100 view; corners worked out by hand
    assert fit_label(at, (30.0, 20.0), anchor, ((0.0, 100.0), (0.0, 100.0))) == pytest.approx(want)


def test_a_label_larger_than_the_view_shows_its_top_left_corner():
    assert fit_label((50.0, 50.0), (150.0, 130.0), (1.0, 1.0), ((0.0, 100.0), (0.0, 100.0))) == pytest.approx(
        (0.0, -30.0))


def test_the_zone_summary_near_the_left_and_top_edges_is_drawn_whole_inside_the_map(window, qtbot, tmp_path):
    """A west wind at a source near the map's top-left corner: the label wants to grow left and up, off the map;
    on the screen it lies inside the map view, at this zoom and after zooming in on the source."""
    from vocabulary.events import Draft

    sx, sy = (float(v) for v in window.plant.layers["hazard_sources"].geometry["H1"].coords[0])
    window.session.open_log(tmp_path / "log.db", resume=False)
    window.session.new_incident("label", exercise=True)
    zones = [{"level": "red", "polygon": _ring(sx + 20, sy, 20), "reach_m": 40.0, "people": 0,
              "guideline": "AEGL-3", "threshold_ppm": 50.0}]
    mv = window.map_view
    lx, ly = mv.to_local(sx, sy)
    with qtbot.waitSignal(window.hazard_tool.zonesShown, timeout=5000):
        window.session.submit(Draft("hazard.assessed", window.session.now(), {
            "assessment_id": "A-L", "zones": zones, "substance": "H2S", "source": {"id": "H1", "x": sx, "y": sy},
            "weather": {"wind_speed_mps": 2.0, "wind_from_deg": 300.0, "stability": "D"}}))
    label = window.hazard_tool.layer.label
    assert label is not None
    assert label_anchor(300.0) == (1.0, 1.0)  # it wants to grow left and up: off the map here
    from commandcenter.ui.map_style import Z_ORDER

    assert label.zValue() > max(Z_ORDER["personnel"], Z_ORDER["routes"])  # over the dots and the routes
    assert mv._is_dynamic(label)  # drawn live above the dots, not into the cached basemap beneath them
    mv.viewbox.setRange(xRange=(lx - 5, lx + 300), yRange=(ly - 300, ly + 5), padding=0)

    def inside() -> bool:
        view = mv.viewbox.mapRectToScene(mv.viewbox.boundingRect())
        box = label.mapRectToScene(label.boundingRect())
        return view.contains(box) and box.width() > 50

    qtbot.waitUntil(inside, timeout=5000)
    mv.viewbox.setRange(xRange=(lx - 2, lx + 60), yRange=(ly - 60, ly + 2), padding=0)  # zoom in on the source
    qtbot.waitUntil(inside, timeout=5000)
