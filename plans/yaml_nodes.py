"""Read YAML keeping where every value came from, so a plan error can name its line.

PyYAML's composer gives nodes with ``start_mark``; we build the plain Python value and, beside
it, a map from the value's path (``("tasks", 3, "role")``) to its 1-based line number.

The text is first checked by :func:`gis.safe_input.check_yaml`: nesting and alias expansion are
bounded before anything is built, so a "billion laughs" file is refused in microseconds instead of
filling memory; a value YAML cannot construct (a 5,000-digit integer, 30 February) is a
:class:`YamlProblem` with its line, not an exception from the depths of PyYAML.
"""

from __future__ import annotations

from typing import Any

import yaml

from gis.safe_input import InputProblem, check_yaml

Path = tuple[str | int, ...]
#: libyaml's parser when PyYAML was built with it (about 10× faster), else the pure-Python one
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(Exception):
    """The text is not YAML we can read (syntax error, duplicate key, non-string key); has ``line``."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """Parse YAML ``text``; return (value, {path: line}). Raises :class:`YamlProblem` with a line."""
    try:
        check_yaml(text)
    except InputProblem as exc:
        raise YamlProblem(str(exc), exc.line) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Path, int] = {}
        value = _build(loader, node, (), lines) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(f"YAML syntax: {exc.problem or exc}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML: {exc}", None) from None
    finally:
        loader.dispose()
    return value, lines


def _construct(loader: _Loader, node: yaml.Node) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except (ValueError, TypeError, OverflowError) as exc:
        text = " ".join(str(exc).split())
        raise YamlProblem(f"cannot read value: {text[:200]}", node.start_mark.line + 1) from None


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str | int | float) else type(value).__name__
    return text if len(text) <= 60 else text[:40] + "..."


def _build(loader: _Loader, node: yaml.Node, path: Path, lines: dict[Path, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise YamlProblem(f"key {_short(key)} is not a string", key_node.start_mark.line + 1)
            key = str(key)
            if key in out:
                raise YamlProblem(f"duplicate key {_short(key)}", key_node.start_mark.line + 1)
            out[key] = _build(loader, value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), lines) for i, item in enumerate(node.value)]
    return _construct(loader, node)
