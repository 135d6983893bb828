"""Substance identifiers accepted in plant packages: common formulas and CAS registry numbers.

The full physical and toxicological table (molar mass, AEGL/ERPG, LEL) belongs to
the hazard-zone model; this module only answers "is this a substance we can name"
and normalises the spelling, so the loader can reject a typo such as ``H2SS``.
"""

from __future__ import annotations

import re

#: formula or short name → (CAS number, English name, Chinese name)
KNOWN_SUBSTANCES: dict[str, tuple[str, str, str]] = {
    "H2S": ("7783-06-4", "hydrogen sulfide", "硫化氢"),
    "NH3": ("7664-41-7", "ammonia", "氨"),
    "Cl2": ("7782-50-5", "chlorine", "氯气"),
    "CO": ("630-08-0", "carbon monoxide", "一氧化碳"),
    "SO2": ("7446-09-5", "sulfur dioxide", "二氧化硫"),
    "HCN": ("74-90-8", "hydrogen cyanide", "氰化氢"),
    "LPG": ("68476-85-7", "liquefied petroleum gas", "液化石油气"),
    "CH4": ("74-82-8", "methane", "甲烷"),
    "H2": ("1333-74-0", "hydrogen", "氢气"),
    "HCl": ("7647-01-0", "hydrogen chloride", "氯化氢"),
    "HF": ("7664-39-3", "hydrogen fluoride", "氟化氢"),
    "NO2": ("10102-44-0", "nitrogen dioxide", "二氧化氮"),
    "C2H4": ("74-85-1", "ethylene", "乙烯"),
    "C3H6": ("115-07-1", "propylene", "丙烯"),
    "C3H8": ("74-98-6", "propane", "丙烷"),
    "C4H10": ("106-97-8", "butane", "丁烷"),
    "COCl2": ("75-44-5", "phosgene", "光气"),
    "CH3OH": ("67-56-1", "methanol", "甲醇"),
    "C6H6": ("71-43-2", "benzene", "苯"),
    "C7H8": ("108-88-3", "toluene", "甲苯"),
    "O2": ("7782-44-7", "oxygen", "氧气"),
    "N2": ("7727-37-9", "nitrogen", "氮气"),
}

_BY_UPPER = {k.upper(): k for k in KNOWN_SUBSTANCES}
_BY_CAS = {v[0]: k for k, v in KNOWN_SUBSTANCES.items()}
_CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


def is_valid_cas(text: str) -> bool:
    """True when ``text`` is a well-formed CAS registry number with a correct check digit."""
    m = _CAS_RE.match(text.strip())
    if not m:
        return False
    digits = (m.group(1) + m.group(2))[::-1]
    total = sum((i + 1) * int(d) for i, d in enumerate(digits))
    return total % 10 == int(m.group(3))


def normalise_substance(text: str) -> str | None:
    """The canonical spelling of a substance (``"h2s"`` → ``"H2S"``), a valid CAS number as given
    (or its formula when known), or ``None`` when the text names nothing we recognise."""
    t = text.strip()
    if t.upper() in _BY_UPPER:
        return _BY_UPPER[t.upper()]
    if is_valid_cas(t):
        return _BY_CAS.get(t, t)
    return None
