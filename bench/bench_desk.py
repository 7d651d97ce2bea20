"""Desk benchmarks: main window with N cases, save + receipt, GUI memory; each beside a reference.

Run: .venv/bin/python bench/bench_desk.py [--cases 100000] [--db bench/out/bench.db]
     (an existing `liaison demo` database with at least --cases cases is used as it is)
Targets (issue 10): window shown <= 3x the bare QMainWindow+QTableView; GUI memory <= 150 MB at 1M;
monthly figures <= 0.3 s at 100k and <= 2 s at 1M, its PDF <= 1 s more; save + receipt <= 50 ms.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def show(mode: str, db: str, runs: int) -> dict:
    """Median over several launches of a fresh process (warm disk cache after the first)."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "PYTHONPATH": str(ROOT)}
    results = []
    for _ in range(runs + 1):
        env["BENCH_LAUNCHED"] = repr(time.time())
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "show_window.py"), mode, db], env=env,
                             capture_output=True, text=True, check=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    results = results[1:]  # the first launch only warms the caches
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def reference_receipt_ms(runs: int) -> float:
    """A one-page ReportLab document in the same font: the bare cost of a receipt."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from app.printing import layout

    styles = layout.styles()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4)
        doc.build([Paragraph("投诉登记回执 " + "消费者称购买后不久即出现故障。" * 20, styles["body"])])
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def save_and_receipt_ms(db: str, runs: int) -> tuple[float, float, float]:
    from bench.signed_in import open_desk

    desk = open_desk(db)  # saving needs a member signed in, as at the desk
    case = {"kind": "complaint", "consumer": {"name": "王某兰", "phone": "19900001234"},
            "merchant": {"name": "演示电器城（演示）"}, "category": "appliances", "nature": "quality",
            "product": "电热水壶", "amount_paid": "299", "amount_claimed": "299",
            "facts": "购买三天后底座漏电，经营者拒绝退货。", "demands": ["refund"]}
    desk.documents.receipt_pdf(desk.cases.add(case)["case_no"])  # font loaded, caches warm: as in the running app
    saves, receipts = [], []
    for _ in range(runs):
        t = time.perf_counter()
        no = desk.cases.add(case)["case_no"]
        t2 = time.perf_counter()
        desk.documents.receipt_pdf(no)
        t3 = time.perf_counter()
        saves.append(t2 - t)
        receipts.append(t3 - t2)
    save, receipt = statistics.median(saves) * 1000, statistics.median(receipts) * 1000
    return save, receipt, save + receipt


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", default=str(ROOT / "bench" / "out" / "bench.db"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db_path = Path(args.db)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{db_path}"

    from sqlalchemy import func, select

    from app.cases import demo
    from app.storage.db import Store
    from app.storage.models import Case

    store = Store(url)
    with store.read() as s:
        have = s.scalar(select(func.count(Case.id)))
    if have < args.cases:
        t = time.perf_counter()
        store.require_key()
        demo.generate(store, args.cases - have)
        print(f"demo data: {args.cases - have} cases generated in {time.perf_counter() - t:.1f} s")
    with store.read() as s:
        total = s.scalar(select(func.count(Case.id)))
    store.dispose()
    from bench.signed_in import open_desk

    open_desk(url).store.dispose()  # the point named and a member made: no first-start dialog in the window
    print(f"database: {total} cases ({db_path.stat().st_size / 2**20:.0f} MiB)")

    bare = show("bare", "", args.runs)
    desk = show("desk", url, args.runs)
    ratio = desk["shown_s"] / bare["shown_s"]
    print(f"window shown:   desk {desk['shown_s']:.3f} s   bare QMainWindow+QTableView {bare['shown_s']:.3f} s"
          f"   ratio {ratio:.2f}x (target < 3x)")
    print(f"list filled:    desk {desk['filled_s']:.3f} s (first page of {total} cases with their deadlines)   "
          f"ratio to bare window {desk['filled_s'] / bare['shown_s']:.2f}x")
    print(f"GUI memory:     desk {desk['rss_mib_shown']:.0f} MiB shown, {desk['rss_mib_scrolled']:.0f} MiB after "
          f"scrolling through {desk['rows_loaded']:.0f} rows ({desk['rows_kept']:.0f} kept)   "
          f"bare {bare['rss_mib_shown']:.0f} MiB (target <= 150 MB)")
    report_desk = open_desk(url)
    month = f"{time.localtime().tm_year:04d}-{time.localtime().tm_mon:02d}"
    t = time.perf_counter()
    report_desk.reports.monthly(month)
    figures_s = time.perf_counter() - t
    t = time.perf_counter()
    report_desk.documents.monthly_pdf(month)
    pdf_s = time.perf_counter() - t
    print(f"monthly report: figures {figures_s:.2f} s, PDF with charts {pdf_s:.2f} s (figures included) over "
          f"{total} cases (target: figures <= 0.3 s at 100k, <= 2 s at 1M; PDF <= 1 s more)")
    save, receipt, both = save_and_receipt_ms(url, 20)
    ref = reference_receipt_ms(20)
    print(f"save + receipt: {both:.1f} ms (save {save:.1f} ms, receipt {receipt:.1f} ms)   "
          f"bare ReportLab one-page {ref:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
