"""Why an assessment input is refused, in words a duty officer can act on, in Chinese and English.

Every refusal has a stable ``code`` (tests and the window match on it, not on text), the ``field`` it is
about (the window highlights that input), and a message in both languages that says what is wrong and what
to change. Validators collect every problem at once (the pattern of :mod:`gis.issues`), so the user fixes
the whole form in one go; :class:`HazardInputError` carries them through code that expects a ValueError.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    """One refused input: code, field, and the message (what is wrong + what to change) in zh and en."""

    code: str
    field: str
    zh: str
    en: str

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("zh…" → Chinese, anything else → English)."""
        return self.zh if lang.lower().startswith("zh") else self.en

    def to_dict(self) -> dict[str, str]:
        """JSON-ready ``{"code", "field", "zh", "en"}``."""
        return {"code": self.code, "field": self.field, "zh": self.zh, "en": self.en}


class HazardInputError(ValueError):
    """One or more refused inputs; ``str()`` is the English messages joined (for the CLI), ``refusals``
    the full list (for the window, in the UI language)."""

    def __init__(self, refusals: list[Refusal]):
        self.refusals = list(refusals)
        super().__init__("; ".join(r.en for r in self.refusals))

    def text(self, lang: str = "en") -> str:
        """All messages in ``lang``, one per line."""
        return "\n".join(r.text(lang) for r in self.refusals)


def raise_if(refusals: list[Refusal]) -> None:
    """Raise :class:`HazardInputError` when ``refusals`` is not empty."""
    if refusals:
        raise HazardInputError(refusals)


def check_number(field: str, value: float | None, lo: float, hi: float, unit: str, label_zh: str, label_en: str,
                 *, required: bool = True, lo_open: bool = False) -> Refusal | None:
    """A refusal when ``value`` is missing (and required), not a finite number, or outside [lo, hi]
    (``lo_open``: lo itself excluded); None when it is fine."""
    rng_en = f"{'more than ' if lo_open else ''}{lo:g} to {hi:g} {unit}".strip()
    rng_zh = f"{'大于 ' if lo_open else ''}{lo:g}–{hi:g} {unit}".strip()
    if value is None:
        if not required:
            return None
        return Refusal("missing", field, f"请填写{label_zh}（{rng_zh}）。", f"Enter the {label_en} ({rng_en}).")
    try:
        v = float(value)
    except (TypeError, ValueError):
        return Refusal("not-a-number", field, f"{label_zh}必须是数字，收到 {value!r}。请输入 {rng_zh}。",
                       f"The {label_en} must be a number, got {value!r}. Enter {rng_en}.")
    if not math.isfinite(v):
        return Refusal("not-finite", field, f"{label_zh}必须是有限数值，收到 {value!r}。请输入 {rng_zh}。",
                       f"The {label_en} must be a finite number, got {value!r}. Enter {rng_en}.")
    if v < lo or v > hi or (lo_open and v == lo):
        return Refusal("out-of-range", field, f"{label_zh} {v:g} {unit} 超出范围。请输入 {rng_zh}。",
                       f"The {label_en} {v:g} {unit} is out of range. Enter {rng_en}.")
    return None


def explain(exc: BaseException) -> list[Refusal]:
    """The refusals behind an exception raised by the hazard model, for the window: a
    :class:`HazardInputError` gives its own; the substance and stability errors get a bilingual message
    with what to change; anything else is wrapped (English text, with a Chinese lead-in)."""
    from gis.hazards.library import UnknownSubstanceError
    from gis.hazards.stability import StabilityError
    from gis.hazards.substances import SubstanceNotModelled

    if isinstance(exc, HazardInputError):
        return list(exc.refusals)
    msg = str(exc)
    if isinstance(exc, SubstanceNotModelled):
        return [Refusal("substance-not-modelled", "substance",
                        f"该物质不能按气体扩散计算：{msg}。请选择其释放的有毒/可燃气体（如氰化钠→氰化氢）或使用火灾爆炸计算。",
                        f"{msg}. Choose the toxic or flammable gas it releases (e.g. sodium cyanide → HCN) or use "
                        "the fire/explosion tools.")]
    if isinstance(exc, UnknownSubstanceError):
        return [Refusal("substance-unknown", "substance",
                        f"物质库中找不到该物质：{msg}。"
                        "请输入中文名、英文名、分子式或CAS号（如 硫化氢、H2S、7783-06-4）。",
                        f"{msg}.")]
    if isinstance(exc, StabilityError):
        return [Refusal("stability-contradicts", "stability",
                        f"稳定度等级与气象条件矛盾：{msg}。请清空稳定度，由系统按时间、云量和风速推算。",
                        f"{msg}. Leave the stability class empty and let it be derived from the time, cloud "
                        "cover and wind.")]
    return [Refusal("model-refused", "", f"模型拒绝计算：{msg}", msg)]
