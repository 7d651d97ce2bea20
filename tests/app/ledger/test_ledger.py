"""Ledger import (all or nothing, every bad row named) and export (masked unless consented)."""
import csv
import json

import pytest
from openpyxl import Workbook, load_workbook

from app.cases.records import CaseFilter
from app.ledger import exchange
from tests.conftest import complaint

HEADER = ["登记时间", "类型", "来源", "消费者姓名", "消费者电话", "经营者名称", "投诉类别", "投诉性质", "商品或服务",
          "购买金额", "诉求金额", "事实", "诉求", "状态", "挽回经济损失", "同意向消保委提供个人信息"]


def ledger_row(i: int, **change) -> list:
    row = {"登记时间": f"2026-10-{1 + i % 28:02d} 10:{i % 60:02d}", "类型": "投诉", "来源": "来访",
           "消费者姓名": f"测试{i}号", "消费者电话": f"1390000{i % 10000:04d}", "经营者名称": f"台账商户{i % 7}（虚构）",
           "投诉类别": "食品类", "投诉性质": "质量", "商品或服务": "月饼", "购买金额": "88", "诉求金额": "88",
           "事实": "月饼发霉", "诉求": "退货退款、赔礼道歉", "状态": "办结" if i % 3 else "登记",
           "挽回经济损失": "88" if i % 3 else "", "同意向消保委提供个人信息": "是" if i % 2 else "否"}
    row.update(change)
    return [row[h] for h in HEADER]


def write_xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)


def count(desk):
    return desk.cases.count(CaseFilter())


def test_xlsx_with_chinese_headers_imports_history(desk, tmp_path):
    path = tmp_path / "台账.xlsx"
    write_xlsx(path, [ledger_row(i) for i in range(30)])
    numbers = desk.ledger.import_file(path)
    assert len(numbers) == 30 and count(desk) == 30
    shown = desk.cases.show(numbers[0]).as_json()
    assert shown["category"] == "food" and shown["demands"] == ["refund", "apology"]
    states = {desk.cases.show(n).as_json()["state"] for n in numbers}
    assert states == {"closed", "registered"}
    assert shown["events"][0]["action"] == "import"
    # the merchant registry was filled from the ledger, one entry per merchant
    assert len(desk.merchants.registry()) == 7


def test_one_bad_row_among_many_writes_nothing_and_names_every_bad_row(desk, tmp_path):
    rows = [ledger_row(i) for i in range(200)]
    rows[57] = ledger_row(57, 消费者电话="12345")
    rows[120] = ledger_row(120, 投诉类别="玩具类", 购买金额="-1")
    path = tmp_path / "bad.xlsx"
    write_xlsx(path, rows)
    with pytest.raises(exchange.ImportRejected) as e:
        desk.ledger.import_file(path)
    found = {(r.row, r.field) for r in e.value.rows}
    assert found == {(59, "consumer.phone"), (122, "category"), (122, "amount_paid")}  # header is row 1
    assert count(desk) == 0


def test_gb18030_csv(desk, tmp_path):
    path = tmp_path / "台账.csv"
    with path.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(5):
            w.writerow(ledger_row(i))
    assert len(desk.ledger.import_file(path)) == 5
    assert desk.cases.search("测试3号")[0]["consumer"]["name"] == "测**号"


def test_jsonl_in_the_case_format(desk, tmp_path):
    path = tmp_path / "cases.jsonl"
    lines = [json.dumps(complaint(received_at="2026-11-02T10:00:00+08:00"), ensure_ascii=False),
             json.dumps(complaint(received_at="2026-11-03T10:00:00+08:00", state="resolved",
                                  amount_recovered="299"), ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    numbers = desk.ledger.import_file(path)
    assert numbers == ["20261102-0001", "20261103-0001"]
    assert desk.cases.show(numbers[1]).as_json()["amount_recovered"] == "299.00"
    path.write_text(lines[0] + "\n{broken\n", encoding="utf-8")
    with pytest.raises(exchange.ImportRejected) as e:
        desk.ledger.import_file(path)
    assert [r.row for r in e.value.rows] == [2]


def test_numbering_continues_after_desk_cases(desk, tmp_path):
    desk.cases.add(complaint(received_at="2026-10-01T09:00:00+08:00", purchase_date="2026-09-01"))
    path = tmp_path / "t.xlsx"
    write_xlsx(path, [ledger_row(0)])  # also received on 10-01
    assert desk.ledger.import_file(path) == ["20261001-0002"]


def test_export_masks_unless_consented_and_full(desk, tmp_path):
    path = tmp_path / "in.xlsx"
    write_xlsx(path, [ledger_row(i) for i in range(4)])
    desk.ledger.import_file(path)
    out = tmp_path / "out.jsonl"
    desk.ledger.export(out)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert all("****" in r["consumer"]["phone"] for r in rows)
    desk.ledger.export(out, full=True)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    for r in rows:
        assert ("****" in r["consumer"]["phone"]) != r["consumer"]["consent_to_share"]
    xlsx = tmp_path / "out.xlsx"
    assert desk.ledger.export(xlsx, CaseFilter()) == 4
    sheet = load_workbook(xlsx).active
    assert sheet["A1"].value == "案件编号" and sheet.max_row == 5
    assert any(e["action"] == "export" for e in desk.audit.entries())


def test_template_round_trip(desk, tmp_path):
    template = tmp_path / "模板.xlsx"
    exchange.write(template, [])
    wb = load_workbook(template)
    ws = wb.active
    header = [c.value for c in ws[1]]
    row = {h: "" for h in header}
    row.update({"登记时间": "2026-11-02 10:00", "类型": "咨询", "消费者电话": "13900001111", "事实": "问预付卡"})
    ws.append([row[h] for h in header])
    wb.save(template)
    assert len(desk.ledger.import_file(template)) == 1


def test_cli_import_export(db_url, monkeypatch, capsys, tmp_path):
    from app.cli import main

    monkeypatch.setenv("LIAISON_DB", db_url)
    bad = tmp_path / "bad.xlsx"
    write_xlsx(bad, [ledger_row(0), ledger_row(1, 消费者电话="1")])
    assert main(["import", str(bad)]) == 1
    assert "第3行【consumer.phone】" in capsys.readouterr().err
    good = tmp_path / "good.xlsx"
    write_xlsx(good, [ledger_row(i) for i in range(3)])
    assert main(["import", str(good), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 3
    assert main(["export", "-o", str(tmp_path / "o.csv"), "--from", "2026-10-01", "--to", "2026-10-02"]) == 0
    assert "已导出 2 件" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "missing.xlsx")]) == 1


@pytest.mark.sqlite_only
def test_an_import_killed_midway_leaves_no_case_and_a_sound_database(desk, tmp_path):
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time
    from pathlib import Path

    rows = [json.dumps(complaint(facts=f"第{i}号导入测试（虚构）", consumer={"name": "导入测试", "phone": "13900001234"}),
                       ensure_ascii=False) for i in range(40_000)]
    source = tmp_path / "big.jsonl"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = Path(desk.store.url.database)
    wal = db.with_name(db.name + "-wal")
    start = wal.stat().st_size if wal.exists() else 0
    env = dict(os.environ, LIAISON_DB=desk.store.url.render_as_string(hide_password=False))
    proc = subprocess.Popen([sys.executable, "-m", "app", "import", str(source)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and \
            (wal.stat().st_size if wal.exists() else 0) < start + 2_000_000:
        time.sleep(0.005)
    assert proc.poll() is None, "the import ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    finally:
        conn.close()
    numbers = desk.ledger.import_file(str(source))  # the same file imports in full afterwards
    assert len(numbers) == 40_000


@pytest.mark.parametrize("full", [False, True])
def test_xlsx_export_holds_what_the_case_json_holds(desk, tmp_path, full):
    """The table export reads its cells straight from the database rows; each must be the case's JSON
    value at that column's path, codes as their Chinese labels (counted here from the .jsonl export)."""
    from app.core import codes
    from tests.hard_corpus import hard_cases

    hard_cases(desk)
    write_xlsx(tmp_path / "in.xlsx", [ledger_row(i) for i in range(6)])
    desk.ledger.import_file(tmp_path / "in.xlsx")
    desk.cases.add(complaint(kind="consultation", merchant=None, demands=[]))
    desk.ledger.export(tmp_path / "all.jsonl", full=full)
    desk.ledger.export(tmp_path / "all.xlsx", full=full)
    cases = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    sheet = load_workbook(tmp_path / "all.xlsx").active
    rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    tables = {"kind": codes.KIND, "channel": codes.CHANNEL, "consumer.group": codes.CONSUMER_GROUP,
              "category": codes.CATEGORY, "nature": codes.NATURE, "purchase_channel": codes.PURCHASE_CHANNEL,
              "state": codes.STATE}

    def expected(case, path):
        value = case
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if path in tables:
            return tables[path].get(value, value or "")
        if path == "demands":
            return "、".join(codes.DEMAND[d] for d in value)
        if isinstance(value, bool):
            return "是" if value else "否"
        return "" if value is None else str(value)

    assert len(rows) == len(cases) == 14
    assert any(c["merchant"]["name"] == "" for c in cases) and any(c["consumer"]["consent_to_share"] for c in cases)
    for case, row in zip(cases, rows, strict=True):
        assert row == [expected(case, path) for _, path in exchange.COLUMNS]
