"""Saving a year's holiday arrangement recomputes every open case's due dates in the same transaction.

Run: .venv/bin/python bench/bench_due_dates.py [--cases 20000]
Prints the time of `desk.calendar.save_year` (recompute included) beside a reference measured in the
same run: one UPDATE of every open case's four due-date columns (the write the recompute needs at most).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from sqlalchemy import func, select, update

    from app.cases import demo
    from app.desk import Desk
    from app.storage.db import Store
    from app.storage.models import Case

    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.db'}")
        demo.generate(store, args.cases)
        desk = Desk(store)
        with store.read() as s:
            open_cases = s.scalar(select(func.count(Case.id)).where(Case.state != "closed"))
        start = time.perf_counter()
        with store.write() as s:  # the reference: touch the same columns of the same rows, then undo
            s.execute(update(Case).where(Case.state != "closed").values(
                acceptance_due=Case.acceptance_due, mediation_due=Case.mediation_due,
                follow_up_due=Case.follow_up_due, notice_due=Case.notice_due))
        reference = time.perf_counter() - start
        holidays = [dt.date(2027, 1, 1), *[dt.date(2027, 2, d) for d in range(5, 12)]]
        start = time.perf_counter()
        changed = desk.calendar.save_year(2027, holidays, [dt.date(2026, 12, 26)], "bench")
        took = time.perf_counter() - start
        store.dispose()
    print(f"{args.cases} cases, {open_cases} not closed: save_year with recompute {took * 1000:.0f} ms "
          f"({changed} changed); reference (one UPDATE of those rows' due dates) {reference * 1000:.0f} ms")


if __name__ == "__main__":
    main()
