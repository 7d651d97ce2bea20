"""Retention purge: personal data of cases closed before a day goes; the cases and the figures stay."""
import datetime as dt
import json

from app.storage.models import Correction, Event


def _closed_case(desk, make_complaint, closed_at: dt.datetime, phone: str) -> str:
    received = closed_at - dt.timedelta(days=20)
    case = desk.cases.add(make_complaint(consumer={"phone": phone}, received_at=received.isoformat(),
                                        purchase_date=(received - dt.timedelta(days=3)).date().isoformat()))["case_no"]
    desk.cases.move(case, "accepted", at=(closed_at - dt.timedelta(days=19)).isoformat())
    desk.cases.mediate(case, "phone", ["consumer", "merchant"], offer="退货退款", at=(closed_at - dt.timedelta(days=10)).isoformat())
    desk.cases.move(case, "resolved", terms="退货退款", remedies=["refund"], at=(closed_at - dt.timedelta(days=5)).isoformat())
    desk.cases.follow_up(case, "satisfied", at=(closed_at - dt.timedelta(days=1)).isoformat())
    desk.cases.move(case, "closed", at=closed_at.isoformat())
    return case


def test_purge_removes_personal_data_of_old_closed_cases_only(desk, make_complaint, cli, monkeypatch):
    tz = dt.timezone(dt.timedelta(hours=8))
    old = _closed_case(desk, make_complaint, dt.datetime(2022, 3, 1, 10, tzinfo=tz), "13911110001")
    desk.cases.correct(old, {"consumer": {"phone": "13911110009"}, "brand": "更正牌"}, "号码登记错误")
    recent = _closed_case(desk, make_complaint, dt.datetime(2026, 3, 1, 10, tzinfo=tz), "13911110002")
    open_case = desk.cases.add(make_complaint(consumer={"phone": "13911110003"}))["case_no"]
    before = desk.reports.monthly("2022-02")
    code, out, err = cli("purge", "--closed-before", "2023-01-01", "--dry-run", "--json")
    assert code == 0 and json.loads(out)["cases"] == 1, err
    desk.accounts.add("liming", "李明", "staff", "liming-pass")
    monkeypatch.setenv("LIAISON_PASSWORD", "liming-pass")
    code, _, err = cli("purge", "--closed-before", "2023-01-01", "--staff", "liming")
    assert code == 1 and "只有负责人可以清除个人信息" in err  # only a supervisor
    code, out, err = cli("purge", "--closed-before", "2023-01-01", "--json")
    assert code == 0, err
    assert json.loads(out)["case_nos"] == [old], out
    shown = desk.cases.show(old).as_json()
    assert shown["consumer"]["name"] == "" and shown["consumer"]["phone"] == ""
    assert shown["state"] == "closed" and any("已删除消费者个人信息" in e["note"] for e in shown["events"])
    assert desk.cases.search("13911110001") == []
    assert desk.cases.show(recent).as_json()["consumer"]["phone"] == "13911110002"
    assert desk.cases.show(open_case).as_json()["consumer"]["phone"] == "13911110003"
    assert desk.reports.monthly("2022-02") == before  # the statistics stay
    assert any(e["action"] == "purge" for e in desk.audit.entries())
    with desk.store.read() as s:
        assert s.query(Event).filter(Event.action == "purge").count() == 1
    assert desk.retention.count(dt.date(2023, 1, 1)) == 0  # nothing left to purge
    with desk.store.read() as s:  # a corrected phone's masked values go with the rest; the brand stays
        rows = {r.field: (r.old_value, r.new_value) for r in s.query(Correction)}
    assert rows == {"consumer.phone": ("", ""), "brand": ("测试牌", "更正牌")}
