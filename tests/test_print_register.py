"""The print register: numbers per kind and year, 补打 on a reprint with the same number, export."""
import csv
import datetime as dt
import json

from openpyxl import load_workbook

from app.intake import LOCAL_TZ
from app.printing.render import page_texts
from tests.conftest import complaint
from tests.evidence_files import jpeg, pdf


def test_numbers_run_per_kind_and_year_and_a_reprint_keeps_its_number(desk):
    a = desk.cases.add(complaint())["case_no"]
    b = desk.cases.add(complaint())["case_no"]
    year = dt.datetime.now(LOCAL_TZ).year
    first = desk.documents.case_document("receipt", a)
    assert first.number == f"回执 {year}-000001" and not first.reprint
    assert desk.documents.case_document("receipt", b).number == f"回执 {year}-000002"
    desk.cases.move(b, "not_accepted", reason_code="time_barred")
    assert desk.documents.case_document("not-accepted", b).number == f"不予受理 {year}-000001"
    text = page_texts(first.pdf)[0]
    assert f"文书编号：{first.number}" in text and "补打" not in text
    # Previewed but never printed: the next copy is not a reprint yet.
    assert not desk.documents.case_document("receipt", a).reprint
    assert desk.register.record_output(first.number, "print") is False
    again = desk.documents.case_document("receipt", a)
    assert again.number == first.number and again.reprint
    assert "补打" in page_texts(again.pdf)[0]
    assert desk.register.record_output(first.number, "save") is True
    row = next(r for r in desk.register.entries() if r["number"] == first.number)
    assert row["subject"] == a and row["outputs"] == 2 and [h["reprint"] for h in row["history"]] == [False, True]


def test_cli_print_records_the_save_and_register_exports(cli, tmp_path):
    code, out, err = cli("case", "add", "--json", stdin=json.dumps(complaint(), ensure_ascii=False))
    no = json.loads(out)["case_no"]
    code, out, err = cli("print", "receipt", no, "-o", str(tmp_path / "r1.pdf"), "--json")
    assert code == 0, err
    first = json.loads(out)
    assert first["reprint"] is False and first["number"].startswith("回执 ")
    code, out, err = cli("print", "receipt", no, "-o", str(tmp_path / "r2.pdf"))
    assert code == 0 and "补打" in out and first["number"] in out
    assert "补打" in page_texts((tmp_path / "r2.pdf").read_bytes())[0]
    code, out, _ = cli("register", "--json")
    rows = json.loads(out)
    assert [(r["number"], r["outputs"]) for r in rows] == [(first["number"], 2)]
    assert cli("register", "-o", str(tmp_path / "reg.xlsx"))[0] == 0
    sheet = load_workbook(tmp_path / "reg.xlsx").active
    assert sheet.cell(1, 1).value == "文书编号" and sheet.cell(2, 1).value == first["number"]
    assert sheet.cell(2, 3).value == no and sheet.cell(2, 6).value == 2
    assert cli("register", "-o", str(tmp_path / "reg.csv"))[0] == 0
    with (tmp_path / "reg.csv").open(encoding="utf-8-sig") as fh:
        assert list(csv.reader(fh))[1][0] == first["number"]
    code, _, err = cli("register", "-o", str(tmp_path / "reg.txt"))
    assert code == 1 and "xlsx" in err


def test_receipt_lists_materials_and_referral_lists_hashes_and_images(desk):
    no = desk.cases.add(complaint())["case_no"]
    photos = desk.attachments.add(no, [("锁1.jpg", jpeg()), ("锁2.jpg", jpeg(480, 640))], label="product_photo")
    invoice = desk.attachments.add(no, [("发票.pdf", pdf())], label="invoice")[0]
    receipt = page_texts(desk.documents.receipt_pdf(no))[0]
    assert "材料清单" in receipt and "发票 1 份" in receipt and "商品照片 2 份" in receipt
    desk.cases.move(no, "referred", reason="涉嫌欺诈", referred_to="samr")
    plain = desk.documents.referral_pdf(no)
    text = "".join(page_texts(plain)).replace("\n", "").replace("\r", "")
    for a in (*photos, invoice):
        assert a["sha256"] in text
    assert len(page_texts(plain)) == 1
    with_images = desk.documents.referral_pdf(no, with_images=True)
    pages = page_texts(with_images)
    assert len(pages) == 3 and "附件：锁2.jpg" in pages[2]  # the PDF invoice is listed, not printed as a page
