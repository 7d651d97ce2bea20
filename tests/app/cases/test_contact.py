"""Contact: the check code and 电话查询, the QR code on the receipt, the print register (文书登记簿)."""
import json

import openpyxl
import pypdfium2 as pdfium
import pytest
import zxingcpp

from app.cases import check_codes
from app.core.errors import FieldError
from app.storage import crypto
from tests.conftest import complaint
from tests.pdf_checks import plain


def _code(desk, case_no: str) -> str:
    return desk.cases.show(case_no).as_json()["check_code"]


def test_check_code_is_six_plain_signs_per_case_and_keyed(desk):
    a, b = desk.cases.add(complaint())["case_no"], desk.cases.add(complaint())["case_no"]
    code_a, code_b = _code(desk, a), _code(desk, b)
    assert len(code_a) == 6 and set(code_a) <= set(check_codes.ALPHABET) and code_a != code_b
    other_key = crypto.DataKey.generate()  # another point's key gives another code for the same number
    assert check_codes.code(other_key, a) != code_a
    assert check_codes.matches(crypto.attached(desk.store.engine), a, f" {code_a[:3].lower()} {code_a[3:]} ")


def test_lookup_tells_state_next_step_and_due_date_without_personal_data(desk):
    case = desk.cases.add(complaint(consumer={"name": "欧阳丽娜", "phone": "13912345678"}))
    result = desk.cases.lookup(case["case_no"], _code(desk, case["case_no"]))
    assert result["state"] == "registered" and result["state_label"] == "登记"
    assert result["due"] == case["acceptance_due"] and "受理" in result["next_step"] + result["due_what"]
    said = json.dumps(result, ensure_ascii=False)
    assert "欧阳" not in said and "1391234" not in said and "5678" not in said
    trail = [e for e in desk.audit.entries() if e["action"] == "lookup"]
    assert trail and trail[0]["case_no"] == case["case_no"]


def test_wrong_codes_are_refused_recorded_and_five_stop_lookups(desk):
    case_no = desk.cases.add(complaint())["case_no"]
    right = _code(desk, case_no)
    wrong = "".join("2" if ch != "2" else "3" for ch in right)
    for _ in range(5):
        with pytest.raises(FieldError) as e:
            desk.cases.lookup(case_no, wrong)
        assert e.value.field == "code" and "查询码不正确" in e.value.message
    assert sum(e["action"] == "lookup_refused" for e in desk.audit.entries()) == 5
    with pytest.raises(FieldError) as e:  # now even the right code waits
        desk.cases.lookup(case_no, right)
    assert "15 分钟" in e.value.message
    with pytest.raises(FieldError) as e:
        desk.cases.lookup("20990101-0001", right)
    assert e.value.field == "case_no"


def test_receipt_carries_the_check_code_and_a_qr_code_that_decodes_to_it(desk):
    case_no = desk.cases.add(complaint())["case_no"]
    code = _code(desk, case_no)
    pdf = desk.documents.receipt_pdf(case_no)
    assert f"查询码：{code}" in plain(pdf)  # plain() drops spaces: printed as 3 + 3
    image = pdfium.PdfDocument(pdf)[0].render(scale=3).to_pil()
    found = [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert found == [f"案件编号 {case_no} 查询码 {code}"]


def test_every_document_gets_one_number_and_a_reprint_says_so(desk, tmp_path):
    first = desk.cases.add(complaint())["case_no"]
    second = desk.cases.add(complaint())["case_no"]
    year = desk.cases.show(first).as_json()["received_at"][:4]
    assert f"文书编号：回执{year}-000001" in plain(desk.documents.receipt_pdf(first))
    assert "补打" not in plain(desk.documents.receipt_pdf(first))  # made twice, never printed yet
    desk.documents.printed("receipt", first, "打印机")
    again = plain(desk.documents.receipt_pdf(first))
    assert "（补打）" in again
    desk.documents.printed("receipt", first, "打印机")
    desk.documents.receipt_pdf(second)  # made, never printed: not in the register
    desk.documents.referral_pdf(second)
    desk.documents.printed("referral", second, str(tmp_path / "r.pdf"))
    entries = desk.documents.register()
    by_case = {(e["case_no"], e["kind"]): e for e in entries}
    assert set(by_case) == {(first, "receipt"), (second, "referral")}
    receipt = by_case[(first, "receipt")]
    assert receipt["number"] == f"回执 {year}-000001" and receipt["prints"] == 2
    assert receipt["first_staff"] == "测试员" and receipt["last_to"] == "打印机"
    assert by_case[(second, "referral")]["number"] == f"转办 {year}-000001"
    # the receipt of the second case was numbered when made: 000002, printed or not
    assert f"回执{year}-000002" in plain(desk.documents.receipt_pdf(second))
    print_lines = [e["detail"] for e in desk.audit.entries() if e["action"] == "print"]
    assert any(f"回执 {year}-000001" in d for d in print_lines)
    out = tmp_path / "登记簿.xlsx"
    desk.documents.register(path=out)
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("文书编号", "文书", "案件编号") and len(rows) == 3
    assert sorted(r[5] for r in rows[1:]) == [1, 2]  # 打印次数, stored as numbers


def test_lookup_and_register_from_the_command_line(cli, desk):
    case_no = desk.cases.add(complaint())["case_no"]
    code = _code(desk, case_no)
    rc, out, _err = cli("lookup", case_no, "--code", code, "--json")
    assert rc == 0 and json.loads(out)["state"] == "registered"
    rc, _out, err = cli("lookup", case_no, "--code", "ZZZZZZ")
    assert rc == 1 and "【code】" in err and "查询码不正确" in err
    rc, out, _err = cli("register", "--json")
    assert rc == 0 and json.loads(out) == []


def test_merchant_request_and_notices_carry_their_numbers_and_a_bad_export_is_refused(desk, tmp_path):
    case_no = desk.cases.add(complaint(merchant={"name": "测试电器店（虚构）", "phone": "021-61234567"}))["case_no"]
    year = desk.cases.show(case_no).as_json()["received_at"][:4]
    assert f"文书编号：函{year}-000001" in plain(desk.merchant_requests.notice_pdf(case_no))
    desk.cases.move(case_no, "not_accepted", reason_code="outside_authority")
    assert f"文书编号：告知{year}-000001" in plain(desk.documents.notice_pdf("not-accepted", case_no))
    with pytest.raises(FieldError) as e:
        desk.documents.register(path=tmp_path / "登记簿.txt")
    assert e.value.field == "file" and not (tmp_path / "登记簿.txt").exists()
