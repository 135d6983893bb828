"""A small hand-built plant package where the straight-line nearest SCBA is not the nearest by walking.

Local coordinates (metres) are offset by (E0, N0) in EPSG:32650. The walkways form a U open to the east::

    (0,30) C1 ── C2 ── C3 ── C4 (200,30)        upper walkway, nodes every 50 m
      │ stair B                    │ E (walkway down to the road)
    (0,0)  A1 ── A2 ── A3 ── A4 (200,0)         road, nodes every 50 m

A place P at (150, 2) sits on the road. SCBA ``S1`` at (150, 32) is 30 m away in a straight line but
134 m on foot (east along the upper walkway, down E, back west on the road); SCBA ``S2`` at (50, -3) is
100 m away in a straight line and 105 m on foot. Stairs B walk at 0.6 of the speed (the plant format's
default). ``S3`` stands in the middle of the road span that the hazard boxes below make red, ``S4`` is
expired, ``X1`` is an extinguisher with an overdue inspection, ``T1`` a fire truck in a yard beside
the road.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

E0, N0 = 668000.0, 3571000.0
CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32650"}}
P = (150.0, 2.0)
#: red box over the road between x=80 and x=120: the road from S2 to P is closed
RED_CUT = [(80, -10), (120, -10), (120, 10), (80, 10)]
#: red box over the road from x=80 to x=155: P2 inside it is reached from its staging point at (50, 0)
RED_WIDE = [(80, -10), (155, -10), (155, 10), (80, 10)]
P2 = (90.0, 1.0)


def g(x: float, y: float) -> list[float]:
    """Local metres to package coordinates."""
    return [E0 + x, N0 + y]


def _fc(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "crs": CRS, "features": features}


def _point(props: dict[str, Any], x: float, y: float) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": g(x, y)}}


def _line(props: dict[str, Any], *pts: tuple[float, float]) -> dict[str, Any]:
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "LineString", "coordinates": [g(*p) for p in pts]}}


def walkways() -> list[dict[str, Any]]:
    """The U: road A1–A4, upper walkway C1–C4, stair B at the west end, walkway E at the east end."""
    out = []
    for i in range(4):
        out.append(_line({"id": f"A{i + 1}", "kind": "road", "width_m": 6}, (50 * i, 0), (50 * i + 50, 0)))
        out.append(_line({"id": f"C{i + 1}", "kind": "walkway", "width_m": 2}, (50 * i, 30), (50 * i + 50, 30)))
    out.append(_line({"id": "B", "kind": "stair", "width_m": 1.5}, (0, 0), (0, 30)))
    out.append(_line({"id": "E", "kind": "walkway", "width_m": 2}, (200, 0), (200, 30)))
    return out


RESOURCES: list[tuple[dict[str, Any], float, float]] = [
    ({"id": "S1", "kind": "scba", "quantity": 2, "name_en": "Upper SCBA cabinet", "expires": "2030-01-01"}, 150, 32),
    ({"id": "S2", "kind": "scba", "quantity": 2, "name_en": "Road SCBA cabinet", "expires": "2030-01-01"}, 50, -3),
    ({"id": "S3", "kind": "scba", "quantity": 4, "name_en": "Mid-road SCBA cabinet"}, 100, 3),
    ({"id": "S4", "kind": "scba", "quantity": 1, "name_en": "Old SCBA set", "expires": "2024-01-31"}, 20, -2),
    ({"id": "X1", "kind": "extinguisher", "quantity": 3, "inspected": "2026-09-01"}, 140, -2),
    ({"id": "K1", "kind": "first_aid", "quantity": 1, "state": "maintenance"}, 10, 32),
    ({"id": "T1", "kind": "fire_truck", "quantity": 1, "name_en": "Foam tender"}, 20, -20),
]

PERSONNEL = """id,name,role,team,phone,qualifications,home_zone,device_id,shift,qualification_expiry
F1,Fire One,firefighter,Fire A,1,scba;first_aid;hazmat,,D1,A,scba=2030-01-01
F2,Fire Two,firefighter,Fire B,2,scba;first_aid,,D2,B,
F3,Fire Three,firefighter,Fire A,3,scba;first_aid,,D3,A,scba=2026-01-01
M1,Medic One,medic,Medical,4,first_aid;emergency_medical,,D4,day,
O1,Operator One,operator,Crew A,5,scba;gas_testing,,D5,A,
"""
POPULATION = """id,x,y
F1,{f1}
F2,{f2}
F3,{f3}
M1,{m1}
O1,{o1}
"""
POSITIONS = {"F1": (150, 33), "F2": (40, -2), "F3": (55, 2), "M1": (60, 1), "O1": (100, 2)}


def write_plant(path: Path, resources: list[tuple[dict[str, Any], float, float]] | None = None,
                personnel: str = PERSONNEL, extra_walkways: list[dict[str, Any]] | None = None) -> Path:
    """Write the detour plant package into folder ``path`` and return it."""
    path.mkdir(parents=True, exist_ok=True)
    site = [[g(-30, -40), g(230, -40), g(230, 60), g(-30, 60), g(-30, -40)]]
    layers = {
        "site": _fc([{"type": "Feature", "properties": {"name": "Detour plant", "timezone": "Asia/Shanghai"},
                      "geometry": {"type": "Polygon", "coordinates": site}}]),
        "walkways": _fc(walkways() + list(extra_walkways or [])),
        "assembly_points": _fc([_point({"id": "AP1", "name": "West lawn", "capacity": 50}, -5, 0)]),
        "exits": _fc([_point({"id": "G1", "name": "East gate"}, 205, 0), _point({"id": "G2", "name": "West gate"},
                                                                                -5, 30)]),
        "resources": _fc([_point(p, x, y) for p, x, y in (RESOURCES if resources is None else resources)]),
    }
    for name, doc in layers.items():
        (path / f"{name}.geojson").write_text(json.dumps(doc), encoding="utf-8")
    (path / "personnel.csv").write_text(personnel, encoding="utf-8")
    pos = {k.lower(): f"{E0 + x},{N0 + y}" for k, (x, y) in POSITIONS.items()}
    (path / "population.csv").write_text(POPULATION.format(**pos), encoding="utf-8")
    return path


def hazard_file(path: Path, boxes: list[tuple[str, list[tuple[float, float]]]]) -> Path:
    """A hazard GeoJSON (plant CRS) with one polygon per (level, local ring)."""
    feats = [{"type": "Feature", "properties": {"level": lv, "id": f"{lv}-{i}"},
              "geometry": {"type": "Polygon", "coordinates": [[g(*p) for p in [*ring, ring[0]]]]}}
             for i, (lv, ring) in enumerate(boxes)]
    path.write_text(json.dumps(_fc(feats)), encoding="utf-8")
    return path
