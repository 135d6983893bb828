"""Texts shown for features: tooltip lines and the names printed on the map."""

from __future__ import annotations

import math

from commandcenter.ui.feature_tooltip import attribute_lines, feature_text, format_value, person_text
from commandcenter.ui.map_layers import feature_label


def test_tooltip_lists_names_first_and_leaves_out_missing_values_and_bookkeeping():
    attributes = {"capacity": 50, "name_en": "Gate square", "name": "大门广场", "sheltered": False,
                  "node": 4, "node_distance_m": 14.1, "note": math.nan}
    text = feature_text("assembly_points", "AP1", attributes)
    lines = text.splitlines()
    assert lines[0] == "Assembly point AP1"
    assert lines[1:3] == ["name: 大门广场", "name_en: Gate square"]
    assert "capacity: 50" in lines
    assert "sheltered: False" in lines
    assert not any(line.startswith(("node", "note")) for line in lines)


def test_values_are_short():
    assert format_value(2.0) == "2"
    assert format_value(0.125) == "0.125"
    assert format_value(("scba", "first_aid")) == "scba; first_aid"
    assert format_value(None) is None
    assert format_value("  ") is None
    assert attribute_lines({"kind": "gas", "warn": None}) == ["kind: gas"]


def test_person_text_has_roster_and_status():
    text = person_text("P1", {"name": "张伟", "role": "operator"}, 5)
    assert text.splitlines() == ["Person P1", "name: 张伟", "role: operator", "status: missing"]


def test_map_labels_use_the_english_name_in_english_and_the_name_otherwise():
    attrs = {"name": "一号集合点", "name_en": "Muster 1"}
    assert feature_label(attrs, "en") == "Muster 1"
    assert feature_label(attrs, "zh") == "一号集合点"
    assert feature_label({"name": "Gate", "name_en": math.nan}, "en") == "Gate"
    assert feature_label({"name_en": "Only English"}, "zh") == "Only English"
    assert feature_label({}, "en") == ""


def test_labels_near_the_site_edges_point_inwards_and_south_gates_are_labelled_outside():
    from commandcenter.ui.map_layers import label_placement

    bounds = (0.0, 0.0, 1000.0, 600.0)
    assert label_placement(500, 0, bounds, "exits") == (0.5, "below")
    assert label_placement(500, 600, bounds, "exits") == (0.5, "above")
    assert label_placement(0, 300, bounds, "exits") == (0.0, "above")
    assert label_placement(1000, 300, bounds, "exits") == (1.0, "above")
    assert label_placement(500, 5, bounds, "assembly_points") == (0.5, "above")
