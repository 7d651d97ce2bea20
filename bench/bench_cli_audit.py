"""`liaison` commands at scale, now that a start checks the audit chain only since its checkpoint (issue 27).

Run: .venv/bin/python bench/bench_cli_audit.py [--cases 20000 1000000] [--db 1000000=/path/to/demo.db]
     [--runs 5] [--full-check] [--check]
Each size is a `liaison demo --cases N` database (made in bench/out/ unless --db names one; 1M takes
~5 min to make). `liaison settings` and `liaison case show NO` are timed as fresh processes (median of
--runs, the sizes taking turns, after one warm-up run reported apart: on a database without a
checkpoint yet it walks the whole chain once and leaves the checkpoint behind), each beside the same
command on the reference database (one demo case: `case show` needs one) and the ratio. Every
`case show` records a view, so every run after the first checks one new link, as at a desk. The
start's check itself (desk.audit.verify(full=False), in this process) is timed too: the figure the
machine's load does not blur.
Target (issue 27): within 30% of the reference at 20k and at 1M cases (--check exits 1 otherwise).
--full-check also times `liaison audit --verify` and `liaison audit --verify --full` once per database.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
REFERENCE = 1  # cases in the reference database: "empty", but with a case to show
TARGET = 1.30


def liaison(db: Path, *args: str) -> float:
    """Seconds one `liaison` process takes, start to exit (it must succeed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "app", *args, "--db", str(db)], env=env, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"liaison {' '.join(args)} --db {db} failed ({done.returncode}):\n{done.stderr}")
    if "警告" in done.stderr:
        raise SystemExit(f"liaison {' '.join(args)}: {done.stderr.strip()}")
    return elapsed


def database(cases: int, given: dict[int, Path]) -> Path:
    if cases in given:
        return given[cases]
    path = OUT / f"cli-audit-{cases}.db"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        print(f"making {path} ({cases} demo cases) …", flush=True)
        t = time.perf_counter()
        liaison(path, "demo", "--cases", str(cases))
        print(f"  made in {time.perf_counter() - t:.0f} s", flush=True)
    return path


def last_case(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT case_no FROM cases ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        con.close()
    if row is None:
        raise SystemExit(f"{db}: no case to show")
    return row[0]


def commands(db: Path) -> dict[str, tuple[str, ...]]:
    return {"settings": ("settings",), "case show": ("case", "show", last_case(db))}


def measure(dbs: dict[int, Path], runs: int) -> dict[int, dict[str, tuple[float, float, float]]]:
    """Per size and command: (warm-up, median, fastest) seconds. The sizes take turns run by run, so a
    machine busy with other work for a while slows them alike (the ratio is what counts)."""
    todo = {n: commands(db) for n, db in dbs.items()}
    first = {n: {name: liaison(dbs[n], *args) for name, args in cmds.items()} for n, cmds in todo.items()}
    times: dict[int, dict[str, list[float]]] = {n: {name: [] for name in cmds} for n, cmds in todo.items()}
    for _ in range(runs):
        for n, cmds in todo.items():
            for name, args in cmds.items():
                times[n][name].append(liaison(dbs[n], *args))
    return {n: {name: (first[n][name], statistics.median(t), min(t)) for name, t in per.items()}
            for n, per in times.items()}


def check_ms(db: Path, runs: int) -> float:
    """Median ms of the start's audit check (since the checkpoint) in this process, one new link each time."""
    sys.path.insert(0, str(ROOT))
    from app.desk import Desk
    from app.storage.db import Store

    store = Store(str(db))
    try:
        desk = Desk(store)
        desk.accounts.sign_in_os_user()
        desk.audit.verify(full=False)
        times = []
        for _ in range(runs):
            desk.cases.record_view(last_case(db))
            t = time.perf_counter()
            result = desk.audit.verify(full=False)
            times.append((time.perf_counter() - t) * 1000)
            assert result.ok and result.checked == 1, result
        return statistics.median(times)
    finally:
        store.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[20_000], help="sizes to time (default 20000)")
    parser.add_argument("--db", action="append", default=[], metavar="N=FILE",
                        help="an existing `liaison demo` database of N cases (SQLite file)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full-check", action="store_true", help="also time audit --verify [--full] once")
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio is above 1.30")
    args = parser.parse_args()
    given = {}
    for item in args.db:
        n, _, file = item.partition("=")
        given[int(n)] = Path(file).resolve()
    dbs = {REFERENCE: database(REFERENCE, given)} | {n: database(n, given) for n in args.cases}
    timed = measure(dbs, args.runs)
    reference = timed[REFERENCE]
    print(f"reference ({REFERENCE} case): " + ", ".join(f"{k} {v[1] * 1000:.0f} ms (fastest {v[2] * 1000:.0f} ms)"
                                                        for k, v in reference.items()))
    worst = 0.0
    for cases in args.cases:
        for name, (first, median, fastest) in timed[cases].items():
            ratio = median / reference[name][1]
            worst = max(worst, ratio)
            print(f"{cases:>9} cases  liaison {name:<10} {median * 1000:6.0f} ms  (reference "
                  f"{reference[name][1] * 1000:.0f} ms, ratio {ratio:.2f}; fastest {fastest * 1000:.0f} ms beside "
                  f"{reference[name][2] * 1000:.0f} ms; first run {first * 1000:.0f} ms)", flush=True)
    print("the start's audit check alone: " + ", ".join(f"{n} cases {check_ms(db, args.runs):.1f} ms"
                                                         for n, db in dbs.items()), flush=True)
    if args.full_check:
        for cases in args.cases:
            since = liaison(dbs[cases], "audit", "--verify")
            full = liaison(dbs[cases], "audit", "--verify", "--full")
            print(f"{cases:>9} cases  audit --verify {since * 1000:.0f} ms, audit --verify --full {full:.1f} s",
                  flush=True)
    verdict = "within" if worst <= TARGET else "NOT within"
    print(f"worst ratio {worst:.2f}: {verdict} {TARGET - 1:.0%} of the reference")
    return 0 if worst <= TARGET or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
