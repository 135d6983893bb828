"""The demo plant on the map: every layer drawn, names in English, hover describes a hazard source."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_PLANT

pytestmark = pytest.mark.skipif(not (DEMO_PLANT / "site.geojson").exists(), reason="no demo plant")


def test_the_demo_plant_draws_every_layer_and_all_people_on_site(demo_window, demo_plant):
    view = demo_window.map_view
    for name, count in demo_plant.layer_counts().items():
        if count:
            assert view.layer_items[name], name
    assert demo_window.people_shown() == len(demo_plant.population)
    assert demo_window.plant_display_name() != demo_plant.name  # the English name from site.yaml


def test_hovering_a_demo_hazard_describes_it(demo_window, demo_plant):
    view = demo_window.map_view
    hazard = demo_plant.layers["hazard_sources"].iloc[0]
    text = view.tooltip_text_at(hazard.geometry.x, hazard.geometry.y, tolerance_m=0.5)
    assert text is not None
    assert text.startswith(f"Hazard source {demo_plant.layers['hazard_sources'].index[0]}")
    assert f"substance: {hazard['substance']}" in text
