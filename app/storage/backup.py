"""Backups: a consistent online copy in a file we recognise, verified restore, daily rotation.

A backup file (`.ldbk`) is a ZIP archive holding
- `manifest.json`: {"app": "liaison-desk", "format": 1, "backend": "sqlite" | "postgresql",
  "schema": Alembic revision, "created_at": ISO time, "file": member name, "bytes": size,
  "sha256": of that member, "key_id" and "key_check": which data key the personal data needs, "cases": count};
- `liaison.sqlite` (SQLite: a page-for-page copy made with the SQLite backup API inside one read
  transaction, so other desks keep writing meanwhile) or `liaison.pgdump` (PostgreSQL: `pg_dump -Fc`).
Personal data stays encrypted inside; the data key is never in a backup. The file is written to a
temporary name, fsynced and renamed, so a crash or a kill never leaves half a backup under the name.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from app.core import clock
from app.core.clock import LOCAL_TZ
from app.core.errors import FieldError
from app.core.files import atomic_write, private_dir

APP_ID = "liaison-desk"
FORMAT = 1
SUFFIX = ".ldbk"
KEEP_DAILY, KEEP_WEEKLY = 7, 4
AUTO_NAME = re.compile(r"^liaison-(\d{8})(?:-(\d{6}))?\.ldbk$")


@dataclass(frozen=True)
class Manifest:
    app: str
    format: int
    backend: str
    schema: str
    created_at: str
    file: str
    bytes: int
    sha256: str
    key_id: str
    key_check: str
    cases: int

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_copy(source: Path, copy: Path) -> None:
    """Page-for-page copy in one step: one read snapshot (WAL), so writers are never blocked."""
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as e:  # a full disk shows up here as "disk I/O error"
        raise FieldError("output", f"无法写入“{copy.parent}”：{e}（磁盘已满或不可写？）") from None


def _facts(db_file: Path) -> tuple[str, str, str, int]:
    """(schema revision, key id, key check, number of cases) read from a SQLite file."""
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        key = conn.execute("SELECT key_id, key_check FROM data_keys").fetchone() or ("", "")
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        return schema, key[0], key[1], cases
    finally:
        conn.close()


def _now() -> str:
    return clock.now().isoformat(timespec="seconds")


def backup(store, target: Path) -> Manifest:
    """Write a backup of the store's database to `target` (atomically); returns its manifest."""
    target = Path(target)
    if not store.is_sqlite:
        return _pg_backup(store, target)
    source = Path(store.url.database)

    def produce(work: Path) -> tuple[Path, str, str, str, int]:
        copy = work / "liaison.sqlite"
        _sqlite_copy(source, copy)
        return (copy, *_facts(copy))

    return _write_package(target, "sqlite", produce, zipfile.ZIP_DEFLATED)


def _pg_backup(store, target: Path) -> Manifest:
    tool = shutil.which("pg_dump")
    if tool is None:
        raise FieldError("pg_dump", "本机没有 pg_dump（PostgreSQL 客户端工具），无法备份 PostgreSQL 数据库；"
                                    "请安装 PostgreSQL 客户端后再试")
    from sqlalchemy import text

    url = store.url.set(drivername="postgresql")
    env = dict(os.environ, PGPASSWORD=url.password or "")
    plain = url.set(password=None).render_as_string(hide_password=False)

    def produce(work: Path) -> tuple[Path, str, str, str, int]:
        dump = work / "liaison.pgdump"
        done = subprocess.run([tool, "-Fc", "--no-owner", "-f", str(dump), plain], env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise FieldError("pg_dump", f"pg_dump 失败：{done.stderr.strip()[:300]}")
        with store.engine.connect() as conn:
            schema = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            key = conn.execute(text("SELECT key_id, key_check FROM data_keys")).first() or ("", "")
            cases = conn.execute(text("SELECT count(*) FROM cases")).scalar()
        return dump, schema, key[0], key[1], cases

    return _write_package(target, "postgresql", produce, zipfile.ZIP_STORED)


def sweep_leftovers(folder: Path, older_than: float = 3600) -> list[Path]:
    """What a killed backup or restore left in `folder` (work folders, half-written .part files), once
    it is older than an hour (a backup running on another desk is left alone)."""
    import time

    gone = []
    for left in (*folder.glob(".liaison-backup-*"), *folder.glob(".liaison-restore-*"), *folder.glob(".*.part*")):
        try:
            if time.time() - left.stat().st_mtime < older_than:
                continue
            if left.is_dir():
                shutil.rmtree(left, ignore_errors=True)
            else:
                left.unlink()
            gone.append(left)
        except OSError:
            continue
    return gone


def _write_package(target: Path, backend: str, produce, compression: int) -> Manifest:
    """ZIP the database copy that `produce(work_folder)` makes, with its manifest, atomically at `target`."""
    holder: dict = {}
    if target.parent.is_dir():
        sweep_leftovers(target.parent)

    def fill(temp: Path) -> None:
        work = Path(tempfile.mkdtemp(prefix=".liaison-backup-", dir=temp.parent))
        try:
            copy, schema, key_id, key_check, cases = produce(work)
            manifest = Manifest(APP_ID, FORMAT, backend, schema, _now(), copy.name, copy.stat().st_size,
                                _sha256(copy), key_id, key_check, cases)
            with zipfile.ZipFile(temp, "w", compression, compresslevel=1 if compression else None) as zf:
                zf.writestr("manifest.json", json.dumps(manifest.as_json(), ensure_ascii=False, indent=2))
                zf.write(copy, copy.name)
            holder["manifest"] = manifest
        finally:
            shutil.rmtree(work, ignore_errors=True)

    atomic_write(target, fill)
    return holder["manifest"]


# --- verifying and restoring ---------------------------------------------------------------------

def known_revisions() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from app.storage.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return [s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()]


def _refuse(message: str) -> FieldError:
    return FieldError("file", message)


def read_manifest(path: Path) -> Manifest:
    """The manifest of a backup file; refuses anything that is not a complete backup of ours."""
    path = Path(path)
    try:
        exists, is_file = path.exists(), path.is_file()
    except OSError as e:
        raise _refuse(f"无法读取备份文件“{path}”：{e.strerror or e}") from None
    if not exists:
        raise _refuse(f"找不到备份文件“{path}”")
    if not is_file:
        raise _refuse(f"“{path}”不是文件")
    try:
        with zipfile.ZipFile(path) as zf:
            raw = zf.read("manifest.json")
            data = json.loads(raw.decode("utf-8"))
            fields = Manifest.__dataclass_fields__
            if not isinstance(data, dict) or data.get("app") != APP_ID or set(fields) - set(data):
                raise _refuse("这不是本程序的备份文件（没有可识别的备份说明）")
            manifest = Manifest(**{k: data[k] for k in fields})
            if manifest.file not in zf.namelist():
                raise _refuse("备份文件不完整：缺少数据库副本")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, json.JSONDecodeError, TypeError, ValueError) as e:
        if isinstance(e, FieldError):
            raise
        raise _refuse(f"“{path.name}”不是本程序的备份文件，或文件不完整、已损坏") from None
    except OSError as e:
        raise _refuse(f"无法读取备份文件“{path}”：{e.strerror or e}") from None
    if manifest.format > FORMAT:
        raise _refuse("备份文件来自更新版本的程序，请先升级本程序")
    return manifest


def verify(path: Path, work: Path) -> tuple[Manifest, Path]:
    """Check a backup completely and unpack its database into `work`: ours, whole, intact, not newer."""
    manifest = read_manifest(path)
    if manifest.backend != "sqlite":
        raise _refuse("这是 PostgreSQL 数据库的备份，请用 pg_restore 恢复到 PostgreSQL")
    if manifest.schema not in known_revisions():
        raise _refuse(f"备份的数据库版本（{manifest.schema}）比本程序新，请先升级本程序再恢复")
    copy = work / "restore.sqlite"
    try:
        with zipfile.ZipFile(path) as zf:
            _check_inflation(zf.getinfo(manifest.file), manifest, work)
            with zf.open(manifest.file) as src, open(copy, "wb") as dst:
                left = manifest.bytes + 1  # never more than the manifest said, whatever the ZIP claims
                while left > 0 and (block := src.read(min(left, 1 << 20))):
                    dst.write(block)
                    left -= len(block)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, KeyError) as e:
        raise _refuse(f"备份文件不完整或已损坏（{type(e).__name__}）") from None
    if copy.stat().st_size != manifest.bytes or _sha256(copy) != manifest.sha256:
        raise _refuse("备份文件已损坏：数据库副本的校验和（SHA-256）与备份说明不符")
    try:
        conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        result = "not a database"
    if result != "ok":
        raise _refuse(f"备份中的数据库未通过完整性检查：{result}")
    _check_contents(copy, manifest)
    return manifest, copy


MAX_RATIO = 200  # a database deflates to a fifth or so; a ZIP that inflates 200-fold is a bomb, not a backup


def _check_inflation(member: zipfile.ZipInfo, manifest: Manifest, work: Path) -> None:
    """Before anything is unpacked: the copy is the size the manifest says, plausible, and fits the disk."""
    if member.file_size != manifest.bytes:
        raise _refuse("备份文件已损坏：数据库副本的大小与备份说明不符")
    if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
        raise _refuse("备份文件异常：数据库副本解压后会大得不合常理，已拒绝")
    if shutil.disk_usage(work).free < manifest.bytes * 2 + (64 << 20):  # the copy, and the live database kept aside
        raise _refuse(f"磁盘空间不足：恢复需要约 {manifest.bytes * 2 / 1048576:,.0f} MB 空闲空间")


def _check_contents(copy: Path, manifest: Manifest) -> None:
    """The database inside is ours, at a revision this program knows, and holds what the manifest says: a
    foreign or empty SQLite file, or one from a newer program, never replaces the live database."""
    try:
        schema, key_id, _check, cases = _facts(copy)
    except (sqlite3.DatabaseError, TypeError):
        raise _refuse("备份中的数据库不是本程序的数据库，已拒绝恢复") from None
    if schema not in known_revisions():
        raise _refuse(f"备份中的数据库版本（{schema}）本程序不认识，请先升级本程序再恢复")
    if (schema, key_id, cases) != (manifest.schema, manifest.key_id, manifest.cases):
        raise _refuse("备份中的数据库与备份说明不符（版本、密钥或案件数不同），已拒绝恢复")


def restore(store, source: Path) -> dict:
    """Replace the store's database by a verified backup; the current one is kept aside first.

    Nothing changes unless the backup verified. From the moment the current database is copied aside
    until the restored data is in place, every desk's writes are refused (app/storage/maintenance.py):
    a write in between would be in neither file. The verified copy is raised to the live database's
    numbering before it goes in (app/storage/floors.py), so no number is ever issued twice. The copy in
    goes through the SQLite backup API in one transaction, so the database file stays where it is, other
    open connections see the restored data, and a restore killed halfway leaves the live data whole.
    """
    if not store.is_sqlite:
        raise _refuse("PostgreSQL 数据库请用 pg_restore 恢复（备份内为 pg_dump 格式）")
    from app.storage import maintenance

    live = Path(store.url.database)
    sweep_leftovers(live.parent)
    with tempfile.TemporaryDirectory(prefix=".liaison-restore-", dir=live.parent) as tmp:
        manifest, copy = verify(Path(source), Path(tmp))
        maintenance.raise_flag(store)
        try:
            aside = _aside_name(live)
            kept = Path(tmp) / "aside.sqlite"
            _sqlite_copy(live, kept)  # no desk writes now: this is the live data as it stands
            os.chmod(kept, 0o600)
            _prepare(copy, kept)
            os.replace(kept, aside)  # complete, or not there at all
            _move_anchor(store, copy)
            src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
            dst = sqlite3.connect(live, timeout=30)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
            store.engine.dispose()  # pooled connections may still hold the old schema
            store.upgrade()  # an older backup is migrated forward
            store.unlock()
        finally:
            maintenance.lower_flag(store)
    return {"restored": str(source), "kept_aside": str(aside), "schema": manifest.schema,
            "created_at": manifest.created_at, "cases": manifest.cases,
            "key_missing": store.key_problem is not None}


def _move_anchor(store, copy: Path) -> None:
    """This computer's record of the chain's head (app/staff/anchor.py) goes back to the restored head
    before the copy goes in: a restore is a rewind on purpose. The backup's chain is the start of the
    live one, so killed before the copy-in the anchor is only older, never wrong; after it, right."""
    from app.staff import anchor

    key = getattr(store.engine.dialect, "liaison_key", None)
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        check = conn.execute("SELECT key_check FROM data_keys").fetchone()
        head = conn.execute("SELECT seq, hash FROM audit_chain WHERE id = 1").fetchone()
    except sqlite3.Error:
        return
    finally:
        conn.close()
    if key is not None and check is not None and check[0] == key.check:
        seq, link = head if head else (0, "")
        anchor.reset(key, seq, link)


def _aside_name(live: Path) -> Path:
    """liaison.before-restore-20261208-093000.db; a second restore in the same second keeps both."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    aside = live.with_name(f"{live.stem}.before-restore-{stamp}{live.suffix or '.db'}")
    n = 1
    while aside.exists():
        n += 1
        aside = live.with_name(f"{live.stem}.before-restore-{stamp}-{n}{live.suffix or '.db'}")
    return aside


def _prepare(copy: Path, kept: Path) -> None:
    """The verified copy, before it goes in: numbering raised to the live data's (kept aside just now),
    and the maintenance flag up in it too, so it holds until the restore is done."""
    from app.storage import floors, maintenance

    conn = sqlite3.connect(copy)
    live = sqlite3.connect(f"file:{kept}?mode=ro", uri=True)
    try:
        with conn:  # one transaction: all of it or none
            floors.carry(live, conn)
            maintenance.carry_into(conn)
    except sqlite3.Error as e:  # a full disk, or a copy without the tables every database of ours has
        raise _refuse(f"无法准备要恢复的数据库（{e}），已停止恢复，当前数据库未改变") from None
    finally:
        live.close()
        conn.close()


# --- automatic daily backups -------------------------------------------------------------------

def default_folder() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("liaison-desk", appauthor=False)) / "backups"


def folder_from(setting: str) -> Path:
    return Path(setting).expanduser() if setting.strip() else default_folder()


def backup_now(store, folder: Path, now: dt.datetime | None = None) -> tuple[Path, Manifest]:
    now = (now or clock.now()).astimezone(LOCAL_TZ)
    folder = private_dir(Path(folder))
    target = folder / f"liaison-{now:%Y%m%d-%H%M%S}{SUFFIX}"
    return target, backup(store, target)


def due_today(folder: Path, today: dt.date) -> bool:
    return not any(_day_of(p) == today for p in _backups(folder))


def _day_of(path: Path) -> dt.date | None:
    m = AUTO_NAME.match(path.name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def _backups(folder: Path) -> list[Path]:
    if not Path(folder).is_dir():
        return []
    return sorted((p for p in Path(folder).iterdir() if _day_of(p) is not None), key=lambda p: p.name)


def rotate(folder: Path) -> list[Path]:
    """Keep the newest backup of each of the last 7 days that have one and of the last 4 weeks; remove the rest."""
    files = _backups(folder)
    newest_per_day: dict[dt.date, Path] = {}
    for p in files:  # sorted by name = by time, so the last one of a day wins
        day = _day_of(p)
        assert day is not None  # _backups() keeps only the files named by day
        newest_per_day[day] = p
    days = sorted(newest_per_day, reverse=True)
    keep = {newest_per_day[d] for d in days[:KEEP_DAILY]}
    weeks: dict[tuple[int, int], Path] = {}
    for d in sorted(newest_per_day):
        weeks[d.isocalendar()[:2]] = newest_per_day[d]
    keep |= {weeks[w] for w in sorted(weeks, reverse=True)[:KEEP_WEEKLY]}
    removed = [p for p in files if p not in keep]
    for p in removed:
        p.unlink(missing_ok=True)
    for stale in Path(folder).glob(".liaison-backup-*"):  # left by a killed backup
        shutil.rmtree(stale, ignore_errors=True)
    for stale in Path(folder).glob(".*.ldbk.*.part.ldbk"):
        stale.unlink(missing_ok=True)
    return removed


def daily(store, folder: Path, now: dt.datetime | None = None) -> Path | None:
    """The automatic backup: once a day (the first start of the day), then rotation."""
    now = (now or clock.now()).astimezone(LOCAL_TZ)
    made = None
    if due_today(folder, now.date()):
        made, _manifest = backup_now(store, folder, now)
    rotate(folder)
    return made
