"""Contact: the check code, `liaison lookup`, and the QR code on the receipt read back from the PDF page."""
import json

import pypdfium2 as pdfium
import pytest
import zxingcpp

from app import contact, db
from tests.conftest import complaint


def _add(cli, **overrides) -> dict:
    code, out, err = cli("case", "add", "--json", stdin=json.dumps(complaint(**overrides), ensure_ascii=False))
    assert code == 0, err
    return json.loads(out)


def _code(cli, no: str) -> str:
    return json.loads(cli("case", "show", no, "--json")[1])["check_code"]


def test_check_codes_are_random_and_unambiguous(cli):
    codes = {_code(cli, _add(cli)["case_no"]) for _ in range(3)}
    assert len(codes) == 3
    assert all(len(c) == 6 and set(c) <= set(contact.ALPHABET) for c in codes)
    assert not set("0O1IL2Z5S8B") & set(contact.ALPHABET)


def test_lookup_tells_state_next_step_and_due_date_without_personal_data(cli):
    case = _add(cli, received_at="2026-11-20T10:15:00+08:00")
    no = case["case_no"]
    code, out, err = cli("lookup", no, "--code", _code(cli, no).lower(), "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["state"] == "registered" and answer["state_label"] == "登记"
    assert answer["due"] == "2026-12-01" and answer["due_text"] == "受理期限：2026年12月1日"
    assert "受理" in answer["next_step"]
    for personal in ("王某兰", "13900001234", "测试电器店", "漏电"):
        assert personal not in out
    code, out, _ = cli("lookup", no, "--code", _code(cli, no))
    assert code == 0 and "下一步" in out and "2026年12月1日" in out


def test_lookup_with_a_wrong_code_or_number_is_refused(cli):
    no = _add(cli)["case_no"]
    right = _code(cli, no)
    wrong = next(c for c in ("AAAAAA", "CCCCCC") if c != right)
    code, out, err = cli("lookup", no, "--code", wrong)
    assert code == 1 and out == "" and "【code】" in err and "查询码不正确" in err
    code, out, err2 = cli("lookup", "20990101-0001", "--code", right)
    assert code == 1 and err2 == err  # an unknown number is refused the same way: nothing to learn
    entries = json.loads(cli("audit", "--json")[1])
    assert sum(e["action"] == "lookup" for e in entries) == 2


def test_receipt_qr_code_decodes_to_case_number_and_check_code(desk):
    no = desk.cases.add(complaint())["case_no"]
    check = desk.cases.show(no)["check_code"]
    pdf = desk.documents.receipt_pdf(no)
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[0].render(scale=200 / 72).to_pil()
    finally:
        doc.close()
    found = zxingcpp.read_barcodes(image)
    assert [r.text for r in found] == [f"CASE:{no} CODE:{check}"]
    from app.printing.render import page_texts

    assert f"查询码：{check}" in page_texts(pdf)[0]


@pytest.mark.sqlite_only
def test_migration_gives_existing_cases_a_check_code(tmp_path):
    import sqlite3

    from app.desk import Desk

    path = tmp_path / "old.db"
    store = db.Store(f"sqlite:///{path}")
    no = Desk(store).cases.add(complaint())["case_no"]
    store.dispose()
    with sqlite3.connect(path) as conn:  # the database as revision 0011 left it, with the case in it
        for table in ("attachment_chunks", "attachments", "document_outputs", "document_numbers", "document_counters"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE cases DROP COLUMN check_code")
        conn.execute("UPDATE alembic_version SET version_num = '0011'")
    store = db.Store(f"sqlite:///{path}")
    assert store.schema_version() == db.SCHEMA_HEAD
    shown = Desk(store).cases.show(no)
    assert len(shown["check_code"]) == 6 and shown["facts"] == complaint()["facts"]
    store.dispose()
