"""First run on a fresh Linux desktop: find the X11 (xcb) libraries Qt's window plugin needs before Qt aborts.

On a fresh Debian/Ubuntu desktop, Qt 6.5+ aborts at start with "Could not load the Qt platform plugin xcb
... xcb-cursor0 or libxcb-cursor0 is needed" when libxcb-cursor0, libxcb-icccm4 or libxcb-keysyms1 (and a
few more) are not installed — a core dump instead of a window. :func:`missing_xcb_libraries` asks the dynamic
linker (``ldd`` on PySide6's own ``libQt6XcbQpa``) which shared libraries it cannot find, and
:func:`apt_line` names the Debian packages that hold them, following Debian's library package naming
(``libfoo.so.N`` → ``libfooN``; a name ending in a digit takes a hyphen: ``libxkbcommon-x11.so.0`` →
``libxkbcommon-x11-0``). Qt-free: it runs before the QApplication exists.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

#: what Qt's xcb plugin needs beyond libxcb itself, as the issue found them (checked when ``ldd`` is missing)
KNOWN = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-image.so.0",
         "libxcb-render-util.so.0", "libxkbcommon-x11.so.0", "libxcb-randr.so.0", "libxcb-shape.so.0",
         "libxcb-xkb.so.1")
_NOT_FOUND = re.compile(r"^\s*(\S+\.so[.\d]*)\s*=>\s*not found", re.M)


def uses_xcb(environ: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether Qt will try the xcb (X11) plugin: on Linux, unless another platform is asked for
    (``QT_QPA_PLATFORM``, e.g. ``offscreen`` or ``wayland``) or the session is Wayland-only."""
    env = os.environ if environ is None else environ
    if (platform or sys.platform) != "linux":
        return False
    asked = env.get("QT_QPA_PLATFORM", "")
    if asked:
        return asked.split(";")[0].split(":")[0].strip() == "xcb"
    return bool(env.get("DISPLAY")) or not env.get("WAYLAND_DISPLAY")


def xcb_library() -> Path | None:
    """PySide6's ``libQt6XcbQpa.so.6`` (what the xcb plugin loads), if this PySide6 has it."""
    try:
        import PySide6
    except ImportError:
        return None
    root = Path(PySide6.__file__).resolve().parent / "Qt" / "lib"
    hits = sorted(root.glob("libQt6XcbQpa.so*"))
    return hits[0] if hits else None


def missing_from_ldd(output: str) -> list[str]:
    """The sonames ``ldd`` reports as ``not found`` (each once, in order)."""
    return list(dict.fromkeys(_NOT_FOUND.findall(output)))


def missing_xcb_libraries(run: Callable[[list[str]], str] | None = None,
                          find: Callable[[str], str | None] = ctypes.util.find_library) -> list[str]:
    """Shared libraries Qt's xcb plugin needs and the system lacks (sonames). Uses ``ldd`` on PySide6's
    ``libQt6XcbQpa``; without ``ldd`` (or that library), checks :data:`KNOWN` with ``find`` (ctypes)."""
    lib = xcb_library()
    if lib is not None and (run is not None or shutil.which("ldd")):
        try:
            out = run([str(lib)]) if run is not None else subprocess.run(
                ["ldd", str(lib)], capture_output=True, text=True, timeout=10, check=False).stdout
            return missing_from_ldd(out)
        except (OSError, subprocess.SubprocessError):
            pass
    return [so for so in KNOWN if not find(so.split(".so")[0].removeprefix("lib"))]


def debian_package(soname: str) -> str:
    """The Debian package of a library soname (``libxcb-icccm.so.4`` → ``libxcb-icccm4``)."""
    base, _, version = soname.partition(".so")
    version = version.lstrip(".").split(".")[0]
    if not version:
        return base
    return f"{base}-{version}" if base[-1].isdigit() else f"{base}{version}"


def apt_line(missing: list[str]) -> str:
    """The one command that installs what is missing."""
    return "sudo apt-get install " + " ".join(dict.fromkeys(debian_package(m) for m in missing))


def check() -> str | None:
    """A message for the terminal when the window cannot start for missing libraries, else None."""
    if not uses_xcb():
        return None
    missing = missing_xcb_libraries()
    if not missing:
        return None
    return ("The window cannot start: Qt's X11 (xcb) plugin needs libraries this system lacks "
            f"({', '.join(missing)}).\nInstall them with:\n\n    {apt_line(missing)}\n\n"
            "(The command line works without them: commandcenter --help.)")
