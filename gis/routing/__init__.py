"""Evacuation routing: hazard-aware shortest routes, a capacity-aware plan, its lower bound, instructions.

See ``docs/routing.md`` for the models, the algorithms and their sources.
"""
