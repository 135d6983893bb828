"""Emergency → Hazard zone…: the zones computed off the UI thread and drawn with people counts."""

from __future__ import annotations

from commandcenter.ui.hazard_dialog import HazardDialog, HazardRequest
from commandcenter.ui.hazard_layer import ZONE_RGBA


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
    assert req.duration_s == 600.0
    dialog.duration_spin.setValue(0.0)
    assert dialog.request().duration_s is None


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
    assert red["distance_m"] > 500  # far beyond the 200 m mini plant
    (vx0, vx1), _ = window.map_view.view_range()
    sx = window.plant.layers["hazard_sources"].geometry["H1"].x
    assert vx0 <= sx - red["distance_m"] * 0.95  # the zone runs west (wind from the east)
    assert vx1 >= window.plant.bounds[2]
