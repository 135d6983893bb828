"""Who is to be routed: positions, walking speeds, pre-movement times, mobility, and where they join the graph.

A person's speed and pre-movement time come from the population file when it
gives them; otherwise they are drawn from the distributions below, **seeded by
the person's id**, so the same input always gives the same plan (and re-ordering
the file changes nobody's draw).

- Walking speed, normal mobility: normal, mean 1.34 m/s, s.d. 0.26 m/s, clipped
  to [0.5, 2.0] — the free walking speed of Weidmann (1993), *Transporttechnik
  der Fussgänger*, IVT Schriftenreihe 90, ETH Zürich.
- Walking speed, impaired mobility: normal, mean 0.8 m/s, s.d. 0.2 m/s, clipped
  to [0.4, 1.2] — within the horizontal speeds Boyce, Shields & Silcock (1999,
  *Fire Technology* 35(1)) measured for people with locomotion impairments
  (about 0.6 m/s with a rollator to about 1.0 m/s without aid).
- Pre-movement time: log-normal, median 60 s, log s.d. 0.6, clipped to [0, 600] s —
  the log-normal form PD 7974-6 and ISO/TR 16738 use for pre-movement; the
  parameters are a planning assumption for awake staff familiar with the site
  (a drill measures the real ones; put them in ``premovement_s``).

A person joins the walkway graph at the nearest node within 50 m (the plant
format's rule), walking the straight line to it; farther away, or outside the
site, they are reported, never dropped.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from scipy.special import ndtri

from gis import schema
from gis.issues import IssueCollector
from gis.loader import parse_population
from gis.package_reader import _read_table_csv
from gis.plant import Plant
from gis.walkway_graph import WalkwayGraph

SEED = 20261122
NORMAL_SPEED = (1.34, 0.26, 0.5, 2.0)  # mean, s.d., min, max (m/s)
IMPAIRED_SPEED = (0.8, 0.2, 0.4, 1.2)
PREMOVEMENT = (60.0, 0.6, 0.0, 600.0)  # median (s), log s.d., min, max
JOIN_DISTANCE_M = schema.PERSON_JOIN_DISTANCE_M


def _uniform(ids: np.ndarray, what: str, seed: int) -> np.ndarray:
    """A uniform (0, 1) number per id, from a hash of (seed, id, what): order-independent."""
    return np.fromiter(((zlib.crc32(f"{seed}:{i}:{what}".encode()) + 0.5) / 2.0**32 for i in ids),
                       dtype=float, count=len(ids))


def draw_speed(ids: np.ndarray, impaired: np.ndarray, seed: int = SEED) -> np.ndarray:
    """Walking speeds (m/s) drawn per id from the documented distributions."""
    z = ndtri(_uniform(ids, "speed", seed))
    mean, sd, lo, hi = (np.where(impaired, b, a) for a, b in zip(NORMAL_SPEED, IMPAIRED_SPEED, strict=True))
    return np.clip(mean + sd * z, lo, hi)


def draw_premovement(ids: np.ndarray, seed: int = SEED) -> np.ndarray:
    """Pre-movement times (s) drawn per id from the documented log-normal distribution."""
    median, sigma, lo, hi = PREMOVEMENT
    z = ndtri(_uniform(ids, "premovement", seed))
    return np.clip(median * np.exp(sigma * z), lo, hi)


@dataclass
class People:
    """Everyone to be routed, one row per person (plant CRS, metres, seconds).

    ``node`` is the graph node a person joins (-1 when they cannot join), ``access_m`` the
    straight walk to it; ``problem`` maps a row to ``(code, message)`` when that person cannot be
    routed for a reason found here (outside the site, too far from any walkway); ``rejected``
    lists rows of the population file that could not be read at all (``{id, code, reason}``).
    """

    ids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    speed: np.ndarray
    premovement: np.ndarray
    impaired: np.ndarray
    node: np.ndarray
    access_m: np.ndarray
    problem: dict[int, tuple[str, str]] = field(default_factory=dict)
    rejected: list[dict[str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def joined(self) -> np.ndarray:
        """Rows that joined the graph."""
        return self.node >= 0

    def subset(self, rows: np.ndarray) -> People:
        """The people of ``rows`` (problems renumbered, rejected rows dropped)."""
        rows = np.asarray(rows, dtype=np.int64)
        where = {int(r): i for i, r in enumerate(rows)}
        return People(self.ids[rows], self.x[rows], self.y[rows], self.speed[rows], self.premovement[rows],
                      self.impaired[rows], self.node[rows], self.access_m[rows],
                      {where[r]: p for r, p in self.problem.items() if r in where})


def make_people(graph: WalkwayGraph, ids, x, y, speed=None, premovement=None, mobility=None,
                site: shapely.Geometry | None = None, seed: int = SEED) -> People:
    """People at (x, y) joined to ``graph``. Missing (None/NaN) speeds and pre-movement times are drawn;
    ``mobility`` is ``normal``/``impaired`` per person (default normal). People outside ``site`` or
    more than 50 m from every node get a ``problem`` and no node."""
    ids = np.asarray([str(i) for i in ids], dtype=object)
    n = len(ids)
    x, y = np.asarray(x, float), np.asarray(y, float)
    impaired = (np.zeros(n, bool) if mobility is None
                else np.asarray([str(m).strip().lower() == "impaired" for m in mobility], dtype=bool))

    def given(values) -> np.ndarray:
        return np.full(n, np.nan) if values is None else pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(
            float)

    sp, pm = given(speed), given(premovement)
    sp = np.where(np.isfinite(sp) & (sp > 0), sp, draw_speed(ids, impaired, seed))
    pm = np.where(np.isfinite(pm) & (pm >= 0), pm, draw_premovement(ids, seed))
    problem: dict[int, tuple[str, str]] = {}
    bad_xy = ~(np.isfinite(x) & np.isfinite(y))
    node = np.full(n, -1, dtype=np.int64)
    dist = np.full(n, np.inf)
    if (~bad_xy).any():
        node[~bad_xy], dist[~bad_xy] = graph.nearest_nodes(np.column_stack([x, y])[~bad_xy])
    outside = np.zeros(n, bool)
    if site is not None and n:
        fence = site.buffer(1.0)
        outside = ~bad_xy & ~shapely.contains_xy(fence, np.nan_to_num(x), np.nan_to_num(y))
    for i in np.flatnonzero(bad_xy):
        problem[int(i)] = ("bad-position", "no usable x/y position")
    for i in np.flatnonzero(outside):
        problem[int(i)] = ("outside-site", f"position ({x[i]:.1f}, {y[i]:.1f}) lies outside the plant's site polygon")
    far = ~bad_xy & ~outside & ~(dist <= JOIN_DISTANCE_M)
    for i in np.flatnonzero(far):
        what = ("there is no walkway" if not np.isfinite(dist[i])
                else f"the nearest walkway node is {dist[i]:.1f} m away")
        problem[int(i)] = ("too-far-from-walkway", f"{what}; a person must be within {JOIN_DISTANCE_M:g} m")
    node = np.where(bad_xy | outside | far, -1, node).astype(np.int64)
    access = np.where(node >= 0, dist, np.nan)
    return People(ids, x, y, sp, pm, impaired, node, access, problem)


def site_polygon(plant: Plant) -> shapely.Geometry | None:
    """The plant's site polygon (plant CRS), if it has one."""
    site = plant.layers["site"]
    return site.geometry.iloc[0] if len(site) else None


def people_of_plant(plant: Plant, population: pd.DataFrame | None = None, seed: int = SEED) -> People:
    """People from a parsed population table (x/y already in the plant CRS; default: the plant's own file)."""
    pop = plant.population if population is None else population
    if pop is None:
        pop = pd.DataFrame(columns=[f.name for f in schema.POPULATION_FIELDS])
    return make_people(plant.graph, pop["id"].to_numpy(object), pop["x"].to_numpy(float), pop["y"].to_numpy(float),
                       pop["speed_mps"].to_numpy(object), pop["premovement_s"].to_numpy(object),
                       pop["mobility"].to_numpy(object), site_polygon(plant), seed)


def read_population_csv(path: str | Path, plant: Plant, seed: int = SEED) -> People:
    """Read a population CSV (``id, x, y`` in the plant package's CRS; ``speed_mps``, ``premovement_s``,
    ``mobility`` optional) and join everyone to the plant. Rows that cannot be parsed are listed in
    ``rejected`` with the reason; a file that cannot be read at all raises ``ValueError``."""
    path = Path(path)
    issues = IssueCollector()
    df = _read_table_csv(path, issues) if path.exists() else None
    if df is None:
        reason = "; ".join(str(e) for e in issues.errors) or f"{path}: no such file"
        raise ValueError(reason)
    pop = parse_population(df, path.name, plant.source_crs, plant.crs, set(plant.personnel.index), issues)
    missing = [e for e in issues.errors if e.feature is None]
    if missing:
        raise ValueError("; ".join(str(e) for e in missing))
    people = people_of_plant(plant, pop, seed)
    rejected: dict[str, list[str]] = {}
    for e in issues.errors:
        rejected.setdefault(str(e.feature), []).append(e.message + (f" (field '{e.field}')" if e.field else ""))
    people.rejected = [{"id": k, "code": "bad-row", "reason": "; ".join(v)} for k, v in rejected.items()]
    return people
