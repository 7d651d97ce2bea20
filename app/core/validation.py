"""Field checks shared by the intake form, the CLI and imports: each says which field and how to fix it."""
from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation

from app.core.errors import Choices, FieldError

MAX_MONEY = Decimal("9999999999.99")  # Numeric(12, 2)


def phone(value: str, field: str, label: str) -> str:
    """A Chinese mobile, a landline with its area code, or a 400/800 number; returns digits only."""
    raw = (value or "").strip()
    national = _national(raw)
    if national is None:
        raise FieldError(field, f"{label}“{raw}”不是有效号码：请填写11位手机号、带区号的固定电话（如 021-61671254）或400/800电话")
    return national


def phone_shown(digits: str) -> str:
    """A stored number as people read it (139 0000 1234, 021 5234 1234, 400 186 5909); anything else
    (a masked number, a number we cannot place) as it is."""
    import phonenumbers

    if not digits or not digits.isdigit():
        return digits or ""
    try:
        number = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_valid_number(number):
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@functools.lru_cache(maxsize=4096)  # a ledger's returning consumers and merchants
def _national(raw: str) -> str | None:
    """phonenumbers' verdict on a number: its national digits (0 before a landline's area code), or None.
    The number's type is worked out once: it is what is_valid_number computes (a type other than UNKNOWN),
    and asking both took a tenth of a ledger import."""
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 86:
        return None
    ntype = phonenumbers.number_type(number)
    if ntype == phonenumbers.PhoneNumberType.UNKNOWN:
        return None
    national = str(number.national_number)
    return "0" + national if ntype == phonenumbers.PhoneNumberType.FIXED_LINE else national


def _stdnum(module, value: str, field: str, length: str, checksum: str, other: str) -> str:
    """Validate with a python-stdnum module; each failure gets its own Chinese message."""
    from stdnum.exceptions import InvalidChecksum, InvalidLength

    raw = (value or "").strip().upper()
    try:
        return module.validate(raw)
    except InvalidLength:
        raise FieldError(field, length.format(raw)) from None
    except InvalidChecksum:
        raise FieldError(field, checksum.format(raw)) from None
    except Exception:
        raise FieldError(field, other.format(raw)) from None


def uscc(value: str, field: str = "merchant.uscc") -> str:
    from stdnum.cn import uscc as std_uscc

    return _stdnum(std_uscc, value, field, "统一社会信用代码“{}”应为18位，请核对营业执照",
                   "统一社会信用代码“{}”校验位不符，请逐位核对营业执照",
                   "统一社会信用代码“{}”格式不正确（18位数字或大写字母），请核对营业执照")


def id_number(value: str, field: str = "consumer.id_number") -> str:
    from stdnum.cn import ric

    return _stdnum(ric, value, field, "身份证号“{}”应为18位", "身份证号“{}”最后一位校验码不符，请逐位核对",
                   "身份证号“{}”无效（出生日期或格式不对），请核对证件")


def money(value, field: str, label: str) -> Decimal:
    """A non-negative amount in yuan with at most two decimals."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal("0.00")
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("¥", "").replace("￥", ""))
    except InvalidOperation:
        raise FieldError(field, f"{label}“{value}”不是金额：请填写数字，如 1299.00") from None
    if not amount.is_finite():
        raise FieldError(field, f"{label}“{value}”不是金额：请填写数字，如 1299.00")
    if amount < 0:
        raise FieldError(field, f"{label}不能为负数")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise FieldError(field, f"{label}最多保留两位小数（元、角、分）")
    if amount > MAX_MONEY:
        raise FieldError(field, f"{label}超出可记录的范围")
    return amount.quantize(Decimal("0.01"))


def date(value, field: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FieldError(field, f"{label}“{value}”不是有效日期，请按 2026-11-01 的格式填写") from None


def choice(value, table: dict[str, str], field: str, label: str) -> str:
    if not isinstance(value, str) or value not in table:
        raise FieldError(field, "{label}“{value}”不在可选范围内，可选：{options}", label=label, value=value,
                         options=Choices(table))
    return value
