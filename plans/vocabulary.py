"""The closed word lists a plan may use: roles, qualifications, resource and sensor kinds, levels.

Roles and qualifications are the vocabulary of the plant roster (``personnel.csv``); resource and
sensor kinds are those of the plant package format (``docs/plant-format.md``). A plan that uses a
word outside these lists is rejected by validation, so a typo never becomes an unassignable task.
"""

from __future__ import annotations

from vocabulary.events import LEVEL_NAMES, LEVELS, level_rank  # noqa: F401  (the log's levels, for plan code)

ROLES: frozenset[str] = frozenset({
    "plant_manager", "deputy_manager", "department_manager", "shift_supervisor", "unit_supervisor",
    "control_room_operator", "operator", "firefighter", "fire_captain", "fire_chief", "medic", "doctor",
    "nurse", "security_guard", "security_chief", "hse_officer", "maintenance_technician", "electrician",
    "instrument_technician", "welder", "process_engineer", "equipment_engineer", "electrical_engineer",
    "instrument_engineer", "warehouse_keeper", "warehouse_supervisor", "lab_analyst", "admin_staff",
    "canteen_staff", "driver", "trainer", "contractor", "visitor", "maintenance_supervisor",
})

QUALIFICATIONS: tuple[str, ...] = (
    "scba", "first_aid", "cpr", "hot_work", "confined_space", "work_at_height", "electrical", "hazmat",
    "fire_fighting", "forklift", "crane", "gas_testing", "incident_command", "emergency_medical",
    "pressure_vessel",
)

RESOURCE_KINDS: frozenset[str] = frozenset({
    "scba", "extinguisher", "hydrant", "first_aid", "eyewash", "spill_kit", "gas_detector", "stretcher",
    "fire_truck", "other",
})

SENSOR_KINDS: frozenset[str] = frozenset({"gas", "flame", "smoke", "heat", "oxygen"})
SENSOR_UNITS: frozenset[str] = frozenset({"ppm", "%LEL", "%vol", "C", "mg/m3", "m/s", "mm/h"})

#: GB/T 29639-2020 plan types: 综合应急预案, 专项应急预案, 现场处置方案
PLAN_TYPES: frozenset[str] = frozenset({"comprehensive", "special", "onsite"})
CATEGORIES: frozenset[str] = frozenset({
    "toxic_release", "flammable_release", "fire", "explosion", "injury", "utility_failure", "natural_disaster",
})
EVACUATION_SCOPES: frozenset[str] = frozenset({"none", "zone", "radius", "site"})
CONTACT_KINDS: frozenset[str] = frozenset({"agency", "authority", "internal", "external"})
NOTICE_PLACEHOLDERS: frozenset[str] = frozenset({"place", "substance", "time", "casualties", "level", "plant"})

