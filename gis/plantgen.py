"""Deterministic generator of the demo chemical plant package and of larger test plants.

The demo plant is a fictional fine-chemicals plant, 江北精细化工有限公司南京工厂 (Jiangbei Fine
Chemicals Co., Nanjing plant), placed in the south-west corner of the Nanjing Jiangbei New Materials
Science Park (formerly Nanjing Chemical Industry Park). The layout is designed in local metres
(x east 0..1200, y north 0..800): a ring road, five north-south and three east-west roads cut the
site into 24 blocks; each block holds one zone (process unit, tank farm, utilities, admin area ...)
whose walkways form a grid between equipment plots, cut around enclosed buildings. Local metres are
shifted to UTM zone 50N (EPSG:32650) at the site's south-west corner and written as RFC 7946 GeoJSON
(longitude/latitude, EPSG:4326, coordinates rounded to 8 decimals).

``scale=N`` tiles N copies of the plant (ids prefixed ``P01-`` .. ``PNN-``) in rows of five with
100 m gaps, joined by park roads, inside one site polygon: a chemical park for load tests.

Run ``python -m gis.plantgen OUT [--scale N] [--seed S]``. The same arguments always give
byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

__all__ = ["generate_plant", "main"]

SITE_LON = 118.80
SITE_LAT = 32.25
UTM_CRS = "EPSG:32650"
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
PARK_GAP = 100.0  # gap between plants of a park, m
PARK_COLS = 5
LAYERS = ("site", "buildings", "zones", "walkways", "exits", "assembly_points", "hazard_sources", "sensors",
          "resources")
QUALIFICATIONS = ("scba", "first_aid", "cpr", "hot_work", "confined_space", "work_at_height", "electrical",
                  "hazmat", "fire_fighting", "forklift", "crane", "gas_testing", "incident_command",
                  "emergency_medical", "pressure_vessel")
PERSONNEL_COLUMNS = ("id", "name", "role", "team", "phone", "qualifications", "home_zone", "device_id",
                     "shift")
POPULATION_COLUMNS = ("id", "x", "y", "speed_mps", "premovement_s", "mobility")
_ID_PROPS = ("id", "owner", "building", "zone")
_CN_FLOOR = ("一", "二", "三", "四", "五", "六")


# --------------------------------------------------------------------------- layout specification

@dataclass(frozen=True)
class _Bld:
    """An enclosed building on grid cells (i0, i1, j0, j1) of its block."""

    key: str
    cells: tuple[int, int, int, int]
    name: str
    name_en: str
    kind: str
    floors: int = 1
    occupancy: int = 0
    upper: str = "stair"  # the second vertical link between floors: stair or ladder
    chute: bool = False  # a one-way escape chute from the top platform


@dataclass(frozen=True)
class _Tank:
    """A vertical tank or a sphere (a circular `storage` building) centred on its cells."""

    id: str
    cells: tuple[int, int, int, int]
    diameter: float
    name: str
    name_en: str
    contents: str
    capacity_m3: int
    sphere: bool = False


@dataclass(frozen=True)
class _Open:
    """An open area (car park, lawn, yard, basin, switchyard) with no walkways inside."""

    key: str
    cells: tuple[int, int, int, int]
    name: str
    name_en: str


@dataclass(frozen=True)
class _Block:
    """One block between roads: a zone with its walkway grid, buildings, tanks and open areas."""

    zone: str
    col: int
    row: int
    stride: int
    name: str
    name_en: str
    kind: str
    risk: str
    owner: str
    walk_width: tuple[float, ...]
    thin: str = ""  # 'h' / 'v': keep every other E-W / N-S line (and all lines round buildings and tanks)
    blds: tuple[_Bld, ...] = ()
    tanks: tuple[_Tank, ...] = ()
    opens: tuple[_Open, ...] = ()


def _blocks() -> tuple[_Block, ...]:
    """The 24 blocks of the plant, south-west to north-east. Cell indices refer to each block's grid."""
    return (
        # ---- row 0 (south): training, admin, main gate and control room, fire station, substation, WWTP
        _Block("Z-WPK", 0, 0, 2, "西停车场及培训中心", "West car park and training centre",
               "yard", "D", "admin_manager", (2.0,),
               blds=(_Bld("training", (4, 6, 2, 4), "安全培训中心", "Safety training centre",
                          "office", 2, 120),),
               opens=(_Open("west_park", (0, 3, 1, 5), "西停车场", "West car park"),)),
        _Block("Z-ADM", 1, 0, 2, "行政办公区", "Administration area",
               "office", "D", "admin_manager", (2.0,),
               blds=(_Bld("office", (1, 4, 3, 4), "综合办公楼", "Office building", "office", 4, 160),
                     _Bld("canteen", (5, 7, 3, 4), "职工食堂", "Canteen", "other", 2, 220)),
               opens=(_Open("lawn", (2, 6, 0, 2), "行政楼前草坪", "Admin lawn"),)),
        _Block("Z-GTE", 2, 0, 2, "南大门及中控区", "Main gate and central control",
               "office", "C", "production_manager", (2.0,),
               blds=(_Bld("gate_main", (4, 5, 0, 1), "南大门门卫室", "Main gatehouse", "other", 1, 8),
                     _Bld("qc_lab", (1, 3, 3, 4), "质检中心化验楼", "QC laboratory", "other", 2, 40),
                     _Bld("ccr", (6, 8, 3, 5), "中央控制室(抗爆)", "Central control room (blast-resistant)",
                          "control", 1, 45)),
               opens=(_Open("gate_plaza", (2, 4, 0, 2), "南大门广场", "Main gate plaza"),)),
        _Block("Z-FIR", 3, 0, 2, "消防站及医务室", "Fire station and medical centre",
               "other", "D", "fire_chief", (2.0,),
               blds=(_Bld("fire_station", (1, 4, 2, 4), "企业专职消防站", "Plant fire station",
                          "other", 2, 40),
                     _Bld("medical", (5, 6, 2, 3), "医务室", "Medical station", "other", 1, 12),
                     _Bld("em_store", (6, 8, 4, 5), "应急物资库", "Emergency equipment store",
                          "warehouse", 1, 4)),
               opens=(_Open("fire_apron", (1, 4, 0, 2), "消防站前坪", "Fire station apron"),
                      _Open("fire_training", (6, 8, 0, 2), "消防训练场", "Fire training ground"))),
        _Block("Z-SUB", 4, 0, 2, "110kV总变电站", "110 kV main substation",
               "other", "C", "electrical_head", (1.5,),
               blds=(_Bld("substation", (4, 6, 2, 4), "110kV变电站配电楼", "110 kV substation switch house",
                          "utility", 2, 6),),
               opens=(_Open("switchyard", (0, 3, 1, 5), "110kV户外开关场", "110 kV outdoor switchyard"),)),
        _Block("Z-WWT", 5, 0, 2, "污水处理场", "Wastewater treatment plant",
               "other", "B", "wwt_supervisor", (1.2, 1.5),
               blds=(_Bld("wwt_ctrl", (4, 6, 1, 2), "污水处理控制楼", "WWTP control building",
                          "utility", 2, 10),
                     _Bld("sludge", (4, 6, 3, 5), "污泥脱水间", "Sludge dewatering house", "utility", 1, 4)),
               opens=(_Open("eq_basin", (0, 3, 0, 2), "调节池", "Equalisation basin"),
                      _Open("aeration", (0, 3, 3, 6), "曝气池", "Aeration basins"))),
        # ---- row 1: maintenance, units 500 and 600 (risk B), utilities, east loading yard
        _Block("Z-MNT", 0, 1, 2, "维修车间", "Maintenance workshop area",
               "workshop", "C", "maintenance_supervisor", (1.5,),
               blds=(_Bld("gate_west", (0, 1, 3, 4), "西门门卫室", "West gatehouse", "other", 1, 3),
                     _Bld("workshop", (2, 6, 1, 3), "机修车间", "Maintenance workshop", "other", 1, 60),
                     _Bld("spares", (2, 5, 5, 7), "备品备件库", "Spare-parts warehouse", "warehouse", 2, 8))),
        _Block("Z-U500", 1, 1, 1, "500单元", "Unit 500",
               "process_unit", "B", "u500_supervisor", (1.2, 1.5), thin="v",
               blds=(_Bld("u500_str", (3, 6, 5, 8), "500单元树脂反应框架", "Unit 500 resin reactor structure",
                          "process", 4, 6, upper="ladder"),
                     _Bld("u500_comp", (9, 12, 5, 7), "500单元压缩机房", "Unit 500 compressor house",
                          "process", 1, 4),
                     _Bld("u500_ctl", (14, 16, 1, 2), "500单元现场机柜间", "Unit 500 field auxiliary room",
                          "control", 1, 6),
                     _Bld("u500_feed", (3, 6, 10, 13), "500单元原料计量框架",
                          "Unit 500 feed measuring structure", "process", 2, 2, upper="ladder"),
                     _Bld("u500_pellet", (10, 15, 9, 12), "500单元造粒包装厂房",
                          "Unit 500 pelletising and bagging hall", "process", 2, 16))),
        _Block("Z-U600", 2, 1, 1, "600单元", "Unit 600",
               "process_unit", "B", "u600_supervisor", (1.2, 1.5), thin="h",
               blds=(_Bld("u600_str", (3, 6, 4, 7), "600单元精馏框架", "Unit 600 distillation structure",
                          "process", 4, 6, upper="ladder"),
                     _Bld("u600_pump", (9, 12, 4, 6), "600单元泵房", "Unit 600 pump house", "process", 1, 4),
                     _Bld("u600_ctl", (14, 16, 12, 13), "600单元现场机柜间", "Unit 600 field auxiliary room",
                          "control", 1, 6),
                     _Bld("u600_hx", (2, 6, 10, 13), "600单元换热器区", "Unit 600 heat exchanger bay",
                          "process", 1, 1)),
               tanks=(_Tank("TK-601", (9, 10, 9, 10), 9.0, "600单元甲醇中间罐TK-601",
                            "Unit 600 methanol run-down tank TK-601", "67-56-1", 400),
                      _Tank("TK-602", (11, 12, 9, 10), 9.0, "600单元溶剂中间罐TK-602",
                            "Unit 600 solvent run-down tank TK-602", "108-88-3", 400))),
        _Block("Z-UT1", 3, 1, 2, "公用工程一区", "Utilities area 1",
               "other", "C", "utilities_supervisor", (1.5,),
               blds=(_Bld("boiler", (1, 3, 2, 4), "锅炉房", "Boiler house", "utility", 3, 10),
                     _Bld("n2_station", (5, 7, 2, 3), "空压制氮站", "Air compressor and nitrogen station",
                          "utility", 1, 4),
                     _Bld("demin", (5, 7, 5, 6), "化学水站", "Demineralised water station", "utility", 1, 4)),
               opens=(_Open("ng_station", (1, 2, 6, 7), "天然气调压计量站",
                            "Natural gas metering station"),)),
        _Block("Z-UT2", 4, 1, 2, "循环水及消防水站", "Cooling water and fire water",
               "other", "C", "utilities_supervisor", (1.5,),
               blds=(_Bld("circ_pump", (0, 2, 1, 2), "循环水泵房", "Circulating water pump house",
                          "utility", 1, 3),
                     _Bld("fw_pump", (3, 4, 1, 2), "消防水泵房", "Fire-water pump house", "utility", 1, 2),
                     _Bld("ct1", (0, 2, 4, 7), "1号冷却塔", "Cooling tower 1", "utility", 2, 2),
                     _Bld("ct2", (3, 5, 4, 7), "2号冷却塔", "Cooling tower 2", "utility", 2, 2)),
               tanks=(_Tank("TK-FW1", (5, 6, 1, 2), 20.0, "1号消防水罐", "Fire-water tank 1", "water", 3000),
                      _Tank("TK-FW2", (6, 7, 1, 2), 20.0, "2号消防水罐", "Fire-water tank 2", "water",
                            3000))),
        _Block("Z-EYD", 5, 1, 2, "东装卸场", "East loading yard",
               "yard", "C", "logistics_manager", (1.5,),
               blds=(_Bld("gate_east", (6, 7, 3, 4), "东门门卫室", "East gatehouse", "other", 1, 3),
                     _Bld("packing", (1, 4, 5, 7), "包装车间", "Packaging building", "warehouse", 1, 30)),
               opens=(_Open("east_yard", (0, 4, 1, 3), "东装卸场", "East loading yard"),)),
        # ---- row 2: the risk-A process units, LPG spheres, flare
        _Block("Z-U100", 0, 2, 1, "100单元硫磺回收", "Unit 100 sulfur recovery",
               "process_unit", "A", "u100_supervisor", (1.2, 1.5), thin="h",
               blds=(_Bld("u100_str", (3, 6, 5, 8), "100单元硫回收框架", "Unit 100 SRU structure",
                          "process", 4, 6, upper="ladder", chute=True),
                     _Bld("u100_blower", (8, 11, 10, 12), "100单元风机房", "Unit 100 blower house",
                          "process", 1, 3),
                     _Bld("u100_ctl", (1, 3, 1, 2), "100单元分析小屋", "Unit 100 analyser house",
                          "control", 1, 4),
                     _Bld("u100_amine", (3, 6, 10, 13), "100单元胺再生框架",
                          "Unit 100 amine regeneration structure", "process", 2, 2, upper="ladder"),
                     _Bld("u100_cond", (4, 7, 1, 3), "100单元硫冷凝器区", "Unit 100 sulfur condenser bay",
                          "process")),
               opens=(_Open("incinerator", (8, 10, 5, 7), "尾气焚烧炉", "Tail gas incinerator"),
                      _Open("sulfur_pit", (9, 12, 1, 3), "液硫池", "Liquid sulfur pit"))),
        _Block("Z-U200", 1, 2, 1, "200单元氨制冷", "Unit 200 ammonia refrigeration",
               "process_unit", "A", "u200_supervisor", (1.2, 1.5), thin="v",
               blds=(_Bld("nh3_comp", (2, 5, 3, 5), "200单元氨压缩机房", "Unit 200 ammonia compressor house",
                          "process", 2, 4),
                     _Bld("u200_str", (8, 11, 2, 5), "200单元制冷框架", "Unit 200 refrigeration structure",
                          "process", 3, 4, upper="ladder"),
                     _Bld("u200_ctl", (14, 16, 1, 2), "200单元现场机柜间", "Unit 200 field auxiliary room",
                          "control", 1, 4),
                     _Bld("u200_cond", (2, 5, 8, 11), "200单元蒸发冷凝器框架",
                          "Unit 200 evaporative condenser structure", "process", 2, 2, upper="ladder"),
                     _Bld("u200_abs", (14, 16, 4, 6), "200单元氨水吸收区", "Unit 200 ammonia absorption bay",
                          "process")),
               opens=(_Open("nh3_bullets", (8, 13, 9, 12), "液氨卧罐区", "Ammonia bullet yard"),)),
        _Block("Z-U300", 2, 2, 1, "300单元氯碱", "Unit 300 chlor-alkali",
               "process_unit", "A", "u300_supervisor", (1.2, 1.5), thin="h",
               blds=(_Bld("cell_house", (1, 7, 2, 6), "300单元电解厂房", "Unit 300 electrolysis cell house",
                          "process", 2, 12),
                     _Bld("u300_liq", (9, 12, 2, 5), "300单元氯气液化厂房",
                          "Unit 300 chlorine liquefaction house", "process", 2, 6),
                     _Bld("cl2_store", (9, 13, 8, 10), "300单元液氯储存厂房",
                          "Unit 300 liquid chlorine storage house", "storage", 1, 2),
                     _Bld("cl2_fill", (14, 16, 8, 11), "300单元液氯充装站",
                          "Unit 300 chlorine filling station", "process", 1, 6),
                     _Bld("u300_evap", (2, 5, 9, 12), "300单元烧碱蒸发框架",
                          "Unit 300 caustic evaporation structure", "process", 3, 4, upper="ladder"),
                     _Bld("u300_brine", (13, 16, 2, 5), "300单元盐水精制厂房",
                          "Unit 300 brine purification house", "process", 1, 4),
                     _Bld("u300_abs", (9, 12, 12, 14), "300单元事故氯吸收塔框架",
                          "Unit 300 emergency chlorine absorber", "process", 2, 1, upper="ladder"))),
        _Block("Z-U400", 3, 2, 1, "400单元液化气分馏", "Unit 400 LPG fractionation",
               "process_unit", "A", "u400_supervisor", (1.2, 1.5), thin="v",
               blds=(_Bld("u400_str", (2, 5, 3, 7), "400单元分馏塔框架",
                          "Unit 400 fractionation column structure", "process", 5, 4, upper="ladder",
                          chute=True),
                     _Bld("u400_comp", (8, 11, 3, 5), "400单元压缩机房", "Unit 400 compressor house",
                          "process", 1, 4),
                     _Bld("u400_ctl", (13, 15, 1, 2), "400单元分析小屋", "Unit 400 analyser house",
                          "control", 1, 4),
                     _Bld("u400_hx", (8, 12, 8, 10), "400单元换热器区", "Unit 400 heat exchanger bay",
                          "process", 1, 1),
                     _Bld("u400_pumps", (2, 6, 10, 12), "400单元机泵区", "Unit 400 pump bay",
                          "process", 1, 1))),
        _Block("Z-LPG", 4, 2, 1, "液化气球罐区", "LPG sphere area",
               "tank_farm", "A", "storage_supervisor", (1.2, 1.5), thin="hv",
               blds=(_Bld("lpg_pump", (9, 11, 3, 4), "液化气泵房", "LPG pump house", "process", 1, 2),
                     _Bld("lpg_unload", (9, 12, 7, 9), "液化气装卸车位", "LPG truck unloading bay",
                          "process", 1, 2)),
               tanks=tuple(_Tank(f"SP-40{k + 1}", (i, i + 2, j, j + 2), 12.3, f"{k + 1}号液化气球罐",
                                 f"LPG sphere {k + 1}", "LPG", 1000, sphere=True)
                           for k, (i, j) in enumerate(((1, 3), (4, 3), (1, 6), (4, 6))))),
        _Block("Z-FLR", 5, 2, 2, "火炬区", "Flare area",
               "other", "B", "u400_supervisor", (1.2,),
               blds=(_Bld("flare_pump", (6, 7, 1, 2), "火炬凝液泵房", "Flare knock-out drum pump house",
                          "utility", 1, 1),),
               opens=(_Open("flare", (1, 5, 1, 6), "火炬禁区", "Flare exclusion area"),)),
        # ---- row 3 (north): warehouses, tank farms, logistics, reserve land
        _Block("Z-HCW", 0, 3, 2, "危化品仓库区", "Hazardous chemicals warehouses",
               "other", "B", "warehouse_supervisor", (1.5,),
               blds=(_Bld("haz_wh", (1, 4, 2, 4), "甲类危化品仓库", "Hazardous chemicals warehouse (class A)",
                          "warehouse", 1, 4),
                     _Bld("waste_wh", (1, 3, 6, 7), "危险废物暂存库", "Hazardous waste store",
                          "warehouse", 1, 2))),
        _Block("Z-TF1", 1, 3, 1, "罐区一", "Tank farm 1",
               "tank_farm", "A", "storage_supervisor", (1.2, 1.5), thin="hv",
               blds=(_Bld("tf1_pump", (14, 16, 2, 4), "罐区一泵房", "Tank farm 1 pump house",
                          "process", 1, 3),
                     _Bld("foam", (14, 16, 7, 8), "泡沫站", "Foam station", "utility", 1, 1)),
               tanks=(_Tank("TK-101", (1, 4, 2, 5), 30.0, "甲醇储罐TK-101", "Methanol tank TK-101",
                            "67-56-1", 8000),
                      _Tank("TK-102", (5, 8, 2, 5), 30.0, "甲醇储罐TK-102", "Methanol tank TK-102",
                            "67-56-1", 8000),
                      _Tank("TK-103", (9, 12, 2, 5), 30.0, "甲醇储罐TK-103", "Methanol tank TK-103",
                            "67-56-1", 8000),
                      _Tank("TK-104", (1, 4, 6, 9), 30.0, "甲苯储罐TK-104", "Toluene tank TK-104",
                            "108-88-3", 8000),
                      _Tank("TK-105", (5, 8, 6, 9), 30.0, "甲苯储罐TK-105", "Toluene tank TK-105",
                            "108-88-3", 8000),
                      _Tank("TK-106", (9, 12, 6, 9), 30.0, "二甲苯储罐TK-106", "Xylene tank TK-106",
                            "1330-20-7", 8000),
                      _Tank("TK-107", (1, 3, 11, 13), 20.0, "32%液碱储罐TK-107",
                            "Caustic soda 32% tank TK-107", "1310-73-2", 3000),
                      _Tank("TK-108", (4, 6, 11, 13), 20.0, "32%液碱储罐TK-108",
                            "Caustic soda 32% tank TK-108", "1310-73-2", 3000),
                      _Tank("TK-109", (7, 9, 11, 13), 20.0, "98%硫酸储罐TK-109",
                            "Sulfuric acid 98% tank TK-109", "7664-93-9", 3000),
                      _Tank("TK-110", (10, 12, 11, 13), 20.0, "31%盐酸储罐TK-110",
                            "Hydrochloric acid 31% tank TK-110", "7647-01-0", 3000))),
        _Block("Z-TF2", 2, 3, 1, "罐区二", "Tank farm 2",
               "tank_farm", "B", "storage_supervisor", (1.2, 1.5), thin="hv",
               blds=(_Bld("tf2_pump", (12, 15, 13, 15), "罐区二泵房", "Tank farm 2 pump house",
                          "process", 1, 3),),
               tanks=(_Tank("TK-201", (2, 5, 3, 6), 30.0, "乙酸乙酯储罐TK-201", "Ethyl acetate tank TK-201",
                            "141-78-6", 8000),
                      _Tank("TK-202", (7, 10, 3, 6), 30.0, "丙酮储罐TK-202", "Acetone tank TK-202",
                            "67-64-1", 8000),
                      _Tank("TK-203", (2, 5, 8, 11), 30.0, "正丁醇储罐TK-203", "n-Butanol tank TK-203",
                            "71-36-3", 8000),
                      _Tank("TK-204", (7, 10, 8, 11), 30.0, "柴油储罐TK-204", "Diesel tank TK-204",
                            "68334-30-5", 8000),
                      _Tank("TK-205", (12, 14, 3, 5), 20.0, "次氯酸钠储罐TK-205",
                            "Sodium hypochlorite tank TK-205", "7681-52-9", 3000),
                      _Tank("TK-206", (12, 14, 8, 10), 20.0, "甲醇储罐TK-206", "Methanol tank TK-206",
                            "67-56-1", 3000))),
        _Block("Z-FGW", 3, 3, 2, "成品仓库区", "Finished goods warehouses",
               "other", "C", "warehouse_supervisor", (1.5,),
               blds=(_Bld("fg_wh", (1, 4, 2, 5), "成品仓库", "Finished goods warehouse", "warehouse", 1, 12),
                     _Bld("pack_wh", (6, 8, 2, 4), "包装材料库", "Packaging materials warehouse",
                          "warehouse", 1, 4))),
        _Block("Z-LOG", 4, 3, 2, "物流装车区", "Logistics and truck loading",
               "yard", "B", "logistics_manager", (1.5,),
               blds=(_Bld("loading", (1, 3, 3, 4), "汽车装车栈台", "Truck loading rack", "process", 2, 6),
                     _Bld("driver_rest", (1, 2, 6, 7), "司机休息室", "Drivers' rest room", "other", 1, 10),
                     _Bld("weighbridge", (5, 6, 8, 9), "北门门卫及地磅房", "North gatehouse and weighbridge",
                          "other", 1, 4)),
               opens=(_Open("log_yard", (4, 6, 3, 7), "北物流停车场", "North logistics yard"),)),
        _Block("Z-NER", 5, 3, 2, "东北预留地", "North-east reserve land",
               "yard", "D", "admin_manager", (1.5,),
               opens=(_Open("reserve", (1, 6, 1, 8), "预留发展用地", "Reserve land"),)),
    )


#: open areas fenced off (basins, switchyard, flare, hot or toxic plots): nobody stands inside at 10:00
_FENCED = ("eq_basin", "aeration", "switchyard", "flare", "incinerator", "sulfur_pit", "nh3_bullets",
           "ng_station")

# Gates line up with a grid walkway of their block, so the gate road continues a block walkway.
_GATES = (
    # id, name, name_en, width (m), zone, axis ('x': N-S grid line i, 'y': E-W grid line j), index, fence side
    ("EX-S", "南大门(主门)", "South main gate", 8.0, "Z-GTE", "x", 4, "S"),
    ("EX-N", "北门(物流门)", "North logistics gate", 8.0, "Z-LOG", "x", 4, "N"),
    ("EX-W", "西应急门", "West emergency gate", 4.0, "Z-MNT", "y", 4, "W"),
    ("EX-E", "东应急门", "East emergency gate", 4.0, "Z-EYD", "y", 4, "E"),
)

# Assembly points: id, name, name_en, capacity (persons), sheltered, position.
_ASSEMBLY = (
    ("AP-01", "南大门广场集合点", "Main gate plaza assembly point", 300, False,
     ("open", "gate_plaza", 0.7, 0.3)),
    ("AP-02", "行政楼草坪集合点", "Admin lawn assembly point", 400, False,
     ("open", "lawn", 0.5, 0.3)),
    ("AP-03", "西停车场集合点", "West car park assembly point", 300, False,
     ("open", "west_park", 0.33, 0.15)),
    ("AP-04", "培训中心大厅集合点(室内)", "Training centre hall (sheltered)", 200, True,
     ("bld", "training", 0.5, 0.35)),
    ("AP-05", "北物流场集合点", "North logistics yard assembly point", 300, False,
     ("open", "log_yard", 0.75, 0.85)),
    ("AP-06", "东装卸场集合点", "East loading yard assembly point", 250, False,
     ("open", "east_yard", 0.5, 0.75)),
    ("AP-07", "消防训练场集合点", "Fire training ground assembly point", 200, False,
     ("open", "fire_training", 0.25, 0.2)),
)


@dataclass(frozen=True)
class _Hz:
    """A hazard source: where it is, what it holds (kg) and at what pressure (bar) and temperature (°C)."""

    id: str
    zone: str
    at: tuple[Any, ...]
    name: str
    name_en: str
    substance: str
    inventory_kg: int
    kind: str
    pressure_bar: float
    temperature_c: float
    detectors: int = 4


def _hazards() -> tuple[_Hz, ...]:
    """Hazard sources with their inventories (kg), pressures (bar) and temperatures (°C)."""
    return (
        _Hz("HZ-101", "Z-U100", ("cell", "Z-U100", 1.5, 10.5), "100单元酸性气分液罐V-101",
            "Unit 100 acid gas knock-out drum V-101", "H2S", 500, "tank", 1.8, 40.0),
        _Hz("HZ-102", "Z-U100", ("bld", "u100_str", 0.5, 0.2), "100单元克劳斯反应器R-101",
            "Unit 100 Claus reactor R-101", "H2S", 300, "reactor", 0.6, 240.0, 2),
        _Hz("HZ-103", "Z-U100", ("open", "incinerator", 0.5, 0.5), "100单元尾气焚烧炉烟道",
            "Unit 100 tail gas incinerator duct", "SO2", 150, "pipeline", 1.05, 320.0, 3),
        _Hz("HZ-201", "Z-U200", ("open", "nh3_bullets", 0.5, 0.35), "液氨卧罐V-201A",
            "Ammonia bullet V-201A", "NH3", 40000, "tank", 10.0, 20.0),
        _Hz("HZ-202", "Z-U200", ("open", "nh3_bullets", 0.5, 0.7), "液氨卧罐V-201B",
            "Ammonia bullet V-201B", "NH3", 40000, "tank", 10.0, 20.0, 2),
        _Hz("HZ-203", "Z-U200", ("bld", "nh3_comp", 0.5, 0.3), "氨压缩机出口贮氨器V-203",
            "Ammonia receiver V-203", "NH3", 3500, "tank", 12.0, 35.0, 2),
        _Hz("HZ-301", "Z-U300", ("bld", "cl2_store", 0.3, 0.5), "液氯储罐V-301A",
            "Liquid chlorine tank V-301A", "Cl2", 30000, "tank", 6.5, 20.0, 2),
        _Hz("HZ-302", "Z-U300", ("bld", "cl2_store", 0.7, 0.5), "液氯储罐V-301B",
            "Liquid chlorine tank V-301B", "Cl2", 30000, "tank", 6.5, 20.0, 2),
        _Hz("HZ-303", "Z-U300", ("bld", "cl2_fill", 0.5, 0.3), "液氯充装站吨包装容器",
            "Chlorine tonne containers at the filling station", "Cl2", 1000, "cylinder", 6.0, 20.0, 2),
        _Hz("HZ-304", "Z-U300", ("bld", "cl2_fill", 0.5, 0.75), "液氯充装站吨包装容器(待运)",
            "Chlorine tonne containers awaiting dispatch", "Cl2", 1000, "cylinder", 6.0, 20.0, 1),
        _Hz("HZ-305", "Z-U300", ("bld", "u300_liq", 0.5, 0.3), "氯气液化器E-305",
            "Chlorine liquefier E-305", "Cl2", 2000, "other", 4.0, -20.0, 2),
        _Hz("HZ-401", "Z-U400", ("bld", "u400_str", 0.5, 0.25), "400单元脱丙烷塔T-401",
            "Unit 400 depropaniser column T-401", "LPG", 18000, "other", 16.0, 50.0, 2),
        _Hz("HZ-402", "Z-U400", ("cell", "Z-U400", 6.5, 9.5), "400单元回流罐V-402",
            "Unit 400 reflux drum V-402", "LPG", 6000, "tank", 15.0, 40.0),
        *(_Hz(f"HZ-41{k}", "Z-LPG", ("tank", f"SP-40{k}"), f"{k}号液化气球罐", f"LPG sphere {k}",
              "LPG", 200000, "tank", 8.0, 20.0, 2) for k in range(1, 5)),
        _Hz("HZ-501", "Z-U500", ("bld", "u500_str", 0.5, 0.3), "500单元树脂反应釜R-501",
            "Unit 500 resin reactor R-501", "108-88-3", 12000, "reactor", 3.0, 110.0, 2),
        _Hz("HZ-601", "Z-U600", ("tank", "TK-601"), "600单元甲醇中间罐TK-601",
            "Unit 600 methanol run-down tank TK-601", "67-56-1", 250000, "tank", 1.0, 25.0, 2),
        _Hz("HZ-701", "Z-UT1", ("open", "ng_station", 0.5, 0.5), "天然气调压计量撬",
            "Natural gas pressure-reducing skid", "CH4", 400, "pipeline", 4.0, 15.0, 3),
        _Hz("HZ-702", "Z-UT1", ("bld", "boiler", 0.5, 0.3), "锅炉燃料气总管(转炉煤气)",
            "Boiler fuel gas header (CO-rich)", "CO", 250, "pipeline", 1.2, 40.0, 2),
        _Hz("HZ-901", "Z-WWT", ("open", "eq_basin", 0.5, 0.5), "污水调节池",
            "Wastewater equalisation basin", "H2S", 15, "other", 1.0, 25.0, 2),
        _Hz("HZ-T01", "Z-TF1", ("tank", "TK-101"), "甲醇储罐TK-101",
            "Methanol tank TK-101", "67-56-1", 5000000, "tank", 1.0, 20.0),
        _Hz("HZ-T02", "Z-TF1", ("tank", "TK-104"), "甲苯储罐TK-104",
            "Toluene tank TK-104", "108-88-3", 5500000, "tank", 1.0, 20.0, 2),
        _Hz("HZ-T03", "Z-TF2", ("tank", "TK-206"), "甲醇储罐TK-206",
            "Methanol tank TK-206", "67-56-1", 1900000, "tank", 1.0, 20.0, 2),
    )


#: gas detector settings by substance: unit, warn, alarm (GB/T 50493 style), Chinese label, English label
_GAS = {
    "H2S": ("ppm", 10.0, 20.0, "硫化氢", "H2S"),
    "NH3": ("ppm", 25.0, 50.0, "氨气", "NH3"),
    "Cl2": ("ppm", 0.5, 1.0, "氯气", "Cl2"),
    "CO": ("ppm", 30.0, 60.0, "一氧化碳", "CO"),
    "SO2": ("ppm", 2.0, 5.0, "二氧化硫", "SO2"),
    "LPG": ("%LEL", 25.0, 50.0, "可燃气体", "flammable gas (LPG)"),
    "CH4": ("%LEL", 25.0, 50.0, "可燃气体", "flammable gas (CH4)"),
    "67-56-1": ("%LEL", 25.0, 50.0, "可燃气体", "flammable gas (methanol)"),
    "108-88-3": ("%LEL", 25.0, 50.0, "可燃气体", "flammable gas (toluene)"),
}

# Non-gas sensors: kind, where, name, name_en.
_OTHER_SENSORS = (
    ("oxygen", ("bld", "n2_station", 0.3, 0.5), "制氮站氧含量检测器", "Nitrogen station oxygen detector"),
    ("oxygen", ("bld", "n2_station", 0.7, 0.5), "制氮站氧含量检测器", "Nitrogen station oxygen detector"),
    ("oxygen", ("bld", "cl2_store", 0.5, 0.25), "液氯库房氧含量检测器",
     "Chlorine storage house oxygen detector"),
    ("oxygen", ("bld", "nh3_comp", 0.5, 0.75), "氨压缩机房氧含量检测器",
     "Ammonia compressor house oxygen detector"),
    ("oxygen", ("bld", "u300_liq", 0.3, 0.7), "氯气液化厂房氧含量检测器",
     "Chlorine liquefaction oxygen detector"),
    ("oxygen", ("bld", "u500_comp", 0.5, 0.5), "500单元压缩机房氧含量检测器",
     "Unit 500 compressor oxygen detector"),
    *(("flame", ("tank", f"SP-40{k}", 45.0, 3.0), f"{k}号球罐火焰探测器", f"LPG sphere {k} flame detector")
      for k in range(1, 5)),
    ("flame", ("bld", "u400_str", 0.3, 0.3), "400单元分馏框架火焰探测器",
     "Unit 400 column structure flame detector"),
    ("flame", ("bld", "u400_str", 0.7, 0.7), "400单元分馏框架火焰探测器",
     "Unit 400 column structure flame detector"),
    ("flame", ("bld", "u400_comp", 0.5, 0.5), "400单元压缩机房火焰探测器",
     "Unit 400 compressor flame detector"),
    ("flame", ("bld", "lpg_pump", 0.5, 0.5), "液化气泵房火焰探测器", "LPG pump house flame detector"),
    ("flame", ("bld", "loading", 0.5, 0.5), "装车栈台火焰探测器", "Truck loading rack flame detector"),
    ("smoke", ("bld", "ccr", 0.3, 0.5), "中控室感烟探测器", "Control room smoke detector"),
    ("smoke", ("bld", "ccr", 0.7, 0.5), "中控室机柜间感烟探测器", "Control room rack room smoke detector"),
    ("smoke", ("bld", "substation", 0.3, 0.5), "变电站感烟探测器", "Substation smoke detector"),
    ("smoke", ("bld", "substation", 0.7, 0.5), "变电站电缆夹层感烟探测器",
     "Substation cable floor smoke detector"),
    ("smoke", ("bld", "fg_wh", 0.3, 0.5), "成品仓库感烟探测器", "Finished goods warehouse smoke detector"),
    ("smoke", ("bld", "fg_wh", 0.7, 0.5), "成品仓库感烟探测器", "Finished goods warehouse smoke detector"),
    ("smoke", ("bld", "haz_wh", 0.5, 0.5), "危化品仓库感烟探测器",
     "Hazardous chemicals warehouse smoke detector"),
    ("smoke", ("bld", "spares", 0.5, 0.5), "备件库感烟探测器", "Spare-parts warehouse smoke detector"),
    ("smoke", ("bld", "pack_wh", 0.5, 0.5), "包装材料库感烟探测器",
     "Packaging materials warehouse smoke detector"),
    ("smoke", ("bld", "office", 0.5, 0.5), "办公楼感烟探测器", "Office building smoke detector"),
    ("heat", ("bld", "substation", 0.5, 0.3), "变电站感温探测器", "Substation heat detector"),
    ("heat", ("bld", "fg_wh", 0.5, 0.3), "成品仓库感温探测器", "Finished goods warehouse heat detector"),
    ("heat", ("bld", "haz_wh", 0.5, 0.3), "危化品仓库感温探测器",
     "Hazardous chemicals warehouse heat detector"),
    ("heat", ("bld", "loading", 0.3, 0.5), "装车栈台感温探测器", "Truck loading rack heat detector"),
)

# Resources beyond hydrants and building extinguishers: kind, where, quantity, expiry?, name, name_en.
_RESOURCES = (
    ("fire_truck", ("open", "fire_apron", 0.25, 0.8), 1, False, "泡沫消防车", "Foam tender"),
    ("fire_truck", ("open", "fire_apron", 0.5, 0.8), 1, False, "水罐消防车", "Water tender"),
    ("fire_truck", ("open", "fire_apron", 0.75, 0.8), 1, False, "抢险救援(防化)车",
     "Rescue and hazmat vehicle"),
    ("scba", ("bld", "fire_station", 0.3, 0.6), 20, True, "消防站正压式空气呼吸器",
     "Fire station SCBA store"),
    ("gas_detector", ("bld", "fire_station", 0.6, 0.6), 6, True, "消防站便携式气体检测仪",
     "Fire station portable gas detectors"),
    ("stretcher", ("bld", "fire_station", 0.8, 0.4), 2, False, "消防站担架", "Fire station stretchers"),
    ("first_aid", ("bld", "fire_station", 0.5, 0.4), 2, True, "消防站急救箱", "Fire station first-aid kits"),
    ("other", ("bld", "fire_station", 0.2, 0.4), 4, False, "堵漏工具箱", "Leak sealing kits"),
    ("first_aid", ("bld", "medical", 0.5, 0.5), 4, True, "医务室急救箱", "Medical station first-aid kits"),
    ("stretcher", ("bld", "medical", 0.3, 0.5), 4, False, "医务室担架", "Medical station stretchers"),
    ("other", ("bld", "medical", 0.7, 0.5), 1, True, "自动体外除颤器(AED)",
     "Automated external defibrillator (AED)"),
    ("scba", ("bld", "em_store", 0.3, 0.5), 10, True, "应急物资库空气呼吸器", "Emergency store SCBA"),
    ("spill_kit", ("bld", "em_store", 0.6, 0.5), 4, False, "应急物资库泄漏应急包",
     "Emergency store spill kits"),
    ("other", ("bld", "em_store", 0.8, 0.5), 20, True, "重型防化服", "Gas-tight chemical protective suits"),
    ("first_aid", ("bld", "ccr", 0.5, 0.4), 2, True, "中控室急救箱", "Control room first-aid kits"),
    ("scba", ("bld", "ccr", 0.4, 0.6), 4, True, "中控室空气呼吸器柜", "Control room SCBA cabinet"),
    ("gas_detector", ("bld", "ccr", 0.6, 0.6), 10, True, "中控室便携式气体检测仪",
     "Control room portable gas detectors"),
    ("stretcher", ("bld", "ccr", 0.8, 0.5), 1, False, "中控室担架", "Control room stretcher"),
    ("eyewash", ("bld", "qc_lab", 0.5, 0.5), 1, False, "化验室洗眼器", "Laboratory eyewash"),
    ("spill_kit", ("bld", "qc_lab", 0.3, 0.5), 1, False, "化验室泄漏应急包", "Laboratory spill kit"),
    ("first_aid", ("bld", "office", 0.5, 0.4), 1, True, "办公楼急救箱", "Office first-aid kit"),
    ("first_aid", ("bld", "canteen", 0.5, 0.5), 1, True, "食堂急救箱", "Canteen first-aid kit"),
    ("first_aid", ("bld", "training", 0.6, 0.5), 1, True, "培训中心急救箱", "Training centre first-aid kit"),
    ("gas_detector", ("bld", "gate_main", 0.5, 0.5), 4, True, "门卫便携式气体检测仪",
     "Gatehouse portable gas detectors"),
    ("first_aid", ("bld", "gate_main", 0.3, 0.5), 1, True, "门卫急救箱", "Gatehouse first-aid kit"),
    ("first_aid", ("bld", "workshop", 0.5, 0.5), 1, True, "机修车间急救箱", "Workshop first-aid kit"),
    ("stretcher", ("bld", "workshop", 0.7, 0.5), 1, False, "机修车间担架", "Workshop stretcher"),
    ("gas_detector", ("bld", "workshop", 0.3, 0.5), 6, True, "检修用便携式气体检测仪",
     "Maintenance portable gas detectors"),
    ("scba", ("cell", "Z-U100", 2.5, 4.5), 4, True, "100单元空气呼吸器柜", "Unit 100 SCBA cabinet"),
    ("scba", ("cell", "Z-U100", 7.5, 9.5), 2, True, "100单元空气呼吸器柜", "Unit 100 SCBA cabinet"),
    ("first_aid", ("bld", "u100_ctl", 0.5, 0.5), 1, True, "100单元急救箱", "Unit 100 first-aid kit"),
    ("gas_detector", ("bld", "u100_ctl", 0.3, 0.5), 2, True, "100单元便携式H2S检测仪",
     "Unit 100 portable H2S detectors"),
    ("scba", ("cell", "Z-U200", 6.5, 6.5), 4, True, "200单元空气呼吸器柜", "Unit 200 SCBA cabinet"),
    ("scba", ("cell", "Z-U200", 13.5, 8.5), 2, True, "200单元空气呼吸器柜", "Unit 200 SCBA cabinet"),
    ("eyewash", ("cell", "Z-U200", 6.5, 3.5), 1, False, "200单元洗眼器", "Unit 200 eyewash and shower"),
    ("eyewash", ("cell", "Z-U200", 13.5, 10.5), 1, False, "液氨罐区洗眼器", "Ammonia bullet yard eyewash"),
    ("first_aid", ("bld", "u200_ctl", 0.5, 0.5), 1, True, "200单元急救箱", "Unit 200 first-aid kit"),
    ("scba", ("cell", "Z-U300", 8.5, 7.5), 4, True, "300单元空气呼吸器柜", "Unit 300 SCBA cabinet"),
    ("scba", ("cell", "Z-U300", 13.5, 12.5), 4, True, "液氯充装站空气呼吸器柜",
     "Chlorine filling SCBA cabinet"),
    ("eyewash", ("cell", "Z-U300", 8.5, 2.5), 1, False, "300单元洗眼器", "Unit 300 eyewash and shower"),
    ("eyewash", ("cell", "Z-U300", 13.5, 7.5), 1, False, "液氯库洗眼器", "Chlorine store eyewash and shower"),
    ("eyewash", ("cell", "Z-U300", 6.5, 10.5), 1, False, "烧碱蒸发洗眼器", "Caustic evaporation eyewash"),
    ("other", ("cell", "Z-U300", 13.5, 9.5), 3, False, "氯气应急处置工具箱(A/B/C型)",
     "Chlorine emergency kits (A/B/C)"),
    ("first_aid", ("cell", "Z-U300", 8.5, 12.5), 1, True, "300单元急救箱", "Unit 300 first-aid kit"),
    ("scba", ("cell", "Z-U400", 6.5, 5.5), 2, True, "400单元空气呼吸器柜", "Unit 400 SCBA cabinet"),
    ("first_aid", ("bld", "u400_ctl", 0.5, 0.5), 1, True, "400单元急救箱", "Unit 400 first-aid kit"),
    ("scba", ("cell", "Z-LPG", 8.5, 5.5), 2, True, "球罐区空气呼吸器柜", "LPG area SCBA cabinet"),
    ("other", ("cell", "Z-LPG", 3.5, 1.5), 1, False, "球罐区消防水炮", "LPG area fire-water monitor"),
    ("other", ("cell", "Z-LPG", 3.5, 9.5), 1, False, "球罐区消防水炮", "LPG area fire-water monitor"),
    ("scba", ("cell", "Z-U500", 7.5, 3.5), 2, True, "500单元空气呼吸器柜", "Unit 500 SCBA cabinet"),
    ("spill_kit", ("cell", "Z-U500", 7.5, 9.5), 1, False, "500单元泄漏应急包", "Unit 500 spill kit"),
    ("first_aid", ("bld", "u500_ctl", 0.5, 0.5), 1, True, "500单元急救箱", "Unit 500 first-aid kit"),
    ("scba", ("cell", "Z-U600", 7.5, 2.5), 2, True, "600单元空气呼吸器柜", "Unit 600 SCBA cabinet"),
    ("spill_kit", ("cell", "Z-U600", 10.5, 11.5), 1, False, "600单元泄漏应急包", "Unit 600 spill kit"),
    ("first_aid", ("bld", "u600_ctl", 0.5, 0.5), 1, True, "600单元急救箱", "Unit 600 first-aid kit"),
    ("eyewash", ("cell", "Z-TF1", 3.5, 14.5), 1, False, "酸碱罐区洗眼器", "Acid and caustic tanks eyewash"),
    ("eyewash", ("cell", "Z-TF1", 9.5, 14.5), 1, False, "酸碱罐区洗眼器", "Acid and caustic tanks eyewash"),
    ("spill_kit", ("cell", "Z-TF1", 13.5, 5.5), 2, False, "罐区一泄漏应急包", "Tank farm 1 spill kits"),
    ("other", ("cell", "Z-TF1", 4.5, 0.5), 1, False, "罐区一消防水炮", "Tank farm 1 fire-water monitor"),
    ("other", ("cell", "Z-TF1", 12.5, 9.5), 1, False, "罐区一消防水炮", "Tank farm 1 fire-water monitor"),
    ("spill_kit", ("cell", "Z-TF2", 11.5, 12.5), 1, False, "罐区二泄漏应急包", "Tank farm 2 spill kit"),
    ("scba", ("cell", "Z-TF1", 13.5, 9.5), 2, True, "罐区空气呼吸器柜", "Tank farm SCBA cabinet"),
    ("scba", ("bld", "wwt_ctrl", 0.5, 0.5), 2, True, "污水站空气呼吸器柜", "WWTP SCBA cabinet"),
    ("gas_detector", ("bld", "wwt_ctrl", 0.3, 0.5), 2, True, "污水站便携式H2S检测仪",
     "WWTP portable H2S detectors"),
    ("eyewash", ("bld", "wwt_ctrl", 0.7, 0.5), 1, False, "污水站洗眼器", "WWTP eyewash"),
    ("spill_kit", ("bld", "haz_wh", 0.3, 0.5), 2, False, "危化品库泄漏应急包",
     "Hazardous warehouse spill kits"),
    ("spill_kit", ("bld", "loading", 0.7, 0.5), 1, False, "装车栈台泄漏应急包", "Loading rack spill kit"),
    ("scba", ("bld", "loading", 0.2, 0.5), 2, True, "装车栈台空气呼吸器柜", "Loading rack SCBA cabinet"),
    ("scba", ("bld", "n2_station", 0.5, 0.5), 2, True, "制氮站空气呼吸器柜", "Nitrogen station SCBA cabinet"),
)


# --------------------------------------------------------------------------- geometry helpers

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
class _Feat:
    """A feature in local metres with its GeoJSON properties."""

    geom: BaseGeometry
    props: dict[str, Any]


_AtFn = Callable[[float], tuple[float, float]]


def _r(v: float) -> float:
    return round(float(v), 3)


# --------------------------------------------------------------------------- the layout builder

@dataclass
class _Layout:
    """One plant in local metres, plus what the roster and population need to place people."""

    layers: dict[str, list[_Feat]]
    zone_lines: dict[str, list[LineString]]
    rooms: dict[str, list[LineString]]
    solids: list[Polygon]  # buildings, tanks and fenced plots, where no one stands outdoors


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.layers: dict[str, list[_Feat]] = {name: [] for name in LAYERS}
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
        self.layers["walkways"].append(_Feat(line, props))
        return line

    def point(self, layer: str, xy: tuple[float, float], props: dict[str, Any]) -> None:
        self.layers[layer].append(_Feat(Point(_r(xy[0]), _r(xy[1])), props))

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
        for gid, name, name_en, width, zone, axis, idx, side in _GATES:
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
    def block(self, b: _Block) -> None:
        xs = _subset(self.col_lines[b.col], b.stride)
        ys = _subset(self.row_lines[b.row], b.stride)
        g = _Grid(xs, ys, ROADS_X[b.col], ROADS_X[b.col + 1], ROADS_Y[b.row], ROADS_Y[b.row + 1])
        self.grids[b.zone] = g
        zone_poly = box(g.x0 + 4.5, g.y0 + 4.5, g.x1 - 4.5, g.y1 - 4.5)
        self.layers["zones"].append(_Feat(zone_poly, {"id": b.zone, "name": b.name, "name_en": b.name_en,
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
            if o.key in _FENCED:
                self.solids.append(box(xs[i0] + WALL_GAP, ys[j0] + WALL_GAP,
                                       xs[i1] - WALL_GAP, ys[j1] - WALL_GAP))

    def _runs(self, b: _Block, stops: list[float], keep: list[bool], at: _AtFn, name: str,
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

    def building(self, b: _Block, g: _Grid, s: _Bld) -> None:
        i0, i1, j0, j1 = s.cells
        gx0, gx1, gy0, gy1 = g.xs[i0], g.xs[i1], g.ys[j0], g.ys[j1]
        bx0, bx1, by0, by1 = gx0 + WALL_GAP, gx1 - WALL_GAP, gy0 + WALL_GAP, gy1 - WALL_GAP
        poly = box(bx0, by0, bx1, by1)
        bid = self.next_id("B")
        self.bld_ids[s.key] = bid
        self.boxes[s.key] = (bx0, by0, bx1, by1)
        self.solids.append(poly)
        self.layers["buildings"].append(_Feat(poly, {
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

    def tank(self, b: _Block, g: _Grid, t: _Tank) -> None:
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
        self.layers["buildings"].append(_Feat(disc, {
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
        self.layers["site"].append(_Feat(box(0.0, 0.0, SITE_W, SITE_H), {
            "name": "江北精细化工有限公司南京工厂",
            "name_en": "Jiangbei Fine Chemicals Co., Ltd. Nanjing Plant",
            "timezone": "Asia/Shanghai"}))

    def assembly_points(self) -> None:
        for aid, name, name_en, cap, sheltered, at in _ASSEMBLY:
            self.point("assembly_points", self.where(at), {"id": aid, "name": name, "name_en": name_en,
                                                           "capacity": cap, "sheltered": sheltered})

    def hazards_and_sensors(self) -> None:
        offsets = ((1, 1), (-1, -1), (1, -1), (-1, 1))
        for hz in _hazards():
            hx, hy = self.where(hz.at)
            self.point("hazard_sources", (hx, hy), {
                "id": hz.id, "name": hz.name, "name_en": hz.name_en, "substance": hz.substance,
                "inventory_kg": hz.inventory_kg, "kind": hz.kind, "pressure_bar": hz.pressure_bar,
                "temperature_c": hz.temperature_c})
            unit, warn, alarm, label, label_en = _GAS[hz.substance]
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
        for kind, at, name, name_en in _OTHER_SENSORS:
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
        for kind, at, qty, expires, name, name_en in _RESOURCES:
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


def _build_layout(rng: random.Random) -> _Layout:
    """The plant in local metres (x east, y north from the south-west fence corner)."""
    bld = _Builder(rng)
    bld.site()
    bld.roads()
    for b in _blocks():
        bld.block(b)
    bld.gates()
    bld.truck_lane()
    bld.assembly_points()
    bld.hazards_and_sensors()
    bld.resources()
    return _Layout(bld.layers, dict(bld.zone_lines), dict(bld.rooms), bld.solids)


# --------------------------------------------------------------------------- personnel

_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
             "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
             "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂建华文辉力永健世广志义兴良海山仁波宁"
          "贵福生龙元全国胜学祥才发武新利清飞彬富顺信子昌成康星光天达安岩中茂进林有坚和彪博"
          "诚先敬震振壮会思群豪心邦承乐绍功松善厚庆民友裕河哲江浩亮政谦亨奇固之翰朗伯宏言若"
          "鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以家致树炎德行时泰盛雄琛钧冠策腾楠榕航弘婷雪琳慧"
          "颖萍红玉秀英梅燕瑶琪倩璐佳欣怡晓丹")
_PHONE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "153", "155", "156", "158", "159", "177", "180", "182", "183", "186", "187", "188",
                   "189", "199")

#: role -> (qualifications always held, qualifications each held with probability 0.4)
_QUALS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "plant_manager": (("incident_command", "first_aid"), ("hazmat",)),
    "deputy_manager": (("incident_command", "first_aid"), ("hazmat", "scba")),
    "department_manager": (("first_aid",), ("incident_command", "hazmat", "gas_testing")),
    "unit_supervisor": (("incident_command", "scba", "gas_testing", "first_aid"),
                        ("pressure_vessel", "hazmat", "cpr")),
    "shift_supervisor": (("incident_command", "scba", "gas_testing", "first_aid", "cpr"),
                         ("hazmat", "pressure_vessel")),
    "control_room_operator": (("first_aid", "cpr"), ("scba", "gas_testing")),
    "operator": (("scba", "gas_testing", "first_aid"),
                 ("confined_space", "work_at_height", "pressure_vessel", "hazmat", "cpr")),
    "security_guard": (("first_aid", "cpr"), ("fire_fighting", "scba")),
    "security_chief": (("first_aid", "cpr", "incident_command"), ("fire_fighting",)),
    "fire_chief": (("scba", "fire_fighting", "hazmat", "incident_command", "first_aid", "cpr"),
                   ("work_at_height", "confined_space")),
    "fire_captain": (("scba", "fire_fighting", "hazmat", "incident_command", "first_aid", "cpr"),
                     ("work_at_height", "confined_space")),
    "firefighter": (("scba", "fire_fighting", "hazmat", "first_aid", "cpr"),
                    ("work_at_height", "confined_space", "gas_testing")),
    "medic": (("first_aid", "cpr", "emergency_medical"), ("scba",)),
    "doctor": (("first_aid", "cpr", "emergency_medical"), ()),
    "nurse": (("first_aid", "cpr", "emergency_medical"), ()),
    "hse_officer": (("gas_testing", "first_aid", "cpr", "scba"),
                    ("hazmat", "confined_space", "incident_command")),
    "process_engineer": (("first_aid",), ("gas_testing", "pressure_vessel", "scba")),
    "equipment_engineer": (("pressure_vessel",), ("first_aid", "work_at_height", "crane")),
    "electrical_engineer": (("electrical",), ("first_aid", "work_at_height")),
    "instrument_engineer": (("electrical",), ("gas_testing", "first_aid")),
    "maintenance_supervisor": (("hot_work", "confined_space", "first_aid"), ("crane", "incident_command")),
    "maintenance_technician": (("work_at_height",),
                               ("hot_work", "confined_space", "crane", "forklift", "first_aid")),
    "electrician": (("electrical", "work_at_height"), ("first_aid", "cpr")),
    "instrument_technician": (("electrical", "gas_testing"), ("work_at_height", "first_aid")),
    "welder": (("hot_work",), ("work_at_height", "confined_space")),
    "warehouse_supervisor": (("forklift", "hazmat", "first_aid"), ()),
    "warehouse_keeper": (("forklift",), ("hazmat", "first_aid")),
    "lab_analyst": (("hazmat",), ("gas_testing", "first_aid")),
    "admin_staff": ((), ("first_aid",)),
    "canteen_staff": ((), ("first_aid",)),
    "driver": (("hazmat",), ("forklift", "first_aid")),
    "trainer": (("first_aid", "cpr", "scba"), ("fire_fighting", "hazmat")),
    "visitor": ((), ()),
}
#: contractor trade -> (qualifications always held, qualifications each held with probability 0.4)
_TRADE_QUALS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "scaffolding": (("work_at_height",), ("first_aid",)),
    "insulation": (("work_at_height",), ("hot_work", "first_aid")),
    "painting": (("work_at_height",), ("hazmat", "confined_space")),
    "welding": (("hot_work",), ("confined_space", "work_at_height", "gas_testing")),
}


@dataclass(frozen=True)
class _Group:
    """``n`` people of one role and team.

    ``places`` says where they are at 10:00 on a weekday: space-separated ``place:weight`` items, a
    place being a building key (indoors) or a zone id (outdoors beside its walkways).
    """

    n: int
    role: str
    team: str
    zone: str
    places: str
    owner_key: str | None = None
    trade: str | None = None


def _day_groups() -> list[_Group]:
    g = _Group
    groups = [
        g(1, "plant_manager", "厂领导", "Z-ADM", "office", "plant_manager"),
        g(1, "deputy_manager", "厂领导", "Z-GTE", "office", "production_manager"),
        g(1, "deputy_manager", "厂领导", "Z-ADM", "office", "safety_manager"),
        g(1, "deputy_manager", "厂领导", "Z-ADM", "office", "engineering_manager"),
        g(1, "department_manager", "生产技术部", "Z-ADM", "office"),
        g(1, "department_manager", "设备部", "Z-ADM", "office"),
        g(1, "department_manager", "安全环保部", "Z-ADM", "office"),
        g(1, "department_manager", "仓储物流部", "Z-LOG", "office", "logistics_manager"),
        g(1, "department_manager", "综合办公室", "Z-ADM", "office", "admin_manager"),
    ]
    for unit, ctl in (("100", "u100_ctl"), ("200", "u200_ctl"), ("300", "cl2_fill"), ("400", "u400_ctl"),
                      ("500", "u500_ctl"), ("600", "u600_ctl")):
        zone = f"Z-U{unit}"
        groups.append(g(1, "unit_supervisor", f"{unit}单元", zone, f"{ctl}:.5 {zone}:.5",
                        f"u{unit}_supervisor"))
    groups += [
        g(1, "unit_supervisor", "储运车间", "Z-TF1", "Z-TF1:.5 tf1_pump:.5", "storage_supervisor"),
        g(1, "unit_supervisor", "公用工程车间", "Z-UT1", "boiler", "utilities_supervisor"),
        g(1, "unit_supervisor", "污水处理站", "Z-WWT", "wwt_ctrl", "wwt_supervisor"),
        g(1, "fire_chief", "消防队", "Z-FIR", "fire_station", "fire_chief"),
        g(1, "maintenance_supervisor", "维修车间", "Z-MNT", "workshop", "maintenance_supervisor"),
        g(1, "electrical_engineer", "电气车间", "Z-SUB", "substation", "electrical_head"),
        g(1, "warehouse_supervisor", "仓储物流部", "Z-FGW", "fg_wh", "warehouse_supervisor"),
        g(1, "security_chief", "保卫部", "Z-GTE", "gate_main"),
        g(6, "hse_officer", "安全环保部", "Z-ADM", "office:.4 Z-U300:.2 Z-U100:.2 Z-U400:.2"),
        g(6, "process_engineer", "生产技术部", "Z-ADM", "office:.7 ccr:.1 Z-U200:.2"),
        g(4, "equipment_engineer", "设备部", "Z-MNT", "office:.5 Z-U300:.5"),
        g(1, "electrical_engineer", "电气车间", "Z-SUB", "substation"),
        g(2, "instrument_engineer", "仪表车间", "Z-MNT", "ccr:.5 workshop:.5"),
        g(12, "maintenance_technician", "维修车间", "Z-MNT", "workshop:.5 Z-U300:.25 Z-U500:.25"),
        g(4, "electrician", "电气车间", "Z-SUB", "substation:.5 workshop:.5"),
        g(4, "instrument_technician", "仪表车间", "Z-MNT", "workshop:.5 Z-U400:.5"),
        g(4, "welder", "维修车间", "Z-MNT", "workshop:.5 Z-U100:.5"),
        g(2, "warehouse_keeper", "仓储物流部", "Z-HCW", "haz_wh"),
        g(3, "warehouse_keeper", "仓储物流部", "Z-FGW", "fg_wh:.7 pack_wh:.3"),
        g(1, "warehouse_keeper", "维修车间", "Z-MNT", "spares"),
        g(8, "lab_analyst", "质检中心", "Z-GTE", "qc_lab"),
        g(8, "admin_staff", "综合办公室", "Z-ADM", "office"),
        g(8, "canteen_staff", "食堂", "Z-ADM", "canteen"),
        g(6, "driver", "车队", "Z-LOG", "driver_rest:.5 Z-LOG:.5"),
        g(1, "doctor", "医务室", "Z-FIR", "medical"),
        g(2, "nurse", "医务室", "Z-FIR", "medical"),
        g(2, "trainer", "培训中心", "Z-WPK", "training"),
    ]
    return groups


def _shift_groups(shift: str) -> list[_Group]:
    g = _Group
    crew = f"{shift}班"
    groups = [g(1, "shift_supervisor", f"生产运行{crew}", "Z-GTE", "ccr"),
              g(5, "control_room_operator", f"中控室{crew}", "Z-GTE", "ccr")]
    operators = (("Z-U100", "100单元", 3, "u100_ctl"), ("Z-U200", "200单元", 3, "u200_ctl"),
                 ("Z-U300", "300单元", 4, "cl2_fill"), ("Z-U400", "400单元", 3, "u400_ctl"),
                 ("Z-LPG", "储运车间", 2, "lpg_pump"), ("Z-U500", "500单元", 3, "u500_ctl"),
                 ("Z-U600", "600单元", 3, "u600_ctl"), ("Z-TF1", "储运车间", 2, "tf1_pump"),
                 ("Z-TF2", "储运车间", 2, "tf2_pump"), ("Z-UT1", "公用工程车间", 2, "boiler"),
                 ("Z-UT2", "公用工程车间", 2, "circ_pump"), ("Z-WWT", "污水处理站", 2, "wwt_ctrl"),
                 ("Z-LOG", "仓储物流部", 2, "loading"), ("Z-SUB", "电气车间", 1, "substation"))
    for zone, team, n, hut in operators:
        groups.append(g(n, "operator", f"{team}{crew}", zone, f"{hut}:.3 {zone}:.7"))
    groups += [
        g(3, "security_guard", f"保卫部{crew}", "Z-GTE", "gate_main"),
        g(1, "security_guard", f"保卫部{crew}", "Z-MNT", "gate_west"),
        g(1, "security_guard", f"保卫部{crew}", "Z-EYD", "gate_east"),
        g(1, "security_guard", f"保卫部{crew}", "Z-LOG", "weighbridge"),
        g(1, "fire_captain", f"消防队{crew}", "Z-FIR", "fire_station"),
        g(8, "firefighter", f"消防队{crew}", "Z-FIR", "fire_station"),
        g(1, "medic", f"医务室{crew}", "Z-FIR", "medical"),
        g(1, "electrician", f"电气车间{crew}", "Z-SUB", "substation"),
        g(1, "instrument_technician", f"仪表车间{crew}", "Z-GTE", "ccr:.5 Z-U300:.5"),
    ]
    return groups


def _contractor_groups() -> list[_Group]:
    g = _Group
    return [
        g(12, "contractor", "南京宁安脚手架工程有限公司", "Z-U300", "Z-U300", trade="scaffolding"),
        g(10, "contractor", "江苏华固保温防腐工程有限公司", "Z-U100", "Z-U100", trade="insulation"),
        g(8, "contractor", "南京金陵涂装工程有限公司", "Z-TF1", "Z-TF1", trade="painting"),
        g(10, "contractor", "南京江北焊接技术服务有限公司", "Z-U400", "Z-U400", trade="welding"),
    ]


def _visitor_groups() -> list[_Group]:
    g = _Group
    return [
        g(4, "visitor", "访客(客户审核组)", "Z-WPK", "training"),
        g(3, "visitor", "访客(设备供应商)", "Z-ADM", "office"),
        g(3, "visitor", "访客(园区应急管理局)", "Z-GTE", "ccr"),
    ]


@dataclass
class _Person:
    row: dict[str, str]
    places: str
    present: bool


def _roster(rng: random.Random, phones: set[str]) -> tuple[list[_Person], dict[str, str]]:
    """About 330 people (day staff, three shift crews, contractors, visitors) and the zone owners' ids.

    ``phones`` holds the numbers already given out (in other plants of a park) and is updated.
    """
    names: set[str] = set()
    weights = [len(_SURNAMES) - i for i in range(len(_SURNAMES))]  # common surnames first
    people: list[_Person] = []
    owners: dict[str, str] = {}
    count = {"E": 0, "C": 0, "V": 0, "DEV": 0}

    def name() -> str:
        while True:
            given = "".join(rng.choice(_GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))
            full = rng.choices(_SURNAMES, weights)[0] + given
            if full not in names:
                names.add(full)
                return full

    def phone() -> str:
        while True:
            number = rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
            if number not in phones:
                phones.add(number)
                return number

    def quals(grp: _Group) -> str:
        always, maybe = _TRADE_QUALS[grp.trade] if grp.trade else _QUALS[grp.role]
        held = set(always) | {q for q in maybe if rng.random() < 0.4}
        return ";".join(q for q in QUALIFICATIONS if q in held)

    def add(groups: list[_Group], shift: str, on_site: bool) -> None:
        for grp in groups:
            for _ in range(grp.n):
                kind = {"visitor": "V", "contractor": "C"}.get(grp.role, "E")
                count[kind] += 1
                pid = f"{kind}{count[kind]:04d}"
                if kind == "V":
                    dev = f"TAG-V{count['V']:03d}"
                else:
                    count["DEV"] += 1
                    dev = f"DEV-{count['DEV']:04d}"
                if grp.owner_key:
                    owners[grp.owner_key] = pid
                row = {"id": pid, "name": name(), "role": grp.role, "team": grp.team, "phone": phone(),
                       "qualifications": quals(grp), "home_zone": grp.zone, "device_id": dev, "shift": shift}
                on_leave = shift == "day" and kind == "E" and grp.n > 1 and rng.random() < 0.04
                people.append(_Person(row, grp.places, on_site and not on_leave))

    add(_day_groups(), "day", True)
    for shift in ("A", "B", "C"):
        add(_shift_groups(shift), shift, shift == "A")
    add(_contractor_groups(), "day", True)
    add(_visitor_groups(), "day", True)
    return people, owners


def _pick_place(rng: random.Random, places: str) -> str:
    items = [item.partition(":") for item in places.split()]
    weights = [float(w) if w else 1.0 for _, _, w in items]
    return rng.choices([p for p, _, _ in items], weights)[0]


def _beside(rng: random.Random, line: LineString, offset: float) -> tuple[float, float]:
    """A random point ``offset`` metres to the side of a random point of a straight line."""
    (ax, ay), (bx, by) = line.coords[0], line.coords[-1]
    t = rng.uniform(0.05, 0.95)
    n = math.hypot(bx - ax, by - ay)
    return ax + t * (bx - ax) - (by - ay) / n * offset, ay + t * (by - ay) + (bx - ax) / n * offset


def _population(rng: random.Random, layout: _Layout, people: list[_Person]) -> list[dict[str, Any]]:
    """Weekday 10:00 positions (local metres) of everyone on site.

    That is the day staff (less a few on leave), shift A, the contractors and the visitors: indoors on
    a ground-floor corridor of their work building, or outdoors beside a walkway of their home zone.
    Speed and pre-movement time are left to the model, except for three impaired people (slow) and
    the control-room operators (who stay five minutes to bring the plant to a safe state).
    """
    solids = shapely.union_all([p.buffer(0.3) for p in layout.solids])
    shapely.prepare(solids)
    present = [p for p in people if p.present]
    visitors = [p.row["id"] for p in present if p.row["role"] == "visitor"]
    staff = [p.row["id"] for p in present if p.row["role"] in ("admin_staff", "lab_analyst", "canteen_staff")]
    impaired = set(rng.sample(visitors, 1) + rng.sample(staff, 2))  # e.g. a sprained ankle, late pregnancy
    rows: list[dict[str, Any]] = []
    for person in present:
        place = _pick_place(rng, person.places)
        if place.startswith("Z-"):
            lines = layout.zone_lines[place]
            while True:
                xy = _beside(rng, rng.choice(lines), rng.choice((-1.0, 1.0)) * rng.uniform(0.6, 3.0))
                if not solids.contains(Point(xy)):
                    break
        else:
            xy = _beside(rng, rng.choice(layout.rooms[place]), rng.uniform(-1.2, 1.2))
        pid = person.row["id"]
        row: dict[str, Any] = {"id": pid, "x": xy[0], "y": xy[1], "speed_mps": "", "premovement_s": "",
                               "mobility": "normal"}
        if pid in impaired:
            row["mobility"] = "impaired"
            row["speed_mps"] = f"{rng.uniform(0.45, 0.7):.2f}"
        if person.row["role"] == "control_room_operator":
            row["premovement_s"] = "300"
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- park tiling and writing

class _Writer:
    """Converts local metres to longitude/latitude and formats the package files."""

    def __init__(self) -> None:
        to_utm = Transformer.from_crs("EPSG:4326", UTM_CRS, always_xy=True)
        e0, n0 = to_utm.transform(SITE_LON, SITE_LAT)
        self.e0, self.n0 = float(round(e0)), float(round(n0))
        self.to_ll = Transformer.from_crs(UTM_CRS, "EPSG:4326", always_xy=True)

    def ll(self, xy: np.ndarray) -> np.ndarray:
        """(n, 2) local metres -> (n, 2) longitude/latitude rounded to 8 decimals."""
        lon, lat = self.to_ll.transform(xy[:, 0] + self.e0, xy[:, 1] + self.n0)
        return np.round(np.column_stack([lon, lat]), 8)

    def geometry(self, g: BaseGeometry) -> dict[str, Any]:
        """GeoJSON geometry of a local Point, LineString or Polygon (exterior ring counter-clockwise)."""
        if isinstance(g, Point):
            c = self.ll(np.array([[g.x, g.y]]))[0]
            return {"type": "Point", "coordinates": [float(c[0]), float(c[1])]}
        if isinstance(g, LineString):
            return {"type": "LineString", "coordinates": self.ll(np.asarray(g.coords)).tolist()}
        if isinstance(g, Polygon):
            g = orient(g, 1.0)
            rings = [g.exterior, *g.interiors]
            return {"type": "Polygon", "coordinates": [self.ll(np.asarray(r.coords)).tolist() for r in rings]}
        raise TypeError(type(g).__name__)

    def geojson(self, feats: list[_Feat]) -> str:
        """An RFC 7946 FeatureCollection, one feature per line, keys sorted."""
        lines = [json.dumps({"type": "Feature", "properties": f.props, "geometry": self.geometry(f.geom)},
                            ensure_ascii=False, sort_keys=True, separators=(",", ":")) for f in feats]
        return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _csv_text(columns: Sequence[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _copy(f: _Feat, prefix: str, dx: float, dy: float, owners: dict[str, str]) -> _Feat:
    """Feature ``f`` of one plant of a park: owner roles resolved to ids, ids prefixed, shifted (m)."""
    props = dict(f.props)
    if "owner" in props:
        props["owner"] = owners[props["owner"]]
    for key in _ID_PROPS:
        if key in props:
            props[key] = prefix + str(props[key])
    geom = shapely.transform(f.geom, lambda c: c + np.array([dx, dy])) if (dx or dy) else f.geom
    return _Feat(geom, props)


def _park(n: int, origins: list[tuple[float, float]],
          gates: dict[str, tuple[float, float]]) -> tuple[list[_Feat], list[_Feat], Polygon]:
    """Park roads round the ``n`` plants, a link road from every plant gate, two park gates, the site."""
    cols, rows = min(n, PARK_COLS), math.ceil(n / PARK_COLS)
    half = PARK_GAP / 2
    xs = [-half + k * (SITE_W + PARK_GAP) for k in range(cols + 1)]
    ys = [-half + k * (SITE_H + PARK_GAP) for k in range(rows + 1)]
    walks: list[_Feat] = []
    exits: list[_Feat] = []

    def road(coords: list[tuple[float, float]], width: float, name: str, name_en: str) -> None:
        walks.append(_Feat(LineString(coords), {"id": f"PK-RD-{len(walks) + 1:03d}", "kind": "road",
                                                "width_m": width, "name": name, "name_en": name_en}))

    for j, y in enumerate(ys):
        road([(xs[0], y), (xs[-1], y)], 9.0, f"园区纬{j + 1}路", f"Park Road E{j + 1}")
    for i, x in enumerate(xs):
        road([(x, ys[0]), (x, ys[-1])], 9.0, f"园区经{i + 1}路", f"Park Road N{i + 1}")
    for p, (ox, oy) in enumerate(origins):
        for _gid, name, name_en, _width, _zone, _axis, _idx, side in _GATES:
            gx, gy = gates[side][0] + ox, gates[side][1] + oy
            end = {"S": (gx, oy - half), "N": (gx, oy + SITE_H + half), "W": (ox - half, gy),
                   "E": (ox + SITE_W + half, gy)}[side]
            road([(gx, gy), end], 7.0, f"P{p + 1:02d}{name}连接路", f"P{p + 1:02d} {name_en} link road")
    y_gate = ys[len(ys) // 2]
    park_gates = (("PK-EX-W", xs[0] - half, xs[0], "园区西门", "Park west gate"),
                  ("PK-EX-E", xs[-1] + half, xs[-1], "园区东门", "Park east gate"))
    for gid, x_gate, x_road, name, name_en in park_gates:
        road([(x_gate, y_gate), (x_road, y_gate)], 9.0, f"{name}道路", f"{name_en} road")
        exits.append(_Feat(Point(x_gate, y_gate), {"id": gid, "name": name, "name_en": name_en,
                                                    "width_m": 12.0}))
    return walks, exits, box(xs[0] - half, ys[0] - half, xs[-1] + half, ys[-1] + half)


def generate_plant(out_dir: str | Path, scale: int = 1, seed: int = 20261122) -> dict[str, int]:
    """Write a plant package folder and return the number of features per layer.

    The folder gets the nine layers as RFC 7946 GeoJSON (longitude/latitude, EPSG:4326), plus
    ``personnel.csv``, ``population.csv`` (x = longitude, y = latitude, in degrees) and ``site.yaml``.
    ``scale=1`` is the demo plant, about 1.2 km × 0.8 km; ``scale=N`` tiles N copies of it in rows of
    five with 100 m gaps, joined by park roads, inside one site polygon, and prefixes every id of copy
    k with ``Pkk-``. The same arguments always give byte-identical files. The returned dict also
    holds the ``personnel`` and ``population`` row counts.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    layout = _build_layout(rng)
    gate_side = {gid: side for gid, *_rest, side in _GATES}
    gates = {gate_side[f.props["id"]]: (f.geom.x, f.geom.y) for f in layout.layers["exits"]}
    layers: dict[str, list[_Feat]] = {name: [] for name in LAYERS}
    personnel: list[dict[str, Any]] = []
    population: list[dict[str, Any]] = []
    phones: set[str] = set()
    origins = [((k % PARK_COLS) * (SITE_W + PARK_GAP), (k // PARK_COLS) * (SITE_H + PARK_GAP))
               for k in range(scale)]
    for k, (ox, oy) in enumerate(origins):
        prefix = f"P{k + 1:02d}-" if scale > 1 else ""
        people, owners = _roster(rng, phones)
        for name in LAYERS:
            if name != "site" or scale == 1:
                layers[name] += [_copy(f, prefix, ox, oy, owners) for f in layout.layers[name]]
        for person in people:
            row = dict(person.row)
            for key in ("id", "home_zone", "device_id"):
                row[key] = prefix + row[key]
            personnel.append(row)
        for r in _population(rng, layout, people):
            population.append({**r, "id": prefix + r["id"], "x": r["x"] + ox, "y": r["y"] + oy})
    if scale > 1:
        walks, exits, site = _park(scale, origins, gates)
        layers["walkways"] += walks
        layers["exits"] += exits
        layers["site"] = [_Feat(site, {
            "name": f"江北新材料科技园示范化工园区({scale}座工厂)",
            "name_en": f"Jiangbei New Materials Park demonstration park ({scale} plants)",
            "timezone": "Asia/Shanghai"})]
    writer = _Writer()
    for name in LAYERS:
        (out / f"{name}.geojson").write_text(writer.geojson(layers[name]), encoding="utf-8")
    (out / "personnel.csv").write_text(_csv_text(PERSONNEL_COLUMNS, personnel), encoding="utf-8")
    if population:
        lonlat = writer.ll(np.array([[r["x"], r["y"]] for r in population]))
        population = [{**r, "x": f"{lon:.8f}", "y": f"{lat:.8f}"}
                      for r, (lon, lat) in zip(population, lonlat, strict=True)]
    (out / "population.csv").write_text(_csv_text(POPULATION_COLUMNS, population), encoding="utf-8")
    site_props = layers["site"][0].props
    site_yaml = "".join(f"{key}: {json.dumps(site_props[key], ensure_ascii=False)}\n"
                        for key in ("name", "name_en", "timezone"))
    (out / "site.yaml").write_text(site_yaml, encoding="utf-8")
    counts = {name: len(layers[name]) for name in LAYERS}
    counts["personnel"] = len(personnel)
    counts["population"] = len(population)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Command line ``python -m gis.plantgen OUT [--scale N] [--seed S]``: write a package, print counts."""
    parser = argparse.ArgumentParser(
        prog="python -m gis.plantgen",
        description="Write the demo chemical plant package (or a park of N copies of it).")
    parser.add_argument("out", help="output folder (created if missing)")
    parser.add_argument("--scale", type=int, default=1, help="number of plant copies (1 = the demo plant)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate_plant(args.out, scale=args.scale, seed=args.seed)
    took = time.perf_counter() - t0
    print(", ".join(f"{k} {v}" for k, v in counts.items()) + f" ({took:.1f} s) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
