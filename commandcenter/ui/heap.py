"""Keeping the cyclic garbage collector off the long-lived heap while an incident or a replay is open.

The window's long-lived objects (the plant, the folded incident, the widgets and their items, the modules:
~200,000) are traversed by every full collection. Following a busy field feed or playing a replay allocates
thousands of objects a second, and the full collections this triggers took 0.2–0.8 s holding the GIL: the
slowest UI gaps of ``bench/comms_window.py`` and the slowest playback frames of ``bench/replay_ui.py``. So
while a *holder* (an open incident, an open replay) is open, everything alive is moved into the collector's
permanent generation (:func:`gc.freeze`). Reference counting still frees what is not in a cycle; cyclic garbage
among frozen objects waits until the last holder releases (then :func:`gc.unfreeze`; with holders left, the
heap is collected and frozen again). Process-wide by nature, as the collector is: the count of holders is the
only state.
"""

from __future__ import annotations

import gc

_holders: set[int] = set()


def hold(owner: object) -> None:
    """``owner`` opened something long-lived: collect once, then freeze everything alive now."""
    _holders.add(id(owner))
    gc.collect()
    gc.freeze()


def release(owner: object) -> None:
    """``owner`` closed: let the collector see what lived with it (and freeze again for the other holders)."""
    if id(owner) not in _holders:
        return
    _holders.discard(id(owner))
    gc.unfreeze()
    if _holders:
        gc.collect()
        gc.freeze()


def held() -> bool:
    """Whether any holder keeps the heap frozen."""
    return bool(_holders)
