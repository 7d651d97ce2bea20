"""Search through the indexes (FTS5 trigram, single characters, case numbers, phones, names), kept in step
with every write; keyset pages for every sort; the stored next deadline."""
import datetime as dt

import pytest
from sqlalchemy import func, select, text, update

from app.calendar.holiday_arrangements import load_calendar
from app.cases import demo, records, search
from app.cases.records import CaseFilter, Cursor
from app.core import codes
from app.storage.models import Case, Merchant
from tests.conftest import complaint


def numbers(desk, text_):
    return [c["case_no"] for c in desk.cases.search(text_)]


@pytest.fixture
def three(desk):
    a = desk.cases.add(complaint(product="羽绒服", facts="跑绒严重，拉链断裂", brand="北极熊",
                                 consumer={"name": "张某明", "phone": "13900005678"}))
    b = desk.cases.add(complaint(product="电饭煲", facts="内胆涂层脱落", merchant={"name": "示例电器城（虚构）"},
                                 consumer={"name": "李某", "phone": "13800001111"}))
    c = desk.cases.add(complaint(kind="consultation", product="", facts="咨询七日无理由退货", merchant={},
                                 consumer={"name": "王某兰", "phone": "02161671254"}, demands=[]))
    return a["case_no"], b["case_no"], c["case_no"]


def test_every_kind_of_term_finds_its_case(desk, three):
    a, b, c = three
    assert numbers(desk, "绒") == [a]  # one character
    assert numbers(desk, "内胆") == [b]  # two characters
    assert numbers(desk, "拉链断裂") == [a]  # a phrase (trigram)
    assert numbers(desk, "北极熊") == [a]  # brand
    assert numbers(desk, "电器城") == [b]  # merchant fragment
    assert numbers(desk, "5678") == [a]  # last four digits of the phone
    assert numbers(desk, "139-0000-5678") == [a]  # a full phone, written with dashes
    assert numbers(desk, "张某明") == [a]  # a full name (blind index)
    assert numbers(desk, b) == [b]  # a case number
    assert set(numbers(desk, b[:8])) == {a, b, c}  # the day's numbers
    assert numbers(desk, "七日无理由") == [c]
    assert numbers(desk, "没有这样的事") == []
    assert desk.cases.count(CaseFilter(text="绒")) == 1
    assert desk.cases.count(CaseFilter(text=b[:8])) == 3


def test_the_index_follows_corrections_merchant_renames_and_imports(desk, store, three):
    a, b, _c = three
    with store.write() as s:  # a correction of the facts (as trust's correction screen writes it)
        s.execute(update(Case).where(Case.case_no == a).values(facts="鞋底开胶", product="运动鞋"))
    assert numbers(desk, "开胶") == [a] and numbers(desk, "绒") == []
    with store.write() as s:
        s.execute(update(Merchant).where(Merchant.name == "示例电器城（虚构）").values(name="样例家电馆（虚构）"))
    assert numbers(desk, "家电馆") == [b] and numbers(desk, "电器城") == []
    demo.generate(store, 30)
    assert len(numbers(desk, "演示")) == 30  # bulk inserts are indexed by the same triggers


def test_search_with_other_filters_and_pages(desk, store):
    demo.generate(store, 300)
    everything = [c["case_no"] for c in desk.cases.search("演示")]
    assert len(everything) == len(set(everything)) == 300
    with store.read() as s:
        seen, cursor = [], None
        while True:
            page, cursor = records.page(s, CaseFilter(text="演示", state="closed"), after=cursor, limit=37)
            seen += [c.case_no for c in page]
            assert all(c.state == "closed" for c in page)
            if cursor is None:
                break
        closed = s.scalars(select(Case.case_no).where(Case.state == "closed")
                           .order_by(Case.received_at.desc(), Case.id.desc())).all()
    assert seen == list(closed)


@pytest.mark.sqlite_only  # the full-text tables' order by id is SQLite's
@pytest.mark.parametrize("in_order", [True, False], ids=["entered as received", "the first entered received last"])
def test_many_matches_read_newest_by_id_only_when_no_older_id_was_received_later(desk, store, monkeypatch, in_order):
    """Of a term's many matches the newest by id are the page when the cases received after the last of them
    all have newer ids (the usual desk: the time index is not walked); one entered earlier but received later
    (an import) is still found first."""
    from sqlalchemy import event

    monkeypatch.setattr(search, "SORT_AT_MOST", 2)
    monkeypatch.setattr(search, "READ_FIRST", 1)  # of a page of 1, the 4 newest by id are read first
    days = [f"2026-11-0{d}T10:00:00+08:00" for d in (1, 2, 3, 4, 5, 6)]
    if not in_order:
        days = [days[-1], *days[:-1]]  # the first entered is the latest received
    entered = [desk.cases.add(complaint(received_at=at, purchase_date="2026-10-30"))["case_no"] for at in days]
    newest = entered[-1] if in_order else entered[0]
    walked: list[str] = []

    def watch(conn, cursor, statement, params, context, executemany):
        if "INDEXED BY" in statement:
            walked.append(statement)

    event.listen(store.engine, "before_cursor_execute", watch)
    try:
        with store.read() as s:
            ids, _cursor = records.page_ids(s, CaseFilter(text="底座漏电"), limit=1)
            assert [s.get(Case, i).case_no for i in ids] == [newest]
    finally:
        event.remove(store.engine, "before_cursor_execute", watch)
    assert bool(walked) is not in_order


@pytest.mark.parametrize("many", [False, True], ids=["few matches sorted", "many matches: the time index walked"])
def test_results_come_newest_registered_first_whatever_order_they_were_entered_in(desk, store, monkeypatch, many):
    """Searching "3895" listed 2026-12-07, 2025-10-11, 2026-03-06: cases entered later (a ledger import, demo
    data) with an earlier time of receipt came first. Now every kind of match, and every page, is newest first."""
    if many:  # the path a term with thousands of matches takes at scale
        monkeypatch.setattr(search, "SORT_AT_MOST", 2)
    entered = ["2026-12-07T10:00:00+08:00", "2025-10-11T09:30:00+08:00", "2026-03-06T15:00:00+08:00",
               "2026-03-06T15:00:00+08:00", "2026-11-30T08:45:00+08:00"]
    numbers_ = [desk.cases.add(complaint(received_at=at, purchase_date=at[:10], facts="门锁失灵，尾号3895的客服",
                                         consumer={"phone": "13900003895"}))["case_no"] for at in entered]
    # newest first; the two received at the same moment by id, the later entered first
    expected = [numbers_[i] for i in (0, 4, 3, 2, 1)]
    for term in ("3895", "门锁失灵", "锁"):  # phone tail and text, a phrase, one character
        assert numbers(desk, term) == expected, term
    with store.read() as s:  # the same a page of 2 at a time, as the window scrolls
        seen, cursor = [], None
        while True:
            ids, cursor = records.page_ids(s, CaseFilter(text="门锁失灵"), after=cursor, limit=2)
            seen += [s.get(Case, i).case_no for i in ids]
            if cursor is None:
                break
    assert seen == expected


def test_keyset_pages_read_every_case_once_in_order(desk, store):
    demo.generate(store, 120, seed=7)
    for order in records.SORT_KEYS:
        for descending in (False, True):
            check_pages(store, order, descending)


def check_pages(store, order, descending, f=None, total=120):
    with store.read() as s:
        seen, cursor = [], None
        while True:
            page, cursor = records.page(s, f or CaseFilter(), order, descending, cursor, 25)
            seen += page
            if cursor is None:
                break
        assert len({c.id for c in seen}) == len(seen) == total
        if order == "due":  # cases without a deadline come last, whichever the direction
            dues = [c.next_due for c in seen]
            with_due = [d for d in dues if d is not None]
            assert dues[:len(with_due)] == with_due and with_due == sorted(with_due, reverse=descending)
        if order == "merchant":
            names = [c.merchant.name if c.merchant else None for c in seen]
            named = [n for n in names if n is not None]
            assert names[:len(named)] == named and named == sorted(named, reverse=descending)


@pytest.mark.parametrize("sparse", [5000, 3])
def test_filtered_keyset_pages_by_merchant_whether_few_or_many_pass(desk, store, monkeypatch, sparse):
    # few cases under the filter: read from the filter's index and sorted here; many: the name index
    monkeypatch.setattr(records, "SPARSE", sparse)
    demo.generate(store, 120, seed=7)
    with store.read() as s:
        complaints = s.scalar(select(func.count()).select_from(Case).where(Case.kind == "complaint"))
    for descending in (False, True):
        check_pages(store, "merchant", descending, CaseFilter(kind="complaint"), complaints)
        for order in ("case_no", "kind", "due", "category", "product"):
            check_pages(store, order, descending, CaseFilter(kind="complaint"), complaints)


def test_next_due_is_the_deadline_that_applies_now(desk, store):
    case = desk.cases.add(complaint(received_at="2026-11-20T10:00:00+08:00"))
    no = case["case_no"]

    def stored():
        with store.read() as s:
            c = records.get_case(s, no)
            return c.next_due, records.due_info(c, load_calendar(s), dt.date(2026, 11, 23)).due

    assert stored()[0] == stored()[1] == dt.date.fromisoformat(case["acceptance_due"])
    desk.cases.move(no, "accepted", at="2026-11-21T10:00:00+08:00")
    assert stored()[0] == stored()[1] is not None
    desk.cases.pause(no, "送检", at="2026-11-22T10:00:00+08:00")
    assert stored() == (None, None)
    desk.cases.resume(no, at="2026-11-23T10:00:00+08:00")
    desk.cases.move(no, "mediating", at="2026-11-23T10:30:00+08:00")
    desk.cases.move(no, "resolved", terms="退款", remedies=["refund"], at="2026-11-23T11:00:00+08:00")
    assert stored()[0] == stored()[1] is not None  # the follow-up visit
    desk.cases.follow_up(no, "satisfied")
    assert stored() == (None, None)


@pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's
def test_queries_use_the_indexes(store):
    """Every list sort and filter, and each search branch, is read through an index (no full scan)."""
    with store.read() as s:
        combos = [(order, CaseFilter()) for order in records.SORT_KEYS] + [
            ("received_at", CaseFilter(state="registered")), ("received_at", CaseFilter(kind="complaint")),
            ("due", CaseFilter(state="registered"))]
        for order, f in combos:
            if True:
                columns, _nullable, _join = records._sort_columns(order)
                q = select(*columns).select_from(Case).where(*records._conditions(f)).order_by(*columns).limit(5)
                if _join == "merchant":
                    q = select(*columns).select_from(Case).join(Merchant, Case.merchant_id == Merchant.id)
                    q = q.where(*records._conditions(f)).order_by(*columns).limit(5)
                if _join == "consumer":
                    continue
                plan = " | ".join(r[-1] for r in s.execute(text("EXPLAIN QUERY PLAN " + str(
                    q.compile(compile_kwargs={"literal_binds": True})))))
                assert "USING" in plan and "TEMP B-TREE" not in plan, (order, f, plan)
        for sql, params in search._branches(s, "5678", ""):
            plan = " | ".join(r[-1] for r in s.execute(text("EXPLAIN QUERY PLAN " + sql), params))
            assert "INDEX" in plan or "VIRTUAL TABLE" in plan, plan
    assert Cursor(1, (1,)) == Cursor(1, (1,))


def test_next_due_carries_the_notice_of_the_end(desk, store):
    """Law's notice deadline (终止调解告知) is the stored sort key while it runs, as due_info says."""
    no = desk.cases.add(complaint(received_at="2026-09-20T10:00:00+08:00", purchase_date="2026-09-01"))["case_no"]
    for state in ("accepted", "mediating"):
        desk.cases.move(no, state, at="2026-09-21T10:00:00+08:00")
    desk.cases.move(no, "terminated", reason_code="absent_or_refused", reason="拒不到场", at="2026-09-28T10:00:00+08:00")
    with store.read() as s:
        c = records.get_case(s, no)
        info = records.due_info(c, load_calendar(s), dt.date(2026, 10, 9))
        assert info.kind == "notice" and c.next_due == info.due == c.notice_due


@pytest.mark.sqlite_only  # EXPLAIN QUERY PLAN is SQLite's
def test_the_work_list_s_groups_and_filters_are_read_through_their_indexes(store):
    """今日待办 and the list's 逾期 / 临期 / group filters: every SELECT of them searches an index, never scans the
    cases (as one OR, and walking the sort index, they read a 1M database whole: 3 s)."""
    from app.reports import worklist

    today, soon = dt.date(2026, 12, 7), dt.date(2026, 12, 14)
    expected = {"follow_up": "ix_cases_follow_up_waiting", "notice": "ix_cases_notice_unsent",
                "mediation": "ix_cases_mediation_running"}
    with store.read() as s:
        for name in codes.WORK_FILTERS:
            if name == "open":
                continue
            sql = str(worklist.due_ids(name, today, soon).compile(compile_kwargs={"literal_binds": True}))
            plan = " | ".join(r[-1] for r in s.execute(text("EXPLAIN QUERY PLAN " + sql)))
            # the unanswered requests to merchants are read whole (one row per 告知函, far fewer than cases)
            assert "SCAN" not in plan.replace("SCAN merchant_requests", "") and "INDEX" in plan or \
                name == "merchant_reply" and "SCAN cases" not in plan, (name, plan)
            assert expected.get(name, "INDEX" if name != "merchant_reply" else "") in plan, (name, plan)
            page = (select(Case.id).where(worklist.list_condition(name, today, soon))
                    .order_by(Case.received_at.desc()).limit(50))
            plan = " | ".join(r[-1] for r in s.execute(text("EXPLAIN QUERY PLAN " + str(
                page.compile(compile_kwargs={"literal_binds": True})))))
            assert "SCAN cases" not in plan, (name, plan)  # found first, then sorted: few cases pass
    # The start page's counts and lists of every group, each whole (not only what is due soon), as build runs them.
    from sqlalchemy import event

    from app.calendar.holiday_arrangements import load_calendar

    statements: list = []

    def keep(conn, cursor, statement, params, context, executemany):
        if not statement.startswith("EXPLAIN"):
            statements.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", keep)
    try:
        with store.read() as s:
            worklist.build(s, load_calendar(s), today)
    finally:
        event.remove(store.engine, "before_cursor_execute", keep)
    read = [(st, p) for st, p in statements if "FROM cases" in st or "JOIN cases" in st]
    assert len(read) >= 2 * len(codes.WORK_GROUPS) - 1
    with store.read() as s:
        for st, p in read:
            plan = " | ".join(r[-1] for r in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + st, p))
            assert "SCAN cases" not in plan, (st, plan)


def test_a_date_range_is_the_local_days_read_through_the_received_index(desk, store):
    """登记日期 from–to counts Beijing days (a case at 00:05 on the first day is in, one at 23:55 the day
    before is out), and the list reads the range and its order from (received_at, id): no sort per page."""
    times = ["2026-10-31T23:55:00+08:00", "2026-11-01T00:05:00+08:00", "2026-11-30T23:59:00+08:00",
             "2026-12-01T00:00:00+08:00"]
    numbers = [desk.cases.add(complaint(received_at=t, purchase_date="2026-10-01"))["case_no"] for t in times]
    f = CaseFilter(date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30))
    assert [c["case_no"] for c in desk.cases.list(f)] == [numbers[2], numbers[1]]
    assert desk.cases.count(f) == 2
    if store.engine.dialect.name == "sqlite":
        with store.read() as s:
            q = select(Case.id).where(*records._conditions(f)).order_by(Case.received_at.desc(), Case.id.desc())
            plan = " | ".join(r[-1] for r in s.execute(text("EXPLAIN QUERY PLAN " + str(
                q.limit(50).compile(compile_kwargs={"literal_binds": True})))))
            assert "ix_cases_received" in plan and "TEMP B-TREE" not in plan, plan


def test_personal_searches_are_paused_past_twenty_a_minute(cli, desk):
    """A masked phone could be recovered by searching 139????5678 a thousand times: past 20 personal
    searches a minute the member is refused, and the pause is in the audit trail."""
    desk.cases.add(complaint(consumer={"name": "王某兰", "phone": "13900005678"}))
    answers = [cli("search", f"139{i:04d}5678") for i in range(20)]
    assert all(code == 0 for code, _, _ in answers)
    code, out, err = cli("search", "13900005678")
    assert code == 1 and "太频繁" in err and out == ""
    assert cli("search", "电热水壶")[0] == 0  # ordinary text is no personal search
    actions = [e["action"] for e in desk.audit.entries()]
    assert actions.count("search") == 20 and actions.count("search_paused") == 1
