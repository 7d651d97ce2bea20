
"""Several desks at once: starting on an empty database, the same new merchant, an import racing desks."""
import json
import multiprocessing as mp

from sqlalchemy import func, select

from app.desk import Desk
from app.storage.db import Store
from app.storage.models import Case, DataKeyRecord, Merchant
from tests.conftest import complaint

USCC = "91310105MA1FL00004"
DAY = "2026-11-20T10:00:00+08:00"


def _desk_worker(url: str, n: int, ledger: str | None, queue, ready, go) -> None:
    try:
        ready.release()
        go.wait(60)  # all start at the same moment, on a database nobody has created yet
        desk = Desk(Store(url))
        # As `liaison` signs in on a new database: the OS user's account, made by whichever desk is first.
        desk.accounts.sign_in_os_user() or desk.accounts.bootstrap_os_user()
        assert desk.accounts.current is not None
        if ledger:
            numbers = desk.ledger.import_file(ledger)
        else:
            numbers = [desk.cases.add(complaint(received_at=DAY, merchant={"name": "测试新店（虚构）", "uscc": USCC}))
                       ["case_no"] for _ in range(n)]
        queue.put(("ok", numbers))
    except Exception as e:  # noqa: BLE001 - reported to the test
        queue.put(("error", f"{type(e).__name__}: {e}"))


def test_desks_start_together_on_an_empty_database_and_race_an_import(pg_server, tmp_path):
    """PostgreSQL (SQLite queues its writers: tests/app/cases/test_numbering.py)."""
    url = pg_server.new_database(migrated=False)
    ledger = tmp_path / "ledger.jsonl"
    rows = [complaint(received_at=DAY, merchant={"name": "测试新店（虚构）", "uscc": USCC})] * 10
    ledger.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    ctx = mp.get_context("fork")  # fast: nothing is open yet that a child could share
    queue, ready, go = ctx.Queue(), ctx.Semaphore(0), ctx.Event()
    jobs = [(url, 8, None)] * 4 + [(url, 0, str(ledger))]
    procs = [ctx.Process(target=_desk_worker, args=(*job, queue, ready, go)) for job in jobs]
    for p in procs:
        p.start()
    for _ in procs:
        assert ready.acquire(timeout=60)
    go.set()
    results = [queue.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [r for r in results if r[0] == "error"] == []
    numbers = sorted(n for _ok, batch in results for n in batch)
    assert numbers == [f"20261120-{i:04d}" for i in range(1, 43)]  # 4 × 8 at the desks + 10 imported
    store = Store(url)
    with store.read() as s:
        assert s.scalar(select(func.count(Merchant.id)).where(Merchant.uscc == USCC)) == 1
        assert s.scalar(select(func.count(Case.id))) == 42
        assert s.scalar(select(func.count()).select_from(DataKeyRecord)) == 1  # one data key, made once
    assert store.key_problem is None
    store.dispose()


def test_demo_data_beside_desks_registering_on_postgresql(pg_server):
    """演示数据 made on a PostgreSQL database while two desks register: every number is issued once
    (before: UniqueViolation on case_no, 4 runs of 4)."""
    import threading

    from app.cases import demo
    from tests.conftest import sign_in_tester

    url = pg_server.new_database()
    setup = Store(url)
    sign_in_tester(setup)
    setup.dispose()
    errors: list[str] = []

    def register() -> None:
        desk = Desk(Store(url))
        desk.accounts.sign_in_os_user()  # the tester's account, linked to this OS user
        try:
            for _ in range(15):
                desk.cases.add(complaint())
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(f"{type(e).__name__}: {e}")
        desk.store.dispose()

    store = Store(url)
    made = threading.Thread(target=lambda: demo.generate(store, 6000))  # many of them today, over seconds
    made.start()
    desks = [threading.Thread(target=register) for _ in range(2)]
    for t in desks:
        t.start()
    for t in (made, *desks):
        t.join(300)
    assert not errors
    with store.read() as s:
        total = s.scalar(select(func.count(Case.id)))
        distinct = s.scalar(select(func.count(func.distinct(Case.case_no))))
    assert total == distinct == 6030
    store.dispose()
