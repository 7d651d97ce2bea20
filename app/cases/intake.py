"""Reading a case from its JSON form (interchange.md): every field checked, every error collected."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.core import clock, codes, validation
from app.core.clock import LOCAL_TZ
from app.core.errors import FieldError, InputError

TOP_FIELDS = {
    "case_no", "kind", "received_at", "channel", "consumer", "merchant", "category", "nature", "product", "brand",
    "purchase_date", "purchase_channel", "amount_paid", "amount_claimed", "facts", "demands", "state",
    "acceptance_due", "mediation_due", "amount_recovered", "advance_paid", "fast_track",
}
CONSUMER_FIELDS = {"name", "phone", "id_number", "address", "group", "consent_to_share"}
MERCHANT_FIELDS = {"name", "uscc", "shop_no", "phone", "address"}
SYSTEM_FIELDS = ("case_no", "acceptance_due", "mediation_due")


@dataclass
class ConsumerInput:
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""
    group: str = "none"
    consent_to_share: bool = False


@dataclass
class MerchantInput:
    name: str = ""
    uscc: str = ""
    shop_no: str = ""
    phone: str = ""
    address: str = ""


@dataclass
class CaseInput:
    kind: str
    received_at: dt.datetime
    channel: str
    consumer: ConsumerInput
    merchant: MerchantInput
    category: str = ""
    nature: str = ""
    product: str = ""
    brand: str = ""
    purchase_date: dt.date | None = None
    purchase_channel: str = ""
    amount_paid: Decimal = Decimal("0.00")
    amount_claimed: Decimal = Decimal("0.00")
    facts: str = ""
    demands: list[str] = field(default_factory=list)
    amount_recovered: Decimal = Decimal("0.00")
    advance_paid: Decimal = Decimal("0.00")
    fast_track: bool | None = None  # None: proposed from the amount claimed
    state: str = "registered"  # a historical case from a ledger may arrive in a later state

    @property
    def received_day(self) -> dt.date:
        return self.received_at.astimezone(LOCAL_TZ).date()


def parse_datetime(value, field_code: str, label: str) -> dt.datetime:
    """ISO date-time; without a zone it is Beijing time."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise FieldError(field_code, f"{label}“{value}”不是有效时间，请按 2026-11-20T10:15:00+08:00 的格式填写") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    try:
        local_year = moment.astimezone(LOCAL_TZ).year
    except OverflowError:  # 0001-01-01 with a zone east of UTC, 9999-12-31 west of it
        local_year = 0
    if not 1990 <= local_year <= 2100:
        raise FieldError(field_code, f"{label}“{value}”超出可用范围（1990 至 2100 年）")
    return moment


UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: no database stores them


def _text(data: dict, key: str, field_code: str, label: str, errors: list, max_len: int) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(FieldError(field_code, f"{label}应为文字"))
        return ""
    value = value.strip()
    if len(value) > max_len:
        errors.append(FieldError(field_code, f"{label}过长（最多{max_len}字）"))
    elif UNSTORABLE.search(value):
        errors.append(FieldError(field_code, f"{label}含有无法保存的字符（空字符或不成对的代理字符），请重新输入"))
        return ""
    return value


def _section(data: dict, key: str, allowed: set[str], errors: list) -> dict:
    """A nested object (consumer, merchant); unknown keys in it are errors too."""
    section = data.get(key) or {}
    if not isinstance(section, dict):
        errors.append(FieldError(key, f"{key} 应为 JSON 对象"))
        return {}
    for name in sorted(set(section) - allowed):
        errors.append(FieldError(f"{key}.{name}", f"未知字段“{key}.{name}”"))
    return section


def _merchant(mdata: dict, errors: list) -> MerchantInput:
    merchant = MerchantInput()
    merchant.name = _text(mdata, "name", "merchant.name", "经营者名称", errors, 100)
    raw_uscc = _text(mdata, "uscc", "merchant.uscc", "统一社会信用代码", errors, 30)
    if raw_uscc:
        merchant.uscc = _check(errors, validation.uscc, raw_uscc) or ""
    merchant.shop_no = _text(mdata, "shop_no", "merchant.shop_no", "铺位号", errors, 50)
    raw_phone = _text(mdata, "phone", "merchant.phone", "经营者电话", errors, 30)
    if raw_phone:
        merchant.phone = _check(errors, validation.phone, raw_phone, "merchant.phone", "经营者电话") or ""
    merchant.address = _text(mdata, "address", "merchant.address", "经营者地址", errors, 200)
    return merchant


def parse_merchant(data: dict) -> MerchantInput:
    """A merchant for the registry, checked as at intake; the name is required here."""
    errors: list[FieldError] = []
    merchant = _merchant(data, errors)
    if not merchant.name and "merchant.name" not in {e.field for e in errors}:
        errors.append(FieldError("merchant.name", "请填写经营者名称"))
    if errors:
        raise InputError(errors)
    return merchant


def _check(errors: list, fn, *args):
    try:
        return fn(*args)
    except FieldError as e:
        errors.append(e)
        return None


def parse_case(data: dict, now: dt.datetime | None = None, historical: bool = False) -> CaseInput:
    """Validate a case given as interchange JSON; raises InputError listing every wrong field."""
    if not isinstance(data, dict):
        raise InputError([FieldError("case", "案件应为一个 JSON 对象")])
    now = now or clock.now().replace(microsecond=0)
    errors: list[FieldError] = []
    for key in sorted(set(data) - TOP_FIELDS):
        errors.append(FieldError(key, f"未知字段“{key}”，请检查拼写（字段名见接口说明）"))
    for key in SYSTEM_FIELDS:
        if data.get(key) not in (None, ""):
            errors.append(FieldError(key, "该字段由系统填写，登记时请勿提供"))
    state = data.get("state") or "registered"
    if historical:
        _check(errors, validation.choice, state, codes.STATE, "state", "状态")
    elif state != "registered":
        errors.append(FieldError("state", "新登记的案件状态只能是 registered（登记）"))

    kind = _check(errors, validation.choice, data.get("kind", "complaint"), codes.KIND, "kind", "类型")
    channel = _check(errors, validation.choice, data.get("channel", "visit"), codes.CHANNEL, "channel", "来源渠道")
    received_raw = data.get("received_at")
    received_at = now if received_raw in (None, "") else _check(
        errors, parse_datetime, received_raw, "received_at", "受理登记时间")
    if received_at is not None and received_at > now + dt.timedelta(minutes=5):
        errors.append(FieldError("received_at", "登记时间不能晚于现在"))
        received_at = None

    consumer = ConsumerInput()
    cdata = _section(data, "consumer", CONSUMER_FIELDS, errors)
    consumer.name = _text(cdata, "name", "consumer.name", "消费者姓名", errors, 50)
    raw_phone = _text(cdata, "phone", "consumer.phone", "消费者电话", errors, 30)
    if raw_phone:
        consumer.phone = _check(errors, validation.phone, raw_phone, "consumer.phone", "消费者电话") or ""
    raw_id = _text(cdata, "id_number", "consumer.id_number", "身份证号", errors, 18)
    if raw_id:
        consumer.id_number = _check(errors, validation.id_number, raw_id) or ""
    consumer.address = _text(cdata, "address", "consumer.address", "消费者地址", errors, 200)
    consumer.group = _check(errors, validation.choice, cdata.get("group") or "none", codes.CONSUMER_GROUP,
                            "consumer.group", "特殊群体") or "none"
    consent = cdata.get("consent_to_share", False)
    if not isinstance(consent, bool):
        errors.append(FieldError("consumer.consent_to_share", "是否同意向消保委提供个人信息应为 true 或 false"))
        consent = False
    consumer.consent_to_share = consent

    merchant = _merchant(_section(data, "merchant", MERCHANT_FIELDS, errors), errors)

    case = CaseInput(kind=kind or "complaint", received_at=received_at or now, channel=channel or "visit",
                     consumer=consumer, merchant=merchant,
                     state=state if isinstance(state, str) and state in codes.STATE else "registered")
    category = data.get("category") or ""
    if category:
        case.category = _check(errors, validation.choice, category, codes.CATEGORY, "category", "投诉类别") or ""
    nature = data.get("nature") or ""
    if nature:
        case.nature = _check(errors, validation.choice, nature, codes.NATURE, "nature", "投诉性质") or ""
    case.product = _text(data, "product", "product", "商品或服务名称", errors, 100)
    case.brand = _text(data, "brand", "brand", "品牌", errors, 50)
    pchannel = data.get("purchase_channel") or ""
    if pchannel:
        case.purchase_channel = _check(errors, validation.choice, pchannel, codes.PURCHASE_CHANNEL,
                                       "purchase_channel", "购买方式") or ""
    case.purchase_date = _check(errors, validation.date, data.get("purchase_date"), "purchase_date", "购买日期")
    if case.purchase_date:
        problem = purchase_date_problem(case.purchase_date, case.received_day if received_at is not None else None,
                                        now.astimezone(LOCAL_TZ).date())
        if problem:
            errors.append(FieldError("purchase_date", problem))
    for key, label in (("amount_paid", "购买金额"), ("amount_claimed", "诉求金额"),
                       ("amount_recovered", "挽回经济损失"), ("advance_paid", "先行赔付金额")):
        value = _check(errors, validation.money, data.get(key), key, label)
        if value is not None:
            setattr(case, key, value)
    case.facts = _text(data, "facts", "facts", "投诉事实" if case.kind != "consultation" else "咨询问题", errors, 5000)
    demands = data.get("demands") or []
    if isinstance(demands, str):
        demands = [demands]
    if not isinstance(demands, list):
        errors.append(FieldError("demands", "诉求应为列表，如 [\"refund\"]"))
        demands = []
    for d in demands:
        if _check(errors, validation.choice, d, codes.DEMAND, "demands", "诉求"):
            if d not in case.demands:
                case.demands.append(d)
    fast = data.get("fast_track")
    if fast is not None and not isinstance(fast, bool):
        errors.append(FieldError("fast_track", "小额快速处理应为 true 或 false"))
    else:
        case.fast_track = fast

    _required(case, errors)
    if errors:
        raise InputError(errors)
    return case


# What each kind of case must have, with the message that says so; the intake form marks these with *.
REQUIRED: dict[str, dict[str, str]] = {
    "complaint": {
        "consumer.name": "投诉须填写消费者姓名",
        "consumer.phone": "投诉须填写消费者联系电话",
        "merchant.name": "投诉须填写被投诉经营者名称",
        "category": "投诉须选择投诉类别",
        "nature": "投诉须选择投诉性质",
        "facts": "投诉须填写投诉事实（何时、何处、买了什么、出了什么问题）",
        "demands": "投诉须至少选择一项诉求",
    },
    "consultation": {"facts": "咨询须填写咨询的问题"},
    "report": {"merchant.name": "举报须填写被举报经营者名称", "facts": "举报须填写举报事实"},
}
# A consultation needs a name or a phone, either one.
ONE_OF = {"consultation": (("consumer.name", "consumer.phone"), "咨询须填写姓名或电话中的一项")}


def purchase_date_problem(day: dt.date, received: dt.date | None, today: dt.date) -> str:
    """What is wrong with a purchase date, or "" (the rule of saving and of the form's check as typed)."""
    if day > today:
        return "购买日期不能晚于今天"
    if received is not None and day > received:
        return "购买日期不能晚于登记日期"
    return ""


# A field judged while the clerk types only once it is long enough to be whole (a mobile number: 11).
COMPLETE_AT = {"consumer.phone": 11, "merchant.phone": 11, "merchant.uscc": 18, "consumer.id_number": 18,
               "purchase_date": 10, "amount_paid": 1, "amount_claimed": 1}
FIELD_LABELS = {"consumer.phone": "消费者电话", "merchant.phone": "经营者电话", "merchant.uscc": "统一社会信用代码",
                "consumer.id_number": "身份证号", "purchase_date": "购买日期", "amount_paid": "购买金额",
                "amount_claimed": "诉求金额"}


def check_field(code: str, value: str, received: dt.date, today: dt.date) -> None:
    """One typed field checked as saving checks it (a FieldError says what is wrong); fields without a
    check of their own pass."""
    label = FIELD_LABELS.get(code, code)
    if code in ("consumer.phone", "merchant.phone"):
        validation.phone(value, code, label)
    elif code == "merchant.uscc":
        validation.uscc(value)
    elif code == "consumer.id_number":
        validation.id_number(value)
    elif code in ("amount_paid", "amount_claimed"):
        validation.money(value, code, label)
    elif code == "purchase_date":
        day = validation.date(value, code, label)
        problem = purchase_date_problem(day, received, today) if day else ""
        if problem:
            raise FieldError(code, problem)


def fast_track_proposed(kind: str, claimed: Decimal, threshold: Decimal) -> bool:
    """小额纠纷快速处理 is proposed for a complaint whose claim is above nothing and within the threshold."""
    return kind == "complaint" and Decimal("0") < claimed <= threshold


def missing(kind: str, filled) -> list[tuple[str, str]]:
    """(field, message) for every required field of `kind` that `filled(field)` says is empty."""
    out = [(f, m) for f, m in REQUIRED.get(kind, {}).items() if not filled(f)]
    if kind in ONE_OF:
        fields, message = ONE_OF[kind]
        if not any(filled(f) for f in fields):
            out.append((fields[0], message))
    return out


def _required(case: CaseInput, errors: list[FieldError]) -> None:
    have = {e.field for e in errors}
    values = {
        "consumer.name": case.consumer.name, "consumer.phone": case.consumer.phone,
        "merchant.name": case.merchant.name, "category": case.category, "nature": case.nature,
        "facts": case.facts, "demands": case.demands,
    }
    for field_code, message in missing(case.kind, lambda f: bool(values[f])):
        if field_code not in have:
            errors.append(FieldError(field_code, message))
