"""Search and list at scale: first page of every query kind and of every sort/filter, beside a LIKE scan.

Run: .venv/bin/python bench/bench_queries.py --db /path/to/demo.db   (a database made by `liaison demo`)
Targets (issue 10): search first page p95 <= 10 ms for every kind and >= 30x faster than a LIKE scan of the
same database; list first page <= 50 ms for any sort or filter. Both are timed as the window runs them
(desk.cases.rows: ids, rows, masks and deadlines of the first page it asks, with the window's collector settings).
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

    from app.cases import records
    from app.cases.records import CaseFilter
    from app.core import clock, codes
    from app.reports import worklist
    from app.storage.db import Store
    from app.storage.models import Case

    store = Store(args.db)
    with store.read() as s:
        total = s.scalar(select(func.count(Case.id)))
        sample = s.scalar(select(Case.case_no).order_by(Case.id.desc()).offset(1234).limit(1))
        merchant = s.scalar(text("SELECT name FROM merchants ORDER BY id LIMIT 1"))
        phone = s.scalars(select(Case).where(Case.id == s.scalar(select(func.max(Case.id))) - 77)).one().consumer.phone
    print(f"database: {total} cases")
    kinds = {
        "1 character": "鞋",
        "1 rare character": "漏",
        "2 characters": "故障",
        "a phrase": "协商退换未果",
        "last 4 digits": phone[-4:],
        "a full phone": phone,
        "a case number": sample,
        "a merchant fragment": merchant[2:7],
        "no match": "没有这样的事情",
    }
    from app.desk import Desk
    from ui.models.case_table_model import FIRST_PAGE, PAGE

    desk = Desk(store)
    from ui.ops import settle_heap, tune_collector
    tune_collector()  # as the window process does

    settle_heap()  # the garbage collector as the window sets it (at Python's defaults it paused runs 50 ms)
    cal = desk.calendar.current()
    today = clock.today()
    print(f"search: the first page the window asks ({FIRST_PAGE} rows, masked, with deadlines), and a full page "
          f"of {PAGE} as asked on scrolling")
    print("(speed-up: the LIKE scan's time over the first page's, then over the first page's and the count's)")
    print(f"{'query':34} {'median':>8} {'p95':>8} {'p95 200':>8} {'count':>8} {'LIKE page+count':>10} "
          f"{'page':>9} {'+count':>9}")
    worst = 0.0
    for kind, term in kinds.items():
        def first_page(term=term, size=FIRST_PAGE):
            desk.cases.rows(CaseFilter(text=term), "received_at", True, None, size, cal, today)

        def like_scan(term=term):
            # The reference: what the desk did before, a LIKE over the case text of the same database,
            # for the first page and the count of matches the window shows beside it.
            with store.read() as s:
                where = "facts LIKE :t OR product LIKE :t OR brand LIKE :t OR case_no LIKE :t"
                s.execute(text(f"SELECT id FROM cases WHERE {where} ORDER BY received_at DESC LIMIT 200"),
                          {"t": f"%{term}%"}).all()
                s.execute(text(f"SELECT count(*) FROM cases WHERE {where}"), {"t": f"%{term}%"}).scalar()

        def count(term=term):
            desk.cases.count(CaseFilter(text=term))

        median, p95 = timed(first_page, args.runs)
        _m, p95_full = timed(lambda term=term: first_page(term, PAGE), max(5, args.runs // 2))
        counted, _ = timed(count, max(3, args.runs // 5))
        ref, _ = timed(like_scan, 2)
        worst = max(worst, p95)
        print(f"{kind + ' ' + repr(term)[:18]:34} {median:7.1f}ms {p95:7.1f}ms {p95_full:7.1f}ms {counted:7.1f}ms "
              f"{ref:9.0f}ms {ref / median:8.0f}x {ref / (median + counted):8.0f}x")
    print(f"search worst p95: {worst:.1f} ms (target <= 10 ms, >= 30x the LIKE scan)")

    # 今日待办: every group counted whole (all waiting, overdue, due soon), the most urgent of each listed
    median, p95 = timed(lambda: desk.worklist.today(), max(3, args.runs // 4))
    work = desk.worklist.today()
    print(f"\nwork list (今日待办): median {median:.0f} ms, p95 {p95:.0f} ms; {work.total()} waiting "
          f"({work.overdue()} overdue, {work.soon()} due soon), {len(work.items)} listed (target <= 500 ms)")

    print(f"\n{f'list first page ({FIRST_PAGE} rows, masked, with deadlines)':52} {'median':>8} {'p95':>8}")
    worst = 0.0
    combos = [(order, desc, f) for order in records.SORT_KEYS for desc in (True, False)
              for f in (CaseFilter(), CaseFilter(state="closed"), CaseFilter(state="mediating"),
                        CaseFilter(kind="consultation"))]
    # the start page's counts open the list filtered to them (逾期, 临期, 待送达告知书 …)
    soon = worklist.soon_until(cal, today)
    combos += [(order, desc, CaseFilter(due=due, due_on=today, due_soon=soon)) for due in codes.WORK_FILTERS
               for order in ("received_at", "due") for desc in (True, False)]
    for order, desc, f in combos:
        def first(order=order, desc=desc, f=f):
            desk.cases.rows(f, order, desc, None, FIRST_PAGE, cal, today)

        median, p95 = timed(first, max(5, args.runs // 2))
        worst = max(worst, p95)
        label = f"{order} {'desc' if desc else 'asc'} {f.state or f.kind or f.due or 'all'}"
        if p95 > 25 or order in ("due", "merchant"):
            print(f"{label:52} {median:7.1f}ms {p95:7.1f}ms")
    print(f"list worst p95 over {len(combos)} sort/filter combinations: {worst:.1f} ms (target <= 50 ms)")
    # deep paging: page 5,000 by keyset
    with store.read() as s:
        t = time.perf_counter()
        cursor = None
        for _ in range(50):
            _page, cursor = records.page(s, CaseFilter(), "due", False, cursor, 200)
        print(f"keyset: 50 consecutive pages sorted by deadline in {(time.perf_counter() - t) * 1000:.0f} ms "
              f"({(time.perf_counter() - t) * 20:.1f} ms a page; OFFSET grows, keyset does not)")


if __name__ == "__main__":
    main()
