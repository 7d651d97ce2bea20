"""Personal data encrypted at rest, the blind-index search, the data key and the recovery key, private files."""
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.desk import Desk
from app.storage import crypto
from app.storage.db import Store
from tests.conftest import sign_in_tester

NAME, PHONE, ID_NUMBER, ADDRESS = "欧阳虚构", "13912345678", "11010519491231002X", "测试市虚构区梧桐路88号"
SECRETS = [NAME, PHONE, ID_NUMBER, ADDRESS]


def _known(make_complaint):
    return make_complaint(consumer={"name": NAME, "phone": PHONE, "id_number": ID_NUMBER, "address": ADDRESS})


def _raw_bytes(*paths: Path) -> bytes:
    return b"".join(p.read_bytes() for p in paths if p.exists())


def _assert_absent(blob: bytes) -> None:
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le", "gb18030"):
            assert secret.encode(encoding) not in blob, (secret, encoding)


def _checkpoint(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


@pytest.mark.sqlite_only
def test_no_plain_personal_data_in_database_wal_audit_or_backup(desk, make_complaint, tmp_path):
    case = desk.cases.add(_known(make_complaint))
    desk.cases.show(case["case_no"])
    assert desk.cases.search(PHONE)[0]["case_no"] == case["case_no"]
    desk.cases.search(NAME)
    db = Path(desk.store.url.database)
    wal = Path(f"{db}-wal")
    assert wal.exists() and wal.stat().st_size > 0
    _assert_absent(_raw_bytes(db, wal))  # before the checkpoint: the WAL holds only ciphertext too
    desk.backup.to_file(tmp_path / "b.ldbk")
    _checkpoint(db)
    _assert_absent(_raw_bytes(db, wal, tmp_path / "b.ldbk"))
    import zipfile

    with zipfile.ZipFile(tmp_path / "b.ldbk") as zf:
        _assert_absent(zf.read("liaison.sqlite"))
    _assert_absent(json.dumps(desk.audit.entries(), ensure_ascii=False).encode())
    # the desk itself still reads it all
    shown = desk.cases.show(case["case_no"]).as_json()["consumer"]
    assert (shown["name"], shown["phone"], shown["id_number"], shown["address"]) == tuple(SECRETS)


@pytest.mark.sqlite_only
def test_each_value_has_its_own_nonce_and_column_binding(desk, make_complaint):
    desk.cases.add(_known(make_complaint))
    desk.cases.add(_known(make_complaint))
    conn = sqlite3.connect(desk.store.url.database)
    rows = conn.execute("SELECT name, phone, id_number, address FROM consumers").fetchall()
    conn.close()
    assert rows[0][0] != rows[1][0] and all(v.startswith("v1:") for v in rows[0])
    key = crypto.attached(desk.store.engine)
    assert key.decrypt(rows[0][1], "consumers.phone") == PHONE
    with pytest.raises(crypto.KeyMismatch):  # a phone token pasted into the name column does not open
        key.decrypt(rows[0][1], "consumers.name")


def test_existing_plain_rows_are_encrypted_by_the_migration(tmp_path):
    from alembic import command
    from alembic.config import Config

    from app.storage.db import MIGRATIONS

    db = tmp_path / "old.db"
    old = Store(f"sqlite:///{db}", migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    with old.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO consumers (name, phone, id_number, address, \"group\", consent_to_share) "
                             "VALUES (?, ?, ?, ?, 'none', 0)", (NAME, PHONE, ID_NUMBER, ADDRESS))
        conn.exec_driver_sql("INSERT INTO cases (case_no, kind, received_at, received_day, channel, consumer_id, "
                             "category, nature, product, brand, purchase_channel, amount_paid, amount_claimed, facts, "
                             "demands, state, rule_set, amount_recovered, advance_paid, fast_track, priority, owner, "
                             "updated_at, outcome_terms, remedy, ground_code, referred_to, advance_payer, "
                             "satisfaction, follow_up_note) VALUES ('20240105-0001', 'complaint', '2024-01-05 02:00:00',"
                             " '2024-01-05', 'visit', 1, 'food', 'quality', '月饼', '', 'store', 10, 10, '发霉', "
                             "'refund', 'registered', 'samr121', 0, 0, 0, 0, '李晓', '2024-01-05 02:00:00', '', '', "
                             "'', '', '', '', '')")
    old.dispose()
    assert NAME.encode() in _raw_bytes(db, Path(f"{db}-wal"))
    new = Store(f"sqlite:///{db}")
    sign_in_tester(new)
    desk = Desk(new)
    assert desk.cases.search(PHONE[-4:])[0]["case_no"] == "20240105-0001"
    assert desk.cases.show("20240105-0001").as_json()["consumer"]["id_number"] == ID_NUMBER
    new.dispose()
    _checkpoint(db)
    _assert_absent(_raw_bytes(db, Path(f"{db}-wal")))


def test_search_by_full_phone_last_four_and_full_name_only(desk, make_complaint, monkeypatch):
    from app.cases.service import CaseService

    # this test sweeps every piece of a number on purpose; the per-minute limit has a test of its own
    monkeypatch.setattr(CaseService, "PERSONAL_SEARCHES_PER_MINUTE", 10_000)
    case = desk.cases.add(_known(make_complaint))["case_no"]
    other = desk.cases.add(make_complaint(consumer={"phone": "13800006666"}))["case_no"]  # another consumer
    for term in (PHONE, PHONE[-4:], NAME, f" {NAME} ", "139-1234-5678"):
        assert [c["case_no"] for c in desk.cases.search(term)] == [case], term
    # every other piece of the number finds nothing: masks cannot be completed piece by piece
    for i in range(len(PHONE)):
        for j in range(i + 1, len(PHONE) + 1):
            piece = PHONE[i:j]
            if piece not in (PHONE, PHONE[-4:]) and len(piece) > 1 and piece not in case + other:
                assert desk.cases.search(piece) == [], piece
    assert desk.cases.search(NAME[:2]) == []
    entries = [e for e in desk.audit.entries() if e["action"] == "search"]
    assert any("139****5678" in e["detail"] for e in entries)
    assert any("****5678" in e["detail"] for e in entries)
    assert not any(PHONE in e["detail"] or NAME in e["detail"] for e in entries)


def test_database_and_key_file_are_private(tmp_path, monkeypatch):
    old = os.umask(0o022)  # a permissive umask: the desk still makes its files private
    try:
        store = Store(f"sqlite:///{tmp_path / 'data' / 'p.db'}")
        sign_in_tester(store)
        Desk(store).settings.put({"point.name": "测试点"})
        for p in (tmp_path / "data" / "p.db", tmp_path / "data" / "p.db-wal", tmp_path / "data" / "p.db-shm"):
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        keys = Path(os.environ["LIAISON_KEY_DIR"])
        assert stat.S_IMODE(keys.stat().st_mode) == 0o700
        key_files = list(keys.glob("*.key"))
        assert len(key_files) == 1 and stat.S_IMODE(key_files[0].stat().st_mode) == 0o600
        store.dispose()
    finally:
        os.umask(old)


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, timeout=60)


def test_second_desk_without_the_key_is_told_to_import_it(tmp_path, cli, make_complaint):
    code, out, _ = cli("case", "add", "--json", stdin=json.dumps(_known(make_complaint)))
    assert code == 0
    case_no = json.loads(out)["case_no"]
    code, _, err = cli("key", "export", "-o", str(tmp_path / "recovery.txt"))
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "recovery.txt").stat().st_mode) == 0o600
    other = dict(os.environ, LIAISON_KEY_DIR=str(tmp_path / "other-computer"))
    done = _run("case", "show", case_no, env=other)
    assert done.returncode == 1 and "liaison key import" in done.stderr and "Traceback" not in done.stderr
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(crypto.DataKey.generate().recovery_text())
    done = _run("key", "import", str(wrong), env=other)
    assert done.returncode == 1 and "不符" in done.stderr
    done = _run("key", "import", str(tmp_path / "recovery.txt"), env=other)
    assert done.returncode == 0, done.stderr
    done = _run("case", "show", case_no, "--json", env=other)
    assert done.returncode == 0 and json.loads(done.stdout)["consumer"]["phone"] == PHONE


def test_recovery_key_round_trip_and_typing_forgiveness():
    key = crypto.DataKey.generate()
    text = key.recovery_text()
    assert len(text.split("-")) == 13
    again = crypto.parse_recovery(text.lower().replace("-", " "))
    assert again.raw == key.raw and again.check == key.check
    with pytest.raises(crypto.FieldError):
        crypto.parse_recovery(text[:-2])


def test_bytes_are_sealed_with_their_own_nonce_and_bound_to_their_place():
    key = crypto.DataKey.generate()
    a, b = key.seal(b"scan of a receipt", "attachment:1:0"), key.seal(b"scan of a receipt", "attachment:1:0")
    assert a != b and b"receipt" not in a
    assert key.unseal(a, "attachment:1:0") == b"scan of a receipt"
    with pytest.raises(crypto.KeyMismatch):
        key.unseal(a, "attachment:2:0")


def test_demo_cases_are_encrypted_and_found_by_phone(desk, store):
    from app.cases import demo

    demo.generate(store, 5)
    case = desk.cases.list()[0]
    phone = desk.cases.show(case["case_no"]).as_json()["consumer"]["phone"]
    assert case["case_no"] in [c["case_no"] for c in desk.cases.search(phone)]


@pytest.fixture
def file_keyring(tmp_path, monkeypatch):
    """A real keyring backend that keeps its secrets in a file (keyrings.alt), chosen as a user would:
    PYTHON_KEYRING_BACKEND; its file in a temporary data folder."""
    import keyring
    import keyring.core

    before = keyring.get_keyring()
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "keyring-data"))
    monkeypatch.delenv("LIAISON_KEYRING")
    keyring.core.init_backend()
    backend = keyring.get_keyring()
    assert type(backend).__name__ == "PlaintextKeyring"
    assert str(tmp_path / "keyring-data") in backend.file_path
    yield backend
    keyring.set_keyring(before)


def test_the_data_key_is_kept_in_the_keyring_when_one_works(file_keyring, tmp_path, make_complaint):
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    store = Store(url)
    sign_in_tester(store)
    desk = Desk(store)
    case_no = desk.cases.add(_known(make_complaint))["case_no"]
    key_id = crypto.record(store.engine.connect()).key_id
    assert "PlaintextKeyring" in crypto.where_kept()
    assert not list((tmp_path / "keys").glob("*.key"))  # no key file: the keyring holds it (the chain's anchor is a file)
    kept = file_keyring.get_password(crypto.SERVICE, key_id)
    assert crypto.parse_recovery(kept).check == crypto.attached(store.engine).check
    store.dispose()

    reopened = Store(url)  # the key comes back from the keyring
    assert reopened.key_problem is None
    reopened.identity = store.identity
    assert Desk(reopened).cases.show(case_no).as_json()["consumer"]["phone"] == PHONE
    reopened.dispose()

    file_keyring.delete_password(crypto.SERVICE, key_id)  # a new computer: the keyring lacks it
    lost = Store(url)
    assert isinstance(lost.key_problem, crypto.KeyMissing)
    lost.identity = store.identity  # signed in, then asked for the recovery key
    lost_desk = Desk(lost)
    lost_desk.keys.import_key(text=kept)  # the recovery key typed in goes back into the keyring
    assert lost.key_problem is None
    assert file_keyring.get_password(crypto.SERVICE, key_id) == kept.strip()
    assert lost_desk.audit.verify().ok  # what was written before the key was there is sealed now
    lost.dispose()
