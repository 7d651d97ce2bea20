"""The whole lifecycle of product.md through app/ and the `liaison` command."""
import json

import pytest

from app.calendar.deadlines import rule_set_by_code
from app.cases import lifecycle
from app.core import codes
from app.core.errors import FieldError
from tests.app.cli.test_cli import add
from tests.conftest import complaint

ALL = list(codes.STATE)


@pytest.mark.parametrize("kind", ["complaint", "consultation", "report"])
@pytest.mark.parametrize("state", ALL)
def test_every_illegal_move_is_refused(kind, state):
    allowed = set(lifecycle.allowed_moves(kind, state))
    for target in ALL:
        if target in allowed:
            continue
        with pytest.raises(FieldError) as e:
            lifecycle.check_move(kind, state, target, "理由", "", rule_set_by_code("samr121"))
        assert e.value.field == "state"


def test_allowed_moves_follow_product_md():
    assert lifecycle.allowed_moves("complaint", "registered") == ["accepted", "not_accepted", "referred"]
    assert lifecycle.allowed_moves("complaint", "mediating") == ["resolved", "failed", "terminated", "referred"]
    assert lifecycle.allowed_moves("consultation", "registered") == ["referred", "closed"]
    assert lifecycle.allowed_moves("report", "registered") == ["referred"]
    for outcome in ("resolved", "failed", "terminated", "not_accepted", "referred"):
        assert lifecycle.allowed_moves("complaint", outcome) == ["closed"]
    assert lifecycle.allowed_moves("complaint", "closed") == []


def run(cli, *args):
    code, out, err = cli(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_full_lifecycle_with_pause_follow_up_close_and_reopen(monkeypatch, cli):
    case = add(cli, received_at="2026-09-01T10:00:00+08:00", purchase_date="2026-08-20")
    no = case["case_no"]
    assert run(cli, "case", "move", no, "accepted", "--at", "2026-09-02T10:00:00+08:00")["mediation_due"] == "2026-11-02"
    # 9-02 + 60 days = 11-01, a Sunday -> Monday 11-02
    moved = run(cli, "case", "mediate", no, "--mode", "on_site", "--with", "consumer", "--with", "merchant",
                "--with", "staff", "--offer", "退款299元", "--answer", "经营者同意退款", "--at", "2026-09-03T10:00:00+08:00")
    assert moved["state"] == "mediating"
    run(cli, "case", "pause", no, "--reason", "送检", "--at", "2026-09-04T10:00:00+08:00")
    code, _, err = cli("case", "move", no, "resolved", "--terms", "退款")
    assert code == 1 and "暂停" in err
    resumed = run(cli, "case", "resume", no, "--at", "2026-09-14T10:00:00+08:00")
    assert resumed["mediation_due"] == "2026-11-11"  # 60 + 10 paused days from 9-02
    code, _, err = cli("case", "move", no, "resolved")
    assert code == 1 and "【terms】" in err
    resolved = run(cli, "case", "move", no, "resolved", "--terms", "经营者退款299元，消费者退回商品", "--remedy", "refund",
                   "--amount-recovered", "299", "--at", "2026-09-15T10:00:00+08:00")
    assert resolved["amount_recovered"] == "299.00" and resolved["outcome"]["remedy"] == ["refund"]
    assert resolved["follow_up"]["due"] == "2026-09-22"  # 7 calendar days after the outcome
    code, _, err = cli("case", "move", no, "closed")
    assert code == 1 and "回访" in err
    run(cli, "case", "follow-up", no, "--satisfaction", "satisfied", "--note", "已收到退款")
    assert run(cli, "case", "move", no, "closed")["state"] == "closed"
    monkeypatch.setenv("LIAISON_NEW_PASSWORD", "staff-pass-1")
    run(cli, "staff", "add", "liming", "--display", "李明", "--role", "staff")
    monkeypatch.setenv("LIAISON_PASSWORD", "staff-pass-1")
    code, _, err = cli("case", "reopen", no, "--reason", "经营者未退款", "--staff", "liming")
    assert code == 1 and "只有负责人可以重新打开" in err and "李明" in err
    assert run(cli, "case", "reopen", no, "--reason", "经营者未退款")["state"] == "resolved"
    shown = run(cli, "case", "show", no)
    actions = [e["action"] for e in shown["events"]]
    assert actions == ["register", "move", "move", "mediation", "pause", "resume", "move", "follow_up", "move",
                       "reopen"]
    assert shown["pauses"] == [{"reason": "送检", "reason_code": "inspection", "counted": True, "from": "2026-09-04",
                                "to": "2026-09-14"}]
    assert shown["deadlines"]["mediation_due"] == "2026-11-11"  # the paused days count here too
    assert shown["mediation_log"][0]["participants"] == ["consumer", "merchant", "staff"]


def test_termination_needs_an_art23_ground(cli):
    no = add(cli)["case_no"]
    run(cli, "case", "move", no, "accepted")
    run(cli, "case", "move", no, "mediating")
    code, _, err = cli("case", "move", no, "terminated", "--reason", "拒绝")
    assert code == 1 and "第二十三条" in err
    done = run(cli, "case", "move", no, "terminated", "--reason-code", "absent_or_refused")
    assert done["outcome"]["ground_code"] == "absent_or_refused"


def test_referral_needs_target_and_reason(cli):
    no = add(cli)["case_no"]
    assert cli("case", "move", no, "referred", "--reason", "涉嫌违法")[0] == 1
    assert cli("case", "move", no, "referred", "--referred-to", "samr")[0] == 1
    assert run(cli, "case", "move", no, "referred", "--referred-to", "samr", "--reason", "涉嫌虚假宣传")["state"] == "referred"


def test_handover_and_advance_payment(desk):
    no = desk.cases.add(complaint())["case_no"]
    assert desk.cases.hand_over(no, "李晓", "调休")["owner"] == "李晓"
    with pytest.raises(FieldError):
        desk.cases.record_advance(no, "-5", "商场")
    with pytest.raises(FieldError):
        desk.cases.record_advance(no, "100", " ")
    case = desk.cases.record_advance(no, "299", "商场服务台", "2026-11-20")
    assert case["advance_paid"] == "299.00" and case["advance"] == {"payer": "商场服务台", "recovered_on": "2026-11-20"}
    notes = [e["note"] for e in desk.cases.show(no).as_json()["events"]]
    assert any("移交 李晓" in n for n in notes) and any("先行赔付 ¥299.00" in n for n in notes)


def test_mediation_overdue_is_flagged_for_termination(desk):
    import datetime as dt

    from app.calendar.holiday_arrangements import load_calendar
    from app.cases import records

    no = desk.cases.add(complaint(received_at="2026-07-30T10:00:00+08:00", purchase_date="2026-07-01"))["case_no"]
    desk.cases.move(no, "accepted", at="2026-08-03T10:00:00+08:00")
    with desk.store.read() as s:
        case = records.get_case(s, no)
        info = records.due_info(case, load_calendar(s), dt.date(2026, 10, 9))
    assert info.level == "overdue" and "应终止调解" in info.what
