"""The store: appends chain and commit, bad input leaves nothing behind, one launch per plan, migrations."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text

from commandcenter.store import EventStore, StoreError
from commandcenter.store.chain import verify_chain
from tests.commandcenter.conftest import T0
from vocabulary.events import Draft, EventError


def _t(s: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=s)


def test_appends_extend_one_chain_and_read_back_identical(store) -> None:
    a = store.append("I1", "note.added", {"text": "one"}, _t(1))
    b, c = store.append_many("I1", [Draft("sensor.reading", _t(2), {"sensor_id": "GD-001", "value": 3}),
                                    Draft("person.sos", _t(2), {"person_id": "E0001"})])
    assert (a.seq, b.seq, c.seq) == (2, 3, 4)
    assert b.prev_hash == a.hash
    assert c.prev_hash == b.hash
    back = list(store.events("I1"))
    assert [e.hash for e in back[1:]] == [a.hash, b.hash, c.hash]
    assert back[2].payload == {"sensor_id": "GD-001", "value": 3}
    assert back[2].time == _t(2)
    assert back[2].time.utcoffset() == dt.timedelta(hours=8)
    assert verify_chain(back, "I1", head=(4, c.hash)) == (4, None)


def test_exercise_flag_is_sealed_in_the_first_event(store) -> None:
    first = next(store.events("I1"))
    assert first.type == "incident.opened"
    assert first.payload["exercise"] is True
    assert store.incident("I1").exercise is True


def test_garbage_payload_in_a_batch_records_nothing(store) -> None:
    head = store.incident("I1").head_seq
    with pytest.raises(EventError, match=r"event 2 of 2 \(position.reported\): payload.x"):
        store.append_many("I1", [Draft("note.added", _t(1), {"text": "ok"}),
                                 Draft("position.reported", _t(1), {"person_id": "E1", "x": "far", "y": 0})])
    assert store.incident("I1").head_seq == head == store.count("I1")


def test_time_going_backwards_is_refused_and_nothing_recorded(store) -> None:
    store.append("I1", "note.added", {"text": "later"}, _t(10))
    with pytest.raises(EventError, match="earlier than the incident's last event"):
        store.append_many("I1", [Draft("note.added", _t(11), {"text": "a"}), Draft("note.added", _t(5), {"text": "b"})])
    assert store.count("I1") == 2


def test_unknown_incident_and_duplicate_id_are_clear_errors(store) -> None:
    with pytest.raises(StoreError, match="no incident 'NOPE'"):
        store.append("NOPE", "note.added", {"text": "x"})
    with pytest.raises(StoreError, match="already exists"):
        store.create_incident("I1", "again", exercise=False, time=T0)


def test_same_plan_launched_twice_is_one_launch(store) -> None:
    first, created1 = store.launch_plan("I1", "P-H2S", "L2", by="A", time=_t(1))
    again, created2 = store.launch_plan("I1", "P-H2S", "L2", by="B", time=_t(2))
    other, created3 = store.launch_plan("I1", "P-H2S", "L3", by="B", time=_t(3))
    assert (created1, created2, created3) == (True, False, True)
    assert again == first
    assert again.payload["by"] == "A"
    assert other.seq == first.seq + 1
    # a plain append of the same launch is deduplicated too
    assert store.append("I1", "plan.launched", {"plan_id": "P-H2S", "level": "L2"}, _t(4)) == first
    assert sum(e.type == "plan.launched" for e in store.events("I1")) == 2


def test_unique_key_backs_the_one_launch_rule(store) -> None:
    store.launch_plan("I1", "P-1", "L1", time=_t(1))
    with pytest.raises(Exception, match="UNIQUE"), store.engine.begin() as conn:
        conn.execute(text("INSERT INTO plan_launches VALUES ('I1', 'P-1@L1', 99)"))


def test_threads_launching_at_once_make_one_launch(store) -> None:
    results = []
    barrier = threading.Barrier(6)

    def go(i: int) -> None:
        barrier.wait()
        results.append(store.launch_plan("I1", "P-RACE", "L2", by=f"console-{i}"))

    threads = [threading.Thread(target=go, args=(i,)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(c for _, c in results) == 1
    assert len({e.hash for e, _ in results}) == 1


def test_second_store_on_same_file_continues_the_chain(store, tmp_path) -> None:
    other = EventStore(tmp_path / "log.db")
    e1 = other.append("I1", "note.added", {"text": "from B"}, _t(1))
    e2 = store.append("I1", "note.added", {"text": "from A"}, _t(2))
    other.close()
    assert e2.prev_hash == e1.hash
    assert e2.seq == e1.seq + 1


def test_migrations_create_exactly_the_models(tmp_path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from commandcenter.store.migrate import HEAD, current_revision
    from commandcenter.store.schema import Base

    s = EventStore(tmp_path / "m.db")
    assert current_revision(s.engine) == HEAD
    with s.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    EventStore(tmp_path / "m.db").close()  # opening again is a no-op upgrade
    s.close()


def test_sqlite_is_wal_with_full_sync(store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_follower_on_sqlite_sees_another_stores_appends(store, tmp_path) -> None:
    from commandcenter.store.follow import Follower

    with Follower(store, "I1", after_seq=store.incident("I1").head_seq) as follow:
        assert follow.wait(0.0) == []
        other = EventStore(tmp_path / "log.db")
        e = other.append("I1", "note.added", {"text": "from console B"}, _t(1))
        other.close()
        assert [x.hash for x in follow.wait(1.0)] == [e.hash]


def test_the_clock_time_zone_is_sealed_in_event_1(tmp_path) -> None:
    with EventStore(tmp_path / "tz.db") as s:
        first = s.create_incident("TZ", "clock", exercise=False, time=T0, tz="Asia/Shanghai")
    assert first.payload["timezone"] == "Asia/Shanghai"
    assert first.payload["exercise"] is False


def test_a_log_from_before_the_heads_file_is_upgraded_and_anchored(tmp_path) -> None:
    import json as json_

    from alembic import command

    from commandcenter.store.audit import verify_incident
    from commandcenter.store.chain import seal
    from commandcenter.store.engine import make_engine
    from commandcenter.store.migrate import alembic_config

    db = tmp_path / "old.db"
    engine = make_engine(db)
    cfg = alembic_config()
    with engine.begin() as conn:  # the schema of revision 0001, and one incident written the old way
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        e1 = seal("OLD", 1, T0, "incident.opened", {"title": "old log", "exercise": True}, "0" * 64)
        e2 = seal("OLD", 2, _t(1), "note.added", {"text": "before the upgrade"}, e1.hash)
        conn.exec_driver_sql("INSERT INTO incidents VALUES ('OLD', 'old log', 1, '+08:00', NULL, 2, ?, ?)",
                             (e2.hash, e2.t_us))
        for e in (e1, e2):
            conn.exec_driver_sql("INSERT INTO events VALUES ('OLD', ?, 1, ?, ?, ?, ?, ?)",
                                 (e.seq, e.t_us, e.type, json_.dumps(e.payload, sort_keys=True, separators=(",", ":")),
                                  e.prev_hash, e.hash))
    engine.dispose()
    with EventStore(db) as s:
        assert s.incident("OLD").exercise is True
        s.append("OLD", "note.added", {"text": "after"}, _t(2))
        r = verify_incident(s, "OLD")
    assert r.intact
    assert r.anchor["committed_seq"] == 3
    assert '"i":"OLD","s":2,' in (tmp_path / "old.db.heads").read_text(encoding="utf-8")
