"""Restore under load, with kill -9: no number is acknowledged twice and no acknowledged case goes missing.

Run: .venv/bin/python bench/bench_restore_under_load.py [--desks 2] [--trials 200] [--seed 1] [--keep DIR]

--desks desk processes (the desk's own Desk, as the window drives it) add cases in a loop against one
SQLite file and print each case number once its write committed. Each trial then runs `liaison restore`
of a backup (half the time the first one, of 5 cases; else one taken during the run); a share of the
restores (--kill-restore) and of the desk processes (--kill-desk) are killed with SIGKILL at a random
moment, killed desks are started again. At the end: cases acknowledged, numbers acknowledged twice
(must be 0), cases acknowledged after the last restore that are not in the database (must be 0), cases
acknowledged that are in no file at all, live or kept aside by a restore (must be 0: a write refused
during a restore is never acknowledged), and the temporary files left. The reference beside the load
figure: the same desks' rate in the first seconds, before any restore.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def complaint() -> dict:
    from app.core import clock

    bought = clock.today() - dt.timedelta(days=10)
    return {"kind": "complaint", "channel": "visit",
            "consumer": {"name": "王某兰", "phone": "13900001234", "group": "none", "consent_to_share": False},
            "merchant": {"name": "测试电器店（虚构）", "shop_no": "B1-023"}, "category": "appliances",
            "nature": "quality", "product": "电热水壶", "brand": "测试牌", "purchase_date": bought.isoformat(),
            "purchase_channel": "store", "amount_paid": "299.00", "amount_claimed": "299.00",
            "facts": "购买三天后底座漏电，跳闸两次，经营者拒绝退货。", "demands": ["refund"]}


def desk_process(db: str) -> None:
    """One desk: add cases until killed; `ACK number started finished` once each committed."""
    from app.core.errors import FieldError
    from app.desk import Desk
    from app.storage.db import Store

    desk = Desk(Store(db))
    desk.accounts.sign_in_os_user()
    data = complaint()
    while True:
        started = time.time()
        try:
            no = desk.cases.add(data)["case_no"]
        except FieldError as e:
            print(f"REFUSED {e.field} {started:.6f}", flush=True)
            time.sleep(0.02)
            continue
        except Exception as e:  # noqa: BLE001 - counted by the bench and shown
            print(f"ERROR {type(e).__name__}: {str(e)[:200]!r}", flush=True)
            time.sleep(0.1)
            continue
        print(f"ACK {no} {started:.6f} {time.time():.6f}", flush=True)


class Desks:
    """The desk processes and what they printed."""

    def __init__(self, db: Path, count: int):
        self.db, self.count = db, count
        self.procs: list[subprocess.Popen | None] = [None] * count
        self.acks: list[tuple[str, float, float]] = []
        self.refused = self.killed = 0
        self.longest_refused = 0.0  # the longest a desk went on being refused before a write went through
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def ensure(self) -> None:
        for i, p in enumerate(self.procs):
            if p is None or p.poll() is not None:
                p = subprocess.Popen([sys.executable, __file__, "--desk", str(self.db)], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
                threading.Thread(target=self._read, args=(p,), daemon=True).start()
                self.procs[i] = p

    def _read(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        refused_since = None
        for line in proc.stdout:
            kind, _, rest = line.strip().partition(" ")
            with self.lock:
                if kind == "ACK":
                    no, started, finished = rest.split()
                    self.acks.append((no, float(started), float(finished)))
                    if refused_since is not None:
                        self.longest_refused = max(self.longest_refused, float(started) - refused_since)
                        refused_since = None
                elif kind == "REFUSED":
                    self.refused += 1
                    refused_since = refused_since or float(rest.split()[1])
                elif kind == "ERROR":
                    self.errors.append(rest)

    def kill_one(self, rng: random.Random) -> None:
        p = rng.choice([p for p in self.procs if p is not None])
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait()
            self.killed += 1

    def stop(self) -> None:
        for p in self.procs:
            if p is not None:
                p.send_signal(signal.SIGKILL)
                p.wait()


def case_numbers(db: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT case_no FROM cases")}
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--desks", type=int, default=2)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--kill-restore", type=float, default=0.3, help="share of restores killed")
    parser.add_argument("--kill-desk", type=float, default=0.3, help="chance per trial that a desk is killed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="folder to work in (kept)")
    parser.add_argument("--desk", help=argparse.SUPPRESS)  # the desk process itself
    args = parser.parse_args()
    if args.desk:
        desk_process(args.desk)
        return
    rng = random.Random(args.seed)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-restore-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("LIAISON_KEY_DIR", str(folder / "keys"))
    os.environ.setdefault("LIAISON_KEYRING", "off")
    os.environ.setdefault("LIAISON_DATA_DIR", str(folder / "data"))
    os.environ.setdefault("LIAISON_LOG_DIR", str(folder / "logs"))  # a failed restore's traceback, kept with --keep
    from app.storage import backup, maintenance
    from bench.signed_in import open_desk

    live = folder / "data" / "liaison.db"
    live.parent.mkdir(parents=True, exist_ok=True)
    desk = open_desk(f"sqlite:///{live}")
    for _ in range(5):
        desk.cases.add(complaint())
    pool = [folder / "backup-0.ldbk"]
    backup.backup(desk.store, pool[0])
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LIAISON_DB": str(live)}

    desks = Desks(live, args.desks)
    t0 = time.time()
    desks.ensure()
    while not desks.acks:
        time.sleep(0.05)
    time.sleep(5)
    with desks.lock:
        first = min(f for _no, _s, f in desks.acks)
        reference = sum(1 for _no, _s, f in desks.acks if f > first) / (time.time() - first)
    durations: list[float] = []
    started = completed = killed = failed = 0
    killed_after_aside = 0
    last_restore_end = time.time()
    load_start = time.time()
    acks_at_load_start = len(desks.acks)
    for trial in range(args.trials):
        desks.ensure()
        time.sleep(rng.uniform(0.1, 0.6))
        if rng.random() < args.kill_desk:
            threading.Timer(rng.uniform(0, 1.5), lambda: desks.kill_one(rng)).start()
        if trial % 10 == 9:  # a newer backup joins the pool (taken online, while the desks write)
            pool.append(folder / f"backup-{trial}.ldbk")
            backup.backup(desk.store, pool[-1])
        source = pool[0] if rng.random() < 0.5 else rng.choice(pool)
        asides = len(list(live.parent.glob("*before-restore*")))
        proc = subprocess.Popen([sys.executable, "-m", "app", "restore", str(source)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        started += 1
        t = time.time()
        if rng.random() < args.kill_restore:
            typical = statistics.median(durations) if durations else 1.5
            try:
                proc.wait(rng.uniform(0.6, 1.05) * typical)  # most of a restore's time is the start
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
        err = proc.communicate()[1]
        last_restore_end = time.time()
        if proc.returncode == -signal.SIGKILL:
            killed += 1
            killed_after_aside += len(list(live.parent.glob("*before-restore*"))) > asides
        elif proc.returncode == 0:
            completed += 1
            durations.append(last_restore_end - t)
        else:
            failed += 1
            print(f"restore failed ({proc.returncode}): {err.strip()[:300]}")
    time.sleep(2)  # the desks go on after the last restore
    load_seconds = time.time() - load_start
    desks.stop()
    with desks.lock:
        acks = list(desks.acks)
    under_load = (len(acks) - acks_at_load_start) / load_seconds

    # after the run: a desk writes (a flag left by a killed restore does not hold it up)
    flag_left = _flag(live, maintenance.KEY) is not None
    desk.store.engine.dispose()
    try:
        desk.cases.add(complaint())
        write_after = "ok"
    except Exception as e:  # noqa: BLE001 - reported
        write_after = f"refused: {e}"
    final = case_numbers(live)
    kept_aside = set().union(*(case_numbers(p) for p in live.parent.glob("*before-restore*")))
    numbers = Counter(no for no, _s, _f in acks)
    twice = sum(1 for n in numbers.values() if n > 1)
    lost_after = [no for no, s, _f in acks if s > last_restore_end and no not in final]
    nowhere = [no for no in numbers if no not in final and no not in kept_aside]
    leftovers = [p for pattern in (".liaison-restore-*", ".liaison-backup-*", ".*.part*")
                 for p in live.parent.glob(pattern)]
    swept = backup.sweep_leftovers(live.parent, older_than=0)
    conn = sqlite3.connect(live)
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    chain = desk.audit.verify()  # every link, the sealed facts and this computer's anchor
    chain_text = "intact" if chain.ok else chain.broken.message()

    print(f"restore under load: {args.desks} desk processes, {args.trials} trials, seed {args.seed}, "
          f"{time.time() - t0:.0f} s")
    print(f"reference (the desks alone, 5 s before any restore): {reference:.1f} cases/s acknowledged")
    print(f"under restores and kills: {under_load:.1f} cases/s acknowledged")
    print(f"restores: {started} started, {completed} completed (median {statistics.median(durations or [0]):.2f} s), "
          f"{killed} killed with SIGKILL ({killed_after_aside} of them after the copy aside), {failed} failed")
    print(f"desk processes killed with SIGKILL: {desks.killed} (each started again)")
    print(f"writes refused while a restore ran: {desks.refused} (the longest a desk was refused: "
          f"{desks.longest_refused:.2f} s); desk errors: {len(desks.errors)}"
          + (f" (first: {desks.errors[0]})" if desks.errors else ""))
    print(f"cases acknowledged: {len(acks)}")
    print(f"duplicate numbers (acknowledged twice): {twice}")
    print(f"acknowledged after the last restore and lost: {len(lost_after)}")
    print(f"acknowledged and in no file (neither live nor kept aside): {len(nowhere)}")
    print(f"leftover temp files: {len(leftovers)} (from killed restores; {len(swept)} removed by the sweep)")
    print(f"maintenance flag up after the run: {'yes' if flag_left else 'no'}; a write after the run: {write_after}")
    print(f"integrity_check of the live database: {integrity}")
    print(f"audit chain, sealed facts and anchor (audit --verify --full): {chain_text} ({chain.links} links)")
    desk.store.dispose()
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    if twice or lost_after or nowhere or write_after != "ok" or integrity != "ok":
        raise SystemExit(1)


def _flag(db: Path, key: str) -> str | None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


if __name__ == "__main__":
    main()
