"""What the trust layer of issue 29 costs an ordinary write: registering a case, with and without it.

Run: .venv/bin/python bench/bench_sealing.py [--cases 200] [--rounds 3]
Each round registers --cases complaints on a fresh SQLite database twice: as the desk does it (the
audit chain's seal of only this write's rows, the sealed facts of the case, the anchor written beside
the key after the commit) and, as the reference in the same run, with the facts seal and the anchor
switched off. Prints the median milliseconds per case of each and the difference.
Target: under 2 ms a case more than the reference (a desk registers a case a minute at most).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one_run(cases: int, trust: bool) -> float:
    from app.desk import Desk
    from app.staff import anchor, facts
    from app.storage.db import Store
    from tests.conftest import complaint, sign_in_tester

    saved = facts.seal_changed, anchor.advance
    if not trust:
        facts.seal_changed = lambda session: None
        anchor.advance = lambda key, seq, link: None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["LIAISON_KEY_DIR"] = str(Path(tmp) / "keys")
            os.environ["LIAISON_KEYRING"] = "off"
            store = Store(f"sqlite:///{Path(tmp) / 'desk.db'}")
            sign_in_tester(store)
            desk = Desk(store)
            desk.cases.add(complaint())  # warm: the first write builds caches
            t = time.perf_counter()
            for _ in range(cases):
                desk.cases.add(complaint())
            elapsed = time.perf_counter() - t
            if trust:
                assert desk.audit.verify().ok
            store.dispose()
    finally:
        facts.seal_changed, anchor.advance = saved
    return elapsed / cases * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with_trust, reference = [], []
    for _ in range(args.rounds):  # taking turns, so the machine's load falls on both alike
        reference.append(one_run(args.cases, trust=False))
        with_trust.append(one_run(args.cases, trust=True))
    a, b = statistics.median(with_trust), statistics.median(reference)
    print(f"register a case, median of {args.rounds} rounds of {args.cases}:")
    print(f"  with sealed facts and the anchor   {a:7.2f} ms")
    print(f"  reference (both switched off)      {b:7.2f} ms")
    print(f"  difference                         {a - b:+7.2f} ms a case (target < 2 ms)")
    return 0 if a - b < 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
