"""Dispersion coefficients σy, σz (m) as functions of downwind distance x (m).

* ``briggs_rural`` / ``briggs_urban``: Briggs (1973) open-country and urban formulas, as tabulated in
  Hanna, Briggs & Hosker, "Handbook on Atmospheric Diffusion" (DOE/TIC-11223, 1982), Table 4.5, and in
  CCPS "Guidelines for Consequence Analysis of Chemical Releases" (1999), Table 2.13. Intended for
  100 m < x < 10 km; used here from 1 m (extrapolated, as ALOHA does) with a warning below 100 m.
* ``pasquill_gifford``: the Pasquill–Gifford curves of Turner's workbook (1970, Figs. 3-2, 3-3) in the
  analytic form of the EPA ISC3 model (User's Guide vol. II, EPA-454/B-95-003b, 1995, Tables 1-1, 1-2):
  σy = 465.11628·x·tan(0.017453293·(c − d ln x)), σz = a·x^b with x in km. Used to reproduce the
  workbook's examples; the CLI uses Briggs.
"""

from __future__ import annotations

import numpy as np

_RURAL = {  # σy = a x (1 + b x)^-1/2 ; σz = c x (1 + d x)^e
    "A": (0.22, 1e-4, 0.20, 0.0, 0.0), "B": (0.16, 1e-4, 0.12, 0.0, 0.0),
    "C": (0.11, 1e-4, 0.08, 2e-4, -0.5), "D": (0.08, 1e-4, 0.06, 1.5e-3, -0.5),
    "E": (0.06, 1e-4, 0.03, 3e-4, -1.0), "F": (0.04, 1e-4, 0.016, 3e-4, -1.0),
}
_URBAN = {
    "A": (0.32, 4e-4, 0.24, 1e-3, 0.5), "B": (0.32, 4e-4, 0.24, 1e-3, 0.5),
    "C": (0.22, 4e-4, 0.20, 0.0, 0.0), "D": (0.16, 4e-4, 0.14, 3e-4, -0.5),
    "E": (0.11, 4e-4, 0.08, 1.5e-3, -0.5), "F": (0.11, 4e-4, 0.08, 1.5e-3, -0.5),
}
_PG_Y = {"A": (24.1670, 2.5334), "B": (18.3330, 1.8096), "C": (12.5000, 1.0857),
         "D": (8.3330, 0.72382), "E": (6.2500, 0.54287), "F": (4.1667, 0.36191)}
# (upper bound of x in km, a, b); the last row holds beyond
_PG_Z = {
    "A": ((0.10, 122.800, 0.94470), (0.15, 158.080, 1.05420), (0.20, 170.220, 1.09320), (0.25, 179.520, 1.12620),
          (0.30, 217.410, 1.26440), (0.40, 258.890, 1.40940), (0.50, 346.750, 1.72830),
          (3.11, 453.850, 2.11660), (np.inf, np.nan, np.nan)),
    "B": ((0.20, 90.673, 0.93198), (0.40, 98.483, 0.98332), (np.inf, 109.300, 1.09710)),
    "C": ((np.inf, 61.141, 0.91465),),
    "D": ((0.30, 34.459, 0.86974), (1.00, 32.093, 0.81066), (3.00, 32.093, 0.64403), (10.0, 33.504, 0.60486),
          (30.0, 36.650, 0.56589), (np.inf, 44.053, 0.51179)),
    "E": ((0.10, 24.260, 0.83660), (0.30, 23.331, 0.81956), (1.00, 21.628, 0.75660), (2.00, 21.628, 0.63077),
          (4.00, 22.534, 0.57154), (10.0, 24.703, 0.50527), (20.0, 26.970, 0.46713), (40.0, 35.420, 0.37615),
          (np.inf, 47.618, 0.29592)),
    "F": ((0.20, 15.209, 0.81558), (0.70, 14.457, 0.78407), (1.00, 13.953, 0.68465), (2.00, 13.953, 0.63227),
          (3.00, 14.823, 0.54503), (7.00, 16.187, 0.46490), (15.0, 17.836, 0.41507), (30.0, 22.651, 0.32681),
          (60.0, 27.074, 0.27436), (np.inf, 34.219, 0.21716)),
}
SCHEMES = ("rural", "urban", "pasquill_gifford")


def _briggs(table: dict, cls: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b, c, d, e = table[cls]
    sy = a * x / np.sqrt(1.0 + b * x)
    sz = c * x * (1.0 + d * x) ** e
    return sy, sz


def _pasquill_gifford(cls: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xk = x / 1000.0
    c, d = _PG_Y[cls]
    with np.errstate(divide="ignore", invalid="ignore"):
        sy = 465.11628 * xk * np.tan(0.017453293 * (c - d * np.log(xk)))
        rows = _PG_Z[cls]
        bounds = np.array([r[0] for r in rows])
        i = np.minimum(np.searchsorted(bounds, xk, side="left"), len(rows) - 1)
        a = np.array([r[1] for r in rows])[i]
        b = np.array([r[2] for r in rows])[i]
        sz = a * xk ** b
    sz = np.where(np.isnan(a), 5000.0, np.minimum(sz, 5000.0))
    return sy, sz


def sigmas(x, stability: str, scheme: str = "rural") -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """σy and σz in metres at downwind distances ``x`` (m, array-like, > 0) for a class A–F and a scheme
    (``rural``/``urban`` Briggs, or ``pasquill_gifford``). Non-positive x gives NaN."""
    xa = np.asarray(x, dtype=float)
    safe = np.where(xa > 0, xa, np.nan)
    if scheme == "rural":
        return _briggs(_RURAL, stability, safe)
    if scheme == "urban":
        return _briggs(_URBAN, stability, safe)
    if scheme == "pasquill_gifford":
        return _pasquill_gifford(stability, safe)
    raise ValueError(f"unknown sigma scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
