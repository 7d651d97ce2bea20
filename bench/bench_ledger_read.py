"""Reading a hostile ledger: peak memory of `liaison import` on 50 MB files, beside the bare program's.

Run: .venv/bin/python bench/bench_ledger_read.py [--mb 50]
Target (issue 8): a 50 MB ledger of bad rows stops after the first 1,000 errors and stays under 300 MB.
Files: (a) 50 MB of .jsonl rows that each fail validation, (b) one 50 MB line, (c) a 50 MB .csv of bad rows.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_mb(cmd: list[str], env: dict) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, exit code) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024, time.perf_counter() - t, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=50)
    args = parser.parse_args()
    size = args.mb * 1_000_000
    tmp = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    env = dict(os.environ, LIAISON_DB=f"sqlite:///{tmp / 'b.db'}", LIAISON_KEY_DIR=str(tmp / "keys"),
               LIAISON_KEYRING="off", PYTHONPATH=str(ROOT))
    row = json.dumps({"kind": "complaint", "consumer": {"name": "测试", "phone": "123"}, "merchant": {"name": "店"},
                      "category": "food", "nature": "quality", "facts": "虚构" * 150, "demands": ["refund"]},
                     ensure_ascii=False) + "\n"
    bad_rows = tmp / "bad.jsonl"
    with open(bad_rows, "w", encoding="utf-8") as fh:
        for _ in range(size // len(row.encode()) + 1):
            fh.write(row)
    one_line = tmp / "one.jsonl"
    one_line.write_bytes(b'{"facts": "' + b"x" * size + b'"}\n')
    csv_rows = tmp / "bad.csv"
    line = "消费者姓名,消费者电话,事实\n测试,123," + "虚构" * 150 + "\n"
    with open(csv_rows, "w", encoding="utf-8") as fh:
        fh.write(line.split("\n")[0] + "\n")
        body = line.split("\n")[1] + "\n"
        for _ in range(size // len(body.encode()) + 1):
            fh.write(body)
    cli = [sys.executable, "-m", "app"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    base, base_s, _ = peak_mb([*cli, "settings"], env)
    print(f"reference: the command itself (liaison settings): {base:.0f} MB peak, {base_s:.2f} s")
    for path in (bad_rows, one_line, csv_rows):
        mb, secs, code = peak_mb([*cli, "import", str(path)], env)
        print(f"liaison import {path.name} ({path.stat().st_size / 1e6:.0f} MB): {mb:.0f} MB peak "
              f"(+{mb - base:.0f} MB), {secs:.2f} s, exit {code}")
    for p in tmp.iterdir():
        if p.is_file():
            p.unlink()


if __name__ == "__main__":
    main()
