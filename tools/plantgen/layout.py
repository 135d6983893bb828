"""The demo plant's layout in local metres: roads, block grids of walkways, buildings with floors and
stairs, tanks, gates, assembly points, hazard sources, sensors and resources.

Local metres are x east 0..1200, y north 0..800 from the south-west fence corner: a ring road, five
north-south and three east-west roads cut the site into 24 blocks; each block holds one zone (process
unit, tank farm, utilities, admin area ...) whose walkways form a grid between equipment plots, cut
around enclosed buildings. What stands where comes from :mod:`tools.plantgen.tables`.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from tools.plantgen import tables
from tools.plantgen.tables import Bld, Block, Tank

SITE_W = 1200.0
SITE_H = 800.0
#: road centrelines running north-south (west ring, roads 1..5, east ring), local metres
ROADS_X = (12.0, 180.0, 400.0, 620.0, 840.0, 1020.0, 1188.0)
#: road centrelines running east-west (south ring, roads 6..8, north ring), local metres
ROADS_Y = (12.0, 170.0, 360.0, 560.0, 788.0)
BLOCK_MARGIN = 8.0  # from a road centreline to the first walkway of a block, m
GRID_SPACING = 12.0  # target spacing of block walkways, m
WALL_GAP = 1.0  # from a building wall to the walkway round it, m
FLOOR_OFFSET = 2.0  # 2-D offset between the corridors of successive floors, m
STAIR_RUN = 3.0  # 2-D run of one flight between floors along the corridor, m
BRANCH_END = 2.1  # room corridors stop this far from the wall: > 3 m from the walkway outside, m
LAYERS = ("site", "buildings", "zones", "walkways", "exits", "assembly_points", "hazard_sources", "sensors",
          "resources")
_CN_FLOOR = ("一", "二", "三", "四", "五", "六")


def _axis_lines(lo: float, hi: float) -> tuple[float, ...]:
    """Walkway positions across one block, evenly spaced about GRID_SPACING apart, in metres."""
    a, b = lo + BLOCK_MARGIN, hi - BLOCK_MARGIN
    n = max(1, round((b - a) / GRID_SPACING))
    return tuple(round(a + (b - a) * k / n, 3) for k in range(n + 1))


def _subset(lines: tuple[float, ...], stride: int) -> tuple[float, ...]:
    idx = list(range(0, len(lines), stride))
    if idx[-1] != len(lines) - 1:
        idx.append(len(lines) - 1)
    return tuple(lines[i] for i in idx)


@dataclass(frozen=True)
class _Grid:
    """The walkway grid of one block: line positions and the surrounding road centrelines, in metres."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    x0: float
    x1: float
    y0: float
    y1: float

    @staticmethod
    def _at(lines: tuple[float, ...], f: float) -> float:
        i = max(0, min(math.floor(f), len(lines) - 2))
        return lines[i] + (f - i) * (lines[i + 1] - lines[i])

    def x(self, f: float) -> float:
        """x of fractional grid index ``f`` (m)."""
        return self._at(self.xs, f)

    def y(self, f: float) -> float:
        """y of fractional grid index ``f`` (m)."""
        return self._at(self.ys, f)


@dataclass
class Feat:
    """A feature in local metres with its GeoJSON properties."""

    geom: BaseGeometry
    props: dict[str, Any]


_AtFn = Callable[[float], tuple[float, float]]


def _r(v: float) -> float:
    return round(float(v), 3)


# --------------------------------------------------------------------------- the layout builder

@dataclass
class Layout:
    """One plant in local metres, plus what the roster and population need to place people."""

    layers: dict[str, list[Feat]]
    zone_lines: dict[str, list[LineString]]
    rooms: dict[str, list[LineString]]
    solids: list[Polygon]  # buildings, tanks and fenced plots, where no one stands outdoors


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.layers: dict[str, list[Feat]] = {name: [] for name in LAYERS}
        self.count: dict[str, int] = defaultdict(int)
        self.col_lines = tuple(_axis_lines(ROADS_X[c], ROADS_X[c + 1]) for c in range(len(ROADS_X) - 1))
        self.row_lines = tuple(_axis_lines(ROADS_Y[r], ROADS_Y[r + 1]) for r in range(len(ROADS_Y) - 1))
        self.grids: dict[str, _Grid] = {}
        self.boxes: dict[str, tuple[float, float, float, float]] = {}
        self.bld_ids: dict[str, str] = {}
        self.tanks: dict[str, tuple[float, float, float]] = {}
        self.rooms: dict[str, list[LineString]] = defaultdict(list)
        self.main_door: dict[str, tuple[float, float]] = {}
        self.zone_lines: dict[str, list[LineString]] = defaultdict(list)
        self.solids: list[Polygon] = []

    # -- ids and features
    def next_id(self, prefix: str, digits: int = 3) -> str:
        self.count[prefix] += 1
        return f"{prefix}-{self.count[prefix]:0{digits}d}"

    def walk(self, kind: str, coords: Sequence[tuple[float, float]], width: float, name: str | None = None,
             name_en: str | None = None, **extra: Any) -> LineString:
        prefix = {"road": "RD", "walkway": "WK", "corridor": "CO", "door": "DO", "stair": "ST",
                  "ladder": "LA"}[kind]
        line = LineString([(_r(x), _r(y)) for x, y in coords])
        props: dict[str, Any] = {"id": self.next_id(prefix, 3 if kind == "road" else 4), "kind": kind,
                                 "width_m": width}
        if name:
            props["name"] = name
        if name_en:
            props["name_en"] = name_en
        props.update({k: v for k, v in extra.items() if v is not None})
        self.layers["walkways"].append(Feat(line, props))
        return line

    def point(self, layer: str, xy: tuple[float, float], props: dict[str, Any]) -> None:
        self.layers[layer].append(Feat(Point(_r(xy[0]), _r(xy[1])), props))

    def where(self, at: tuple[Any, ...]) -> tuple[float, float]:
        """Resolve a position spec (cell / bld / open / tank) to local metres."""
        kind = at[0]
        if kind == "cell":
            g = self.grids[at[1]]
            return g.x(at[2]), g.y(at[3])
        if kind in ("bld", "open"):
            x0, y0, x1, y1 = self.boxes[at[1]]
            return x0 + at[2] * (x1 - x0), y0 + at[3] * (y1 - y0)
        if kind == "tank":
            cx, cy, r = self.tanks[at[1]]
            if len(at) == 2:
                return cx, cy
            a = math.radians(at[2])
            return cx + (r + at[3]) * math.cos(a), cy + (r + at[3]) * math.sin(a)
        raise ValueError(f"unknown position spec {at!r}")

    def date(self) -> str:
        return f"{self.rng.randint(2026, 2028)}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    # -- roads
    def roads(self) -> None:
        x_w, x_e, y_s, y_n = ROADS_X[0], ROADS_X[-1], ROADS_Y[0], ROADS_Y[-1]
        ring = (("南环路", "South Ring Road", [(x_w, y_s), (x_e, y_s)]),
                ("东环路", "East Ring Road", [(x_e, y_s), (x_e, y_n)]),
                ("北环路", "North Ring Road", [(x_e, y_n), (x_w, y_n)]),
                ("西环路", "West Ring Road", [(x_w, y_n), (x_w, y_s)]))
        for name, name_en, coords in ring:
            self.walk("road", coords, 7.0, name, name_en)
        for k, x in enumerate(ROADS_X[1:-1]):
            self.walk("road", [(x, y_s), (x, y_n)], 7.0 if k in (1, 3) else 6.0, f"{k + 1}号路",
                      f"Road {k + 1}")
        for k, y in enumerate(ROADS_Y[1:-1]):
            self.walk("road", [(x_w, y), (x_e, y)], 7.0 if k == 1 else 6.0, f"{k + 6}号路", f"Road {k + 6}")

    # -- gates
    def gates(self) -> None:
        for gate in tables.gates():
            gid, name, name_en, width = gate["id"], gate["name"], gate["name_en"], gate["width_m"]
            zone, axis, idx, side = gate["zone"], gate["axis"], gate["index"], gate["side"]
            g = self.grids[zone]
            if axis == "x":
                x = g.xs[idx]
                fence, ring = (0.0, ROADS_Y[0]) if side == "S" else (SITE_H, ROADS_Y[-1])
                coords = [(x, fence), (x, ring)]
                pos = (x, fence)
            else:
                y = g.ys[idx]
                fence, ring = (0.0, ROADS_X[0]) if side == "W" else (SITE_W, ROADS_X[-1])
                coords = [(fence, y), (ring, y)]
                pos = (fence, y)
            self.walk("road", coords, max(width, 6.0), f"{name}进厂道路", f"{name_en} access road")
            self.point("exits", pos, {"id": gid, "name": name, "name_en": name_en, "width_m": width})

    # -- blocks
    def block(self, b: Block) -> None:
        xs = _subset(self.col_lines[b.col], b.stride)
        ys = _subset(self.row_lines[b.row], b.stride)
        g = _Grid(xs, ys, ROADS_X[b.col], ROADS_X[b.col + 1], ROADS_Y[b.row], ROADS_Y[b.row + 1])
        self.grids[b.zone] = g
        zone_poly = box(g.x0 + 4.5, g.y0 + 4.5, g.x1 - 4.5, g.y1 - 4.5)
        self.layers["zones"].append(Feat(zone_poly, {"id": b.zone, "name": b.name, "name_en": b.name_en,
                                                      "kind": b.kind, "risk": b.risk, "owner": b.owner}))
        regions = [r.cells for r in (*b.blds, *b.tanks, *b.opens)]
        nx, ny = len(xs) - 1, len(ys) - 1
        used: set[tuple[int, int]] = set()
        cut_v: set[tuple[int, int]] = set()
        cut_h: set[tuple[int, int]] = set()
        rim_v: set[tuple[int, int]] = set()
        rim_h: set[tuple[int, int]] = set()
        for i0, i1, j0, j1 in regions:
            if not (0 <= i0 < i1 <= nx and 0 <= j0 < j1 <= ny):
                raise ValueError(f"{b.zone}: region {(i0, i1, j0, j1)} outside the {nx}x{ny} grid")
            cells = {(i, j) for i in range(i0, i1) for j in range(j0, j1)}
            if cells & used:
                raise ValueError(f"{b.zone}: region {(i0, i1, j0, j1)} overlaps another")
            used |= cells
            cut_v |= {(i, j) for i in range(i0 + 1, i1) for j in range(j0, j1)}
            cut_h |= {(i, j) for j in range(j0 + 1, j1) for i in range(i0, i1)}
            rim_v |= {(i, j) for i in (i0, i1) for j in range(j0, j1)}
            rim_h |= {(i, j) for j in (j0, j1) for i in range(i0, i1)}
        if "v" in b.thin:
            cut_v |= {(i, j) for i in range(1, nx, 2) for j in range(ny) if (i, j) not in rim_v}
        if "h" in b.thin:
            cut_h |= {(i, j) for j in range(1, ny, 2) for i in range(nx) if (i, j) not in rim_h}

        def stub(k: int, n: int) -> bool:
            # kerb crossings to the road from every other line (about every 24 m in a fine block, 48 m in a
            # coarse one); they line up across the road because all blocks share the row/column line positions
            return k % 2 == 0 or (k == n and not b.thin)

        for i, x in enumerate(xs):
            stops = [g.y0, *ys, g.y1]
            keep = [stub(i, nx), *[(i, j) not in cut_v for j in range(ny)], stub(i, nx)]
            self._runs(b, stops, keep, lambda t, x=x: (x, t), f"{b.name}{i + 1}号纵向通道",
                       f"{b.name_en} N-S walkway {i + 1}")
        for j, y in enumerate(ys):
            stops = [g.x0, *xs, g.x1]
            keep = [stub(j, ny), *[(i, j) not in cut_h for i in range(nx)], stub(j, ny)]
            self._runs(b, stops, keep, lambda t, y=y: (t, y), f"{b.name}{j + 1}号横向通道",
                       f"{b.name_en} E-W walkway {j + 1}")
        for s in b.blds:
            self.building(b, g, s)
        for t in b.tanks:
            self.tank(b, g, t)
        for o in b.opens:
            i0, i1, j0, j1 = o.cells
            self.boxes[o.key] = (xs[i0], ys[j0], xs[i1], ys[j1])
            if o.key in tables.fenced():
                self.solids.append(box(xs[i0] + WALL_GAP, ys[j0] + WALL_GAP,
                                       xs[i1] - WALL_GAP, ys[j1] - WALL_GAP))

    def _runs(self, b: Block, stops: list[float], keep: list[bool], at: _AtFn, name: str,
              name_en: str) -> None:
        """One walkway feature per run of kept segments along a grid line (``at`` maps t to x, y)."""
        width = self.rng.choice(b.walk_width)
        start = None
        for k, kept in enumerate([*keep, False]):
            if kept and start is None:
                start = k
            elif not kept and start is not None:
                self.walk("walkway", [at(stops[start]), at(stops[k])], width, name, name_en)
                inner = LineString([at(max(stops[start], stops[1])), at(min(stops[k], stops[-2]))])
                if inner.length > 1.0:
                    self.zone_lines[b.zone].append(inner)
                start = None

    def building(self, b: Block, g: _Grid, s: Bld) -> None:
        i0, i1, j0, j1 = s.cells
        gx0, gx1, gy0, gy1 = g.xs[i0], g.xs[i1], g.ys[j0], g.ys[j1]
        bx0, bx1, by0, by1 = gx0 + WALL_GAP, gx1 - WALL_GAP, gy0 + WALL_GAP, gy1 - WALL_GAP
        poly = box(bx0, by0, bx1, by1)
        bid = self.next_id("B")
        self.bld_ids[s.key] = bid
        self.boxes[s.key] = (bx0, by0, bx1, by1)
        self.solids.append(poly)
        self.layers["buildings"].append(Feat(poly, {
            "id": bid, "name": s.name, "name_en": s.name_en, "kind": s.kind, "floors": s.floors,
            "occupancy": s.occupancy, "zone": b.zone}))
        horizontal = (bx1 - bx0) >= (by1 - by0)
        if horizontal:
            u0, u1, v0, v1 = bx0, bx1, by0, by1
            gu0, gu1, gv0, gv1 = gx0, gx1, gy0, gy1
            u_int, v_int = g.xs[i0 + 1:i1], g.ys[j0 + 1:j1]

            def p(u: float, v: float) -> tuple[float, float]:
                return (u, v)
        else:
            u0, u1, v0, v1 = by0, by1, bx0, bx1
            gu0, gu1, gv0, gv1 = gy0, gy1, gx0, gx1
            u_int, v_int = g.ys[j0 + 1:j1], g.xs[i0 + 1:i1]

            def p(u: float, v: float) -> tuple[float, float]:
                return (v, u)
        nf = s.floors
        target = (v0 + v1) / 2 - FLOOR_OFFSET * (nf - 1) / 2
        lo, hi = v0 + 1.5, v1 - 1.5 - FLOOR_OFFSET * (nf - 1)
        cands = [v for v in v_int if lo <= v <= hi]
        if cands:
            cv = min(cands, key=lambda v: (abs(v - target), v))
        else:
            cv = _r(target)
            if not lo <= cv <= hi or any(abs(cv - v) < 3.0 for v in v_int):
                raise ValueError(f"{s.key}: no room for {nf} floors of corridors")
        ua, ub = u0 + 1.5, u1 - 1.5
        big = s.occupancy >= 50 or s.kind in ("office", "control")
        cw = 2.4 if big else (1.8 if s.occupancy >= 8 else 1.5)
        ground = self.walk("corridor", [p(ua, cv), p(ub, cv)], cw, f"{s.name}一层走廊",
                           f"{s.name_en} 1F corridor", building=bid, floor=0)
        self.rooms[s.key].append(ground)
        # branch corridors to the rooms, on the grid lines where they exist so side doors line up
        branch_u = [u for u in u_int if ua + 2.0 <= u <= ub - 2.0]
        if not branch_u and ub - ua >= 16.0:
            branch_u = [_r((ua + ub) / 2)]
        low_end, high_end = v0 + BRANCH_END, v1 - BRANCH_END
        side_doors = 0
        long_building = (u1 - u0) >= 40.0
        for n, u in enumerate(branch_u):
            lo_ok = cv - low_end >= 1.5
            hi_ok = nf == 1 and high_end - cv >= 1.5
            if not (lo_ok or hi_ok):
                continue
            a = low_end if lo_ok else cv
            c = high_end if hi_ok else cv
            line = self.walk("corridor", [p(u, a), p(u, c)], 1.5, f"{s.name}一层支走廊{n + 1}",
                             f"{s.name_en} 1F side corridor {n + 1}", building=bid, floor=0)
            self.rooms[s.key].append(line)
            if long_building and lo_ok and u in u_int and side_doors < 2 and n in (0, len(branch_u) - 1):
                side_doors += 1
                self.walk("door", [p(u, gv0), p(u, low_end)], 1.2, f"{s.name}侧门{side_doors}",
                          f"{s.name_en} side door {side_doors}", building=bid, floor=0)
        main_w = 1.8 if s.occupancy >= 20 else 1.2
        other_w = 1.2 if s.occupancy >= 20 else 0.9
        self.walk("door", [p(gu0, cv), p(ua, cv)], main_w, f"{s.name}正门", f"{s.name_en} main entrance",
                  building=bid, floor=0)
        self.walk("door", [p(gu1, cv), p(ub, cv)], other_w, f"{s.name}后门", f"{s.name_en} rear door",
                  building=bid, floor=0)
        self.main_door[s.key] = p(ua, cv)
        for k in range(1, nf):
            vk = cv + FLOOR_OFFSET * k
            a, c = ua + STAIR_RUN * k, ub - STAIR_RUN * k
            if c - a < 3.0:
                raise ValueError(f"{s.key}: building too short for {nf} floors")
            self.walk("corridor", [p(a, vk), p(c, vk)], min(cw, 1.8), f"{s.name}{_CN_FLOOR[k]}层走廊",
                      f"{s.name_en} {k + 1}F corridor", building=bid, floor=k)
            pv = vk - FLOOR_OFFSET
            self.walk("stair", [p(a - STAIR_RUN, pv), p(a, vk)], 1.2, f"{s.name}1号楼梯({k}-{k + 1}层)",
                      f"{s.name_en} stair 1 ({k}F-{k + 1}F)", building=bid, floor=k - 1)
            if s.upper == "ladder":
                self.walk("ladder", [p(c + STAIR_RUN, pv), p(c, vk)], 0.6, f"{s.name}直梯({k}-{k + 1}层)",
                          f"{s.name_en} ladder ({k}F-{k + 1}F)", building=bid, floor=k - 1)
            else:
                self.walk("stair", [p(c + STAIR_RUN, pv), p(c, vk)], 1.2, f"{s.name}2号楼梯({k}-{k + 1}层)",
                          f"{s.name_en} stair 2 ({k}F-{k + 1}F)", building=bid, floor=k - 1)
        if s.chute and nf > 1:
            top = nf - 1
            su, sv = ua + STAIR_RUN * top, cv + FLOOR_OFFSET * top
            near = [u for u in u_int if abs(u - su) < 3.0]
            tu = min(near, key=lambda u: abs(u - su)) if near else su
            self.walk("walkway", [p(su, sv), p(tu, gv1)], 1.0, f"{s.name}逃生滑道",
                      f"{s.name_en} escape chute (one-way, down)", one_way=True, building=bid, floor=top)

    def tank(self, b: Block, g: _Grid, t: Tank) -> None:
        i0, i1, j0, j1 = t.cells
        gx0, gx1, gy0, gy1 = g.xs[i0], g.xs[i1], g.ys[j0], g.ys[j1]
        cx, cy, r = (gx0 + gx1) / 2, (gy0 + gy1) / 2, t.diameter / 2
        ring_r = r + 0.8
        if ring_r > min(gx1 - gx0, gy1 - gy0) / 2 - 0.3:
            raise ValueError(f"{t.id}: tank does not fit its cells")
        disc = Point(cx, cy).buffer(r, quad_segs=16)
        self.tanks[t.id] = (cx, cy, r)
        self.solids.append(disc)
        self.boxes[t.id] = (cx - r, cy - r, cx + r, cy + r)
        self.layers["buildings"].append(Feat(disc, {
            "id": t.id, "name": t.name, "name_en": t.name_en, "kind": "storage", "floors": 1, "occupancy": 0,
            "zone": b.zone, "contents": t.contents, "capacity_m3": t.capacity_m3, "diameter_m": t.diameter}))
        u_int = g.xs[i0 + 1:i1]
        sx = min(u_int, key=lambda x: abs(x - cx)) if u_int else _r(cx)
        a0 = math.atan2(-math.sqrt(ring_r ** 2 - (sx - cx) ** 2), sx - cx)
        pts = [(sx, gy0)]
        steps = 9
        for k in range(steps + 1):
            a = a0 + (math.pi / 2) * k / steps
            pts.append((cx + ring_r * math.cos(a), cy + ring_r * math.sin(a)))
        a_top = a0 + math.pi / 2
        roof = (cx + (r - 1.0) * math.cos(a_top), cy + (r - 1.0) * math.sin(a_top))
        pts.append(roof)
        what, what_en = ("球罐梯", "sphere stair") if t.sphere else ("盘梯", "spiral stair")
        self.walk("stair", pts, 0.8, f"{t.name}{what}", f"{t.name_en} {what_en}", building=t.id, floor=0)
        self.walk("walkway", [roof, (cx, cy)], 0.8, f"{t.name}顶部平台", f"{t.name_en} top platform",
                  building=t.id, floor=1)

    # -- one-way truck lane through the logistics yard
    def truck_lane(self) -> None:
        g = self.grids["Z-LOG"]
        x0, y0, x1, y1 = self.boxes["log_yard"]
        inner = [x for x in g.xs if x0 < x < x1]
        x = inner[0]
        self.walk("road", [(x, y0), (x, y1)], 4.0, "装车区单向车道", "Loading yard one-way lane (northbound)",
                  one_way=True)

    def site(self) -> None:
        self.layers["site"].append(Feat(box(0.0, 0.0, SITE_W, SITE_H), {
            "name": "江北精细化工有限公司南京工厂",
            "name_en": "Jiangbei Fine Chemicals Co., Ltd. Nanjing Plant",
            "timezone": "Asia/Shanghai"}))

    def assembly_points(self) -> None:
        for a in tables.assembly_points():
            self.point("assembly_points", self.where(a["at"]), {"id": a["id"], "name": a["name"],
                       "name_en": a["name_en"], "capacity": a["capacity"], "sheltered": a["sheltered"]})

    def hazards_and_sensors(self) -> None:
        offsets = ((1, 1), (-1, -1), (1, -1), (-1, 1))
        for hz in tables.hazards():
            hx, hy = self.where(hz.at)
            self.point("hazard_sources", (hx, hy), {
                "id": hz.id, "name": hz.name, "name_en": hz.name_en, "substance": hz.substance,
                "inventory_kg": hz.inventory_kg, "kind": hz.kind, "pressure_bar": hz.pressure_bar,
                "temperature_c": hz.temperature_c})
            unit, warn, alarm, label, label_en = tables.gas_detectors()[hz.substance]
            for k in range(hz.detectors):
                if hz.at[0] == "tank":
                    pos = self.where(("tank", hz.at[1], (45.0, 225.0, 135.0, 315.0)[k], 1.5))
                else:
                    d = 3.0 if hz.at[0] == "bld" else 4.5
                    pos = (hx + d * offsets[k][0], hy + d * offsets[k][1])
                self.point("sensors", pos, {
                    "id": self.next_id("GD"), "kind": "gas", "substance": hz.substance, "unit": unit,
                    "warn": warn, "alarm": alarm, "name": f"{hz.name}{label}检测器{k + 1}",
                    "name_en": f"{hz.name_en} {label_en} detector {k + 1}"})
        prefixes = {"oxygen": "OD", "flame": "FD", "smoke": "SD", "heat": "HD"}
        for kind, at, name, name_en in tables.other_sensors():
            props: dict[str, Any] = {"id": self.next_id(prefixes[kind]), "kind": kind, "name": name}
            if kind == "oxygen":
                props.update(unit="%vol", warn=19.5, alarm=18.0,
                             name_en=f"{name_en} (low-side alarm: oxygen deficiency)")
            elif kind == "heat":
                props.update(unit="C", alarm=68.0, name_en=name_en)
            else:
                props.update(alarm=1.0, name_en=name_en)
            self.point("sensors", self.where(at), props)

    def resources(self) -> None:
        prefixes = {"hydrant": "HY", "extinguisher": "FE", "scba": "BA", "first_aid": "FA",
                    "eyewash": "EW", "spill_kit": "SK", "gas_detector": "PD", "stretcher": "SR",
                    "fire_truck": "FT", "other": "OT"}
        self._hydrants(prefixes["hydrant"])
        key_of = {bid: key for key, bid in self.bld_ids.items()}
        for f in list(self.layers["buildings"]):
            key = key_of.get(f.props["id"])
            if key is None:  # tanks and spheres: no door, no cabinet
                continue
            ux, uy = self.main_door[key]
            cx, cy = f.geom.centroid.x, f.geom.centroid.y
            d = math.hypot(cx - ux, cy - uy) or 1.0
            pos = (ux + (cx - ux) / d * 1.0, uy + (cy - uy) / d * 1.0)
            qty = 4 if f.geom.area >= 1500 else 2
            self.point("resources", pos, {
                "id": self.next_id(prefixes["extinguisher"]), "kind": "extinguisher", "quantity": qty,
                "expires": self.date(), "name": f"{f.props['name']}灭火器箱",
                "name_en": f"{f.props['name_en']} extinguisher cabinet"})
        for kind, at, qty, expires, name, name_en in tables.resources():
            props: dict[str, Any] = {"id": self.next_id(prefixes[kind]), "kind": kind, "quantity": qty,
                                     "name": name, "name_en": name_en}
            if expires:
                props["expires"] = self.date()
            self.point("resources", self.where(at), props)

    def _hydrants(self, prefix: str) -> None:
        spacing, offset, clear = 70.0, 5.0, 15.0
        xs_in, ys_in = ROADS_X[1:-1], ROADS_Y[1:-1]
        lines: list[tuple[str, float, float, float, tuple[float, ...]]] = [
            ("y", ROADS_Y[0], ROADS_X[0], ROADS_X[-1], ROADS_X),
            ("x", ROADS_X[-1], ROADS_Y[0], ROADS_Y[-1], ROADS_Y),
            ("y", ROADS_Y[-1], ROADS_X[0], ROADS_X[-1], ROADS_X),
            ("x", ROADS_X[0], ROADS_Y[0], ROADS_Y[-1], ROADS_Y),
            *(("x", x, ROADS_Y[0], ROADS_Y[-1], ROADS_Y) for x in xs_in),
            *(("y", y, ROADS_X[0], ROADS_X[-1], ROADS_X) for y in ys_in),
        ]
        for axis, c, a, b, crossings in lines:
            side = offset if c < (SITE_W if axis == "x" else SITE_H) / 2 else -offset
            n = int((b - a) // spacing)
            t0 = a + ((b - a) - (n - 1) * spacing) / 2
            for k in range(n):
                t = t0 + k * spacing
                if min(abs(t - q) for q in crossings) < clear:
                    continue
                pos = (c + side, t) if axis == "x" else (t, c + side)
                self.point("resources", pos, {"id": self.next_id(prefix), "kind": "hydrant", "quantity": 1,
                                              "name": "室外消火栓", "name_en": "Fire hydrant"})


def build_layout(rng: random.Random) -> Layout:
    """The plant in local metres (x east, y north from the south-west fence corner)."""
    bld = _Builder(rng)
    bld.site()
    bld.roads()
    for b in tables.blocks():
        bld.block(b)
    bld.gates()
    bld.truck_lane()
    bld.assembly_points()
    bld.hazards_and_sensors()
    bld.resources()
    return Layout(bld.layers, dict(bld.zone_lines), dict(bld.rooms), bld.solids)
