import io

from pypdf import PdfReader

from tests.conftest import complaint
from tests.pdf_checks import bad_line_starts, body, fonts_not_embedded, plain


def test_receipt_text(desk):
    case = desk.cases.add(complaint(received_at="2026-11-20T10:15:00+08:00"))
    pdf = desk.documents.receipt_pdf(case["case_no"])
    text = plain(pdf)
    assert case["case_no"] in text
    assert "139****1234" in text and "13900001234" not in text
    assert "王*兰" in text and "王某兰" not in text
    assert "投诉登记回执" in text
    assert "测试商城消费维权联络点" in text and "021-61671254" in text and "测试区消费者权益保护委员会" in text
    assert "2026年12月1日前" in text  # acceptance decision due
    assert "2026年11月20日" in text


def test_receipt_is_one_a4_page_with_embedded_fonts(desk):
    case = desk.cases.add(complaint())
    pdf = desk.documents.receipt_pdf(case["case_no"])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert fonts_not_embedded(pdf) == []


def test_long_facts_shown_in_part_on_one_page(desk):
    facts = "消费者称，该店销售的电热水壶使用三天后底座漏电；跳闸两次！经营者称需返厂检测，拒绝当场退货。" * 40
    case = desk.cases.add(complaint(facts=facts))
    pdf = desk.documents.receipt_pdf(case["case_no"])
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert bad_line_starts(pdf) == []
    text = body(pdf)
    assert facts[:100] in text and "（全文见登记表）" in text and facts[:400] not in text


def test_consultation_receipt(desk):
    case = desk.cases.add({"kind": "consultation", "consumer": {"name": "张某", "phone": "13900005678"},
                          "facts": "预付卡商家跑路怎么办？"})
    text = plain(desk.documents.receipt_pdf(case["case_no"]))
    assert "咨询登记回执" in text and "139****5678" in text and "预付卡商家跑路怎么办？" in text


def test_printing_is_audited_once_written_not_when_made(desk, tmp_path):
    case = desk.cases.add(complaint())
    pdf = desk.documents.receipt_pdf(case["case_no"])
    assert not any(e["action"] == "print" for e in desk.audit.entries())  # made, not yet printed
    out = tmp_path / "r.pdf"
    out.write_bytes(pdf)
    desk.documents.printed("receipt", case["case_no"], str(out))
    printed = [e for e in desk.audit.entries() if e["action"] == "print"]
    assert len(printed) == 1 and printed[0]["case_no"] == case["case_no"] and str(out) in printed[0]["detail"]
    assert printed[0]["staff"] == "测试员"
