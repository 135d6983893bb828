"""Live: a wind reading a field weather station (or any other writer) records in an incident the field
service serves is re-planned by the service itself — a new assessment in the new wind and new routes —
without anyone asking (#11 item 3)."""

from __future__ import annotations

import pytest

from tests.comms.helpers import FieldRig, wait_until
from vocabulary.events import Draft

pytestmark = pytest.mark.slow  # a field server and simulated devices


def test_the_field_service_replans_when_a_new_wind_is_recorded(tmp_path, mini_plant) -> None:
    from commandcenter.runtime import IncidentRuntime
    from commandcenter.services.assessment import assess_equipment, assessed_draft
    from commandcenter.services.evacuation import WIND_REPLAN_BY, evacuation_draft
    from commandcenter.services.zones import hazard_from_payload
    from gis.hazards.weather import WeatherInput, plant_lonlat, resolve_weather
    from gis.routing.people import people_of_plant
    from gis.routing.plan import plan_evacuation
    from gis.routing.site import Site

    rig = FieldRig(tmp_path, mini_plant)
    try:
        lon, lat = plant_lonlat(mini_plant)
        a = assess_equipment(mini_plant, "H1", resolve_weather(WeatherInput(2.0, 90.0, stability="D"), lat, lon),
                             rate_kg_s=0.2)
        zones = hazard_from_payload(assessed_draft(a, rig.rt.now()).payload["zones"])
        plan = plan_evacuation(Site.of_plant(mini_plant), people_of_plant(mini_plant), zones, "capacity",
                               optimise_s=0.0)
        other = IncidentRuntime.open(rig.store, rig.iid, engine=False)  # another console records them
        other.submit([assessed_draft(a, other.now(), by="console"),
                      evacuation_draft(plan, other.now(), assessment_id=a.assessment_id, by="console")])
        other.submit(Draft("weather.observed", other.now(), {"wind_speed_mps": 2.0, "wind_from_deg": 0.0,
                                                              "station_id": "WS-1"}))
        wait_until(lambda: [e for e in rig.events("evacuation.planned") if e.payload.get("by") == WIND_REPLAN_BY],
                   timeout=60, what="the wind re-plan")
        [assessed] = [e for e in rig.events("hazard.assessed") if e.payload.get("by") == WIND_REPLAN_BY]
        [planned] = [e for e in rig.events("evacuation.planned") if e.payload.get("by") == WIND_REPLAN_BY]
        assert assessed.payload["weather"]["wind_from_deg"] == 0.0
        assert planned.payload["assessment_id"] == assessed.payload["assessment_id"]
        assert assessed.seq < planned.seq
    finally:
        rig.close()
