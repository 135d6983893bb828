"""Turn-by-turn instructions in Chinese and English for one route.

A route (arc list) is cut into *legs*: runs of consecutive edges of the same
walkway name (or, for unnamed walkways, the same walkway id). Each leg becomes
one step — "沿3号路向北走120米" / "Walk north along Road 3 for 120 m" — and the
turn onto the next leg is named from the change of heading at the junction
(left / right / straight on / turn back), at a landmark (a gate) when the
junction is one: "在南大门左转" / "turn left at South Gate".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gis.routing.shortest import RoutingNetwork

DIRS_ZH = ("北", "东北", "东", "东南", "南", "西南", "西", "西北")
DIRS_EN = ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")
KIND_ZH = {"road": "道路", "walkway": "人行道", "corridor": "走廊", "stair": "楼梯", "door": "门", "ladder": "爬梯"}
KIND_EN = {"road": "road", "walkway": "walkway", "corridor": "corridor", "stair": "stairs", "door": "door",
           "ladder": "ladder"}
TURN_ZH = {"left": "左转", "right": "右转", "straight": "直行", "back": "掉头"}
TURN_EN = {"left": "turn left", "right": "turn right", "straight": "go straight on", "back": "turn back"}


@dataclass
class Leg:
    """A run of edges under one name: its labels, kind, length, end points and headings (degrees from north)."""

    zh: str
    en: str
    kind: str
    length_m: float
    start: np.ndarray
    end: np.ndarray
    heading_in: float
    heading_out: float
    end_node: int

    @property
    def bearing(self) -> float:
        """Heading from the leg's start to its end."""
        return _bearing(*(self.end - self.start))


def _bearing(dx: float, dy: float) -> float:
    return float(np.degrees(np.arctan2(dx, dy)) % 360.0)


def _dir(bearing: float) -> int:
    return int(((bearing + 22.5) % 360.0) // 45.0)


def _metres(m: float) -> int:
    step = 10 if m >= 100 else 5 if m >= 20 else 1
    return max(1, int(round(m / step) * step))


def _turn(h1: float, h2: float) -> str:
    d = (h2 - h1 + 180.0) % 360.0 - 180.0
    if abs(d) > 150:
        return "back"
    if d > 35:
        return "right"
    if d < -35:
        return "left"
    return "straight"


def legs(net: RoutingNetwork, arcs: list[int]) -> list[Leg]:
    """The legs of a route."""
    g = net.graph
    names = net.site.walkway_names
    out: list[Leg] = []
    key_prev = None
    for a in arcs:
        e = int(net.arcs.edge[a])
        coords = g.edge_coords[e] if net.arcs.forward[a] else g.edge_coords[e][::-1]
        wid = str(g.edge_walkway[e])
        kind = str(g.edge_kind[e])
        zh, en = names.get(wid, ("", ""))
        label_zh = zh or en or f"{KIND_ZH.get(kind, kind)}{wid}"
        label_en = en or zh or f"{KIND_EN.get(kind, kind)} {wid}"
        key = (zh or en) or wid
        d_in = coords[1] - coords[0]
        d_out = coords[-1] - coords[-2]
        if out and key == key_prev:
            leg = out[-1]
            leg.length_m += float(g.edge_length[e])
            leg.heading_out = _bearing(*d_out)
            leg.end_node = int(net.arcs.head[a])
            leg.end = coords[-1]
        else:
            out.append(Leg(label_zh, label_en, kind, float(g.edge_length[e]), coords[0], coords[-1],
                           _bearing(*d_in), _bearing(*d_out), int(net.arcs.head[a])))
        key_prev = key
    return out


def instructions(net: RoutingNetwork, arcs: list[int], ap: int, access_m: float = 0.0) -> tuple[list[str], list[str]]:
    """Chinese and English steps for a route ending at assembly point index ``ap``."""
    marks = {m.node: m for m in net.site.landmarks}
    aps = net.site.aps
    zh: list[str] = []
    en: list[str] = []
    route = legs(net, arcs)
    if access_m >= 2.0 and route:
        zh.append(f"步行{_metres(access_m)}米到{route[0].zh}")
        en.append(f"Walk {_metres(access_m)} m to {route[0].en}")
    for k, leg in enumerate(route):
        d = _dir(leg.bearing)
        m = _metres(leg.length_m)
        if leg.kind == "door":
            s_zh, s_en = f"向{DIRS_ZH[d]}穿过{leg.zh}", f"Go {DIRS_EN[d]} through {leg.en}"
        else:
            s_zh, s_en = f"沿{leg.zh}向{DIRS_ZH[d]}走{m}米", f"Walk {DIRS_EN[d]} along {leg.en} for {m} m"
        if k + 1 < len(route):
            nxt = route[k + 1]
            turn = _turn(leg.heading_out, nxt.heading_in)
            mark = marks.get(leg.end_node)
            if mark is not None:
                s_zh += f"，在{mark.name}{TURN_ZH[turn]}"
                s_en += f", {TURN_EN[turn]} at {mark.name_en}"
            else:
                s_zh += f"，{TURN_ZH[turn]}"
                s_en += f", {TURN_EN[turn]}"
            s_zh += f"进入{nxt.zh}"
            s_en += f" onto {nxt.en}"
        zh.append(s_zh)
        en.append(s_en)
    name = aps.names[ap]
    name_en = aps.names_en[ap]
    zh.append(f"到达{name}" if "集合点" in name else f"到达集合点{name}")
    en.append(f"Arrive at {name_en}" if "assembly" in name_en.lower() else f"Arrive at assembly point {name_en}")
    return zh, en
