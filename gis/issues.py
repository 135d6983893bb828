"""Validation findings: one error or warning that names where and what.

Every problem the loader finds becomes an :class:`Issue` naming the file or
layer, the feature id, the field and the problem, so a safety engineer can fix
the source data without reading code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Issue:
    """One finding about a plant package.

    ``source`` is the file or layer (``walkways.geojson``, ``plant.gpkg:exits``,
    ``personnel.csv``); ``feature`` the feature id (or ``#N`` for the N-th
    feature, or ``line N`` for CSV rows) when the finding is about one feature;
    ``field`` the attribute concerned, if any; ``code`` a stable machine-readable
    kind such as ``missing-attribute``.
    """

    severity: str
    code: str
    source: str
    message: str
    feature: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.feature is not None:
            where += f": feature {self.feature}"
        if self.field is not None:
            where += f": field '{self.field}'"
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, str | None]:
        """The finding as a JSON-ready dict, with ``text`` the one-line form."""
        d = asdict(self)
        d["text"] = str(self)
        return d


class PlantError(Exception):
    """A plant package that cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: list[Issue], warnings: list[Issue] | None = None,
                 layers: dict[str, int] | None = None):
        self.errors = list(errors)
        self.warnings = list(warnings or [])
        self.layers = dict(layers or {})
        lines = [str(e) for e in self.errors[:50]]
        if len(self.errors) > 50:
            lines.append(f"... and {len(self.errors) - 50} more")
        super().__init__(f"{len(self.errors)} error(s) in plant package:\n" + "\n".join(lines))


def _one_line(text: str | None, limit: int = 1000) -> str | None:
    """``text`` on one line (a library's multi-line message, an id with a line break) and at most ``limit``
    characters, so every finding prints as one line."""
    if text is None:
        return None
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


class IssueCollector:
    """Accumulates errors and warnings while a package is read, instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []

    def error(self, code: str, source: str, message: str, feature: str | None = None,
              field: str | None = None) -> None:
        """Record an error that will make the package fail to load."""
        self.errors.append(Issue("error", code, source, _one_line(message), _one_line(feature), field))

    def warn(self, code: str, source: str, message: str, feature: str | None = None,
             field: str | None = None) -> None:
        """Record a warning: the package loads, but the user should look."""
        self.warnings.append(Issue("warning", code, source, _one_line(message), _one_line(feature), field))

    def raise_if_errors(self, layers: dict[str, int] | None = None) -> None:
        """Raise :class:`PlantError` with everything found so far, if any error was found;
        ``layers`` (feature counts as read) travels with it for reports."""
        if self.errors:
            raise PlantError(self.errors, self.warnings, layers)
