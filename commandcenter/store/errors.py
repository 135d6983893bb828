"""The store's errors (a module of their own so the anchor and the store can both raise them)."""

from __future__ import annotations


class StoreError(RuntimeError):
    """A store operation that cannot be done (unknown incident, duplicate incident id, …)."""


class LogRefused(StoreError):
    """The log cannot be opened as it is: it lost committed events (a deleted ``-wal`` after a crash, a
    restored older copy), its heads file is missing or belongs to another log. The message names what and
    where and how to carry on (``commandcenter audit accept-loss``)."""


class ChainBroken(StoreError):
    """A chain that does not verify (an import file, a log being exported); ``brk`` is the first break."""

    def __init__(self, message: str, brk):
        super().__init__(message)
        self.brk = brk
