from decimal import Decimal

import pytest

from app.cases.intake import parse_case
from app.core import validation
from app.core.errors import FieldError, InputError
from tests.conftest import complaint


@pytest.mark.parametrize("raw, stored", [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("021-61671254", "02161671254"),
    ("010 12345678", "01012345678"),
    ("400-820-1234", "4008201234"),
    ("800 820 1234", "8008201234"),
])
def test_good_phones(raw, stored):
    assert validation.phone(raw, "consumer.phone", "消费者电话") == stored


@pytest.mark.parametrize("raw", ["12345", "61671254", "1381234567", "138123456789", "abc", "", "+1 212 555 0100"])
def test_bad_phones_name_the_field(raw):
    with pytest.raises(FieldError) as e:
        validation.phone(raw, "consumer.phone", "消费者电话")
    assert e.value.field == "consumer.phone"
    assert "消费者电话" in e.value.message


@pytest.mark.parametrize("raw, ok", [
    ("91310105MA1FL00004", True),
    ("91310105ma1fl00004", True),
    ("91310105MA1FL00005", False),  # wrong check character
    ("9131010", False),
    ("91310105MA1FL0000I", False),  # I is not in the alphabet
])
def test_uscc(raw, ok):
    if ok:
        assert validation.uscc(raw) == raw.upper()
    else:
        with pytest.raises(FieldError, match="统一社会信用代码"):
            validation.uscc(raw)


@pytest.mark.parametrize("raw, ok", [
    ("11010519491231002X", True),
    ("11010519491231002x", True),
    ("110105194912310021", False),  # checksum
    ("110105194913310028", False),  # month 13
    ("1101051949", False),
])
def test_id_number(raw, ok):
    if ok:
        assert validation.id_number(raw) == raw.upper()
    else:
        with pytest.raises(FieldError, match="身份证号"):
            validation.id_number(raw)


@pytest.mark.parametrize("raw, value", [
    ("1299", Decimal("1299.00")), ("1299.5", Decimal("1299.50")), ("0", Decimal("0.00")),
    ("¥88.80", Decimal("88.80")), ("1,299.00", Decimal("1299.00")), ("", Decimal("0.00")), (None, Decimal("0.00")),
])
def test_good_money(raw, value):
    assert validation.money(raw, "amount_paid", "购买金额") == value


@pytest.mark.parametrize("raw, why", [("-1", "负数"), ("1.234", "两位小数"), ("abc", "不是金额"), ("NaN", "不是金额"),
                                      ("1e20", "范围")])
def test_bad_money(raw, why):
    with pytest.raises(FieldError, match=why):
        validation.money(raw, "amount_paid", "购买金额")


def test_valid_complaint_parses():
    case = parse_case(complaint())
    assert case.consumer.phone == "13900001234"
    assert case.amount_claimed == Decimal("299.00")
    assert case.demands == ["refund"]


def _fields(data) -> set[str]:
    with pytest.raises(InputError) as e:
        parse_case(data)
    return {err.field for err in e.value.errors}


def test_complaint_required_fields_all_reported():
    data = {"kind": "complaint"}
    assert _fields(data) >= {"consumer.name", "consumer.phone", "merchant.name", "category", "nature", "facts",
                             "demands"}


def test_consultation_needs_only_contact_and_question():
    parse_case({"kind": "consultation", "consumer": {"phone": "13900001234"}, "facts": "预付卡能否退？"})
    assert _fields({"kind": "consultation", "facts": "问题"}) == {"consumer.name"}
    assert _fields({"kind": "consultation", "consumer": {"name": "张某"}}) == {"facts"}


def test_unknown_and_system_fields_are_errors():
    assert "colour" in _fields(complaint(colour="red"))
    assert "consumer.nickname" in _fields(complaint(consumer={"nickname": "x"}))
    assert "case_no" in _fields(complaint(case_no="20261120-0001"))
    assert "state" in _fields(complaint(state="closed"))


def test_purchase_date_rules():
    assert "purchase_date" in _fields(complaint(purchase_date="2099-01-01"))
    assert "purchase_date" in _fields(complaint(purchase_date="2026-11-21", received_at="2026-11-20T10:00:00+08:00"))
    assert "purchase_date" in _fields(complaint(purchase_date="2026/11/01"))


def test_codes_checked():
    assert "category" in _fields(complaint(category="toys"))
    assert "demands" in _fields(complaint(demands=["refund", "revenge"]))
    assert "consumer.group" in _fields(complaint(consumer={"group": "vip"}))


def test_received_at_without_zone_is_beijing_time():
    case = parse_case(complaint(received_at="2026-11-20T10:15:00"))
    assert case.received_at.utcoffset().total_seconds() == 8 * 3600


def test_stored_numbers_are_shown_as_people_read_them():
    from app.core.validation import phone_shown

    assert phone_shown("02152341234") == "021 5234 1234"
    assert phone_shown("13900001234") == "139 0000 1234"
    assert phone_shown("4001865909") == "400 186 5909"
    assert phone_shown("139****1234") == "139****1234"  # masked: as it is
    assert phone_shown("") == ""
