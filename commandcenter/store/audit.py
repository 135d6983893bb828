"""Tamper evidence: verify the hash chain of one incident or of every incident in a database, against the
bytes as stored, event 1, and the heads kept outside the database.

For each incident (:func:`verify_incident`), the first of these that fails is reported as a
:class:`~commandcenter.store.chain.ChainBreak` naming the event:

* every stored row is readable (text columns valid UTF-8, integers integers, the payload a JSON object);
* every event hashes correctly over its **stored** payload text (a duplicate key or an added space in the
  stored JSON changes the bytes, so it breaks the chain even though it parses to the same object), links
  to the one before, has the next seq and a time not earlier than the one before; the chain reaches the
  head recorded in the ``incidents`` row;
* the ``incidents`` row (title, exercise flag, plant, time zone) says what event 1, ``incident.opened``,
  sealed;
* the heads file (SQLite, :mod:`commandcenter.store.anchor`) exists when the log says it is anchored, its
  lines for the incident carry valid signatures, every head it records as committed is in the chain with
  the same hash (deleted tail events and a moved head are found here), every event is vouched for by a
  signed head, and no loss was accepted.

The exercise flag an :class:`AuditResult` reports comes from event 1 once event 1 is verified — never from
the ``incidents`` row, which nothing protects.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from commandcenter.store.anchor import Anchored, BadLine
from commandcenter.store.chain import ChainBreak, ChainVerifier, Event
from commandcenter.store.errors import StoreError
from commandcenter.store.eventstore import EventStore
from commandcenter.store.stored import UnreadableRow, incident_ids, stored_events, stored_incident

RECENT = 10_000  # hashes of the last events kept for re-checking which heads vouch for them


@dataclass(frozen=True)
class AuditResult:
    """The verdict for one incident: how many events chained correctly, the first break (None: intact),
    event 1's payload when event 1 verified, and what the heads file says."""

    incident: str
    events_ok: int
    head_seq: int
    brk: ChainBreak | None
    opened: dict[str, Any] | None = None
    anchor: dict[str, Any] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        """True when the whole chain verifies."""
        return self.brk is None

    @property
    def exercise(self) -> bool | None:
        """The exercise flag sealed in the verified event 1; None when event 1 itself did not verify
        (treat the incident as unknown, and the log as untrustworthy)."""
        return None if self.opened is None else bool(self.opened.get("exercise"))

    @property
    def title(self) -> str | None:
        """The title sealed in the verified event 1 (None when event 1 did not verify)."""
        return None if self.opened is None else self.opened.get("title")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"incident": self.incident, "intact": self.intact, "events_ok": self.events_ok,
                "head_seq": self.head_seq, "break": self.brk.to_dict() if self.brk else None,
                "exercise": self.exercise, "title": self.title, "anchor": self.anchor}


def verify_store(store: EventStore, incident_id: str | None = None) -> list[AuditResult]:
    """Verify one incident (``incident_id``) or all of them, including incidents the heads file records
    that are no longer in the database. Raises :class:`StoreError` for an ``incident_id`` neither knows."""
    folded, bad = _fold(store)
    if incident_id is not None:
        return [verify_incident(store, incident_id, _folded=(folded, bad))]
    ids = set(incident_ids(store.engine))
    if folded is not None:
        ids |= {i for i, a in folded.items() if a.committed_seq or a.lost}
    return [verify_incident(store, i, _folded=(folded, bad)) for i in sorted(ids)]


def verify_incident(store: EventStore, incident_id: str, *,
                    _folded: tuple[dict[str, Anchored] | None, list[BadLine]] | None = None) -> AuditResult:
    """Verify one incident (see the module docstring). Raises :class:`StoreError` when neither the database
    nor the heads file knows ``incident_id``."""
    folded, bad = _folded if _folded is not None else _fold(store)
    mine = folded.get(incident_id) if folded is not None else None
    hf = store.anchor.heads
    anchor_info = _anchor_info(store, mine)
    try:
        row = stored_incident(store.engine, incident_id)
    except UnreadableRow as exc:
        return AuditResult(incident_id, 0, 0, ChainBreak(1, "changed", f"the incidents row is unreadable: {exc}"),
                           None, anchor_info)
    if row is None:
        if mine is not None and mine.lost and not mine.committed_seq:
            first, last, line = mine.lost[0]
            return AuditResult(incident_id, 0, 0, ChainBreak(first, "lost", f"{span(first, last)} committed and "
                                                             "then lost (the whole incident); the loss was accepted "
                                                             f"by an explicit override ({hf.path.name} line {line})"),
                               None, anchor_info)
        if mine is None or not mine.committed_seq:
            raise StoreError(f"no incident {incident_id!r} in this database")
        n = mine.committed_seq
        return AuditResult(incident_id, 0, n, ChainBreak(1, "deleted", f"incident {incident_id} is not in the "
                                                         f"database, but {hf.path.name} records {n} events of it "
                                                         f"(line {mine.committed[n][1]})"), None, anchor_info)

    wanted = set(mine.committed) | set(mine.pending) if mine is not None else set()
    hashes: dict[int, str] = {}  # the hashes the heads lines name, and those of the last RECENT events
    recent: deque[int] = deque()
    first: list[Event] = []
    unreadable: list[UnreadableRow] = []
    verifier = ChainVerifier(incident_id)
    for e in _readable(stored_events(store.engine, incident_id), unreadable):
        if e.seq == 1 and not first:
            first.append(e)
        hashes[e.seq] = e.hash
        if e.seq not in wanted:
            recent.append(e.seq)
            if len(recent) > RECENT:
                hashes.pop(recent.popleft(), None)
        if verifier.feed(e) is not None:
            break
    chain_brk = verifier.finish(None if unreadable else (row.head_seq, row.head_hash))
    if unreadable and (chain_brk is None or chain_brk.seq >= unreadable[0].seq):
        chain_brk = ChainBreak(unreadable[0].seq, "changed", f"event {unreadable[0].seq} is unreadable: "
                               f"{unreadable[0]}")
    n_ok = verifier.count
    found: list[ChainBreak] = [chain_brk] if chain_brk else []
    opened = None
    if n_ok >= 1 and first and (chain_brk is None or chain_brk.seq > 1):
        e1 = first[0]
        if e1.type != "incident.opened":
            found.append(ChainBreak(1, "changed", f"event 1 is {e1.type}, not incident.opened"))
        else:
            opened = dict(e1.payload)
            found += _row_vs_opened(row, opened)
    if store.anchor.kind == "heads-file":
        found += _anchor_breaks(store, mine, hashes, n_ok, chain_brk, bad, incident_id)
    brk = min(found, key=lambda b: b.seq) if found else None
    return AuditResult(incident_id, n_ok, row.head_seq, brk, opened, anchor_info)


def span(first: int, last: int) -> str:
    """``event 7 is`` or ``events 7–9 are``: the events ``first``…``last`` as the subject of a sentence."""
    return f"event {first} is" if first == last else f"events {first}–{last} are"


def _readable(evs: Iterator[Event], unreadable: list[UnreadableRow]) -> Iterator[Event]:
    try:
        yield from evs
    except UnreadableRow as exc:
        unreadable.append(exc)


def _row_vs_opened(row, opened: dict[str, Any]) -> list[ChainBreak]:
    out = []
    flag = row.exercise
    if flag not in (0, 1) or bool(flag) != bool(opened.get("exercise")):
        out.append(ChainBreak(1, "changed", f"the incident's exercise flag was changed: the incidents row says "
                              f"{flag!r}, event 1 records exercise={opened.get('exercise')}"))
    if row.title != opened.get("title"):
        out.append(ChainBreak(1, "changed", f"the incident's title was changed: the incidents row says "
                              f"{row.title!r}, event 1 records {opened.get('title')!r}"))
    if row.plant != opened.get("plant"):
        out.append(ChainBreak(1, "changed", f"the incident's plant was changed: the incidents row says "
                              f"{row.plant!r}, event 1 records {opened.get('plant')!r}"))
    if "timezone" in opened and row.tz != opened["timezone"]:
        out.append(ChainBreak(1, "changed", f"the incident's time zone was changed: the incidents row says "
                              f"{row.tz!r}, event 1 records {opened['timezone']!r}"))
    return out


def _anchor_breaks(store: EventStore, mine: Anchored | None, hashes: dict[int, str], n_ok: int,
                   chain_brk: ChainBreak | None, bad: list[BadLine], incident_id: str) -> list[ChainBreak]:
    hf = store.anchor.heads
    if hf is None:
        name = store.anchor.heads_path.name if store.anchor.heads_path else "the heads file"
        why = store.anchor.problem or f"{name} is missing"
        return [ChainBreak(max(n_ok, 1), "unanchored", f"{why}: events deleted at the end, with the head moved "
                           "back, could not be found")]
    name = hf.path.name
    out = [ChainBreak(b.seq or 1, "anchor", f"line {b.lineno} of {name} ({b.incident} event {b.seq}) is not "
                      f"to be trusted: {b.reason}") for b in bad if b.incident == incident_id]
    out += [ChainBreak(1, "anchor", f"line {b.lineno} of {name}: {b.reason}") for b in bad if b.incident is None]
    unvouched = _unvouched(mine, hashes, n_ok, chain_brk, name)
    if unvouched is not None:  # read the file again: lines written while the events were read vouch for them
        unvouched = _unvouched(hf.fold(signed_only=True).get(incident_id), hashes, n_ok, chain_brk, name)
    if mine is None:
        return out + ([unvouched] if unvouched else [])
    beyond = [s for s in mine.committed if s > n_ok]
    if beyond and (chain_brk is None or (chain_brk.kind == "deleted" and chain_brk.seq == n_ok + 1)):
        last = max(beyond)
        out.append(ChainBreak(n_ok + 1, "deleted", f"{span(n_ok + 1, last)} missing: {name} line "
                              f"{mine.committed[last][1]} records event {last} as committed (deleted, or a -wal "
                              "file lost)"))
    for seq, (head, line) in sorted(mine.committed.items()):
        if seq < 1 or seq > n_ok or (chain_brk is not None and seq >= chain_brk.seq):
            continue  # not in the chain, or the chain is already broken before it: reported above
        if hashes.get(seq) != head:
            out.append(ChainBreak(seq, "changed", f"event {seq} is not the event committed ({name} line {line}): "
                                  "the history up to it was rewritten"))
    for seq, line in mine.conflicts:
        out.append(ChainBreak(seq, "anchor", f"{name} line {line} records another event {seq} as committed"))
    for first, last, line in mine.lost:
        out.append(ChainBreak(first, "lost", f"{span(first, last)} committed and then lost; the loss was "
                              f"accepted by an explicit override ({name} line {line})"))
    for seq, line in mine.restarted:
        out.append(ChainBreak(max(seq, 1), "unanchored", f"{name} was re-anchored at event {seq} by an explicit "
                              f"override (line {line}): events removed before that cannot be ruled out"))
    return out + ([unvouched] if unvouched else [])


def _unvouched(mine: Anchored | None, hashes: dict[int, str], n_ok: int, chain_brk: ChainBreak | None,
               name: str) -> ChainBreak | None:
    """The first event no signed head vouches for (a head vouches for its event and, by the chain, for every
    event before it), or None."""
    vouched = [] if mine is None else [s for s, (h, _l) in mine.committed.items() if hashes.get(s) == h]
    vouched += [] if mine is None else [s for s, hs in mine.pending.items() if hashes.get(s) in hs]
    covered = max((s for s in vouched if s <= n_ok), default=0)
    if covered < n_ok and (chain_brk is None or covered + 1 < chain_brk.seq):
        return ChainBreak(covered + 1, "unanchored", f"{span(covered + 1, n_ok)} not vouched for by a signed "
                          f"head in {name}: appended by something that does not hold this log's key")
    return None


def _fold(store: EventStore) -> tuple[dict[str, Anchored] | None, list[BadLine]]:
    """The whole heads file folded per incident (signed lines only, when the key is known), and its bad lines."""
    hf = store.anchor.heads
    bad: list[BadLine] = []
    if hf is None:
        return None, bad
    try:
        return hf.fold(bad=bad, signed_only=True), bad
    except OSError as exc:
        raise StoreError(f"cannot read the heads file {hf.path}: {exc.strerror or exc}") from None


def _anchor_info(store: EventStore, mine: Anchored | None) -> dict[str, Any]:
    a = store.anchor
    if a.kind != "heads-file":
        return {"kind": a.kind}
    return {"kind": a.kind, "file": str(a.heads_path) if a.heads_path else None, "present": a.heads is not None,
            "signatures": ("checked" if a.heads.key else "unchecked (no key for this log here)") if a.heads else None,
            "committed_seq": mine.committed_seq if mine else 0, "problem": a.problem}
