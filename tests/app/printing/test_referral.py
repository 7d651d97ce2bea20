import datetime as dt

import pytest
from openpyxl import load_workbook

from app.core import clock
from app.core.errors import FieldError
from tests.conftest import complaint
from tests.pdf_checks import fonts_not_embedded, plain


def referred(desk, consent: bool, **kw) -> str:
    no = desk.cases.add(complaint(consumer={"consent_to_share": consent, "id_number": "11010519491231002X"}, **kw))["case_no"]
    desk.cases.move(no, "accepted")
    desk.cases.mediate(no, "on_site", ["consumer", "merchant", "staff"], "退款299元", "经营者拒绝")
    desk.cases.move(no, "referred", referred_to="council", reason="经营者拒不退款，疑似销售不合格产品")
    return no


def test_referral_masks_without_consent(desk):
    no = referred(desk, consent=False)
    text = plain(desk.documents.referral_pdf(no))
    assert "消费投诉转办单" in text and no in text and "测试区消费者权益保护委员会" in text
    assert "139****1234" in text and "13900001234" not in text and "11010519491231002X" not in text
    assert "未同意提供" in text
    assert "退款299元" in text and "经营者拒绝" in text  # what mediation tried
    assert "疑似销售不合格产品" in text and "附件" in text


def test_referral_full_with_consent(desk):
    no = referred(desk, consent=True)
    pdf = desk.documents.referral_pdf(no)
    text = plain(pdf)
    assert "13900001234" in text and "王某兰" in text and "11010519491231002X" in text
    assert fonts_not_embedded(pdf) == []
    desk.documents.printed("referral", no, "打印机")
    assert any(e["action"] == "print" and "含同意" in e["detail"] for e in desk.audit.entries())


def test_batch_pdf_and_xlsx(desk, tmp_path):
    a = referred(desk, consent=False)
    b = referred(desk, consent=True)
    desk.cases.add(complaint())  # not referred: not in the batch
    today = clock.today()
    assert desk.documents.referred_cases(today, today) == [a, b]
    text = plain(desk.documents.referral_batch(today, today))
    assert "消费投诉转办汇总表" in text and "共2件" in text and text.count("消费投诉转办单") == 2
    out = tmp_path / "r.xlsx"
    assert desk.documents.referral_batch(today, today, out) == [out]  # one target: the file asked for
    ws = load_workbook(out)["转办汇总"]
    header = [c.value for c in ws[2]]
    assert header[-1] == "移送理由" and "移送对象" in header and "移送日期" in header and ws.max_row == 4
    phones = [ws.cell(r, header.index("消费者电话") + 1).value for r in (3, 4)]
    assert phones == ["139****1234", "13900001234"]
    with pytest.raises(FieldError):
        desk.documents.referral_batch(today - dt.timedelta(days=400), today - dt.timedelta(days=399))
