"""Export of the ledger to .xlsx over a large database (issue 10 target: 100k rows ≤ 15 s).

Prints the export's time and rows beside a reference measured in the same run: openpyxl's write-only
mode (through lxml) writing the same number of rows and columns of fixed text. That is the floor of an
export made with openpyxl, which the desk used before; it now writes the sheet itself (app/ledger/xlsx_stream).

Run: .venv/bin/python bench/bench_export.py --db sqlite:////path/to/demo.db [--days 7]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--days", type=int, help="only the cases received in the last N days (default: all)")
    args = parser.parse_args()
    import openpyxl.xml
    from openpyxl import Workbook

    from app.cases.records import CaseFilter
    from app.core import clock
    from app.ledger import exchange
    from bench.signed_in import open_desk

    desk = open_desk(args.db)
    today = clock.today()
    f = CaseFilter(date_from=today - dt.timedelta(days=args.days), date_to=today) if args.days else None
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        n = desk.ledger.export(Path(tmp) / "export.xlsx", f)
        took = time.perf_counter() - t
        columns = len(exchange.COLUMNS)
        t = time.perf_counter()
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        row = ["某某文字"] * columns
        for _ in range(n):
            ws.append(row)
        wb.save(Path(tmp) / "plain.xlsx")
        plain = time.perf_counter() - t
    print(f"lxml in use by openpyxl: {openpyxl.xml.LXML}")
    print(f"export of {n} cases to .xlsx: {took:.1f} s ({took / max(n, 1) * 1000:.2f} ms a row)   target: 100k ≤ 15 s")
    print(f"reference, openpyxl write-only, {n} rows × {columns} columns of fixed text: {plain:.1f} s")


if __name__ == "__main__":
    main()
