"""今日待办 and `liaison due`: what is due on a day, group by group, and the list filters behind each count."""
import datetime as dt
import json

import pytest

from app.cases.records import CaseFilter
from tests.conftest import complaint

ON = dt.date(2026, 11, 20)  # a Friday


@pytest.fixture
def day(desk):
    """One case for each kind of work, on fixed days (all fictitious)."""
    c = desk.cases
    late = c.add(complaint(received_at="2026-11-02T09:00:00+08:00", consumer={"phone": "13900001111"}))["case_no"]
    fresh = c.add(complaint(received_at="2026-11-19T09:00:00+08:00", purchase_date="2026-11-10"))["case_no"]
    ask = c.add({"kind": "consultation", "received_at": "2026-11-20T08:30:00+08:00",
                 "consumer": {"name": "赵某", "phone": "13900002222"}, "facts": "预付卡退费怎么办？"})["case_no"]
    failed = c.add(complaint(received_at="2026-11-02T10:00:00+08:00"))["case_no"]
    c.move(failed, "accepted", at="2026-11-03T10:00:00+08:00")
    c.mediate(failed, "phone", ["consumer", "merchant"], offer="退款", at="2026-11-04T10:00:00+08:00")
    c.move(failed, "failed", reason="经营者拒绝", at="2026-11-10T10:00:00+08:00")
    mediating = c.add(complaint(received_at="2026-11-03T10:00:00+08:00"))["case_no"]
    c.move(mediating, "accepted", at="2026-11-04T10:00:00+08:00")
    return {"late": late, "fresh": fresh, "ask": ask, "failed": failed, "mediating": mediating}


def test_the_days_work_group_by_group(desk, day):
    work = desk.worklist.today(ON)
    by_group = {g: [i.case_no for i in work.group(g)] for g in ("decision", "mediation", "notice", "follow_up",
                                                                 "consultation")}
    assert by_group["decision"] == [day["late"], day["fresh"]]  # overdue first; the fresh one is due 11-30
    assert by_group["consultation"] == [day["ask"]]
    assert by_group["notice"] == [day["failed"]]
    assert by_group["follow_up"] == [day["failed"]]  # 7 days after 11-10
    assert by_group["mediation"] == [day["mediating"]]  # running, due in January
    late = work.group("decision")[0]
    assert late.level == "overdue" and late.phone == "139****1111" and "*" in late.consumer
    assert work.group("decision")[1].level == "ok" and work.group("mediation")[0].level == "ok"
    # On the Wednesday before the fresh case's decision is due it is 临期.
    soon = desk.worklist.today(dt.date(2026, 11, 26)).group("decision")
    assert [(i.case_no, i.level) for i in soon] == [(day["late"], "overdue"), (day["fresh"], "soon")]
    mediation_due = dt.date.fromisoformat(desk.cases.show(day["mediating"]).as_json()["mediation_due"])
    near = desk.worklist.today(mediation_due - dt.timedelta(days=1)).group("mediation")
    assert [(i.case_no, i.level) for i in near] == [(day["mediating"], "soon")]


def test_everything_waiting_is_counted_with_the_late_and_the_near_apart(desk, day):
    """今日待办 said 待作受理决定 0 件 right after a complaint was registered, and 待回访 0 for mediations that
    succeeded weeks before the visit was due: it counted only what was due within two working days."""
    c = desk.cases
    just_now = c.add(complaint(received_at="2026-11-20T09:00:00+08:00", purchase_date="2026-11-10"))["case_no"]
    resolved = c.add(complaint(received_at="2026-11-16T09:00:00+08:00", purchase_date="2026-11-10"))["case_no"]
    c.move(resolved, "accepted", at="2026-11-16T10:00:00+08:00")
    c.mediate(resolved, "phone", ["consumer", "merchant"], offer="退款", at="2026-11-17T10:00:00+08:00")
    c.move(resolved, "resolved", terms="经营者退款299元", remedies=["refund"], at="2026-11-19T10:00:00+08:00")
    paused = c.add(complaint(received_at="2026-11-16T09:00:00+08:00", purchase_date="2026-11-10"))["case_no"]
    c.move(paused, "accepted", at="2026-11-16T10:00:00+08:00")
    c.pause(paused, reason_code="inspection", at="2026-11-17T10:00:00+08:00")
    desk.merchant_requests.notice_pdf(day["mediating"], at="2026-11-18T10:00:00+08:00")
    work = desk.worklist.today(ON)
    tally = {g: (t.total, t.overdue, t.soon) for g, t in work.tallies.items()}
    assert tally == {"decision": (3, 1, 0),  # late (due 11-11), fresh (11-30), just_now
                     "mediation": (2, 0, 0),  # mediating and paused (its clock stopped); resolved is over
                     "notice": (1, 1, 0),  # failed: due 11-19
                     "follow_up": (2, 1, 0),  # failed (due 11-17), resolved (11-26)
                     "consultation": (1, 0, 1),  # asked today: answered today
                     "merchant_reply": (1, 0, 0)}  # asked 11-18, answer due in 5 working days
    assert [i.case_no for i in work.group("mediation")] == [day["mediating"], paused]  # running first
    assert work.total() == 10 and work.overdue() == 3 and work.soon() == 1 and work.complete()
    # the late first whatever their group (a visit overdue before a decision not yet due), then the near
    levels = [i.level for i in work.items]
    assert levels == sorted(levels, key=["overdue", "soon", "ok", "none"].index) and levels[:4] == ["overdue"] * 3 + ["soon"]
    stopped = next(i for i in work.group("mediation") if i.case_no == paused)
    assert stopped.due is None and stopped.level == "none" and "暂停计时" in stopped.what
    assert just_now in [i.case_no for i in work.group("decision")]
    assert resolved in [i.case_no for i in work.group("follow_up")]
    # Every count opens the list with just as many cases.
    for group, total in work.counts().items():
        assert desk.cases.count(desk.worklist.filter(group, on=ON)) == total, group
    # The case list's 逾期 filter: the cases the counts call late (the failed one is late twice: notice, visit).
    assert desk.cases.count(desk.worklist.filter("overdue", on=ON)) == len({day["late"], day["failed"]})


def test_a_long_backlog_is_counted_whole_and_listed_most_urgent_first(desk, day, monkeypatch):
    from app.reports import worklist

    monkeypatch.setattr(worklist, "LISTED", 1)
    work = desk.worklist.today(ON)
    assert [i.case_no for i in work.group("decision")] == [day["late"]]  # the overdue one
    assert work.tally("decision").total == 2 and not work.complete() and work.listed == 1


def test_list_filters_match_the_counts(desk, day):
    work = desk.worklist.today(ON)
    for group, count in work.counts().items():
        f = desk.worklist.filter(group, on=ON)
        found = {r["case_no"] for r in desk.cases.list(f)}
        assert found == {i.case_no for i in work.group(group)}, group
        assert desk.cases.count(f) == count
    overdue = {r["case_no"] for r in desk.cases.list(desk.worklist.filter("overdue", on=ON))}
    assert overdue == {day["late"], day["failed"]}
    assert desk.cases.count(desk.worklist.filter("open", on=ON)) == 5
    desk.cases.move(day["ask"], "closed", reason="告知可凭合同要求退还余额")
    assert desk.cases.count(desk.worklist.filter("open", on=ON)) == 4
    # A filter narrows the other filters, never widens them.
    narrowed = desk.worklist.filter("overdue", on=ON, base=CaseFilter(kind="consultation"))
    assert desk.cases.count(narrowed) == 0


def test_notice_and_follow_up_leave_the_list_when_done(desk, day):
    desk.cases.follow_up(day["failed"], "dissatisfied", "消费者将起诉")
    work = desk.worklist.today(ON)
    assert work.group("follow_up") == []
    desk.documents.notice_pdf("terminated", day["failed"])
    desk.documents.printed("terminated", day["failed"], "测试打印机")  # printing it meets the deadline
    assert desk.worklist.today(ON).group("notice") == []


def test_cli_due(cli, desk, day):
    code, out, _ = cli("due", "--on", "2026-11-20", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["on"] == "2026-11-20"
    assert data["counts"] == {"decision": 2, "mediation": 1, "notice": 1, "follow_up": 1, "consultation": 1,
                              "merchant_reply": 0}
    assert data["overdue"] == 1 + 1 + 0 + 1  # decision, notice (due 11-19), follow-up (11-17)
    assert data["tallies"]["decision"] == {"total": 2, "overdue": 1, "soon": 0} and data["soon"] == 1
    first = data["items"][0]
    assert first["case_no"] == day["late"] and first["phone"] == "139****1111" and first["due"] == "2026-11-11"
    code, out, _ = cli("due", "--on", "2026-11-20")
    assert code == 0 and "待作受理决定：2 件（已逾期 1）" in out and "139****1111" in out and "13900001111" not in out
    assert "调解进行中：1 件" in out
