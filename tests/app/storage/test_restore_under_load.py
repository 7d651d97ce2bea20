"""The attack on restore: two desks keep adding cases (real `liaison case add` processes) while the
supervisor restores an older backup of five cases. Measured before the floor: the restore succeeded,
then hundreds of case numbers were acknowledged twice, to different cases."""
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from app.storage import maintenance

pytestmark = pytest.mark.sqlite_only


def _cases(db: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT case_no FROM cases")}
    finally:
        conn.close()


def test_two_desks_adding_cases_while_a_backup_is_restored_never_get_one_number_twice(desk, make_complaint,
                                                                                    tmp_path):
    db = Path(desk.store.url.database)
    for _ in range(5):
        desk.cases.add(make_complaint())
    desk.backup.to_file(tmp_path / "five.ldbk")
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(make_complaint(), ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ, LIAISON_DB=str(db))  # the key folder of this test (tests/conftest.py) included
    acknowledged: list[tuple[str, float, str]] = []  # (number, when the command started, which desk)
    refused: list[str] = []
    failures: list[str] = []
    stop = threading.Event()

    def liaison(*args: str, stdin=None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "app", *args, "--json"], stdin=stdin, env=env,
                              capture_output=True, text=True, timeout=120)

    def keep_adding(name: str) -> None:
        while not stop.is_set():
            started = time.monotonic()
            with open(case_file, "rb") as fh:
                done = liaison("case", "add", stdin=fh)
            if done.returncode == 0:
                acknowledged.append((json.loads(done.stdout)["case_no"], started, name))
            elif maintenance.REFUSED in done.stderr and "Traceback" not in done.stderr:
                refused.append(name)
            else:
                failures.append(done.stderr)
                return

    desks = [threading.Thread(target=keep_adding, args=(f"desk{i}",)) for i in (1, 2)]
    for t in desks:
        t.start()
    try:
        deadline = time.monotonic() + 120
        while len(acknowledged) < 6 and time.monotonic() < deadline and not failures:
            time.sleep(0.05)
        before_restore = len(acknowledged)
        restore = liaison("restore", str(tmp_path / "five.ldbk"))
        restored_at = time.monotonic()
        while (sum(started > restored_at for _, started, _ in acknowledged) < 6 and time.monotonic() < deadline
               and not failures):
            time.sleep(0.05)
    finally:
        stop.set()
        for t in desks:
            t.join()
    assert not failures, failures[0]
    assert restore.returncode == 0, restore.stderr
    assert before_restore >= 6  # numbers up to 0006 and beyond were issued before the restore rolled back to 0005
    numbers = Counter(no for no, _, _ in acknowledged)
    assert [no for no, n in numbers.items() if n > 1] == []  # no number acknowledged twice
    live, aside = _cases(db), _cases(Path(json.loads(restore.stdout)["kept_aside"]))
    after = {no for no, started, _ in acknowledged if started > restored_at}
    assert len(after) >= 6 and after <= live  # acknowledged after the restore: kept
    assert {no for no, _, _ in acknowledged} <= live | aside  # acknowledged before: kept aside, never lost
    print(f"{len(acknowledged)} acknowledged, {len(refused)} refused during the restore, none twice")
