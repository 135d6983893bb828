"""Gaussian puff for an instantaneous release, with total reflection at the ground.

Crowl & Louvar, "Chemical Process Safety" (3rd ed.), eq. 5-58; TNO Yellow Book §4.5.3:

    C(x, y, z, t) = M / ((2π)^3/2 σx σy σz) · exp(−(x − u t)²/2σx²) · exp(−y²/2σy²)
                    · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]

M in g → C in g/m3. The σ's are taken at the travel distance of the puff centre (u·t), with σx = σy
(the usual assumption; instantaneous-release σ's are not tabulated for Briggs' scheme, so the plume
σ's are used, as in ALOHA's Gaussian puff — stated as a limitation in docs/hazards.md). The integral
over the half space z ≥ 0 equals M (mass conservation, tested).
"""

from __future__ import annotations

import numpy as np

from gis.hazards.plume import plume_vertical


def puff_concentration(m_g: float, u: float, t, x, y, z, h: float, sx, sy, sz):  # type: ignore[no-untyped-def]
    """Concentration (g/m3) at time ``t`` (s) of a puff of ``m_g`` grams released at t = 0 at height h (m),
    carried by the wind u (m/s), at receptors (x, y, z in m) with the σ's (m) of the puff at time t."""
    x = np.asarray(x, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        c = (m_g / ((2.0 * np.pi) ** 1.5 * sx * sy * sz) * np.exp(-0.5 * ((x - u * np.asarray(t)) / sx) ** 2)
             * np.exp(-0.5 * (np.asarray(y) / sy) ** 2) * plume_vertical(np.asarray(z, dtype=float), h, sz))
    return np.nan_to_num(c, nan=0.0)


def puff_peak(m_g: float, x, y, z, h: float, sx, sy, sz):  # type: ignore[no-untyped-def]
    """The puff's passing peak (g/m3) at receptors (the centre over x, at t = x/u), σ's at distance x."""
    x = np.asarray(x, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        c = (m_g / ((2.0 * np.pi) ** 1.5 * sx * sy * sz) * np.exp(-0.5 * (np.asarray(y) / sy) ** 2)
             * plume_vertical(np.asarray(z, dtype=float), h, sz))
    return np.where(x > 0, np.nan_to_num(c, nan=0.0), 0.0)
