"""The audit trail is one hash chain over the audit log and case events: sqlite3 tampering is found."""
import json
import sqlite3

import pytest
from alembic import command
from alembic.config import Config

from app.desk import Desk
from app.storage import db
from app.storage.db import Store
from tests.conftest import complaint


def _busy_desk(desk):
    """A few cases, moves, views and prints: rows in both tables."""
    nos = [desk.cases.add(complaint())["case_no"] for _ in range(3)]
    desk.cases.move(nos[0], "accepted")
    desk.cases.record_view(nos[1])
    desk.documents.printed("receipt", nos[2], "打印机")
    return nos


def _sql(db_url, statement, *params):
    con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    con.execute(statement, params)
    con.commit()
    con.close()


def test_every_write_is_chained_and_verifies(desk):
    _busy_desk(desk)
    result = desk.audit.verify()
    assert result.ok and result.links >= 9
    seqs = [e["seq"] for e in desk.audit.entries()]
    assert seqs == list(range(1, len(seqs) + 1))  # events and audit entries share one sequence


TAMPERING = {
    "edit event": ("UPDATE events SET actor = '别人' WHERE id = 2", "案件历史记录 #2", "被修改"),
    "edit audit": ("UPDATE audit_log SET detail = '无' WHERE action = 'view'", "审计记录", "被修改"),
    "delete event": ("DELETE FROM events WHERE id = 2", "链上第", "被删除"),
    "delete audit": ("DELETE FROM audit_log WHERE action = 'view'", "链上第", "被删除"),
    "delete last": ("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)", "最后", "被删除"),
    "insert event": ("INSERT INTO events (case_id, at, actor, action, from_state, to_state, reason_code, note) "
                     "VALUES (1, '2026-11-20 02:00:00.000000', '某人', 'move', 'registered', 'closed', '', '')",
                     "案件历史记录", "直接插入"),
    "insert audit": ("INSERT INTO audit_log (at, actor, action, case_no, detail) "
                     "VALUES ('2026-11-20 02:00:00.000000', '某人', 'view', '', '')", "审计记录", "直接插入"),
    "insert with a forged place": ("INSERT INTO audit_log (at, actor, action, case_no, detail, chain_seq, chain_hash) "
                                   "VALUES ('2026-11-20 02:00:00.000000', '某人', 'view', '', '', 999, 'ab')",
                                   "审计记录", "直接插入"),
}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("how", list(TAMPERING))
def test_sqlite3_tampering_is_detected_by_verify_and_at_every_start(how, desk, db_url, cli):
    assert desk.audit.verify().ok  # the checkpoint: before the rows tampered with
    _busy_desk(desk)
    statement, where, what = TAMPERING[how]
    _sql(db_url, statement)
    for full in (True, False):
        broken = desk.audit.verify(full=full).broken
        assert broken is not None
        assert where in broken.message() and what in broken.message()
    for check in (("--verify",), ("--verify", "--full")):
        code, out, err = cli("audit", *check, "--json")
        assert code == 1 and where in err and json.loads(out)["ok"] is False
    code, _, err = cli("case", "list")  # any start warns, and goes on
    assert code == 0 and "警告：审计记录校验未通过" in err


# --- the checkpoint: a start checks only the links after the last verified one ---------------------

def _checkpoint(store):
    from app.staff import audit

    with store.read() as s:
        return audit.read_checkpoint(s)


def _head(store):
    with store.engine.connect() as conn:
        return tuple(conn.exec_driver_sql("SELECT seq, hash FROM audit_chain WHERE id = 1").first())


def _behind_the_desk(store, statement, **params):
    """A change made outside the desk (sqlite3, psql): no sealing, no audit entry."""
    from sqlalchemy import text

    with store.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_a_check_leaves_a_checkpoint_and_the_next_walks_only_the_links_after_it(desk, store):
    from app.staff import audit

    assert _checkpoint(store) is None
    first = desk.audit.verify(full=False)  # no checkpoint yet: the whole chain, then one is made
    assert first.ok and first.full and first.checked == first.links == _head(store)[0]
    assert (_checkpoint(store).seq, _checkpoint(store).hash) == _head(store)
    no = desk.cases.add(complaint())["case_no"]
    desk.cases.record_view(no)
    again = desk.audit.verify(full=False)
    assert again.ok and not again.full and again.checked == 2 and again.links == _head(store)[0]
    assert (_checkpoint(store).seq, _checkpoint(store).hash) == _head(store)
    quiet = desk.audit.verify(full=False)
    assert quiet.ok and quiet.checked == 0
    full = desk.audit.verify()
    assert full.ok and full.full and full.links == full.checked == _head(store)[0]
    # Only forward: a desk that checked less (a moment before) cannot move it back.
    seq, link = _head(store)
    with store.engine.begin() as conn:
        previous = conn.exec_driver_sql(f"SELECT chain_hash FROM audit_log WHERE chain_seq = {seq - 1} UNION ALL "
                                        f"SELECT chain_hash FROM events WHERE chain_seq = {seq - 1}").scalar()
        assert not audit.advance_checkpoint(conn, desk.store.engine.dialect.liaison_key, seq - 1, previous)
    assert (_checkpoint(store).seq, _checkpoint(store).hash) == (seq, link)


def test_tampering_before_the_checkpoint_is_found_by_the_full_check_only(desk, store, cli):
    _busy_desk(desk)
    assert desk.audit.verify().ok  # the checkpoint is at the last link now
    _behind_the_desk(store, "UPDATE events SET actor = '别人' WHERE id = 2")
    assert desk.audit.verify(full=False).ok  # by design: a start looks only after the checkpoint
    code, out, err = cli("case", "list")
    assert code == 0 and "警告" not in err
    code, out, _ = cli("audit", "--verify", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    broken = desk.audit.verify().broken
    assert broken is not None and broken.problem == "changed" and broken.source == "event" and broken.row_id == 2
    code, out, err = cli("audit", "--verify", "--full", "--json")
    assert code == 1 and "案件历史记录 #2" in err
    assert json.loads(out)["first_broken"] == {"seq": broken.seq, "table": "event", "id": 2, "problem": "changed",
                                               "message": broken.message()}


def test_the_checkpointed_link_itself_changed_is_found_at_every_start(desk, store):
    _busy_desk(desk)
    assert desk.audit.verify().ok
    seq = _head(store)[0]
    _behind_the_desk(store, "UPDATE audit_log SET detail = '无' WHERE chain_seq = :s", s=seq)
    broken = desk.audit.verify(full=False).broken
    assert broken is not None and broken.problem == "changed" and broken.seq == seq


def test_deleting_the_newest_links_and_rewinding_the_head_is_found_at_every_start(desk, store, cli):
    """Before the checkpoint, cutting off the newest rows and setting the head back to the last one left
    was a consistent (shorter) chain; now the checkpointed link is missing."""
    _busy_desk(desk)
    assert desk.audit.verify().ok
    seq, _ = _head(store)
    kept = seq - 3
    with store.engine.connect() as conn:
        kept_hash = conn.exec_driver_sql(f"SELECT chain_hash FROM audit_log WHERE chain_seq = {kept} UNION ALL "
                                         f"SELECT chain_hash FROM events WHERE chain_seq = {kept}").scalar()
    _behind_the_desk(store, "DELETE FROM audit_log WHERE chain_seq > :k", k=kept)
    _behind_the_desk(store, "DELETE FROM events WHERE chain_seq > :k", k=kept)
    _behind_the_desk(store, "UPDATE audit_chain SET seq = :k, hash = :h", k=kept, h=kept_hash)
    for full in (False, True):
        broken = desk.audit.verify(full=full).broken
        assert broken is not None and broken.problem == "rewound" and broken.seq == seq
        assert "被删除或改写" in broken.message()
    code, _, err = cli("case", "list")
    assert code == 0 and "警告：审计记录校验未通过" in err and "回退" in err
    # New links written after the rewind take the old places: the checkpoint's is another link now.
    no = desk.cases.add(complaint())["case_no"]
    for _ in range(3):
        desk.cases.record_view(no)
    assert _head(store)[0] > seq
    broken = desk.audit.verify(full=False).broken
    assert broken is not None and broken.problem == "rewound"


@pytest.mark.parametrize("forge", ["seq", "hash", "text"])
def test_a_checkpoint_changed_without_the_key_is_reported(forge, desk, store, cli):
    _busy_desk(desk)
    assert desk.audit.verify().ok
    seq, link = _head(store)
    if forge == "seq":  # moved back (so that later links would not be checked), hash of that link kept
        with store.engine.connect() as conn:
            earlier = conn.exec_driver_sql(f"SELECT chain_hash FROM audit_log WHERE chain_seq = {seq - 2} UNION ALL "
                                           f"SELECT chain_hash FROM events WHERE chain_seq = {seq - 2}").scalar()
        _behind_the_desk(store, "UPDATE audit_checkpoint SET seq = :s, hash = :h", s=seq - 2, h=earlier)
    else:
        _behind_the_desk(store, "UPDATE audit_checkpoint SET hash = :h", h="0" * 63 + "1" if forge == "hash" else "伪造")
    for full in (False, True):
        result = desk.audit.verify(full=full)
        assert result.broken is not None and result.broken.problem == "checkpoint", result
        assert "校验点" in result.broken.message() and "伪造" in result.broken.message()
    code, out, err = cli("audit", "--verify", "--json")
    assert code == 1 and json.loads(out)["first_broken"]["problem"] == "checkpoint"
    code, _, err = cli("case", "list")
    assert code == 0 and "校验点" in err
    point = _checkpoint(store)  # left as found: the report stays until the database is restored
    assert point.seq == (seq - 2 if forge == "seq" else seq)


def test_a_checkpoint_row_deleted_means_a_full_walk_and_a_new_checkpoint(desk, store):
    _busy_desk(desk)
    assert desk.audit.verify().ok
    _behind_the_desk(store, "DELETE FROM audit_checkpoint")
    result = desk.audit.verify(full=False)
    assert result.ok and result.full and result.checked == result.links
    assert (_checkpoint(store).seq, _checkpoint(store).hash) == _head(store)


def test_cli_verify_ok_and_the_trail_filters(cli, desk):
    nos = _busy_desk(desk)
    code, out, _ = cli("audit", "--verify")
    assert code == 0 and "完好" in out
    code, out, _ = cli("audit", "--json", "--case", nos[1])
    rows = json.loads(out)
    assert {r["action"] for r in rows} == {"register", "view"} and {r["case_no"] for r in rows} == {nos[1]}
    code, out, _ = cli("audit", "--json", "--action", "print")
    year = desk.cases.show(nos[2]).as_json()["received_at"][:4]  # numbered in the print register (app/reports/print_register.py)
    assert [r["detail"] for r in json.loads(out)] == [f"打印投诉登记回执（个人信息已遮盖），文书编号 回执 {year}-000001 → 打印机"]
    code, out, _ = cli("audit", "--json", "--by", "没有这人")
    assert json.loads(out) == []


def test_reading_a_case_writes_nothing(desk):
    no = desk.cases.add(complaint())["case_no"]
    before = len(desk.audit.entries())
    desk.cases.show(no)
    desk.cases.show(no)
    assert len(desk.audit.entries()) == before
    desk.cases.record_view(no)
    assert [e["action"] for e in desk.audit.entries()][-1] == "view"


def test_cli_show_records_one_view(cli, desk):
    no = desk.cases.add(complaint())["case_no"]
    cli("case", "show", no)
    assert [e["action"] for e in desk.audit.entries()].count("view") == 1


@pytest.mark.sqlite_only
def test_the_migration_chains_rows_of_an_old_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store(url, migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    con = sqlite3.connect(tmp_path / "old.db")
    con.execute("INSERT INTO consumers (name, phone, id_number, address, \"group\", consent_to_share) "
                "VALUES ('王某', '13900001234', '', '', 'none', 0)")
    con.execute("INSERT INTO cases (case_no, kind, received_at, received_day, channel, consumer_id, category, nature, "
                "product, brand, purchase_channel, amount_paid, amount_claimed, facts, demands, state, rule_set, "
                "amount_recovered, advance_paid, fast_track, priority, owner, updated_at, outcome_terms, remedy, "
                "ground_code, referred_to, advance_payer, satisfaction, follow_up_note) VALUES ('20261120-0001', "
                "'complaint', '2026-11-20 02:00:00.000000', '2026-11-20', 'visit', 1, 'food', 'quality', '', '', "
                "'store', 0, 0, '', 'refund', 'registered', 'r', 0, 0, 0, 0, 'root', '2026-11-20 02:00:00.000000', "
                "'', '', '', '', '', '', '')")
    con.execute("INSERT INTO events (case_id, at, actor, action, from_state, to_state, reason_code, note) "
                "VALUES (1, '2026-11-20 02:00:00.000000', 'root', 'register', NULL, 'registered', '', '登记')")
    con.execute("INSERT INTO audit_log (at, actor, action, case_no, detail) "
                "VALUES ('2026-11-20 02:05:00.123456', 'root', 'view', '20261120-0001', '查看')")
    con.execute("INSERT INTO settings (key, value) VALUES ('staff.supervisors', 'root')")
    con.commit()
    con.close()
    old.dispose()
    store = Store(url)  # migrates to the head
    assert store.schema_version() == db.SCHEMA_HEAD
    desk = Desk(store)
    result = desk.audit.verify()
    assert result.ok and result.links == 2
    with store.read() as s:
        from app.storage.models import Setting

        assert s.get(Setting, "staff.supervisors") is None
    _sql(url, "UPDATE audit_log SET detail = '改过' WHERE id = 1")
    assert not desk.audit.verify().ok
    store.dispose()


def _recompute_plain_hashes(path, from_seq: int = 1) -> None:
    """What someone with sqlite3 and this file (but not the data key) does after editing a row:
    recompute every link after it, the plain SHA-256 way, and the head row."""
    from app.staff.audit import GENESIS, _audit_content, _event_content, legacy_link_hash

    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    rows = [("events", r) for r in con.execute("SELECT * FROM events")]
    rows += [("audit_log", r) for r in con.execute("SELECT * FROM audit_log")]
    rows.sort(key=lambda x: x[1]["chain_seq"])
    previous = GENESIS
    for table, r in rows:
        if r["chain_seq"] >= from_seq:
            class Row:  # the content functions read attributes; the stored times are naive UTC text
                pass
            row = Row()
            for k in r.keys():
                setattr(row, k, r[k])
            import datetime as dt
            row.at = dt.datetime.fromisoformat(r["at"])
            content = _event_content(row) if table == "events" else _audit_content(row)
            h = legacy_link_hash(previous, r["chain_seq"], content)
            con.execute(f"UPDATE {table} SET chain_hash = ? WHERE id = ?", (h, r["id"]))
            previous = h
        else:
            previous = r["chain_hash"]
    con.execute("UPDATE audit_chain SET hash = ?", (previous,))
    con.commit()
    con.close()


@pytest.mark.sqlite_only
def test_an_edit_followed_by_recomputed_hashes_is_still_found(desk, db_url, cli):
    """The links are keyed (HMAC with a key derived from the data key, which is not in the file)."""
    _busy_desk(desk)
    path = db_url.removeprefix("sqlite:///")
    _sql(db_url, "UPDATE events SET note = '改过的说明' WHERE id = 2")
    assert "被修改" in desk.audit.verify().broken.message()
    _recompute_plain_hashes(path)
    broken = desk.audit.verify().broken
    assert broken is not None and broken.seq == 1 and broken.problem == "changed"
    code, out, err = cli("audit", "--verify", "--json")
    assert code == 1 and json.loads(out)["first_broken"]["problem"] == "changed"


@pytest.mark.sqlite_only
def test_a_plain_chain_from_before_0012_is_resealed_keyed_and_old_tampering_stays_visible(tmp_path):
    from sqlalchemy import text

    def old_database(name):
        url = f"sqlite:///{tmp_path / name}"
        old = Store(url, migrate=False)
        cfg = Config()
        cfg.set_main_option("script_location", str(db.MIGRATIONS))
        with old.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0004")  # plain SHA-256 links
        with old.engine.begin() as conn:  # rows sealed the 0004 way
            conn.execute(text("INSERT INTO audit_log (at, actor, action, case_no, detail) VALUES "
                              "('2026-11-20 02:05:00.123456', '测试员', 'view', '', '查看'), "
                              "('2026-11-20 02:06:00.000000', '测试员', 'print', '', '打印')"))
        from app.staff.audit import GENESIS, _audit_content, legacy_link_hash
        from app.storage.models import AuditEntry
        with old.read() as s:
            previous = GENESIS
            for seq, entry in enumerate(s.query(AuditEntry).order_by(AuditEntry.id), start=1):
                previous = legacy_link_hash(previous, seq, _audit_content(entry))
                s.execute(text("UPDATE audit_log SET chain_seq=:s, chain_hash=:h WHERE id=:i"),
                          {"s": seq, "h": previous, "i": entry.id})
            s.execute(text("UPDATE audit_chain SET seq=:s, hash=:h"), {"s": seq, "h": previous})
            s.commit()
        old.dispose()
        return url

    url = old_database("intact.db")
    store = Store(url)  # migration 0012 re-seals with the key this computer holds
    with store.read() as s:
        assert s.execute(text("SELECT keyed FROM audit_chain")).scalar() == 1
    result = Desk(store).audit.verify()
    assert result.ok and result.links == 2
    store.dispose()

    url = old_database("tampered.db")
    _sql(url, "UPDATE audit_log SET detail = '改过' WHERE id = 2")  # before the upgrade
    store = Store(url)
    broken = Desk(store).audit.verify().broken
    assert broken is not None and broken.seq == 2 and broken.problem == "changed"
    store.dispose()


@pytest.mark.sqlite_only
def test_a_chain_migrated_without_the_key_is_keyed_only_by_a_supervisors_recorded_reseal(tmp_path, monkeypatch):
    from sqlalchemy import text

    from app.storage import crypto
    from tests.conftest import sign_in_tester

    url = f"sqlite:///{tmp_path / 'desk.db'}"
    first = Store(url)
    first.dispose()
    _sql(url, "UPDATE audit_chain SET keyed = 0")  # as 0012 leaves it on a computer without the key
    with monkeypatch.context() as m:  # another computer: no key here
        m.setattr(crypto, "load_local", lambda key_id: None)
        keyless = Store(url)
        assert keyless.key_problem is not None
        keyless.dispose()
    store = Store(url)
    with store.read() as s:  # an open with the key no longer re-seals by itself
        assert s.execute(text("SELECT keyed FROM audit_chain")).scalar() == 0
    sign_in_tester(store)
    desk = Desk(store)
    assert desk.audit.verify().broken.problem == "unkeyed"
    done = desk.audit.reseal()
    assert done["chain"] and done["waiting"] >= 1  # the sign-in's rows waited, unsealed, for it
    assert desk.audit.verify().ok
    assert [e["action"] for e in desk.audit.trail()][-1] == "reseal"
    store.dispose()


def test_the_window_s_check_in_a_process_of_its_own_finds_what_verify_finds(desk, monkeypatch):
    """verify_aside hands a long chain to another process (so the window keeps the GIL); its answer is
    verify's, intact or not."""
    import concurrent.futures

    started = []

    class Pool(concurrent.futures.ProcessPoolExecutor):  # the real pool, counted
        def submit(self, fn, *args, **kwargs):
            started.append(fn.__name__)
            return super().submit(fn, *args, **kwargs)

    _busy_desk(desk)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    aside = desk.audit.verify_aside(full=True, own_process_from=1)  # every chain counts as long here
    assert aside.ok and aside == desk.audit.verify()
    with desk.store.engine.begin() as conn:  # a change made behind the desk's back
        conn.exec_driver_sql("UPDATE events SET actor = '别人' WHERE id = 2")
    aside, here = desk.audit.verify_aside(full=True, own_process_from=1), desk.audit.verify()
    assert not aside.ok and aside == here and "被修改" in aside.broken.message()
    assert started == ["_verify_in_this_process"] * 2  # both answers came from another process
    # The start of day's check: only the links after the checkpoint, so it stays in this process
    # however long the chain, and does not see the change before it (the audit window's full check does).
    desk.cases.record_view(desk.cases.add(complaint())["case_no"])
    start = desk.audit.verify_aside(own_process_from=10)
    assert start.ok and not start.full and 0 < start.checked < 10
    assert started == ["_verify_in_this_process"] * 2


def test_two_desks_writing_and_checking_at_once_leave_a_sound_checkpoint(desk, store, db_url):
    """One desk registers cases while two others check at every start, as desks sharing a database do:
    no check sees a link past the head it read (no false alarm), and the checkpoint only moves forward
    and always names a real link."""
    import threading

    from app.staff import audit

    others = [Store(db_url) for _ in range(2)]  # two more desks (a start's check needs no one signed in)
    results, seen, stop = [], {0: [], 1: []}, threading.Event()

    def check(n, other):
        checker = Desk(other)
        while not stop.is_set():
            results.append(checker.audit.verify(full=False))
            point = _checkpoint(other)
            seen[n].append(point.seq if point else 0)

    threads = [threading.Thread(target=check, args=(n, other)) for n, other in enumerate(others)]
    for t in threads:
        t.start()
    try:
        for _ in range(6):
            desk.cases.record_view(desk.cases.add(complaint())["case_no"])
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert results and all(r.ok for r in results), [r.broken.message() for r in results if not r.ok]
    assert all(s == sorted(s) for s in seen.values())  # never moved back
    final = desk.audit.verify()
    assert final.ok
    point = _checkpoint(store)
    with store.read() as s:
        assert audit.checkpoint_holds(s, point)
    assert point.seq == _head(store)[0] and point.hash == _head(store)[1]
    for other in others:
        other.dispose()
