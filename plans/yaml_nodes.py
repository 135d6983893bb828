"""Read YAML keeping where every value came from, so a plan error can name its line.

PyYAML's composer gives nodes with ``start_mark``; we build the plain Python value and, beside
it, a map from the value's path (``("tasks", 3, "role")``) to its 1-based line number.
"""

from __future__ import annotations

from typing import Any

import yaml

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


def _build(loader: _Loader, node: yaml.Node, path: Path, lines: dict[Path, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise YamlProblem(f"key {key!r} is not a string", key_node.start_mark.line + 1)
            key = str(key)
            if key in out:
                raise YamlProblem(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            out[key] = _build(loader, value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
