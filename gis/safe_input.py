"""Reading untrusted files without hanging, exhausting memory or recursing without bound.

Every reader of a plant package, a plan or an incident script goes through here, so the limits
live in one place (docs/input-safety.md lists them):

* only a *regular* file is read — a FIFO would block ``open`` forever and a link to
  ``/dev/zero`` would be read until memory runs out — and never more than a size cap;
* YAML is checked event by event (libyaml's parser, which does not recurse) before anything is
  composed: nesting deeper than :data:`MAX_DEPTH` and documents whose aliases expand to more than
  :data:`MAX_YAML_NODES` nodes (the "billion laughs" bomb: nine levels of ten aliases are 10⁹
  nodes from a few hundred bytes) are refused before they are built;
* JSON nesting deep enough to exhaust the interpreter's recursion limit, and integers with more
  digits than Python converts, are refused with a message instead of an exception.

Every refusal is an :class:`InputProblem` (a ``ValueError``) whose message says what was refused
and, for YAML, on which line.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

import yaml

#: deepest nesting of mappings and lists accepted in YAML (a plan needs about 6 levels)
MAX_DEPTH = 50
#: most nodes a YAML document may have once every alias is expanded (the largest plan has ~3,000)
MAX_YAML_NODES = 200_000
#: size caps, bytes
MAX_LAYER_BYTES = 256 * 2**20
MAX_TABLE_BYTES = 128 * 2**20
MAX_YAML_BYTES = 8 * 2**20

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class InputProblem(ValueError):
    """Input refused before it is parsed or built; the message names what and, when known, ``line``."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def describe_missing(path: str | Path) -> str:
    """Why ``path`` cannot be opened although a name is there: a dangling symbolic link, or nothing."""
    p = Path(path)
    if p.is_symlink() and not p.exists():
        return f"is a symbolic link to {os.readlink(p)!r}, which does not exist"
    return "does not exist"


def read_bytes(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    Raises :class:`InputProblem` when ``path`` is a FIFO, a device, a folder or another
    non-regular file (checked on the opened descriptor, after following links, so a link to
    ``/dev/zero`` is refused and a FIFO never blocks) or larger than the cap; ``OSError`` when it
    cannot be opened at all (missing, dangling link, no permission).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise InputProblem(f"{path} is a folder, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket or a FIFO that refuses a non-blocking open
            raise InputProblem(f"{path} is not a regular file") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputProblem(f"{path} is {_kind(st.st_mode)}, not a regular file; refusing to read it")
        if st.st_size > max_bytes:
            raise InputProblem(f"{path} is {st.st_size / 2**20:.1f} MiB, more than the {max_bytes / 2**20:g} MiB "
                               "this reader accepts")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise InputProblem(f"{path} grew past the {max_bytes / 2**20:g} MiB this reader accepts")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str | Path, max_bytes: int, encoding: str = "utf-8-sig") -> str:
    """The text of the regular file ``path`` (see :func:`read_bytes`), decoded; a byte sequence that is
    not ``encoding`` is an :class:`InputProblem` naming the offset."""
    data = read_bytes(path, max_bytes)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputProblem(f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") \
            from None


def check_yaml(text: str, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_YAML_NODES) -> None:
    """Refuse YAML ``text`` nested deeper than ``max_depth`` or expanding to more than ``max_nodes``
    nodes once aliases are followed; syntax errors are left to the composer that runs next.

    Linear in the length of the text: libyaml's event parser is a state machine, and an alias adds
    the recorded size of its anchor instead of being walked.
    """
    loader = _Loader(text)
    sizes: dict[str, int] = {}
    starts: list[tuple[str | None, int]] = []
    total = 0
    try:
        while True:
            try:
                event = loader.get_event()
            except yaml.YAMLError:
                return
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent):
                total += sizes.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                total += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                total += 1
                starts.append((event.anchor, total - 1))
                if len(starts) > max_depth:
                    raise InputProblem(f"YAML nested more than {max_depth} levels deep", line)
            elif isinstance(event, yaml.CollectionEndEvent) and starts:
                anchor, start = starts.pop()
                if anchor is not None:
                    sizes[anchor] = total - start
            if total > max_nodes:
                raise InputProblem(f"YAML expands to more than {max_nodes:,} values (aliases referring to "
                                   "aliases: a 'billion laughs' document?)", line)
    finally:
        loader.dispose()


def load_yaml(text: str) -> Any:
    """Parse YAML ``text`` safely (no Python objects, see :func:`check_yaml` for the limits)."""
    check_yaml(text)
    return yaml.load(text, Loader=_Loader)


def _no_constant(name: str) -> Any:
    raise InputProblem(f"JSON holds {name}, which is not a number in JSON (RFC 8259); write null for a "
                       "missing value")


def load_json(text: str | bytes) -> Any:
    """``json.loads`` that refuses ``NaN``/``Infinity`` (Python writes them, JSON has no such numbers),
    nesting beyond the interpreter's recursion limit and integers with more digits than Python
    converts, as :class:`InputProblem`; syntax errors stay ``json.JSONDecodeError``."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except InputProblem:
        raise
    except RecursionError:
        raise InputProblem("JSON nested too deeply to read") from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # e.g. "Exceeds the limit (4300 digits) for integer string conversion"
        raise InputProblem(f"JSON holds a value that cannot be read: {exc}") from None


def check_output_file(path: str | Path) -> None:
    """Refuse to write to ``path`` when something other than a regular file is there: opening a FIFO for
    writing blocks until a reader comes (forever, for a typo), and a device swallows or rejects what is
    written. A missing path (to be created) or a regular file (to be replaced) passes; raises
    :class:`InputProblem` naming the path and what it is."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputProblem(f"{path}: cannot check where to write ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputProblem(f"{path} is {_kind(st.st_mode)}, not a regular file; refusing to write to it")
