"""Ledger import speed: 10,000 rows of a Chinese-header .xlsx into a fresh database (target < 10 s).

Run: .venv/bin/python bench/bench_ledger.py [--rows 10000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    from openpyxl import Workbook

    from app.db import Store
    from app.desk import Desk

    header = ["登记时间", "类型", "来源", "消费者姓名", "消费者电话", "经营者名称", "投诉类别", "投诉性质", "商品或服务",
              "购买金额", "诉求金额", "事实", "诉求", "状态"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "台账.xlsx"
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(header)
        for i in range(args.rows):
            ws.append([f"2026-{1 + i % 10:02d}-{1 + i % 28:02d} 10:{i % 60:02d}", "投诉", "来访", f"演示{i}号",
                       f"1990000{i % 10000:04d}", f"演示商户{i % 50}（演示）", "食品类", "质量", "月饼", "88", "88",
                       "月饼发霉（演示数据）", "退货退款", "办结"])
        wb.save(path)
        desk = Desk(Store(f"sqlite:///{Path(tmp) / 'bench.db'}"))
        t = time.perf_counter()
        numbers = desk.ledger.import_file(path)
        elapsed = time.perf_counter() - t
        print(f"import: {len(numbers)} rows from .xlsx in {elapsed:.2f} s ({len(numbers) / elapsed:.0f} rows/s; "
              f"target 10,000 rows < 10 s)")


if __name__ == "__main__":
    main()
