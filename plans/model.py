"""The plan model: frozen dataclasses built by :mod:`plans.validation` from a YAML plan file.

Times are seconds after launch (or after the level was raised, for tasks added by a raise);
distances in metres. Every human text is a :class:`Text` with Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plans.vocabulary import LEVELS, level_rank


@dataclass(frozen=True)
class Text:
    """A human text in Chinese (``zh``) and English (``en``)."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("zh…" → Chinese, anything else → English)."""
        return self.zh if lang.lower().startswith("zh") else self.en

    def to_dict(self) -> dict[str, str]:
        """``{"zh": …, "en": …}``."""
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Trigger:
    """When a plan is proposed: a sensor condition (kind, substance, threshold in ``unit``, at least
    ``min_detectors`` distinct detectors at or above it — or at or below, with ``comparison: "<="`` —
    for ``duration_s``) or ``manual``."""

    id: str
    kind: str  # "sensor" | "manual"
    level: str
    auto_launch: bool
    description: Text
    sensor_kind: str | None = None
    substance: str | None = None
    threshold: float | None = None
    unit: str | None = None
    min_detectors: int = 1
    duration_s: float = 0.0
    comparison: str = ">="  # ">=" (gas, heat, flame, smoke) or "<=" (oxygen depletion)

    def meets(self, value: float) -> bool:
        """True when a reading of ``value`` is on the alarm side of the threshold."""
        return value >= self.threshold if self.comparison == ">=" else value <= self.threshold


@dataclass(frozen=True)
class Evacuation:
    """Who leaves: ``none``, the incident ``zone``, everyone within ``radius_m`` metres, or the whole ``site``."""

    scope: str
    radius_m: float | None = None


@dataclass(frozen=True)
class LevelSpec:
    """One response level: commander roles in order of preference, roles notified, evacuation,
    outside agencies (contact ids) to call."""

    level: str
    commander: tuple[str, ...]
    notify: tuple[str, ...]
    evacuation: Evacuation
    agencies: tuple[str, ...]
    description: Text


@dataclass(frozen=True)
class ResourceNeed:
    """A resource kind (plant-format vocabulary) and how many of it a task needs."""

    kind: str
    quantity: int = 1


@dataclass(frozen=True)
class Task:
    """One step: done by ``role`` (or, when nobody with it is on shift, the ``alternates`` in order),
    applying from ``level`` upward, due ``deadline_s`` seconds after launch."""

    id: str
    title: Text
    role: str
    level: str
    deadline_s: float
    alternates: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    qualifications: tuple[str, ...] = ()
    resources: tuple[ResourceNeed, ...] = ()
    checklist: tuple[Text, ...] = ()
    evidence: tuple[Text, ...] = ()

    @property
    def roles(self) -> tuple[str, ...]:
        """The role then its alternates, in order of preference."""
        return (self.role, *self.alternates)


@dataclass(frozen=True)
class Contact:
    """Someone to call: an agency (119/120/110), an authority, an internal desk or an outside party."""

    id: str
    name: Text
    phone: str
    kind: str


@dataclass(frozen=True)
class Supply:
    """A supply the plan relies on (resource kind, quantity, note)."""

    kind: str
    quantity: int
    note: Text | None = None


@dataclass(frozen=True)
class Reporting:
    """A legal reporting duty: tell ``authority`` (a contact id) within ``deadline_s`` of launch, from
    ``level`` upward; the engine turns it into a task for ``role``."""

    id: str
    authority: str
    level: str
    deadline_s: float
    role: str
    alternates: tuple[str, ...]
    description: Text


@dataclass(frozen=True)
class Plan:
    """A validated emergency plan (one YAML file)."""

    id: str
    version: int
    title: Text
    plan_type: str
    category: str
    scenario: str
    summary: Text
    substances: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    levels: dict[str, LevelSpec]
    tasks: tuple[Task, ...]
    contacts: tuple[Contact, ...]
    supplies: tuple[Supply, ...]
    notice_template: Text
    reporting: tuple[Reporting, ...]
    escalation_s: float = 120.0
    command_ack_s: float = 120.0
    source: Path | None = field(default=None, compare=False)

    @property
    def level_names(self) -> list[str]:
        """The levels this plan defines, in order (a subset of L1–L4)."""
        return [lv for lv in LEVELS if lv in self.levels]

    def tasks_at(self, level: str) -> list[Task]:
        """Tasks that apply at ``level`` (those whose own level is at or below it), in file order."""
        r = level_rank(level)
        return [t for t in self.tasks if level_rank(t.level) <= r]

    def contact(self, contact_id: str) -> Contact | None:
        """The contact with this id, or None."""
        return next((c for c in self.contacts if c.id == contact_id), None)

    def render_notice(self, lang: str, **values: object) -> str:
        """The external notice in ``lang`` with placeholders ({place}, {substance}, {time},
        {casualties}, {level}, {plant}) filled; missing values read "—"."""
        fill = {k: "—" for k in ("place", "substance", "time", "casualties", "level", "plant")}
        fill.update({k: str(v) for k, v in values.items()})
        return self.notice_template.get(lang).format(**fill)
