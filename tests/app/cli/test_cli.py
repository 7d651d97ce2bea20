"""The `liaison` command's contract (interchange.md): JSON shapes, exit codes, nothing half written."""
import json
import subprocess
import sys

from app.cli import main
from tests.conftest import complaint

CASE_KEYS = {"case_no", "kind", "received_at", "channel", "consumer", "merchant", "category", "nature", "product",
             "brand", "purchase_date", "purchase_channel", "amount_paid", "amount_claimed", "facts", "demands",
             "state", "acceptance_due", "mediation_due", "amount_recovered", "advance_paid", "fast_track"}


def add(cli, **overrides):
    code, out, err = cli("case", "add", "--json", stdin=json.dumps(complaint(**overrides), ensure_ascii=False))
    assert code == 0, err
    return json.loads(out)


def test_init_is_idempotent(cli):
    code, _out, err = cli("init")
    assert code == 0, err
    code, out, _ = cli("init", "--json")
    assert code == 0 and json.loads(out)["status"] == "ok"


def test_case_add_prints_the_stored_case(cli):
    case = add(cli, received_at="2026-11-20T10:15:00+08:00")
    assert CASE_KEYS <= set(case)
    assert case["case_no"] == "20261120-0001"
    assert case["state"] == "registered"
    assert case["acceptance_due"] == "2026-12-01"  # 7 working days after Fri 11-20
    assert case["received_at"] == "2026-11-20T10:15:00+08:00"
    assert case["amount_paid"] == "299.00"
    assert case["fast_track"] is True  # claimed 299 <= 500


def test_bad_input_exit_1_names_fields_and_writes_nothing(cli):
    bad = complaint(consumer={"phone": "12345"}, merchant={"uscc": "123"}, amount_paid="-3", colour="x")
    code, out, err = cli("case", "add", stdin=json.dumps(bad))
    assert code == 1 and out == ""
    for field in ("consumer.phone", "merchant.uscc", "amount_paid", "colour"):
        assert f"【{field}】" in err
    code, out, _ = cli("case", "list", "--json")
    assert json.loads(out) == []


def test_not_json_is_exit_1(cli):
    code, _, err = cli("case", "add", stdin="{not json")
    assert code == 1 and "【stdin】" in err


def test_usage_errors_exit_2(cli):
    assert cli("case", "frobnicate")[0] == 2
    assert cli("case", "move", "X", "nowhere")[0] == 2
    assert cli("deadline")[0] == 2
    assert cli("deadline", "--received", "yesterday")[0] == 2


def test_show_has_full_personal_data_events_deadlines_and_is_audited(cli):
    case = add(cli)
    code, out, _ = cli("case", "show", case["case_no"], "--json")
    shown = json.loads(out)
    assert code == 0
    assert shown["consumer"]["phone"] == "13900001234"
    assert shown["events"][0]["state"] == "registered" and shown["events"][0]["staff"]
    assert shown["deadlines"]["acceptance_due"] == case["acceptance_due"]
    audit = json.loads(cli("audit", "--json")[1])
    assert any(e["action"] == "view" and e["case_no"] == case["case_no"] for e in audit)


def test_list_and_search_mask_personal_data(cli):
    case = add(cli)
    for args in (("case", "list", "--json"), ("search", "1234", "--json"), ("search", "王某兰", "--json")):
        code, out, _ = cli(*args)
        found = json.loads(out)
        assert code == 0 and [c["case_no"] for c in found] == [case["case_no"]], args
        assert found[0]["consumer"]["phone"] == "139****1234"
        assert found[0]["consumer"]["name"] == "王*兰"


def test_search_short_chinese_and_case_number(cli):
    a = add(cli, product="羽绒服", facts="跑绒严重")
    add(cli, product="电饭煲")
    assert [c["case_no"] for c in json.loads(cli("search", "绒", "--json")[1])] == [a["case_no"]]
    assert [c["case_no"] for c in json.loads(cli("search", a["case_no"], "--json")[1])] == [a["case_no"]]


def test_list_filters_newest_first(cli):
    add(cli, received_at="2026-11-18T10:00:00+08:00")
    b = add(cli, received_at="2026-11-20T10:00:00+08:00")
    listed = json.loads(cli("case", "list", "--json")[1])
    assert [c["received_at"][:10] for c in listed] == ["2026-11-20", "2026-11-18"]
    only = json.loads(cli("case", "list", "--from", "2026-11-19", "--to", "2026-11-20", "--json")[1])
    assert [c["case_no"] for c in only] == [b["case_no"]]
    assert json.loads(cli("case", "list", "--state", "accepted", "--json")[1]) == []


def test_move_accept_sets_mediation_due(cli):
    case = add(cli, received_at="2026-07-30T10:00:00+08:00", purchase_date="2026-07-01")
    code, out, _ = cli("case", "move", case["case_no"], "accepted", "--at", "2026-08-03T09:00:00+08:00", "--json")
    moved = json.loads(out)
    assert code == 0 and moved["state"] == "accepted"
    assert moved["mediation_due"] == "2026-10-08"  # 60 days ends on National Day -> next working day


def test_not_accepted_needs_a_reason_and_illegal_moves_are_refused(cli):
    case = add(cli)
    code, _, err = cli("case", "move", case["case_no"], "not_accepted")
    assert code == 1 and "【reason】" in err
    code, _, err = cli("case", "move", case["case_no"], "resolved")
    assert code == 1 and "【state】" in err and "受理" in err
    code, out, _ = cli("case", "move", case["case_no"], "not_accepted", "--reason-code", "time_barred", "--json")
    assert code == 0 and json.loads(out)["state"] == "not_accepted"
    shown = json.loads(cli("case", "show", case["case_no"], "--json")[1])
    assert "超过三年" in shown["events"][-1]["note"]
    assert cli("case", "move", "19990101-0001", "accepted")[0] == 1


def test_deadline_command(cli):
    code, out, _ = cli("deadline", "--received", "2026-09-28", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["acceptance_due"] == "2026-10-13" and d["rule_set"]["code"] == "samr121" and d["mediation_due"] is None
    d = json.loads(cli("deadline", "--accepted", "2026-03-02", "--received", "2026-03-02", "--json")[1])
    assert d["rule_set"]["code"] == "samr20" and d["mediation_due"] == "2026-05-08"
    code, out, err = cli("deadline", "--received", "2026-12-28", "--json")
    assert json.loads(out)["warnings"] and "2027" in err


def test_settings(cli):
    code, out, _ = cli("settings", "--json")
    assert code == 0 and "point.name" in json.loads(out)
    assert cli("settings", "point.name", "测试联络点")[0] == 0
    assert json.loads(cli("settings", "point.name", "--json")[1]) == {"point.name": "测试联络点"}
    code, _, err = cli("settings", "point.contact_phone", "123")
    assert code == 1 and "【point.contact_phone】" in err
    assert cli("settings", "no.such.key")[0] == 1


def test_print_receipt(cli, tmp_path):
    case = add(cli)
    out_file = tmp_path / "r.pdf"
    assert cli("print", "receipt", case["case_no"], "-o", str(out_file))[0] == 0
    assert out_file.read_bytes().startswith(b"%PDF")
    assert cli("print", "receipt", "19990101-0001", "-o", str(out_file))[0] == 1


def test_demo_goes_to_its_own_database_and_never_among_real_cases(cli, db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("LIAISON_DATA_DIR", str(tmp_path / "data"))
    code, out, _ = cli("demo", "--cases", "50", "--json")
    assert code == 0 and json.loads(out) == {"added": 50}
    demo_db = str(tmp_path / "data" / "liaison-demo.db")  # the demo database of 演示模式
    assert len(json.loads(cli("--db", demo_db, "case", "list", "--json")[1])) == 50
    assert json.loads(cli("case", "list", "--json")[1]) == []  # the live one is untouched
    assert cli("demo", "--cases", "5", "--db", demo_db)[0] == 0  # more demo cases: fine
    add(cli)
    code, _out, err = cli("demo", "--cases", "5", "--db", db_url)  # the live database
    assert code == 1 and "已有真实案件" in err and "--force" in err
    assert cli("demo", "--cases", "5", "--db", db_url, "--force")[0] == 0
    assert len(json.loads(cli("case", "list", "--json")[1])) == 6


def test_python_dash_m_app_is_the_command(db_url):
    result = subprocess.run([sys.executable, "-m", "app", "--db", db_url, "deadline", "--received", "2026-09-28",
                             "--json"], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["acceptance_due"] == "2026-10-13"


def test_a_database_that_cannot_open_is_exit_1(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--db", str(blocker / "sub" / "x.db"), "init"]) == 1
    assert "【db】" in capsys.readouterr().err


def test_list_and_search_stream_the_same_json_with_a_limit(cli):
    for i in range(3):
        add(cli, product=f"羽绒服{i}")
    for args in (("case", "list", "--json"), ("search", "羽绒服", "--json")):
        code, out, _ = cli(*args)
        found = json.loads(out)
        assert code == 0 and len(found) == 3
        assert out == json.dumps(found, ensure_ascii=False, indent=2) + "\n"  # byte for byte the contract's layout
        limited = json.loads(cli(*args, "--limit", "2")[1])
        assert [c["case_no"] for c in limited] == [c["case_no"] for c in found[:2]]
    assert cli("search", "没有这样的商品", "--json")[1] == "[]\n"
    assert "（没有找到）" in cli("search", "没有这样的商品")[1]
