"""Gaussian plume for continuous and finite-duration releases, with total reflection at the ground.

Continuous (steady state; Turner 1970 eq. 3.1; Crowl & Louvar, "Chemical Process Safety", eq. 5-49):

    C(x, y, z) = Q / (2π u σy σz) · exp(−y²/2σy²) · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]

with Q in g/s, u in m/s, σ in m → C in g/m3; zero upwind (x ≤ 0).

Finite duration (release from t = 0 to Td): the plume is the time integral of Gaussian puffs; with
σx = σy evaluated at the receptor's distance this integrates to (Palazzi et al., "Diffusion from a
steady source of short duration", Atmos. Environ. 16 (1982) 2785; TNO Yellow Book, 3rd ed., §4.5.3)

    C(x, y, z, t) = C_ss(x, y, z) / 2 · [erf((x − u·t')/(√2 σx)) − erf((x − u·t)/(√2 σx))],  t' = max(t − Td, 0)

which tends to C_ss as Td, t → ∞. The peak over time at distance x is reached at t = x/u + Td/2 and
equals C_ss · erf(u·Td / (2√2 σx)).
"""

from __future__ import annotations

import numpy as np
from scipy.special import erf

SQRT2 = float(np.sqrt(2.0))


def plume_vertical(z, h, sz):  # type: ignore[no-untyped-def]
    """The vertical factor exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²) (dimensionless; ground reflection)."""
    return np.exp(-0.5 * ((z - h) / sz) ** 2) + np.exp(-0.5 * ((z + h) / sz) ** 2)


def plume_concentration(q_g_s: float, u: float, x, y, z, h: float, sy, sz):  # type: ignore[no-untyped-def]
    """Steady-state concentration (g/m3) of a continuous point release of ``q_g_s`` g/s at height ``h``
    (m) in a wind ``u`` (m/s), at receptors (x downwind, y crosswind, z height; m) with the σ's (m) of
    each receptor's x. Zero where x ≤ 0 (upwind)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        c = (q_g_s / (2.0 * np.pi * u * sy * sz) * np.exp(-0.5 * (np.asarray(y) / sy) ** 2)
             * plume_vertical(np.asarray(z, dtype=float), h, sz))
    return np.where(x > 0, np.nan_to_num(c, nan=0.0), 0.0)


def finite_duration_factor(x, u: float, t, duration_s: float, sx):  # type: ignore[no-untyped-def]
    """The Palazzi factor (0–1) that turns the steady plume into a release lasting ``duration_s`` s,
    observed at time ``t`` (s) after the release started; ``duration_s = inf`` gives a continuous release
    switched on at t = 0."""
    x = np.asarray(x, dtype=float)
    t = np.asarray(t, dtype=float)
    t_end = np.maximum(t - duration_s, 0.0) if np.isfinite(duration_s) else np.zeros_like(t)
    with np.errstate(invalid="ignore", divide="ignore"):
        f = 0.5 * (erf((x - u * t_end) / (SQRT2 * sx)) - erf((x - u * t) / (SQRT2 * sx)))
    return np.where(x > 0, np.nan_to_num(f, nan=0.0), 0.0)


def finite_duration_peak(x, u: float, duration_s: float, sx, t_max: float = np.inf):  # type: ignore[no-untyped-def]
    """The largest Palazzi factor over 0 ≤ t ≤ ``t_max`` at distance x (the factor is unimodal in t, with
    its maximum at t = x/u + Td/2, so clipping that time to the window gives the window's maximum)."""
    x = np.asarray(x, dtype=float)
    t_star = np.clip(x / u + 0.5 * duration_s, 0.0, t_max)
    return finite_duration_factor(x, u, t_star, duration_s, sx)
