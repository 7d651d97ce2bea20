"""Search and list at scale: first page of every query kind and of every sort/filter, beside a LIKE scan.

Run: .venv/bin/python bench/bench_queries.py --db /path/to/demo.db   (a database made by `liaison demo`)
Targets (issue 10): search first page p95 <= 10 ms for every kind and >= 30x faster than a LIKE scan of the
same database; list first page <= 50 ms for any sort or filter.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(fn, runs: int) -> tuple[float, float]:
    """(median, p95) in ms over `runs` calls after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from sqlalchemy import func, select, text

    from app import cases, clock
    from app.cases import CaseFilter
    from app.db import Store
    from app.models import Case

    store = Store(args.db)
    with store.read() as s:
        total = s.scalar(select(func.count(Case.id)))
        sample = s.scalar(select(Case.case_no).order_by(Case.id.desc()).offset(1234).limit(1))
        merchant = s.scalar(text("SELECT name FROM merchants ORDER BY id LIMIT 1"))
        phone = s.scalars(select(Case).where(Case.id == s.scalar(select(func.max(Case.id))) - 77)).one().consumer.phone
    print(f"database: {total} cases")
    kinds = {
        "1 character": "霉",
        "2 characters": "故障",
        "a phrase": "协商退换未果",
        "last 4 digits": phone[-4:],
        "a full phone": phone,
        "a case number": sample,
        "a merchant fragment": merchant[2:7],
        "no match": "没有这样的事情",
    }
    print(f"{'search (first page of 200)':34} {'median':>8} {'p95':>8} {'LIKE scan':>10} {'speed-up':>9}")
    worst = 0.0
    for kind, term in kinds.items():
        def first_page(term=term):
            with store.read() as s:
                cases.page(s, CaseFilter(text=term), limit=200)

        def like_scan(term=term):
            # The reference: what the desk did before, a LIKE over the case text of the same database.
            with store.read() as s:
                s.execute(text("SELECT id FROM cases WHERE facts LIKE :t OR product LIKE :t OR brand LIKE :t "
                               "OR case_no LIKE :t ORDER BY received_at DESC LIMIT 200"), {"t": f"%{term}%"}).all()

        median, p95 = timed(first_page, args.runs)
        ref, _ = timed(like_scan, max(3, args.runs // 5))
        worst = max(worst, p95)
        print(f"{kind + ' ' + repr(term)[:18]:34} {median:7.1f}ms {p95:7.1f}ms {ref:9.1f}ms {ref / median:8.0f}x")
    print(f"search worst p95: {worst:.1f} ms (target <= 10 ms, >= 30x the LIKE scan)")

    print(f"\n{'list first page (200 rows, masked, with deadlines)':52} {'median':>8} {'p95':>8}")
    from app.desk import Desk

    desk = Desk(store)
    cal = desk.calendar.current()
    today = clock.today()
    worst = 0.0
    combos = [(order, desc, f) for order in cases.SORT_KEYS for desc in (True, False)
              for f in (CaseFilter(), CaseFilter(state="closed"), CaseFilter(state="mediating"),
                        CaseFilter(kind="consultation"))]
    for order, desc, f in combos:
        def first(order=order, desc=desc, f=f):
            desk.cases.rows(f, order, desc, None, 200, cal, today)

        median, p95 = timed(first, max(3, args.runs // 4))
        worst = max(worst, p95)
        label = f"{order} {'desc' if desc else 'asc'} {f.state or f.kind or 'all'}"
        if p95 > 25 or order in ("due", "merchant"):
            print(f"{label:52} {median:7.1f}ms {p95:7.1f}ms")
    print(f"list worst p95 over {len(combos)} sort/filter combinations: {worst:.1f} ms (target <= 50 ms)")
    # deep paging: page 5,000 by keyset
    with store.read() as s:
        t = time.perf_counter()
        cursor = None
        for _ in range(50):
            _page, cursor = cases.page(s, CaseFilter(), "due", False, cursor, 200)
        print(f"keyset: 50 consecutive pages sorted by deadline in {(time.perf_counter() - t) * 1000:.0f} ms "
              f"({(time.perf_counter() - t) * 20:.1f} ms a page; OFFSET grows, keyset does not)")


if __name__ == "__main__":
    main()
