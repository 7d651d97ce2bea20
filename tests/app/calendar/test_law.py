"""The law as the desk applies it: arrangements that move open cases' due dates, each rule set's own
articles and grounds on paper, pauses only for appraisals, the notice deadline, statute texts as data."""
import datetime as dt
import json
import re

import pytest

from app.calendar.deadlines import rule_set_by_code
from app.calendar.statutes import statutes
from app.core.errors import FieldError
from tests.app.cli.test_cli import add
from tests.conftest import complaint
from tests.pdf_checks import body

# A fictitious 2027 arrangement: New Year 1-1~1-4 and a December make-up Saturday 2026-12-26.
ARRANGEMENT_2027 = """# 2027年放假安排（虚构，测试用）
2027-01-01 休
2027-01-04 休
2026-12-26 班
2027-02-05 休
2027-02-06 休
2027-02-07 休
2027-02-08 休
2027-02-09 休
2027-02-10 休
2027-02-11 休
2027-02-20 班
"""


def _run(cli, *args, stdin=None):
    code, out, err = cli(*args, "--json", stdin=stdin)
    assert code == 0, err
    return json.loads(out)


def test_entering_an_arrangement_moves_open_cases_due_dates_cli(cli, tmp_path):
    accepted = add(cli, received_at="2026-11-02T10:00:00+08:00")["case_no"]
    _run(cli, "case", "move", accepted, "accepted", "--at", "2026-11-02T11:00:00+08:00")
    closed = add(cli, received_at="2026-11-02T10:30:00+08:00", kind="consultation")["case_no"]
    _run(cli, "case", "move", closed, "closed")
    # 60 days from 11-02 end on 2027-01-01, New Year's Day (statutory) -> Monday 2027-01-04
    assert _run(cli, "case", "show", accepted)["mediation_due"] == "2027-01-04"
    shown = _run(cli, "holidays", "2027")
    assert shown["origin"] == "statutory" and {"day": "2027-02-09", "kind": "休"} in shown["days"]

    f = tmp_path / "2027.txt"
    f.write_text(ARRANGEMENT_2027, encoding="utf-8")
    result = _run(cli, "holidays", "set", "2027", "--file", str(f), "--source", "测试")
    assert result["cases_updated"] == 1
    case = _run(cli, "case", "show", accepted)
    assert case["mediation_due"] == "2027-01-05"  # 1-4 is now a rest day
    assert case["deadlines"]["mediation_due"] == "2027-01-05" and case["deadlines"]["warnings"] == []
    listed = {c["case_no"]: c for c in _run(cli, "case", "list")}
    assert listed[accepted]["mediation_due"] == "2027-01-05"
    # the December make-up Saturday belongs to 2027's arrangement: 12-24 + 7 working days
    # = 12-25, [12-26], 12-28, 12-29, 12-30, 12-31, 1-5
    assert _run(cli, "deadline", "--received", "2026-12-24")["acceptance_due"] == "2027-01-05"
    again = _run(cli, "holidays", "2027")
    assert again["origin"] == "entered" and {"day": "2026-12-26", "kind": "班"} in again["days"]
    # entering 2026 (unchanged days) keeps 2027's December make-up day
    _run(cli, "holidays", "set", "2026", "--file", str(_write(tmp_path, "2026-10-01 休\n")))
    assert _run(cli, "deadline", "--received", "2026-12-24")["acceptance_due"] == "2027-01-05"


def _write(tmp_path, text):
    f = tmp_path / "other.txt"
    f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.sqlite_only  # about the law, not the database
def test_a_bad_arrangement_file_is_refused_line_by_line(cli, tmp_path):
    f = _write(tmp_path, "2027-01-01 休\n2027-13-01 休\n2027-01-02 放\n2025-12-26 班\n")
    code, _, err = cli("holidays", "set", "2027", "--file", str(f))
    assert code == 1 and "第2行" in err and "第3行" in err
    f = _write(tmp_path, "2027-01-01 休\n2025-12-26 班\n")
    code, _, err = cli("holidays", "set", "2027", "--file", str(f))
    assert code == 1 and "【calendar】" in err and "2025-12-26" in err
    assert json.loads(cli("holidays", "2027", "--json")[1])["origin"] == "statutory"


def test_pause_only_for_appraisal_a_free_reason_is_a_note(cli):
    no = add(cli, received_at="2026-09-01T10:00:00+08:00", purchase_date="2026-01-01")["case_no"]
    _run(cli, "case", "move", no, "accepted", "--at", "2026-09-01T11:00:00+08:00")
    code, out, err = cli("case", "pause", no, "--reason", "等待消费者补交发票", "--at", "2026-09-10T10:00:00+08:00")
    assert code == 0 and "不属于检定、检验、检测、鉴定" in err and "调解期限仍为 2026-11-02" in out
    case = _run(cli, "case", "show", no)
    assert case["paused_since"] is None and case["pauses"] == [] and case["mediation_due"] == "2026-11-02"
    assert any("等待消费者补交发票" in e["note"] for e in case["events"])
    assert cli("case", "pause", no, "--reason-code", "waiting")[0] == 2
    paused = _run(cli, "case", "pause", no, "--reason-code", "testing", "--reason", "送第三方检测",
                  "--at", "2026-09-10T10:00:00+08:00")
    assert paused["clock_paused"] is True
    resumed = _run(cli, "case", "resume", no, "--at", "2026-09-15T10:00:00+08:00")
    assert resumed["mediation_due"] == "2026-11-05"  # 60 + 5 days from 9-01


def test_notice_of_the_end_is_due_in_7_working_days_until_printed(desk):
    no = desk.cases.add(complaint(received_at="2026-09-01T10:00:00+08:00", purchase_date="2026-01-01"))["case_no"]
    desk.cases.move(no, "accepted", at="2026-09-01T11:00:00+08:00")
    desk.cases.mediate(no, "phone", ["consumer", "merchant"], "退款", "不同意", at="2026-09-02T10:00:00+08:00")
    desk.cases.move(no, "terminated", reason_code="no_agreement_possible", at="2026-09-28T10:00:00+08:00")
    case = desk.cases.show(no).as_json()
    # 9-28 + 7 working days over National Day: 9-29, 9-30, 10-8, 10-9, 10-10 (Sat), 10-12, 10-13
    assert case["notice"]["due"] == "2026-10-13" and case["notice"]["sent_on"] is None
    assert case["deadlines"]["current"]["kind"] == "notice"
    assert {"kind": "notice", "what": "终止调解告知期限", "due": "2026-10-13"} in case["deadlines"]["open"]
    rows, _next = desk.cases.rows(_everything(), "received_at", True, None, 10, desk.calendar.current(),
                                  dt.date(2026, 10, 9))
    assert rows[0].due == "2026-10-13" and rows[0].due_what == "终止调解告知期限"
    desk.documents.notice_pdf("terminated", no)
    assert desk.cases.show(no).as_json()["notice"]["sent_on"] is None  # made is not yet printed
    desk.documents.printed("terminated", no, "打印机")
    case = desk.cases.show(no).as_json()
    assert case["notice"]["sent_on"] and case["deadlines"]["current"]["kind"] == "follow_up"
    assert any(e["action"] == "notice" for e in case["events"])


def _everything():
    from app.cases.records import CaseFilter

    return CaseFilter()


def _order20_case(desk, **kw):
    return desk.cases.add(complaint(received_at="2026-03-02T10:00:00+08:00", purchase_date="2026-01-01", **kw))["case_no"]


@pytest.mark.sqlite_only  # about the law, not the database
def test_order_20_notices_cite_order_20(desk):
    rs = rule_set_by_code("samr20")
    a = _order20_case(desk)
    desk.cases.move(a, "not_accepted", reason_code="outside_authority", at="2026-03-03T10:00:00+08:00")
    text = body(desk.documents.notice_pdf("not-accepted", a))
    assert "参照《市场监督管理投诉举报处理暂行办法》第十五条第（一）项的规定，于2026年3月3日决定不予受理" in text
    assert "参照《市场监督管理投诉举报处理暂行办法》（国家市场监督管理总局令第20号）处理消费投诉" in text
    assert "第十六条" not in text and "依据《" not in text and "第121号" not in text
    for where in ("12315", "测试区消费者权益保护委员会", "仲裁", "人民法院"):
        assert where in text
    b = _order20_case(desk)
    desk.cases.move(b, "accepted", at="2026-03-02T11:00:00+08:00")
    desk.cases.move(b, "terminated", reason_code="appraisal_cost_dispute", at="2026-03-20T10:00:00+08:00")
    text = body(desk.documents.notice_pdf("terminated", b))
    assert "第二十一条第一款第（二）项" in text and "四十五个工作日" in text and rs.termination.get(
        "appraisal_cost_dispute").text.removesuffix("的") in text
    assert "六十日" not in text and "第二十三条" not in text
    c = _order20_case(desk)
    with pytest.raises(FieldError) as e:  # Order No. 20 has no ground of false identity
        desk.cases.move(c, "not_accepted", reason_code="false_identity")
    assert "outside_authority" in str(e.value)


@pytest.mark.sqlite_only  # about the law, not the database
def test_order_121_notices_cite_order_121(desk):
    a = desk.cases.add(complaint(received_at="2026-06-01T10:00:00+08:00", purchase_date="2026-01-01"))["case_no"]
    desk.cases.move(a, "accepted", at="2026-06-01T11:00:00+08:00")
    desk.cases.move(a, "terminated", reason_code="art16_ground_found", reason="发现已向法院起诉",
                    at="2026-06-05T10:00:00+08:00")
    text = body(desk.documents.notice_pdf("terminated", a))
    assert "第十六条、第四十二条规定情形" in text and "第二十三条第（六）项" in text and "六十日" in text
    assert "发现已向法院起诉" in text and "四十五个工作日" not in text and "暂行办法" not in text
    b = desk.cases.add(complaint(received_at="2026-06-01T10:00:00+08:00", purchase_date="2026-01-01"))["case_no"]
    desk.cases.move(b, "not_accepted", reason_code="false_identity", at="2026-06-02T10:00:00+08:00")
    text = body(desk.documents.notice_pdf("not-accepted", b))
    assert "第十六条第（六）项" in text and "冒用他人名义投诉" in text
    assert rule_set_by_code("samr121").termination.get("absent_or_refused").text.count("投诉人或者被投诉人") == 2


def test_unverified_articles_are_never_printed_or_given():
    rs = rule_set_by_code("samr121")
    assert rs.acceptance.unverified and rs.notice.unverified and rs.pause.unverified
    assert rs.cite(rs.acceptance.article, rs.acceptance.unverified) == "《市场监督管理投诉举报处理办法》的有关规定"
    from app.calendar.deadlines import WorkCalendar, compute

    d = compute(WorkCalendar(), dt.date(2026, 6, 1), dt.date(2026, 6, 1), ended=dt.date(2026, 7, 1)).as_json()
    assert d["acceptance_article"] is None and d["notice_article"] is None
    assert d["mediation_article"] == "《市场监督管理投诉举报处理办法》第二十三条第（五）项"
    old = compute(WorkCalendar(), dt.date(2026, 3, 2)).as_json()
    assert old["acceptance_article"] == "《市场监督管理投诉举报处理暂行办法》第十四条"
    assert old["notice_article"] == "《市场监督管理投诉举报处理暂行办法》第二十一条第二款"


QUOTE = re.compile(r"(《[^》]+》)(第[一二三四五六七八九十百零]+条(?:第[一二三四五六七八九十]+款)?)规定：“([^”]+)”")


def _quotes_match_data(text: str) -> int:
    """Every “《法》第N条规定：“…”” on paper is word for word the data of that article; returns how many."""
    by_name = {(s.law, s.article): s for s in statutes().values()} | {(s.short, s.article): s
                                                                      for s in statutes().values()}
    found = QUOTE.findall(text)
    for law, article, words in found:
        s = by_name.get((law, article))
        assert s is not None, f"{law}{article} is not in the data"
        assert words == "".join(s.text.split()), f"{law}{article} differs from its data"
    return len(found)


@pytest.mark.sqlite_only  # about the law, not the database
def test_every_statute_text_on_paper_is_its_data(desk):
    desk.settings.put({"point.regulator": "测试市测试区市场监督管理局"})
    bulletin = body(desk.documents.bulletin_pdf("A4"))
    assert _quotes_match_data(bulletin) == 6  # 22, 23, 40, 44, 47, 45
    for key in ("pql_22", "pql_23", "pql_40", "pql_44", "pql_45", "pql_47"):
        assert "".join(statutes()[key].text.split()) in bulletin, key
    for old in ("第35条", "第三十五条", "产品质量监督部门", "工商行政管理", "XX", "生活费用等"):
        assert old not in bulletin, old
    assert "测试市测试区市场监督管理局报告" in bulletin and "市场监督管理部门依法履责" in bulletin

    a = desk.cases.add(complaint())["case_no"]
    desk.cases.move(a, "not_accepted", reason_code="time_barred")
    assert _quotes_match_data(body(desk.documents.notice_pdf("not-accepted", a))) == 1
    b = desk.cases.add(complaint())["case_no"]
    desk.cases.move(b, "accepted")
    desk.cases.move(b, "terminated", reason_code="withdrawn_or_settled")
    assert _quotes_match_data(body(desk.documents.notice_pdf("terminated", b))) == 1
    tip = body(desk.documents.tip_pdf("prepaid"))
    assert _quotes_match_data(tip) == 1 and "".join(statutes()["cpl_53"].text.split()) in tip
    m = desk.merchants.save({"name": "测试小店（虚构）"})
    commitment = body(desk.documents.commitment_pdf(m["id"]))
    assert "测试市测试区市场监督管理局报告" in commitment and "XX" not in commitment and "工商" not in commitment


@pytest.mark.sqlite_only  # about the law, not the database
def test_commitment_without_a_regulator_setting_never_prints_xx(desk):
    m = desk.merchants.save({"name": "测试小店（虚构）"})
    text = body(desk.documents.commitment_pdf(m["id"]))
    assert "属地市场监督管理部门报告" in text and "XX" not in text


def test_statute_data_carries_version_and_source():
    for key, s in statutes().items():
        assert s.law.startswith("《中华人民共和国") and s.article.startswith("第") and s.text, key
        assert dt.date.fromisoformat(s.version) and s.source, key
    assert statutes()["pql_47"].text.endswith("当事人各方没有达成仲裁协议或者仲裁协议无效的，可以直接向人民法院起诉。")
    assert "市场监督管理部门" in statutes()["pql_22"].text
    assert "生活费等费用。" in statutes()["pql_44"].text
    assert "仍为第一百四十八条" in statutes()["fsl_148"].note


@pytest.mark.sqlite_only  # about the law, not the database
def test_calculators_refuse_and_warn(cli):
    code, _, err = cli("calc", "punitive", "--price", "99", "--loss", "10")
    assert code == 1 and "【loss】" in err and "食品" in err
    code, out, err = cli("calc", "punitive", "--price", "0", "--json")
    assert code == 0 and "第五十五条" in err and json.loads(out)["warnings"]
    code, _, err = cli("calc", "limitation", "--known", "2026-11-24", "--today", "2026-11-23")
    assert code == 1 and "【known】" in err


def test_migration_0006_keeps_data_and_marks_old_pauses(backend, tmp_path, request):
    """A database at 0003 with a case, two old pauses and an entered day upgrades with nothing lost."""
    db_url = (f"sqlite:///{tmp_path / 'old.db'}" if backend == "sqlite"
              else request.getfixturevalue("pg_server").new_database(migrated=False))
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from app.storage import db

    store = db.Store(db_url, migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with store.engine.execution_options(immediate=True).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO consumers (id, name, phone, id_number, address, \"group\", consent_to_share) "
                          "VALUES (1, '王某', '13900001234', '', '', 'none', false)"))
        conn.execute(text(
            "INSERT INTO cases (id, case_no, kind, received_at, received_day, channel, consumer_id, category, nature,"
            " product, brand, purchase_channel, amount_paid, amount_claimed, facts, demands, state, rule_set,"
            " amount_recovered, advance_paid, fast_track, priority, owner, updated_at, outcome_terms, remedy,"
            " ground_code, referred_to, advance_payer, satisfaction, follow_up_note)"
            " VALUES (1, '20260901-0001', 'complaint', '2026-09-01 02:00:00+00:00', '2026-09-01', 'visit', 1, 'food',"
            " 'quality', '月饼', '', 'store', 10, 10, '发霉', 'refund', 'mediating', 'samr121', 0, 0, false, false,"
            " '李', '2026-09-01 02:00:00+00:00', '', '', '', '', '', '', '')"))
        conn.execute(text("INSERT INTO pauses (case_id, reason, started_on, ended_on) VALUES "
                          "(1, '送检', '2026-09-02', '2026-09-05'), (1, '等待补交材料', '2026-09-06', '2026-09-08')"))
        conn.execute(text("INSERT INTO calendar_years (year, source) VALUES (2027, '测试')"))
        conn.execute(text("INSERT INTO calendar_days (day, is_workday, note) VALUES ('2027-01-01', false, '放假')"))
    store.dispose()
    store = db.Store(db_url)
    assert store.schema_version() == db.SCHEMA_HEAD
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT reason_code FROM pauses ORDER BY id")).scalars().all() == ["inspection", ""]
        assert conn.execute(text("SELECT arrangement_year FROM calendar_days")).scalar() == 2027
        assert conn.execute(text("SELECT case_no, notice_due FROM cases")).one() == ("20260901-0001", None)
    store.dispose()
