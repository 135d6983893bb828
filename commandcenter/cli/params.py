"""Click parameter types that refuse what no physical input can be: NaN, infinity, out-of-range values.

``click.FLOAT`` accepts ``nan`` and ``inf``; a safety tool that then answers "0 ppm" is worse than one
that refuses. Every number option of the CLI uses :func:`finite` (with the physical range of the
quantity), so the refusal names the option and the allowed range, with exit code 2 (usage).
"""

from __future__ import annotations

import math
from typing import Any

import click


class FiniteFloat(click.ParamType):
    """A float that is finite and within ``[lo, hi]`` (either bound may be open: ``lo_open``/``hi_open``)."""

    name = "number"

    def __init__(self, lo: float | None = None, hi: float | None = None, *, lo_open: bool = False,
                 hi_open: bool = False, unit: str = "") -> None:
        self.lo, self.hi, self.lo_open, self.hi_open, self.unit = lo, hi, lo_open, hi_open, unit

    def _range(self) -> str:
        u = f" {self.unit}" if self.unit else ""
        if self.lo is not None and self.hi is not None:
            return f"{'(' if self.lo_open else '['}{self.lo:g}, {self.hi:g}{')' if self.hi_open else ']'}{u}"
        if self.lo is not None:
            return f"{'>' if self.lo_open else '≥'} {self.lo:g}{u}"
        if self.hi is not None:
            return f"{'<' if self.hi_open else '≤'} {self.hi:g}{u}"
        return "a finite number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        """Parse ``value``; fail with a usage error naming the option for non-numbers, NaN, ±inf or a value
        out of range."""
        if isinstance(value, float) and math.isfinite(value):
            v = value
        else:
            try:
                v = float(str(value).strip())
            except (TypeError, ValueError, OverflowError):
                self.fail(f"{value!r} is not a number", param, ctx)
            if not math.isfinite(v):
                self.fail(f"{value!r} is not a finite number (expected {self._range()})", param, ctx)
        if self.lo is not None and (v < self.lo or (self.lo_open and v == self.lo)):
            self.fail(f"{v:g} is out of range (expected {self._range()})", param, ctx)
        if self.hi is not None and (v > self.hi or (self.hi_open and v == self.hi)):
            self.fail(f"{v:g} is out of range (expected {self._range()})", param, ctx)
        return v


def finite(lo: float | None = None, hi: float | None = None, *, lo_open: bool = False, hi_open: bool = False,
           unit: str = "") -> FiniteFloat:
    """A :class:`FiniteFloat` parameter type (e.g. ``type=finite(0, 1e4, lo_open=True, unit="kg/s")``)."""
    return FiniteFloat(lo, hi, lo_open=lo_open, hi_open=hi_open, unit=unit)


#: plant coordinates, m: generous (a UTM easting is < 1e6, a northing < 1e7), but never 1e200
COORD = FiniteFloat(-1e8, 1e8, unit="m")
#: a non-negative duration, s (up to one year)
DURATION_S = FiniteFloat(0, 3.2e7, unit="s")
#: a wind direction, degrees clockwise from north
DEGREES = FiniteFloat(-360, 720, unit="°")


class FinitePoint(click.ParamType):
    """A point ``"x,y"`` whose two coordinates are each a finite number within :data:`COORD`'s range."""

    name = "x,y"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[float, float]:
        """Parse ``"x,y"``; fail with a usage error naming the option for anything else, NaN or ±inf."""
        if isinstance(value, tuple):
            return value
        parts = str(value).split(",")
        if len(parts) != 2:
            self.fail(f"expected two numbers 'x,y', got {str(value)[:40]!r}", param, ctx)
        x, y = (COORD.convert(p, param, ctx) for p in parts)
        return x, y


#: an incident location "x,y" in the plant CRS, m
POINT = FinitePoint()
