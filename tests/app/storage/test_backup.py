"""Backups: consistent online copy, verified restore that refuses junk, atomic files, daily rotation."""
import datetime as dt
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from app.core.errors import FieldError
from app.storage import backup

TZ = backup.LOCAL_TZ


@pytest.fixture
def supervisor(desk):
    assert desk.accounts.current.is_supervisor  # the tester (tests/conftest.py)
    return desk


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.sqlite_only
def test_backup_and_restore_round_trip_keeps_the_current_database_aside(supervisor, make_complaint, tmp_path):
    desk = supervisor
    first = desk.cases.add(make_complaint())["case_no"]
    manifest = desk.backup.to_file(tmp_path / "a.ldbk")
    assert manifest["app"] == "liaison-desk" and manifest["cases"] == 1 and manifest["schema"]
    with zipfile.ZipFile(tmp_path / "a.ldbk") as zf:
        inner = json.loads(zf.read("manifest.json"))
        assert hashlib.sha256(zf.read("liaison.sqlite")).hexdigest() == inner["sha256"]
    later = desk.cases.add(make_complaint())["case_no"]
    result = desk.backup.restore(tmp_path / "a.ldbk")
    assert [c["case_no"] for c in desk.cases.list()] == [first]
    aside = Path(result["kept_aside"])
    assert aside.exists() and "before-restore" in aside.name
    conn = sqlite3.connect(aside)
    assert {r[0] for r in conn.execute("SELECT case_no FROM cases")} == {first, later}
    conn.close()
    assert desk.cases.show(first).as_json()["consumer"]["phone"] == "13900001234"  # same key: still readable
    assert any(e["action"] == "restore" for e in desk.audit.entries())


def _junk_files(tmp_path: Path, good: Path) -> dict[str, Path]:
    data = good.read_bytes()
    files = {"missing": tmp_path / "nope.ldbk", "folder": tmp_path}
    (tmp_path / "junk.ldbk").write_bytes(os.urandom(5000))
    files["junk"] = tmp_path / "junk.ldbk"
    (tmp_path / "half.ldbk").write_bytes(data[: len(data) // 2])
    files["truncated"] = tmp_path / "half.ldbk"
    (tmp_path / "empty.ldbk").write_bytes(b"")
    files["empty"] = tmp_path / "empty.ldbk"
    with zipfile.ZipFile(tmp_path / "other.ldbk", "w") as zf:
        zf.writestr("manifest.json", json.dumps({"app": "someone-else"}))
    files["foreign"] = tmp_path / "other.ldbk"
    # a backup whose database was changed after the manifest was written
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tmp_path / "tampered.ldbk", "w") as dst:
        dst.writestr("manifest.json", src.read("manifest.json"))
        db = bytearray(src.read("liaison.sqlite"))
        db[len(db) // 2] ^= 0xFF
        dst.writestr("liaison.sqlite", bytes(db))
    files["tampered"] = tmp_path / "tampered.ldbk"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tmp_path / "newer.ldbk", "w") as dst:
        manifest = json.loads(src.read("manifest.json"))
        dst.writestr("manifest.json", json.dumps(manifest | {"schema": "9999"}))
        dst.writestr("liaison.sqlite", src.read("liaison.sqlite"))
    files["newer"] = tmp_path / "newer.ldbk"
    return files


@pytest.mark.sqlite_only
def test_restore_refuses_missing_truncated_junk_and_foreign_files_changing_nothing(supervisor, make_complaint,
                                                                                   tmp_path, cli):
    supervisor.cases.add(make_complaint())
    good = tmp_path / "good.ldbk"
    supervisor.backup.to_file(good)
    supervisor.cases.add(make_complaint())
    db = Path(supervisor.store.url.database)
    before = sorted(c["case_no"] for c in supervisor.cases.list())
    (tmp_path / "x").mkdir()
    for what, path in _junk_files(tmp_path / "x", good).items():
        code, out, err = cli("restore", str(path))
        assert code == 1, (what, err)
        assert err.startswith("错误：【file】") and "Traceback" not in err, (what, err)
    assert sorted(c["case_no"] for c in supervisor.cases.list()) == before
    assert not list(db.parent.glob("*before-restore*"))


@pytest.mark.sqlite_only
def test_backup_is_consistent_while_another_desk_keeps_writing(supervisor, make_complaint, tmp_path):
    from app.desk import Desk
    from app.storage.db import Store

    other = Desk(Store(supervisor.store.url.render_as_string(hide_password=False)))
    other.accounts.sign_in_os_user()  # the tester's account is linked to the OS user
    errors: list[Exception] = []
    stop = threading.Event()

    def keep_writing():
        try:
            while not stop.is_set():
                other.cases.add(make_complaint())
        except Exception as e:  # noqa: BLE001 - the test reports it
            errors.append(e)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        time.sleep(0.2)
        for i in range(3):
            supervisor.backup.to_file(tmp_path / f"live{i}.ldbk")
    finally:
        stop.set()
        writer.join()
    assert not errors
    for i in range(3):
        with _tmp(tmp_path / f"v{i}") as work:
            manifest, copy = backup.verify(tmp_path / f"live{i}.ldbk", work)
            conn = sqlite3.connect(copy)
            cases, events = conn.execute("SELECT count(*), (SELECT count(*) FROM events) FROM cases").fetchone()
            conn.close()
            assert cases == manifest.cases and events >= cases  # each case with its registration event


class _tmp:
    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.path.mkdir()
        return self.path

    def __exit__(self, *exc):
        return False


@pytest.mark.sqlite_only
def test_killed_backup_never_leaves_half_a_file(desk, tmp_path):
    # a database of some megabytes so the kill lands while the copy is being written
    with desk.store.write() as s:
        from app.storage.models import Setting

        s.add(Setting(key="filler", value=os.urandom(12_000_000).hex()))
    target = tmp_path / "out" / "killed.ldbk"
    target.parent.mkdir()
    env = dict(os.environ, LIAISON_DB=desk.store.url.render_as_string(hide_password=False))
    proc = subprocess.Popen([sys.executable, "-m", "app", "backup", "-o", str(target)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(target.parent.glob(".*")):
        time.sleep(0.001)
    assert any(target.parent.glob(".*")), "the backup never started writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not target.exists()
    backup.rotate(target.parent)  # the next automatic run clears what the killed one left
    assert list(target.parent.iterdir()) == []


@pytest.mark.sqlite_only
def test_backup_into_a_missing_folder_a_device_or_a_full_disk_is_a_clear_refusal(desk, cli, tmp_path):
    code, _, err = cli("backup", "-o", str(tmp_path / "no" / "such" / "x.ldbk"))
    assert code == 1 and "不存在" in err
    code, _, err = cli("export", "-o", "/dev/full")
    assert code == 1 and "不是普通文件" in err
    assert Path("/dev/full").is_char_device()  # never replaced by a file
    # a full disk: the file-size limit makes every write past 20 kB fail as a full disk would
    import resource

    env = dict(os.environ, LIAISON_DB=desk.store.url.render_as_string(hide_password=False))

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    done = subprocess.run([sys.executable, "-m", "app", "backup", "-o", str(tmp_path / "full.ldbk")], env=env,
                          preexec_fn=small_disk, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "无法写入" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "full.ldbk").exists() and not list(tmp_path.glob(".full.ldbk.*"))


@pytest.mark.sqlite_only
def test_daily_backup_once_a_day_with_seven_daily_and_four_weekly(desk, tmp_path):
    desk.settings.put({"backup.folder": str(tmp_path / "usb")})
    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=TZ)
    made = [desk.backup.daily(start + dt.timedelta(days=d)) for d in range(60)]
    assert all(made)
    assert desk.backup.daily(start + dt.timedelta(days=59, hours=3)) is None  # once a day
    folder = desk.backup.folder()
    kept = sorted(backup._day_of(p) for p in folder.iterdir())
    last = (start + dt.timedelta(days=59)).date()
    daily = [last - dt.timedelta(days=i) for i in range(7)]
    assert set(daily) <= set(kept)
    weeks = {d.isocalendar()[:2] for d in kept}
    assert len(weeks) == 4 and len(kept) <= 7 + 4


@pytest.mark.sqlite_only
def test_backup_folder_setting_and_cli(desk, cli, tmp_path):
    desk.settings.put({"backup.folder": str(tmp_path / "usb")})
    assert desk.backup.now()["file"].startswith(str(tmp_path / "usb"))
    code, out, err = cli("backup", "-o", str(tmp_path / "c.ldbk"), "--json")
    assert code == 0, err
    assert json.loads(out)["app"] == "liaison-desk"


def test_postgresql_backup_uses_pg_dump(pg_server, tmp_path, monkeypatch):
    from app.desk import Desk
    from app.storage.db import Store
    from tests.conftest import complaint, sign_in_tester

    desk = Desk(Store(pg_server.new_database()))
    sign_in_tester(desk.store)
    desk.cases.add(complaint())
    manifest = desk.backup.to_file(tmp_path / "pg.ldbk")
    assert manifest["backend"] == "postgresql" and manifest["cases"] == 1
    with zipfile.ZipFile(tmp_path / "pg.ldbk") as zf:
        assert zf.read("liaison.pgdump")[:5] == b"PGDMP"
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump here
    with pytest.raises(FieldError, match="pg_dump"):
        desk.backup.to_file(tmp_path / "none.ldbk")
    desk.store.dispose()


def _with_inner(good: Path, target: Path, inner: bytes, **manifest_changes) -> Path:
    """A backup whose manifest is right for `inner` (size, SHA-256) but whose database is `inner`."""
    with zipfile.ZipFile(good) as z:
        manifest = json.loads(z.read("manifest.json"))
    manifest.update(bytes=len(inner), sha256=hashlib.sha256(inner).hexdigest(), **manifest_changes)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr(manifest["file"], inner)
    return target


@pytest.mark.sqlite_only
def test_restore_checks_the_database_inside_before_touching_anything(supervisor, make_complaint, tmp_path, cli):
    """A backup whose manifest is right but whose database is at revision 0099, a foreign SQLite file, an
    empty one, or a ZIP that inflates a thousandfold replaced the live database before (and every later
    command failed); now each is refused and nothing changes."""
    supervisor.cases.add(make_complaint())
    good = tmp_path / "good.ldbk"
    supervisor.backup.to_file(good)
    db = Path(supervisor.store.url.database)
    before = _digest(db)
    with zipfile.ZipFile(good) as z:
        manifest = json.loads(z.read("manifest.json"))
        inner = z.read(manifest["file"])
    newer = tmp_path / "newer.sqlite"
    newer.write_bytes(inner)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    cases = {
        "0099": _with_inner(good, tmp_path / "0099.ldbk", newer.read_bytes()),
        "foreign": _with_inner(good, tmp_path / "foreign.ldbk", foreign.read_bytes()),
        "empty": _with_inner(good, tmp_path / "empty.ldbk", empty.read_bytes()),
        "fewer cases": _with_inner(good, tmp_path / "fewer.ldbk", inner, cases=manifest["cases"] + 5),
        "bomb": _with_inner(good, tmp_path / "bomb.ldbk", b"\0" * (64 << 20)),
    }
    for what, path in cases.items():
        code, _out, err = cli("restore", str(path))
        assert code == 1 and err.startswith("错误：【file】"), (what, err)
    assert _digest(db) == before and not list(db.parent.glob("*before-restore*"))
    assert cli("case", "list")[0] == 0  # and the desk still works


@pytest.mark.sqlite_only
def test_what_killed_backups_and_restores_left_is_swept(supervisor, tmp_path):
    folder = Path(supervisor.store.url.database).parent
    stale = [folder / ".liaison-restore-abc", folder / ".liaison-backup-def", folder / ".x.ldbk.12345.part.ldbk"]
    stale[0].mkdir()
    stale[1].mkdir()
    stale[2].write_bytes(b"half")
    fresh = folder / ".liaison-restore-now"
    fresh.mkdir()
    hour_ago = time.time() - 7200
    for p in stale:
        os.utime(p, (hour_ago, hour_ago))
    assert sorted(backup.sweep_leftovers(folder)) == sorted(stale)
    assert fresh.exists() and not any(p.exists() for p in stale)
