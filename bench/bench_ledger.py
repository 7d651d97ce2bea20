"""Ledger import at scale: N rows (.jsonl in the case format, or a Chinese-header .xlsx) into a fresh database.

The import runs in a process of its own, as `liaison import` does, so its peak memory is its own. The
reference, in the same run: a plain SQLite insert of the same rows (the parsed JSON's main fields into one
table, one transaction, executemany) - the floor of any import that writes the rows at all.

Run: .venv/bin/python bench/bench_ledger.py [--rows 100000] [--format jsonl|xlsx]
Targets (issue 10): 100k rows <= 30 s and <= 300 MB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["登记时间", "类型", "来源", "消费者姓名", "消费者电话", "经营者名称", "投诉类别", "投诉性质", "商品或服务",
          "购买金额", "诉求金额", "事实", "诉求", "状态"]


def case(i: int) -> dict:
    """A plainly fictitious complaint, varied as a year's ledger is (days, consumers, merchants, products)."""
    month, day = 1 + i % 10, 1 + i % 28
    return {"kind": "complaint", "received_at": f"2026-{month:02d}-{day:02d}T{9 + i % 8:02d}:{i % 60:02d}:00+08:00",
            "channel": "visit", "consumer": {"name": f"演示{i % 5000}号", "phone": f"1990{i % 10_000_000:07d}"},
            "merchant": {"name": f"演示商户{i % 500}（演示）"}, "category": "food", "nature": "quality",
            "product": ("月饼", "牛奶", "电热水壶", "羽绒服")[i % 4], "amount_paid": "88", "amount_claimed": "88",
            "facts": f"第{i}号：购买后发现变质，协商退换未果（演示数据）。", "demands": ["refund"], "state": "resolved",
            "amount_recovered": "88"}


def write_source(folder: Path, rows: int, fmt: str) -> Path:
    if fmt == "jsonl":
        path = folder / "台账.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for i in range(rows):
                out.write(json.dumps(case(i), ensure_ascii=False) + "\n")
        return path
    from openpyxl import Workbook

    path = folder / "台账.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for i in range(rows):
        c = case(i)
        ws.append([c["received_at"][:16].replace("T", " "), "投诉", "来访", c["consumer"]["name"], c["consumer"]["phone"],
                   c["merchant"]["name"], "食品类", "质量", c["product"], "88", "88", c["facts"], "退货退款", "办结"])
    wb.save(path)
    return path


def child(db: str, source: str) -> None:
    """The import as the desk runs it; prints its time and this process's peak memory as JSON."""
    from bench.signed_in import open_desk

    desk = open_desk(db)
    t = time.perf_counter()
    numbers = desk.ledger.import_file(source)
    elapsed = time.perf_counter() - t
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": len(numbers), "seconds": elapsed, "peak_mib": peak_mib}))


def reference(folder: Path, rows: int) -> float:
    """Plain SQLite: the same rows' fields inserted into one table in one transaction."""
    conn = sqlite3.connect(folder / "plain.db")
    conn.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, received_at TEXT, name TEXT, phone TEXT, merchant TEXT,"
                 " product TEXT, facts TEXT, state TEXT)")
    t = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO cases (received_at, name, phone, merchant, product, facts, state) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         ((c["received_at"], c["consumer"]["name"], c["consumer"]["phone"], c["merchant"]["name"],
                           c["product"], c["facts"], c["state"]) for c in map(case, range(rows))))
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("jsonl", "xlsx"), default="jsonl")
    parser.add_argument("--child", nargs=2, metavar=("DB", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = write_source(folder, args.rows, args.format)
        env = {**os.environ, "LIAISON_KEY_DIR": str(folder / "keys"), "LIAISON_KEYRING": "off",
               "LIAISON_DATA_DIR": str(folder / "data")}
        out = subprocess.run([sys.executable, __file__, "--child", f"sqlite:///{folder / 'bench.db'}", str(source)],
                             env=env, capture_output=True, text=True, check=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        plain = reference(folder, args.rows)
    print(f"import: {result['rows']} rows from .{args.format} in {result['seconds']:.1f} s, peak memory "
          f"{result['peak_mib']:.0f} MiB   plain SQLite insert of the same rows {plain:.1f} s "
          f"(target: 100k rows <= 30 s, <= 300 MB)")


if __name__ == "__main__":
    main()
