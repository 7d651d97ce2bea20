"""Backup of N cases (default 100,000): `liaison backup` time beside a plain file copy of the same database.

Run: .venv/bin/python bench/bench_backup.py [--cases 100000] [--keep DIR]
The plain copy (after a checkpoint) is what any backup must at least cost; the backup adds the SQLite
backup API's page copy inside one read snapshot, the SHA-256 and the ZIP. Verifying (restore's checks
without replacing anything) is timed too.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--keep", help="folder to keep the database in (reused when it already has the cases)")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-backup-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LIAISON_KEY_DIR", str(folder / "keys"))
    os.environ.setdefault("LIAISON_KEYRING", "off")
    from app.cases import demo
    from app.storage import backup
    from app.storage.db import Store

    db = folder / "bench.db"
    store = Store(f"sqlite:///{db}")
    with store.read() as s:
        from sqlalchemy import func, select

        from app.storage.models import Case

        have = s.scalar(select(func.count(Case.id)))
    if have < args.cases:
        t = time.perf_counter()
        demo.generate(store, args.cases - have)
        print(f"generated {args.cases - have} demo cases in {time.perf_counter() - t:.1f} s")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = db.stat().st_size

    t = time.perf_counter()
    shutil.copyfile(db, folder / "plain-copy.db")
    plain = time.perf_counter() - t

    t = time.perf_counter()
    manifest = backup.backup(store, folder / "bench.ldbk")
    took = time.perf_counter() - t

    work = folder / "verify"
    work.mkdir(exist_ok=True)
    t = time.perf_counter()
    backup.verify(folder / "bench.ldbk", work)
    verify = time.perf_counter() - t

    print(f"database: {manifest.cases} cases, {size / 1e6:.1f} MB; backup file {(folder / 'bench.ldbk').stat().st_size / 1e6:.1f} MB")
    print(f"reference plain file copy: {plain:.2f} s")
    print(f"liaison backup (online, consistent, sha256, zip): {took:.2f} s  ({took / max(plain, 1e-6):.1f}x the copy)")
    print(f"verify before restore (unzip, sha256, integrity_check): {verify:.2f} s")
    store.dispose()
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
