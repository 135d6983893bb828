"""Who the report counts: the one population definition (:mod:`plans.population`) that every people figure of
the report — and the ``drill run`` figures (:mod:`simulation.metrics`) — is a count of. It lives in ``plans``
so that the simulation, below the command center, reads the very same definition."""

from __future__ import annotations

from plans.population import ANSWERS, Population, population_of, population_of_events

__all__ = ["ANSWERS", "Population", "population_of", "population_of_events"]
