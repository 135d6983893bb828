"""Substance names: which chemical a plant package, a plan, a sensor or a user means.

The identity table ``data/substances/substances.csv`` (key, CAS number, formula, Chinese and English names,
aliases, place on China's list of hazardous chemicals under key supervision) is the one list of names; the
physical and toxicological values belong to the hazard library (:mod:`gis.hazards.library`). This module
only answers "is this a substance we can name, and which one", so the loader can reject a typo such as
``H2SS`` and a sensor reading ``硫化氢`` matches a plan trigger on ``H2S``.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

IDENTITY_CSV = Path(__file__).resolve().parent.parent / "data" / "substances" / "substances.csv"
_CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


@dataclass(frozen=True)
class Identity:
    """Who a substance is: canonical key, CAS number, formula, names, aliases, supervised-list place."""

    key: str
    cas: str
    formula: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    supervised: tuple[int, int] | None


def fold(text: str) -> str:
    """The lookup form of a name: NFKC (full-width → half-width), trimmed, inner spaces collapsed, case-folded."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def is_valid_cas(text: str) -> bool:
    """True when ``text`` is a well-formed CAS registry number with a correct check digit."""
    m = _CAS_RE.match(str(text).strip())
    if not m:
        return False
    digits = (m.group(1) + m.group(2))[::-1]
    total = sum((i + 1) * int(d) for i, d in enumerate(digits))
    return total % 10 == int(m.group(3))


class NameIndex:
    """Every name of every identity → key; formulas only when one substance has them (others are listed as
    ambiguous so a caller can say which substances share the formula)."""

    def __init__(self, identities: dict[str, Identity]):
        self.identities = identities
        self.names: dict[str, str] = {}
        formulas: dict[str, list[str]] = {}
        for e in identities.values():
            for name in (e.key, e.cas, e.name_zh, e.name_en, *e.aliases):
                if name:
                    self.names.setdefault(fold(name), e.key)
            if e.formula:
                formulas.setdefault(fold(e.formula), []).append(e.key)
        self.ambiguous: dict[str, list[str]] = {}
        for f, keys in formulas.items():
            if len(keys) == 1:
                self.names.setdefault(f, keys[0])
            elif f not in self.names:
                self.ambiguous[f] = keys

    def key_of(self, text: str) -> str | None:
        """The key ``text`` names, or None (unknown or ambiguous)."""
        return self.names.get(fold(text)) if text is not None else None


def read_identities(path: Path = IDENTITY_CSV) -> dict[str, Identity]:
    """The identity table as key → :class:`Identity` (ValueError naming the line of a bad row)."""
    out: dict[str, Identity] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh), start=2):
            key = (r.get("key") or "").strip()
            if not key or key in out:
                raise ValueError(f"{path.name} line {i}: empty or duplicate key {key!r}")
            cas = r["cas"].strip()
            if not is_valid_cas(cas):
                raise ValueError(f"{path.name} line {i}: {cas!r} is not a valid CAS number")
            batch, number = r["supervised_batch"].strip(), r["supervised_no"].strip()
            out[key] = Identity(key, cas, r["formula"].strip(), r["name_zh"].strip(), r["name_en"].strip(),
                                tuple(a.strip() for a in r["aliases"].split(";") if a.strip()),
                                (int(batch), int(number)) if batch else None)
    return out


@functools.lru_cache(maxsize=1)
def name_index() -> NameIndex:
    """The index of the bundled identity table (built once per process)."""
    return NameIndex(read_identities())


def known_substances() -> dict[str, tuple[str, str, str]]:
    """key → (CAS number, English name, Chinese name) of every substance we can name."""
    return {k: (e.cas, e.name_en, e.name_zh) for k, e in name_index().identities.items()}


def normalise_substance(text: str) -> str | None:
    """The canonical key of a substance (``"h2s"``, ``"硫化氢"``, ``"7783-06-4"`` → ``"H2S"``), a valid CAS
    number we have no record of as given, or ``None`` when the text names nothing we recognise."""
    if text is None:
        return None
    key = name_index().key_of(text)
    if key is not None:
        return key
    t = str(text).strip()
    return t if is_valid_cas(t) else None
