"""Several processes opening a brand-new SQLite log at the same moment: none fails with "database is locked"
half-way through the schema upgrade, all of them end up on one log (one log id, one heads file), and each
one's incident is recorded and verifies."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import sqlite3
import traceback

import pytest

PROCESSES = 6
ROUNDS = 3
T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def _open_and_record(db: str, who: int, barrier, results) -> None:
    """In a child process: wait for all, open the (new) log, record one incident, report."""
    try:
        from commandcenter.store import EventStore

        barrier.wait(timeout=120)
        with EventStore(db) as store:
            store.create_incident(f"P{who}", f"console {who}", exercise=True, time=T0)
            store.append(f"P{who}", "note.added", {"text": f"from console {who}"}, T0)
        results.put((who, "ok"))
    except BaseException as exc:  # report everything: the test names what went wrong
        results.put((who, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_processes_opening_a_new_log_at_once_all_succeed(tmp_path, monkeypatch, round_) -> None:
    monkeypatch.setenv("CC_LOG_KEY_DIR", str(tmp_path / "keys"))
    db = tmp_path / "new.db"
    ctx = mp.get_context("forkserver")  # fresh processes, forked from a server that imported the store once
    ctx.set_forkserver_preload(["commandcenter.store", "alembic.command", "alembic.config", "alembic.script"])
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [ctx.Process(target=_open_and_record, args=(str(db), i, barrier, results)) for i in range(PROCESSES)]
    for p in procs:
        p.start()
    outcome = dict(results.get(timeout=180) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    failed = {who: why for who, why in outcome.items() if why != "ok"}
    assert failed == {}

    from commandcenter.store import EventStore
    from commandcenter.store.audit import verify_store

    with EventStore(db) as store:
        results_ = verify_store(store)
    assert sorted(r.incident for r in results_) == [f"P{i}" for i in range(PROCESSES)]
    assert all(r.intact for r in results_)
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0002",)]
        assert con.execute("SELECT COUNT(*) FROM log_meta WHERE key = 'log_id'").fetchone() == (1,)
    finally:
        con.close()
    heads = db.with_name("new.db.heads").read_text(encoding="utf-8").splitlines()
    assert sum('"format"' in line for line in heads) == 1
