import pytest

from app.core.errors import FieldError
from tests.conftest import complaint
from tests.pdf_checks import bad_line_starts, fonts_not_embedded, plain


def test_not_accepted_notice(desk):
    no = desk.cases.add(complaint())["case_no"]
    with pytest.raises(FieldError):
        desk.documents.notice_pdf("not-accepted", no)
    desk.cases.move(no, "not_accepted", reason_code="already_handled", reason="已向法院起诉")
    pdf = desk.documents.notice_pdf("not-accepted", no)
    text = plain(pdf)
    # the consumer's own copy greets them by full name; the copy that leaves the desk is masked
    assert "不予受理告知书" in text and no in text and "王某兰：" in text
    masked = plain(desk.documents.notice_pdf("not-accepted", no, masked=True))
    assert "王*兰：" in masked and "王某兰" not in masked
    assert "已向法院起诉" in text and "第十六条" in text and "12315" in text
    assert "第四十七条" in text and "仲裁协议无效的，可以直接向人民法院起诉" in text and "第三十五条" not in text
    assert "参照" in text and "依据《" not in text
    assert fonts_not_embedded(pdf) == [] and bad_line_starts(pdf) == []


def test_agreement_has_full_parties_terms_and_signature_lines(desk):
    no = desk.cases.add(complaint(consumer={"id_number": "11010519491231002X"}))["case_no"]
    desk.cases.move(no, "accepted")
    desk.cases.mediate(no, "on_site", ["consumer", "merchant", "staff"], "退款299元", "同意")
    desk.cases.move(no, "resolved", terms="经营者于三日内退款299元，消费者退回商品", remedies=["refund"], amount_recovered="299")
    text = plain(desk.documents.notice_pdf("agreement", no))
    for piece in ("调解协议书", "王某兰", "13900001234", "11010519491231002X", "测试电器店（虚构）",
                  "经营者于三日内退款299元", "¥299.00", "消费者（签字）", "经营者（签字、盖章）", "调解员（签字）",
                  "第三十九条", "一式三份", "（盖章）"):
        assert piece in text, piece


def test_termination_and_failure_notices(desk):
    a = desk.cases.add(complaint())["case_no"]
    desk.cases.move(a, "accepted")
    desk.cases.move(a, "mediating")
    desk.cases.move(a, "terminated", reason_code="absent_or_refused", reason="经营者两次未到场")
    text = plain(desk.documents.notice_pdf("terminated", a))
    assert "终止调解告知书" in text and "无正当理由不参加调解" in text and "第二十三条" in text and "139****1234" not in text
    b = desk.cases.add(complaint())["case_no"]
    desk.cases.move(b, "accepted")
    desk.cases.move(b, "mediating")
    desk.cases.move(b, "failed", reason="双方对赔偿金额分歧较大")
    text = plain(desk.documents.notice_pdf("terminated", b))
    assert "调解不成告知书" in text and "分歧较大" in text and "向人民法院提起诉讼" in text
    with pytest.raises(FieldError):
        desk.documents.notice_pdf("agreement", b)
