"""Field evidence for the compliance audit: find each photo by its SHA-256 beside the log, verify it, thumbnail it.

The field protocol stores evidence "by its SHA-256 beside the incident log and the event records the hash"
(shared/spec/field-protocol.md). For a log ``drill.db`` the report looks in ``drill.evidence/`` (and in any
folder given with ``--evidence``) for, in order: the event's ``path`` (relative to the folder), ``<sha256>``,
``<sha256>.<ext>`` and ``<sha256[:2]>/<sha256>[.<ext>]``. A file is *verified* when the SHA-256 of its bytes
equals the recorded hash; one that is found but differs is a *mismatch* (swapped or altered after the fact):
the audit says so and shows no thumbnail of it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

EXTENSIONS = ("", ".jpg", ".jpeg", ".png", ".webp", ".bin")
THUMB_PX = 320
MAX_EVIDENCE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class EvidenceFile:
    """The check of one recorded hash: status (verified | mismatch | missing | unreadable), the file found,
    and a PNG thumbnail (verified images only)."""

    sha256: str
    status: str
    path: Path | None
    thumbnail: bytes | None = None


def evidence_dir_of(log: str | Path) -> Path | None:
    """The evidence folder beside a SQLite log file (``drill.db`` → ``drill.evidence``); None for a URL."""
    text = str(log)
    if "://" in text:
        return None
    p = Path(text)
    return p.with_name(p.stem + ".evidence")


def _candidates(sha: str, folder: Path, hint: str | None) -> Iterable[Path]:
    if hint:
        h = Path(hint)
        if not h.is_absolute() and ".." not in h.parts:
            yield folder / h
    for ext in EXTENSIONS:
        yield folder / f"{sha}{ext}"
    for ext in EXTENSIONS:
        yield folder / sha[:2] / f"{sha}{ext}"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def thumbnail_png(data: bytes, size: int = THUMB_PX) -> bytes | None:
    """A PNG thumbnail (longest side ``size`` px) of an image's bytes; None when it is not a readable image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            im = im.convert("RGB")
            im.thumbnail((size, size))
            out = io.BytesIO()
            im.save(out, "PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def check_evidence(sha256: str, folders: Iterable[Path], hint: str | None = None) -> EvidenceFile:
    """Find the file of ``sha256`` in ``folders`` and verify it (see the module docstring)."""
    sha = sha256.lower()
    mismatch: Path | None = None
    for folder in folders:
        for cand in _candidates(sha, folder, hint):
            try:
                if not cand.is_file():
                    continue
                if cand.stat().st_size > MAX_EVIDENCE_BYTES:
                    return EvidenceFile(sha, "unreadable", cand)
                if _digest(cand) != sha:
                    mismatch = mismatch or cand
                    continue
                data = cand.read_bytes()
            except OSError:
                return EvidenceFile(sha, "unreadable", cand)
            return EvidenceFile(sha, "verified", cand, thumbnail_png(data))
    if mismatch is not None:
        return EvidenceFile(sha, "mismatch", mismatch)
    return EvidenceFile(sha, "missing", None)
