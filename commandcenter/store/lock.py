"""An exclusive lock on a file beside a SQLite log, held across processes (``fcntl.flock``; Windows:
``msvcrt.locking``).

The schema upgrade and the creation of the log's heads file run under it, so several processes opening a
new log at once take turns instead of failing with "database is locked" half-way through Alembic. The
lock file is never deleted: deleting a lock file while another process waits on it would let a third
process lock a different file of the same name.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockError(OSError):
    """The lock file cannot be created or locked (a read-only folder, for instance)."""


@contextmanager
def file_lock(path: str | Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the body of the ``with``; blocks until
    every other holder has released it. The operating system releases it if the holder dies."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LockError(exc.errno, f"cannot create the lock file {path}: {exc.strerror}") from None
    try:
        _lock(fd)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


try:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for ~10 s, then raises
                return
            except OSError:
                continue

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
