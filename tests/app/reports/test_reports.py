"""Monthly figures checked against counts made here, from the cases this test creates."""
import datetime as dt
import random

import pytest

from app.reports import figures
from tests.conftest import complaint
from tests.pdf_checks import fonts_not_embedded, plain

CATS = ["food", "appliances", "clothing"]
NATS = ["quality", "price"]


def make_month(desk, year: int, month: int, n: int, seed: int):
    """n complaints and a few consultations in a month; returns what the test itself knows of them."""
    rng = random.Random(seed)
    made = []
    for i in range(n):
        day = 1 + i % 28
        cat, nat = rng.choice(CATS), rng.choice(NATS)
        merchant = rng.choice(["甲店（虚构）", "乙店（虚构）"])
        received = f"{year}-{month:02d}-{day:02d}T10:00:00+08:00"
        no = desk.cases.add(complaint(received_at=received, purchase_date=f"{year}-{month:02d}-01", category=cat,
                                     nature=nat, merchant={"name": merchant}, product=f"商品{i % 4}",
                                     channel=rng.choice(["visit", "phone"])))["case_no"]
        fate = rng.choice(["open", "not_accepted", "resolved", "failed"])
        at = f"{year}-{month:02d}-{day:02d}T15:00:00+08:00"
        if fate == "not_accepted":
            desk.cases.move(no, "not_accepted", reason_code="time_barred", at=at)
        elif fate in ("resolved", "failed"):
            desk.cases.move(no, "accepted", at=at)
            desk.cases.move(no, "mediating", at=at)
            if fate == "resolved":
                desk.cases.move(no, "resolved", terms="退款", amount_recovered="100", at=at)
            else:
                desk.cases.move(no, "failed", reason="分歧", at=at)
        made.append({"no": no, "category": cat, "nature": nat, "fate": fate, "merchant": merchant, "day": day})
    desk.cases.add({"kind": "consultation", "consumer": {"name": "张某"}, "facts": "问",
                   "received_at": f"{year}-{month:02d}-02T10:00:00+08:00"})
    return made


@pytest.fixture
def history(desk):
    now = make_month(desk, 2026, 10, 40, 1)
    prev = make_month(desk, 2026, 9, 25, 2)
    last_year = make_month(desk, 2025, 10, 20, 3)
    return now, prev, last_year


def test_monthly_figures_match_an_independent_count(desk, history):
    now, prev, last_year = history
    f = desk.reports.monthly("2026-10")
    assert (f["from"], f["to"]) == ("2026-10-01", "2026-10-31")
    assert f["complaints"] == 40 and f["received"] == 41 and f["by_kind"]["consultation"] == 1
    fates = [c["fate"] for c in now]
    assert f["outcomes"]["resolved"] == fates.count("resolved")
    assert f["outcomes"]["failed"] == fates.count("failed")
    assert f["outcomes"]["open"] == fates.count("open")
    assert f["not_accepted"] == fates.count("not_accepted")
    assert f["accepted"] == fates.count("resolved") + fates.count("failed")
    ended = fates.count("resolved") + fates.count("failed")
    assert f["resolution_rate"] == round(100 * fates.count("resolved") / ended, 1)
    assert f["recovered"] == f"{100 * fates.count('resolved')}.00"
    # every decision was made on the day of receipt; the cases still waiting for one are past their
    # deadline by now (October): they count as late, so the rate is not 100 % while they lie there
    decided = f["accepted"] + f["not_accepted"]
    assert f["acceptance_on_time"] == round(100 * decided / (decided + fates.count("open")), 1) < 100
    food = next(r for r in f["by_category"] if r["code"] == "food")
    mine = sum(1 for c in now if c["category"] == "food")
    theirs = sum(1 for c in last_year if c["category"] == "food")
    assert (food["count"], food["count_last_year"]) == (mine, theirs)
    assert food["share"] == round(100 * mine / 40, 1)
    assert food["share_change"] == round(round(100 * mine / 40, 1) - round(100 * theirs / 20, 1), 1)
    assert f["previous_month"]["complaints"] == 25 and f["same_month_last_year"]["complaints"] == 20
    assert f["change_vs_previous_month"] == round(100 * (40 - 25) / 25, 1)
    assert f["trend"][-1] == {"month": "2026-10", "complaints": 40}
    assert f["trend"][-2] == {"month": "2026-09", "complaints": 25}
    top = {m["merchant"]: m["complaints"] for m in f["top_merchants"]}
    assert top["甲店（虚构）"] == sum(1 for c in now if c["merchant"] == "甲店（虚构）")


def test_council_month_from_the_25th(desk, history):
    desk.settings.put({"report.month_start_day": "25"})
    f = desk.reports.monthly("2026-10")
    assert (f["from"], f["to"]) == ("2026-09-25", "2026-10-24")
    now, prev, _ = history
    expected = sum(1 for c in now if c["day"] <= 24) + sum(1 for c in prev if c["day"] >= 25)
    assert f["complaints"] == expected


def test_hot_issue_rule(desk, store):
    def add(merchant, day, product="某商品"):
        desk.cases.add(complaint(received_at=f"{day.isoformat()}T10:00:00+08:00", purchase_date="2026-09-01",
                                 merchant={"name": merchant}, product=product))

    end = dt.date(2026, 10, 31)
    for days_ago in (1, 5, 29):
        add("甲店（虚构）", end - dt.timedelta(days=days_ago))
    for days_ago in (1, 2, 30):
        add("乙店（虚构）", end - dt.timedelta(days=days_ago))
    with store.read() as s:
        hot = figures.hot_issues(s, end, 3)
    merchants = {h["value"]: h["count"] for h in hot if h["kind"] == "merchant"}
    assert merchants == {"甲店（虚构）": 3}  # 乙's third complaint is 30 days back: outside the window
    assert any(h["kind"] == "nature" and h["count"] == 5 for h in hot)
    assert any(h["kind"] == "product" and h["count"] == 5 and len(h["case_nos"]) == 5 for h in hot)


def test_counts_follow_the_case_states_whatever_the_path(desk, tmp_path):
    """在办 leaves out closed cases; 受理 counts cases that went on to mediation, outcomes or were imported so."""
    at = "2026-10-05T15:00:00+08:00"
    a = desk.cases.add(complaint(purchase_date="2026-10-01", received_at="2026-10-05T10:00:00+08:00"))["case_no"]  # still open
    b = desk.cases.add(complaint(purchase_date="2026-10-01", received_at="2026-10-05T10:00:00+08:00"))["case_no"]
    for state in ("accepted", "mediating"):
        desk.cases.move(b, state, at=at)
    c = desk.cases.add(complaint(purchase_date="2026-10-01", received_at="2026-10-05T10:00:00+08:00"))["case_no"]
    for state in ("accepted", "mediating"):
        desk.cases.move(c, state, at=at)
    desk.cases.move(c, "resolved", terms="退款", at=at)
    desk.cases.follow_up(c, "satisfied", at="2026-10-06T10:00:00+08:00")
    desk.cases.move(c, "closed", at="2026-10-06T11:00:00+08:00")
    ledger = tmp_path / "l.jsonl"
    import json

    rows = [complaint(purchase_date="2026-10-01", received_at="2026-10-06T10:00:00+08:00", state="mediating"),
            complaint(purchase_date="2026-10-01", received_at="2026-10-06T10:00:00+08:00", state="closed")]
    ledger.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    desk.ledger.import_file(ledger)
    f = desk.reports.monthly("2026-10")
    assert f["complaints"] == 5
    assert f["outcomes"]["open"] == 3  # a, b, and the imported case in mediation; never the closed ones
    assert f["accepted"] == 3  # b (mediating), c (resolved, then closed), the imported one in mediation
    assert f["outcomes"]["resolved"] == 1 and f["resolution_rate"] == 100.0
    assert a


def test_report_pdf_and_cli_json(desk, history, db_url, monkeypatch, capsys, tmp_path):
    pdf = desk.documents.monthly_pdf("2026-10")
    text = plain(pdf)
    for piece in ("2026年10月消费投诉咨询汇总", "本期件数", "上年同期件数", "比重变化", "调解成功率", "统计口径",
                  "投诉类别（本期件数）", "近12个月投诉件数"):
        assert piece in text, piece
    assert fonts_not_embedded(pdf) == []
    import json

    from app.cli import main

    monkeypatch.setenv("LIAISON_DB", db_url)
    assert main(["report", "monthly", "2026-10", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["complaints"] == 40
    assert main(["report", "monthly", "2026-10", "-o", str(tmp_path / "m.pdf")]) == 0
    assert main(["report", "monthly", "2026/10", "--json"]) == 1


def test_hot_issue_draft(desk):
    for _ in range(3):
        desk.cases.add(complaint(merchant={"name": "热点店（虚构）"}))
    hot = [h for h in desk.reports.hot_issues() if h["kind"] == "merchant"]
    assert hot and hot[0]["value"] == "热点店（虚构）" and hot[0]["count"] == 3
    text = plain(desk.documents.hot_issue_draft(hot[0]))
    assert "情况反映" in text and "市场监督管理部门" in text and text.count("消费投诉转办单") == 3


def test_on_time_rates_count_overdue_cases_without_a_decision(desk, make_complaint):
    import datetime as dt

    from app.core import clock

    day = clock.today() - dt.timedelta(days=40)
    received = dt.datetime.combine(day, dt.time(10), clock.LOCAL_TZ).isoformat()
    on_time = desk.cases.add(make_complaint(received_at=received, purchase_date=(day - dt.timedelta(days=2)).isoformat()))
    desk.cases.move(on_time["case_no"], "accepted", at=received)
    desk.cases.add(make_complaint(received_at=received, purchase_date=(day - dt.timedelta(days=2)).isoformat()))
    month = day.strftime("%Y-%m")
    f = desk.reports.monthly(month)
    assert f["acceptance_on_time"] == 50.0  # one decided in time, one still waiting long after its deadline
    # the accepted one is 40 days into its mediation: not late yet (60 days), so not counted either way
    assert f["mediation_on_time"] is None


def test_stored_report_facts_match_the_event_history(desk, store, make_complaint):
    """outcome / was_accepted / decided_on, kept as cases move, equal what the events say (the migration's
    definition, which filled them for databases made before)."""
    import importlib

    from sqlalchemy import text

    facts = importlib.import_module("app.storage.migrations.versions.0016_report_facts")
    c = desk.cases
    resolved = c.add(make_complaint())["case_no"]
    c.move(resolved, "accepted")
    c.mediate(resolved, "phone", ["consumer", "merchant"], offer="退款")
    c.move(resolved, "resolved", terms="退款", remedies=["refund"], amount_recovered="10")
    c.follow_up(resolved, "satisfied")
    c.move(resolved, "closed")
    refused = c.add(make_complaint())["case_no"]
    c.move(refused, "not_accepted", reason_code="no_consumer_dispute")
    referred = c.add(make_complaint())["case_no"]
    c.move(referred, "referred", reason="转市场监管", referred_to="samr")
    waiting = c.add(make_complaint())["case_no"]
    with store.read() as s:
        sqlite = s.get_bind().dialect.name == "sqlite"
        day = "date(min(e.at), '+8 hours')" if sqlite else "(min(e.at) AT TIME ZONE 'Asia/Shanghai')::date"
        rows = s.execute(text(f"""SELECT case_no, outcome, was_accepted, decided_on,
            coalesce((SELECT e.to_state FROM events e WHERE e.case_id = cases.id AND e.action IN ('move', 'import')
                      AND e.to_state IN ({facts.OUTCOMES}) ORDER BY e.id DESC LIMIT 1), '') AS from_events,
            (accepted_on IS NOT NULL OR EXISTS (SELECT 1 FROM events e WHERE e.case_id = cases.id
                      AND e.action IN ('move', 'import') AND e.to_state IN ({facts.ACCEPTED}))) AS accepted_events,
            (SELECT {day} FROM events e WHERE e.case_id = cases.id AND e.action = 'move'
                      AND e.to_state IN ('accepted', 'not_accepted')) AS decided_events
            FROM cases""")).all()
    seen = {r.case_no: r for r in rows}
    assert seen[resolved].outcome == "resolved" and seen[refused].outcome == "not_accepted"
    assert seen[referred].outcome == "referred" and seen[waiting].outcome == ""
    for r in rows:
        assert r.outcome == r.from_events and bool(r.was_accepted) == bool(r.accepted_events), r
        assert str(r.decided_on or "") == str(r.decided_events or ""), r

