"""The report's Chinese font without Qt: static subsets of the bundled Noto Sans CJK SC for fpdf2 and matplotlib.

The project's font is the ``manimgx-fonts-cjk`` wheel's ``NotoSansCJK-VF.otf.ttc`` (SIL OFL 1.1): a
collection of *variable* OpenType fonts with CFF2 outlines. fpdf2 can embed CID-keyed CFF, but
instancing the whole 65,000-glyph variable face takes minutes and gigabytes (measured: over 5 min and
6 GB before it was stopped). So the report first collects every character it will print, subsets the
Simplified Chinese face to those characters (layout tables dropped: fpdf2 sets text without shaping),
fixes the weight (400 regular, 700 bold) and downgrades CFF2 to CFF (fontTools ``varLib.instancer`` and
``cffLib.CFF2ToCFF``): about 2 s for a report's few hundred characters, and the PDF embeds only the
glyphs it uses. The same files are given to matplotlib (FreeType reads CFF OpenType) under a family name
unique to the build, so charts and PDF text use one face.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

BUNDLED_PACKAGE = "manimgx_fonts_cjk"
BUNDLED_FILE = "NotoSansCJK-VF.otf.ttc"
SC_FACE = "Noto Sans CJK SC"
#: always in the subset: printable ASCII, Latin-1, dashes and quotes, arrows, the minus sign, CJK punctuation
BASE_CHARS = frozenset(
    [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xA0, 0x100)]
    + list("–—‘’“”…•·→←↑↓≤≥±×÷−℃°　、。〈〉《》「」『』【】〔〕（），：；？！％＋－／～")
)


class FontError(RuntimeError):
    """The CJK font cannot be found or prepared."""


def bundled_font_path() -> Path:
    """The bundled Noto Sans CJK collection (``manimgx-fonts-cjk``), found through importlib, not Qt."""
    try:
        ref = resources.files(BUNDLED_PACKAGE) / BUNDLED_FILE
    except ModuleNotFoundError:
        raise FontError(f"the {BUNDLED_PACKAGE} package (Noto Sans CJK) is not installed") from None
    path = Path(str(ref))
    if not path.is_file():
        raise FontError(f"{BUNDLED_FILE} is missing from the {BUNDLED_PACKAGE} package")
    return path


def _sc_face_number(path: Path) -> int:
    from fontTools.ttLib import TTCollection

    coll = TTCollection(str(path), lazy=True)
    try:
        for i, font in enumerate(coll.fonts):
            if font["name"].getDebugName(1) == SC_FACE:
                return i
    finally:
        coll.close()
    raise FontError(f"{path.name} has no {SC_FACE} face")


@dataclass(frozen=True)
class ReportFonts:
    """The two static subset fonts of one report: files, the family name matplotlib knows them by, and
    the characters they cover."""

    regular: Path
    bold: Path
    family: str
    chars: frozenset[str]

    def covers(self, text: str) -> bool:
        """True when every character of ``text`` (except line breaks) has a glyph."""
        return all(c in self.chars or c in "\n\r\t" for c in text)


def _subset_variable(path: Path, face: int, chars: Iterable[str]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=face, lazy=True)
    opts = subset.Options()
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.drop_tables += ["VORG", "vhea", "vmtx", "DSIG", "BASE", "GSUB", "GPOS", "GDEF", "STAT"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted({ord(c) for c in chars}))
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    font.close()
    return buf.getvalue()


def _static_cff(data: bytes, weight: float, family: str) -> bytes:
    """A static CFF OpenType font at ``weight`` from a CFF2 variable subset, renamed to ``family``."""
    from fontTools.cffLib.CFF2ToCFF import convertCFF2ToCFF
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(io.BytesIO(data))
    for fd in font["CFF2"].cff.topDictIndex[0].FDArray:  # empty blend lists trip the instancer
        private = fd.Private
        for key in list(private.rawDict):
            if getattr(private, key, 0) is None:
                del private.rawDict[key]
                delattr(private, key)
    static = instancer.instantiateVariableFont(font, {"wght": weight}, static=True)
    buf = io.BytesIO()
    static.save(buf)
    buf.seek(0)
    static = TTFont(buf, recalcBBoxes=False, recalcTimestamp=False)
    top = static["CFF2"].cff.topDictIndex[0]
    top.FDSelect  # noqa: B018 - decompile before the converter drops the CFF2 glyph-order hook
    top.CharStrings  # noqa: B018
    convertCFF2ToCFF(static)
    style = "Bold" if weight >= 600 else "Regular"
    name = static["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 4, 6, 16, 17):
            name.removeNames(nameID=rec.nameID)
    name.setName(family, 1, 3, 1, 0x409)
    name.setName("Regular" if style == "Regular" else "Bold", 2, 3, 1, 0x409)
    name.setName(f"{family} {style}", 4, 3, 1, 0x409)
    name.setName(f"{family.replace(' ', '')}-{style}", 6, 3, 1, 0x409)
    static["OS/2"].usWeightClass = int(weight)
    if "VVAR" in static:
        del static["VVAR"]
    buf = io.BytesIO()
    static.save(buf)
    return buf.getvalue()


def default_cache_dir() -> Path:
    """Where built subsets are kept between reports (the user's cache directory)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("plant-commandcenter")) / "report-fonts"


def build_fonts(chars: Iterable[str], out_dir: str | os.PathLike[str] | None = None,
                source: Path | None = None) -> ReportFonts:
    """Regular and bold static subsets covering ``chars`` (plus :data:`BASE_CHARS`), written to ``out_dir``
    (default :func:`default_cache_dir`) under a name derived from the character set, so a second report
    with the same characters reuses them. The family name is derived the same way: one name, one file.

    Characters the font lacks are left out of ``ReportFonts.chars`` so the writer can replace them
    instead of printing an empty box."""
    from fontTools.ttLib import TTFont

    src = source or bundled_font_path()
    wanted = set(BASE_CHARS) | {c for c in chars if c >= " "}
    stat = src.stat()
    digest = hashlib.sha256(f"{src.name}:{stat.st_size}:".encode() + "".join(sorted(wanted)).encode("utf-8")
                            ).hexdigest()[:16]
    family = f"CC Report CJK {digest}"
    out = Path(out_dir) if out_dir is not None else default_cache_dir()
    regular, bold = out / f"cc-report-{digest}-regular.otf", out / f"cc-report-{digest}-bold.otf"
    if not (regular.is_file() and bold.is_file()):
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        sub = _subset_variable(src, _sc_face_number(src), wanted)
        out.mkdir(parents=True, exist_ok=True)
        for path, weight in ((regular, 400), (bold, 700)):
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(_static_cff(sub, weight, family))
            os.replace(tmp, path)  # atomic: a concurrent report never reads half a font
    with TTFont(str(regular), lazy=True) as f:
        covered = frozenset(chr(u) for u in f["cmap"].getBestCmap())
    return ReportFonts(regular, bold, family, covered)


def register_matplotlib(fonts: ReportFonts) -> str:
    """Add both files to matplotlib's font manager (once per family) and return the family name."""
    from matplotlib import font_manager

    known = {f.fname for f in font_manager.fontManager.ttflist}
    if str(fonts.regular) not in known:
        font_manager.fontManager.addfont(str(fonts.regular))
        font_manager.fontManager.addfont(str(fonts.bold))
    return fonts.family
