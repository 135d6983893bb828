"""The static-zone plan and the dose-optimal plan of one release, side by side.

The static-zone plan is today's practice: zones drawn from the release (the
cloud as it is now, or the 60-minute peak footprint), red closed, orange and
yellow penalised (:mod:`gis.routing.hazard_graph`), planned by ``static_method``.
The dose-optimal plan routes everyone to their least toxic load through the
cloud as it grows and drifts (:mod:`gis.routing.dose`). Both are timed by the
same flow model and every person's toxic load is integrated the same way along
their timed path, so the comparison is like for like.
"""

from __future__ import annotations

from dataclasses import dataclass

from gis.routing.dose import Exposure, dose_report, person_loads
from gis.routing.hazard_graph import Hazard, Penalties
from gis.routing.people import People
from gis.routing.plan import OPTIMISE_S, EvacuationPlan, plan_evacuation
from gis.routing.shortest import RoutingNetwork
from gis.routing.site import Site


@dataclass
class DoseComparison:
    """The two plans and the side-by-side report (:func:`gis.routing.dose.dose_report`)."""

    static: EvacuationPlan
    dose: EvacuationPlan
    report: dict[str, object]


def compare_with_dose(site: Site, people: People, exposure: Exposure, static_hazard: Hazard | None,
                      static_method: str = "capacity", penalties: Penalties | None = None,
                      optimise_s: float = OPTIMISE_S) -> DoseComparison:
    """Plan around ``static_hazard`` by ``static_method`` and by least toxic load, and report both."""
    static = plan_evacuation(site, people, static_hazard, static_method, penalties, optimise_s=optimise_s)
    dose = plan_evacuation(site, people, None, "dose", net=RoutingNetwork(site, None), exposure=exposure)
    static_loads = person_loads(static.net, people, static.assignment, static.start_s, static.order, exposure)
    dose_loads = person_loads(dose.net, people, dose.assignment, dose.start_s, dose.order, exposure)
    report = dose_report(people.ids, static_loads, dose_loads, exposure)
    report["static_method"] = static_method
    return DoseComparison(static, dose, report)
