import multiprocessing as mp

import pytest
from sqlalchemy import func, select

from app.core.errors import InputError
from app.desk import Desk
from app.storage.db import Store
from app.storage.models import Case
from tests.conftest import complaint, sign_in_tester


def test_numbers_per_day_and_prefix(desk):
    a = desk.cases.add(complaint(received_at="2026-11-20T09:00:00+08:00"))
    b = desk.cases.add(complaint(received_at="2026-11-20T23:30:00+08:00"))
    c = desk.cases.add(complaint(received_at="2026-11-21T00:10:00+08:00"))
    assert [a["case_no"], b["case_no"], c["case_no"]] == ["20261120-0001", "20261120-0002", "20261121-0001"]
    desk.settings.put({"point.code": "CN01"})
    assert desk.cases.add(complaint(received_at="2026-11-20T10:00:00+08:00"))["case_no"] == "CN01-20261120-0003"


def test_day_is_the_beijing_day(desk):
    # 2026-11-19T17:30Z is 01:30 on the 20th in Beijing
    assert desk.cases.add(complaint(received_at="2026-11-19T17:30:00+00:00"))["case_no"] == "20261120-0001"


def test_failed_save_leaves_no_gap(desk, store):
    desk.cases.add(complaint(received_at="2026-11-20T09:00:00+08:00"))
    with pytest.raises(InputError):
        desk.cases.add(complaint(received_at="2026-11-20T09:05:00+08:00", consumer={"phone": "123"}))
    assert desk.cases.add(complaint(received_at="2026-11-20T09:10:00+08:00"))["case_no"] == "20261120-0002"


def test_error_inside_the_transaction_rolls_back_the_counter(desk, store, monkeypatch):
    from app.cases import records

    desk.cases.add(complaint(received_at="2026-11-20T09:00:00+08:00"))

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(records.registry, "find_or_create", broken)
    with pytest.raises(RuntimeError):
        desk.cases.add(complaint(received_at="2026-11-20T09:05:00+08:00"))
    monkeypatch.undo()
    assert desk.cases.add(complaint(received_at="2026-11-20T09:10:00+08:00"))["case_no"] == "20261120-0002"
    with store.read() as s:
        assert s.scalar(select(func.count(Case.id))) == 2


def _add_many(url: str, n: int, queue, ready, go) -> None:
    desk = Desk(Store(url))
    desk.accounts.sign_in_os_user()
    ready.release()
    go.wait(60)  # all four start writing at the same moment
    numbers = [desk.cases.add(complaint(received_at="2026-11-20T10:00:00+08:00"))["case_no"] for _ in range(n)]
    queue.put(numbers)


def test_four_processes_at_once_get_unique_gap_free_numbers(db_url):
    store = Store(db_url)  # migrate once before the race
    sign_in_tester(store)
    store.dispose()
    ctx = mp.get_context("spawn")
    queue, ready, go = ctx.Queue(), ctx.Semaphore(0), ctx.Event()
    procs = [ctx.Process(target=_add_many, args=(db_url, 15, queue, ready, go)) for _ in range(4)]
    for p in procs:
        p.start()
    for _ in procs:
        assert ready.acquire(timeout=60)
    go.set()
    numbers = [n for _ in procs for n in queue.get(timeout=120)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert len(numbers) == 60
    assert sorted(numbers) == [f"20261120-{i:04d}" for i in range(1, 61)]
