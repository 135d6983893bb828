"""The substance library: every chemical on China's list of hazardous chemicals under key supervision
(重点监管的危险化学品名录: first batch, 安监总管三〔2011〕95号, 60 entries; second batch,
安监总管三〔2013〕12号, 14 entries) plus common industrial toxics and flammables — as data, each value
with its source and revision.

Four tables in ``data/substances/`` (UTF-8 CSV):

* ``substances.csv`` — identity: key, CAS number, formula, Chinese and English names, aliases, the batch and
  number on the supervised list, a surrogate CAS for mixtures, a note;
* ``properties.csv`` — physical properties generated from the ChEDL ``chemicals`` package by
  :mod:`gis.hazards.library_build` (never edited by hand; a test rebuilds and compares it);
* ``manual_properties.csv`` — values ``chemicals`` does not have (mixtures such as LPG, pool-fire burning
  rates), typed with their source; they take precedence over generated ones for the same field;
* ``thresholds.csv`` — 60-minute AEGL-1/2/3 (US EPA), ERPG-1/2/3 (AIHA) and PAC-1/2/3 (US DOE) values as
  published (ppm or mg/m3), typed by hand with source and revision; a ``pending`` row marks an acutely toxic
  substance whose thresholds are not yet transcribed, so the model warns instead of silently drawing
  flammable zones only. ``reviewed_by`` is empty until a safety engineer has checked the row against the
  cited table.

Lookup (:meth:`Library.lookup`) accepts the key, the Chinese or English name, an alias, a CAS number or a
formula (when only one substance has it), in any case and in full- or half-width characters.
"""

from __future__ import annotations

import csv
import difflib
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

from gis.substances import Identity, NameIndex, fold, read_identities

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "substances"
#: molar volume of an ideal gas at 25 °C and 101 325 Pa, L/mol — the mg/m3 ↔ ppm conversion of the tables
MOLAR_VOLUME_L = 8.314462618 * 298.15 / 101325.0 * 1000.0
GUIDELINE_ORDER = ("AEGL", "ERPG", "PAC")


class UnknownSubstanceError(ValueError):
    """A name the library does not know, or an ambiguous formula (the message lists what would fit)."""


@dataclass(frozen=True)
class Sourced:
    """One value with its unit, where it comes from and which revision of that source."""

    value: float
    unit: str
    source: str
    revision: str

    def to_dict(self) -> dict:
        """JSON-ready ``{"value", "unit", "source", "revision"}``."""
        return {"value": self.value, "unit": self.unit, "source": self.source, "revision": self.revision}


@dataclass(frozen=True)
class Thresholds:
    """One guideline family for one substance: the three levels in ppm (None where not established or "not
    recommended"), the values as published (``unit``: ppm or mg/m3), source, revision, note, reviewer."""

    guideline: str
    ppm: tuple[float | None, float | None, float | None]
    published: tuple[float | None, float | None, float | None]
    unit: str
    source: str
    revision: str
    note: str = ""
    reviewed_by: str = ""

    def to_dict(self) -> dict:
        """JSON-ready record with ``level1_ppm`` … ``level3_ppm`` and the published values."""
        return {"guideline": self.guideline, "level1_ppm": self.ppm[0], "level2_ppm": self.ppm[1],
                "level3_ppm": self.ppm[2], "published": list(self.published), "unit": self.unit,
                "source": self.source, "revision": self.revision, "note": self.note,
                "reviewed_by": self.reviewed_by or None}


@dataclass(frozen=True)
class LibraryEntry:
    """One substance of the library (identity, sourced properties, toxic thresholds)."""

    key: str
    cas: str
    formula: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    supervised: tuple[int, int] | None  # (batch, number) on 重点监管的危险化学品名录
    surrogate_cas: str
    note: str
    properties: dict[str, Sourced] = field(default_factory=dict)
    thresholds: tuple[Thresholds, ...] = ()
    toxic_pending: str = ""

    def value(self, name: str) -> float | None:
        """The value of property ``name`` in SI units, or None when the library has none."""
        p = self.properties.get(name)
        return None if p is None else p.value

    def guideline(self) -> Thresholds | None:
        """The thresholds the model uses: AEGL if recorded, else ERPG, else PAC (None when none)."""
        for fam in GUIDELINE_ORDER:
            for t in self.thresholds:
                if t.guideline == fam:
                    return t
        return None

    def label(self, lang: str = "en") -> str:
        """``硫化氢 (H2S)`` / ``hydrogen sulfide (H2S)`` — the name a person reads."""
        name = self.name_zh if lang.lower().startswith("zh") else self.name_en
        return f"{name} ({self.key})"

    def to_dict(self) -> dict:
        """JSON-ready record: identity, every property with its source, thresholds, the guideline used."""
        g = self.guideline()
        return {"key": self.key, "cas": self.cas, "formula": self.formula or None, "name_zh": self.name_zh,
                "name_en": self.name_en, "aliases": list(self.aliases),
                "supervised": ({"batch": self.supervised[0], "number": self.supervised[1]}
                               if self.supervised else None),
                "surrogate_cas": self.surrogate_cas or None, "note": self.note or None,
                "properties": {k: v.to_dict() for k, v in self.properties.items()},
                "thresholds": [t.to_dict() for t in self.thresholds],
                "guideline_used": g.guideline if g else None,
                "toxic_thresholds_pending": self.toxic_pending or None}


def _num(text: str, where: str) -> float | None:
    t = text.strip()
    if not t:
        return None
    v = float(t)
    if not math.isfinite(v):
        raise ValueError(f"{where}: {text!r} is not a finite number")
    return v


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _thresholds(row: dict[str, str], mw_kg: float | None, where: str) -> Thresholds:
    pub = tuple(_num(row[f"level{i}"], f"{where} level{i}") for i in (1, 2, 3))
    unit = row["unit"].strip()
    if unit == "ppm":
        ppm = pub
    elif unit == "mg/m3":
        if mw_kg is None:
            raise ValueError(f"{where}: mg/m3 thresholds need a molar mass")
        ppm = tuple(None if v is None else v * MOLAR_VOLUME_L / (mw_kg * 1000.0) for v in pub)
    else:
        raise ValueError(f"{where}: unit must be ppm or mg/m3, got {unit!r}")
    return Thresholds(row["guideline"].strip(), ppm, pub, unit, row["source"].strip(), row["revision"].strip(),
                      row["note"].strip(), row.get("reviewed_by", "").strip())


class Library:
    """The loaded tables with a name index (see :meth:`lookup`)."""

    def __init__(self, entries: dict[str, LibraryEntry]):
        self.entries = entries
        self.index = NameIndex({k: Identity(e.key, e.cas, e.formula, e.name_zh, e.name_en, e.aliases, e.supervised)
                                for k, e in entries.items()})

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries.values())

    def find(self, text: str) -> LibraryEntry | None:
        """The entry ``text`` names, or None (ambiguous formulas give None too)."""
        key = self.index.key_of(text)
        return self.entries.get(key) if key else None

    def lookup(self, text: str) -> LibraryEntry:
        """The entry ``text`` names (key, Chinese/English name, alias, CAS, unique formula).

        Raises :class:`UnknownSubstanceError` with the closest names, or the candidates of an ambiguous
        formula, so the user sees what to type instead."""
        hit = self.find(text)
        if hit is not None:
            return hit
        f = fold(text) if text is not None else ""
        if f in self.index.ambiguous:
            opts = "; ".join(f"{self.entries[k].name_en} {self.entries[k].name_zh} ({self.entries[k].cas})"
                             for k in self.index.ambiguous[f])
            raise UnknownSubstanceError(f"formula {text!r} is ambiguous: {opts} — give the name or the CAS number")
        close = difflib.get_close_matches(f, list(self.index.names), n=4, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownSubstanceError(
            f"unknown substance {text!r}{hint} (give a Chinese or English name, formula or CAS number, e.g. H2S, "
            f"硫化氢, 7783-06-4; `commandcenter substances list` shows all {len(self.entries)})")

    def search(self, text: str, limit: int = 20) -> list[LibraryEntry]:
        """Entries whose key, names, aliases, CAS or formula contain ``text`` (for a search box), exact first."""
        f = fold(text)
        if not f:
            return []
        exact = self.find(text)
        out = [exact] if exact else []
        for e in self.entries.values():
            if e in out:
                continue
            names = (e.key, e.cas, e.formula, e.name_zh, e.name_en, *e.aliases)
            if any(f in fold(n) for n in names if n):
                out.append(e)
            if len(out) >= limit:
                break
        return out


def load_library(data_dir: Path | None = None) -> Library:
    """Read the four tables of ``data_dir`` (default ``data/substances``) into a :class:`Library`.

    Raises ValueError naming the file, the row and the field of a malformed value."""
    d = Path(data_dir) if data_dir is not None else DATA_DIR
    idents = read_identities(d / "substances.csv")
    props: dict[str, dict[str, Sourced]] = {}
    for fname in ("properties.csv", "manual_properties.csv"):  # manual rows override generated ones
        for i, r in enumerate(_read(d / fname), start=2):
            v = _num(r["value"], f"{fname} line {i} ({r['key']} {r['field']})")
            if v is None:
                raise ValueError(f"{fname} line {i}: empty value for {r['key']} {r['field']}")
            props.setdefault(r["key"], {})[r["field"]] = Sourced(v, r["unit"], r["source"], r["revision"])
    thr_rows = _read(d / "thresholds.csv")
    notes = {r["key"].strip(): (r["surrogate_cas"].strip(), r["note"].strip()) for r in _read(d / "substances.csv")}
    entries: dict[str, LibraryEntry] = {}
    for key, ident in idents.items():
        mw = props.get(key, {}).get("molar_mass")
        thr, pending = [], ""
        for j, t in enumerate(thr_rows, start=2):
            if t["key"].strip() != key:
                continue
            if t["guideline"].strip() == "pending":
                pending = t["note"].strip() or "thresholds not yet transcribed"
                continue
            thr.append(_thresholds(t, mw.value if mw else None, f"thresholds.csv line {j} ({key})"))
        extra = notes.get(key, ("", ""))
        entries[key] = LibraryEntry(
            key=key, cas=ident.cas, formula=ident.formula, name_zh=ident.name_zh, name_en=ident.name_en,
            aliases=ident.aliases, supervised=ident.supervised, surrogate_cas=extra[0], note=extra[1],
            properties=props.get(key, {}), thresholds=tuple(thr), toxic_pending=pending)
    unknown = (set(props) | {t["key"].strip() for t in thr_rows}) - set(entries)
    if unknown:
        raise ValueError(f"values for keys missing from substances.csv: {', '.join(sorted(unknown))}")
    return Library(entries)


@functools.lru_cache(maxsize=1)
def library() -> Library:
    """The bundled library (loaded once per process)."""
    return load_library()

