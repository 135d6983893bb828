"""The emergency inventory of a plant: every item of its ``resources`` layer with quantity, state, expiry
and inspection, and the warnings a safety engineer wants at load (expired, expiring, overdue, not ready).

The plant format gives ``id, kind, quantity, expires``; this module also reads, when present, the
attributes a maintenance system exports beside them (kept by the loader as extra attributes):

- ``state``: ``ready`` (default), ``in_use``, ``maintenance``, ``out_of_service``, ``missing``;
- ``inspected``: the date of the last inspection (ISO date);
- ``inspection_days``: the inspection interval in days (default by kind, see :data:`INSPECTION_DAYS`);
- ``next_inspection``: the date the next inspection is due (wins over ``inspected + interval``).

An item is *expired* after its ``expires`` date (the date is the last day it may be used) and
*expiring* when that day is less than :data:`EXPIRY_NOTICE_DAYS` away. Dates are the plant's local
dates; the caller passes ``today`` (no wall clock here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import shapely

from gis import schema
from gis.issues import Issue, IssueCollector

STATES: tuple[str, ...] = ("ready", "in_use", "maintenance", "out_of_service", "missing")
EXPIRY_NOTICE_DAYS = 30
MAX_INSPECTION_DAYS = 3660

#: Default inspection intervals (days) for kinds a standard sets one for.
#: extinguisher: NFPA 10 (2022) §7.2.1.2, "at intervals of approximately 30 days" (GB 50444-2008 §5.2.1
#: likewise monthly); scba: OSHA 29 CFR 1910.134(h)(2)(i)(B), respirators for emergency use "at least
#: monthly"; eyewash: ANSI/ISEA Z358.1-2014 §5.5.2 / §6.5.2, activated weekly; hydrant: NFPA 25 (2023)
#: §7.2.2.4, hydrants inspected annually. Other kinds have no default: give ``inspection_days``.
INSPECTION_DAYS: dict[str, int] = {"extinguisher": 30, "scba": 31, "eyewash": 7, "hydrant": 365}

_STATE = schema.Field("state", "enum", default="ready", choices=STATES)
_INSPECTED = schema.Field("inspected", "date")
_NEXT = schema.Field("next_inspection", "date")
_DAYS = schema.Field("inspection_days", "int", minimum=1)
_SOURCE = "resources"


def _text(v: object) -> str:
    return "" if schema.is_missing(v) else str(v).strip()


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@dataclass
class Inventory:
    """Parallel arrays over the items of a plant's ``resources`` layer (plant CRS, metres).

    ``quantity`` is the stock on the shelf (units); ``state`` one of :data:`STATES`; ``expires`` and
    ``inspection_due`` dates or None; ``issues`` the warnings found at load (:class:`gis.issues.Issue`,
    each with a stable ``code``: ``expired``, ``expiring``, ``inspection-overdue``, ``not-ready``,
    ``empty``, ``no-inspection-record``).
    """

    ids: np.ndarray
    kinds: np.ndarray
    names: list[str]
    names_en: list[str]
    quantity: np.ndarray
    state: np.ndarray
    expires: list[dt.date | None]
    inspected: list[dt.date | None]
    inspection_due: list[dt.date | None]
    xy: np.ndarray
    today: dt.date
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.row = {rid: i for i, rid in enumerate(self.ids.tolist())}

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def expired(self) -> np.ndarray:
        """Items past their expiry date (on :attr:`today`)."""
        return np.array([e is not None and e < self.today for e in self.expires], dtype=bool)

    @property
    def overdue(self) -> np.ndarray:
        """Items whose inspection was due before :attr:`today`."""
        return np.array([d is not None and d < self.today for d in self.inspection_due], dtype=bool)

    @property
    def usable(self) -> np.ndarray:
        """Items that may be handed out: ready and not expired (an overdue inspection is warned, not blocked:
        the item is most likely fine and an emergency is no time to withhold it)."""
        return (self.state == "ready") & ~self.expired

    def of_kind(self, kind: str | None) -> np.ndarray:
        """Rows of one kind (every row when ``kind`` is None)."""
        return np.arange(len(self)) if kind is None else np.flatnonzero(self.kinds == kind)

    def item(self, i: int, available: float | None = None) -> dict[str, object]:
        """Row ``i`` as a JSON-ready dict (``available``: units free now, default the shelf quantity when usable)."""
        avail = (int(self.quantity[i]) if self.usable[i] else 0) if available is None else available
        return {
            "id": str(self.ids[i]), "kind": str(self.kinds[i]), "name": self.names[i], "name_en": self.names_en[i],
            "quantity": int(self.quantity[i]), "available": avail, "state": str(self.state[i]),
            "expires": self.expires[i].isoformat() if self.expires[i] else None,
            "inspected": self.inspected[i].isoformat() if self.inspected[i] else None,
            "inspection_due": self.inspection_due[i].isoformat() if self.inspection_due[i] else None,
            "x": float(self.xy[i, 0]), "y": float(self.xy[i, 1]),
            "warnings": [w.code for w in self.issues if w.feature == str(self.ids[i])],
        }


def load_inventory(plant, today: dt.date) -> Inventory:
    """The inventory of a loaded :class:`gis.plant.Plant` on the local date ``today``.

    Raises :class:`gis.issues.PlantError` listing every unusable optional attribute (an unknown
    ``state``, a malformed date, an ``inspection_days`` out of 1–3660), each naming the item and field.
    """
    layer = plant.layers["resources"]
    n = len(layer)
    issues = IssueCollector()
    col = {c: (layer[c].tolist() if c in layer.columns else [None] * n)
           for c in ("state", "inspected", "next_inspection", "inspection_days", "name", "name_en", "expires")}
    ids = layer.index.astype(str).to_numpy(object)
    kinds = layer["kind"].astype(str).to_numpy(object) if n else np.zeros(0, object)
    state, inspected, due = [], [], []
    for i, rid in enumerate(ids.tolist()):
        kind = str(kinds[i])
        values = {}
        for f in (_STATE, _INSPECTED, _NEXT, _DAYS):
            try:
                values[f.name] = schema.parse_value(f, col[f.name][i])
            except schema.ValueProblem as exc:
                issues.error("bad-value", _SOURCE, str(exc), rid, f.name)
                values[f.name] = f.default
        days = values["inspection_days"]
        if days is not None and days > MAX_INSPECTION_DAYS:
            issues.error("bad-value", _SOURCE, f"must be at most {MAX_INSPECTION_DAYS} days, got {days}", rid,
                         "inspection_days")
            days = None
        state.append(values["state"])
        last = _date(values["inspected"])
        inspected.append(last)
        interval = days if days is not None else INSPECTION_DAYS.get(kind)
        nxt = _date(values["next_inspection"])
        due.append(nxt if nxt is not None else (last + dt.timedelta(days=interval) if last and interval else None))
    issues.raise_if_errors({"resources": n})
    expires = [_date(_text(v)[:10]) if _text(v) else None for v in col["expires"]]
    names = [_text(v) for v in col["name"]]
    names_en = [_text(v) or names[i] for i, v in enumerate(col["name_en"])]
    xy = shapely.get_coordinates(layer.geometry.values) if n else np.zeros((0, 2))
    inv = Inventory(ids, kinds, names, names_en, layer["quantity"].to_numpy(np.int64) if n else np.zeros(0, np.int64),
                    np.asarray(state, dtype=object), expires, inspected, due, xy, today)
    inv.issues = inventory_warnings(inv)
    return inv


def inventory_warnings(inv: Inventory) -> list[Issue]:
    """Every warning about the inventory on ``inv.today``: expired and expiring items, overdue inspections,
    items not ready or empty, and one summary of items of a kind with a required interval but no record."""
    out = IssueCollector()
    today = inv.today
    unrecorded = []
    for i, rid in enumerate(inv.ids.tolist()):
        kind, exp, due = str(inv.kinds[i]), inv.expires[i], inv.inspection_due[i]
        label = f"{kind} {inv.names_en[i] or inv.names[i] or rid}".strip()
        if exp is not None and exp < today:
            out.warn("expired", _SOURCE, f"{label} expired on {exp.isoformat()} ({(today - exp).days} days ago)",
                     rid, "expires")
        elif exp is not None and (exp - today).days < EXPIRY_NOTICE_DAYS:
            out.warn("expiring", _SOURCE, f"{label} expires on {exp.isoformat()} (in {(exp - today).days} days)",
                     rid, "expires")
        if due is not None and due < today:
            out.warn("inspection-overdue", _SOURCE, f"{label}: inspection was due on {due.isoformat()} "
                     f"({(today - due).days} days overdue)", rid, "inspected")
        elif due is None and kind in INSPECTION_DAYS:
            unrecorded.append(rid)
        if inv.state[i] != "ready":
            out.warn("not-ready", _SOURCE, f"{label} is {str(inv.state[i]).replace('_', ' ')}: not counted as "
                     "available", rid, "state")
        if inv.quantity[i] == 0:
            out.warn("empty", _SOURCE, f"{label} has quantity 0", rid, "quantity")
    if unrecorded:
        shown = ", ".join(unrecorded[:5]) + (f" and {len(unrecorded) - 5} more" if len(unrecorded) > 5 else "")
        out.warn("no-inspection-record", _SOURCE, f"{len(unrecorded)} items of a kind with a required inspection "
                 f"interval have no 'inspected' date: {shown}")
    return out.warnings
