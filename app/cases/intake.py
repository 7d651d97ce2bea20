"""Reading a case from its JSON form (interchange.md): every field checked, every error collected.

The case JSON is described by pydantic models: CaseInput with its ConsumerInput and MerchantInput. Each
field is checked by a validator that calls app/core/validation (or the few rules of its own below) and
raises our FieldError with its Chinese message; `parse_case` turns pydantic's ValidationError into one
InputError in one place (`_field_errors`), so no pydantic text ever reaches a user. The rules that need
more than the JSON (the time now, a historical case from a ledger) come in the validation context. The
JSON Schema of the case JSON, resources/schemas/case.schema.json, is generated from these models
(`case_schema`; tests/app/cases/test_intake_model.py keeps the shipped file equal to it).
"""
from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import core_schema

from app.core import clock, codes, validation
from app.core.clock import LOCAL_TZ
from app.core.errors import FieldError, InputError

SYSTEM_FIELDS = ("case_no", "acceptance_due", "mediation_due")


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


def _text(value: object, field_code: str, label: str, max_len: int) -> str:
    """A text field: null is empty, anything but a string is refused, the string is stripped."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(field_code, f"{label}应为文字")
    value = value.strip()
    if len(value) > max_len:
        raise FieldError(field_code, f"{label}过长（最多{max_len}字）")
    if UNSTORABLE.search(value):
        raise FieldError(field_code, f"{label}含有无法保存的字符（空字符或不成对的代理字符），请重新输入")
    return value


# --- the checks of the fields: each takes the JSON value, returns the value kept or raises FieldError ---

def _phone(value: object, field_code: str, label: str) -> str:
    raw = _text(value, field_code, label, 30)
    return validation.phone(raw, field_code, label) if raw else ""


def _id_number(value: object) -> str:
    raw = _text(value, "consumer.id_number", "身份证号", 18)
    return validation.id_number(raw) if raw else ""


def _uscc(value: object) -> str:
    raw = _text(value, "merchant.uscc", "统一社会信用代码", 30)
    return validation.uscc(raw) if raw else ""


def _optional_code(value: object, table: dict[str, str], field: str, label: str) -> str:
    """A code that may be left out (null, "" or nothing): then it is ""."""
    return validation.choice(value, table, field, label) if value else ""


def _group(value: object) -> str:
    return validation.choice(value or "none", codes.CONSUMER_GROUP, "consumer.group", "特殊群体")


def _consent(value: object) -> bool:
    if not isinstance(value, bool):
        raise FieldError("consumer.consent_to_share", "是否同意向消保委提供个人信息应为 true 或 false")
    return value


def _system(value: object, field: str) -> None:
    if value not in (None, ""):
        raise FieldError(field, "该字段由系统填写，登记时请勿提供")


def _now(info: ValidationInfo) -> dt.datetime:
    return (info.context or {}).get("now") or clock.now().replace(microsecond=0)


def _state(value: object, info: ValidationInfo) -> str:
    state = value or "registered"
    if (info.context or {}).get("historical"):  # a case of a ledger may be in any state
        return validation.choice(state, codes.STATE, "state", "状态")
    if state != "registered":
        raise FieldError("state", "新登记的案件状态只能是 registered（登记）")
    return "registered"


def _received_at(value: object, info: ValidationInfo) -> dt.datetime:
    now = _now(info)
    if value in (None, ""):
        return now
    moment = parse_datetime(value, "received_at", "受理登记时间")
    if moment > now + dt.timedelta(minutes=5):
        raise FieldError("received_at", "登记时间不能晚于现在")
    return moment


def _purchase_date(value: object, info: ValidationInfo) -> dt.date | None:
    day = validation.date(value, "purchase_date", "购买日期")
    if day:
        received = info.data.get("received_at")  # absent when it was wrong
        problem = purchase_date_problem(day, received.astimezone(LOCAL_TZ).date() if received else None,
                                        _now(info).astimezone(LOCAL_TZ).date())
        if problem:
            raise FieldError("purchase_date", problem)
    return day


def _facts(value: object, info: ValidationInfo) -> str:
    label = "咨询问题" if info.data.get("kind") == "consultation" else "投诉事实"
    return _text(value, "facts", label, 5000)


def _demand(value: object) -> str:
    return validation.choice(value, codes.DEMAND, "demands", "诉求")


def _fast_track(value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise FieldError("fast_track", "小额快速处理应为 true 或 false")
    return value


def _listed(table: dict[str, str]) -> str:
    return "、".join(f"{k}（{v}）" for k, v in table.items())


class Check:
    """A field's check, given to pydantic in the field's Annotated type: the function is the whole
    validation of the field (a plain validator: pydantic adds no check, so no message, of its own), and
    `schema` is the JSON Schema of the values the case JSON may hold there, with the field's Chinese title."""

    def __init__(self, check: Callable[..., Any], with_info: bool = False, **schema: Any):
        self.check, self.with_info, self.schema = check, with_info, schema

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        if self.with_info:  # needs the validation context (now, historical) or the fields checked before
            return core_schema.with_info_plain_validator_function(self.check)
        return core_schema.no_info_plain_validator_function(self.check)

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
                                     ) -> dict[str, Any]:
        return dict(self.schema)


def Text(code: str, label: str, max_len: int, description: str = "") -> Check:  # noqa: N802 (reads as a type)
    """Text: null is empty, anything but a string is refused, the string is stripped."""
    more: dict[str, Any] = {"description": description} if description else {}
    return Check(functools.partial(_text, field_code=code, label=label, max_len=max_len), title=label,
                 type=["string", "null"], maxLength=max_len, **more)


def Phone(code: str, label: str) -> Check:  # noqa: N802
    return Check(functools.partial(_phone, field_code=code, label=label), title=label, type=["string", "null"],
                 maxLength=30, description="11位手机号、带区号的固定电话（如 021-61671254）或400/800电话；保存为数字")


def Choice(table: dict[str, str], code: str, label: str, optional: bool = False) -> Check:  # noqa: N802
    """A code of a table; an optional one may be left out (null or "")."""
    if optional:
        return Check(functools.partial(_optional_code, table=table, field=code, label=label), title=label,
                     enum=[*table, "", None], description=f"可选：{_listed(table)}；可省略")
    return Check(functools.partial(validation.choice, table=table, field=code, label=label), title=label,
                 enum=list(table), description=f"可选：{_listed(table)}")


def Money(code: str, label: str) -> Check:  # noqa: N802
    return Check(functools.partial(validation.money, field=code, label=label), title=label,
                 type=["number", "string", "null"], minimum=0, maximum=float(validation.MAX_MONEY),
                 description="金额（元），不能为负数，最多两位小数；可写作数字或文字，如 1299、\"1,299.00\"、"
                             "\"¥88\"；缺省为 0")


def System(code: str, label: str) -> Check:  # noqa: N802
    return Check(functools.partial(_system, field=code), title=label, type=["string", "null"], maxLength=0,
                 description="由系统填写，登记时请勿提供（可省略）")


class _Input(BaseModel):
    """What the case JSON's objects share: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")
    section: ClassVar[str] = ""  # the object's key in the case JSON, which prefixes its fields' codes


class ConsumerInput(_Input):
    model_config = ConfigDict(title="消费者", json_schema_extra={"description": "消费者（投诉人、咨询人或举报人）"})
    section: ClassVar[str] = "consumer"

    name: Annotated[str, Text("consumer.name", "消费者姓名", 50)] = ""
    phone: Annotated[str, Phone("consumer.phone", "消费者电话")] = ""
    id_number: Annotated[str, Check(_id_number, title="身份证号", type=["string", "null"], maxLength=18,
                                    description="18位居民身份证号码，校验位须相符")] = ""
    address: Annotated[str, Text("consumer.address", "消费者地址", 200)] = ""
    group: Annotated[str, Check(_group, title="特殊群体", enum=[*codes.CONSUMER_GROUP, "", None],
                                description=f"可选：{_listed(codes.CONSUMER_GROUP)}；缺省为 none")] = "none"
    consent_to_share: Annotated[bool, Check(_consent, title="是否同意向消保委提供个人信息", type="boolean")] = False


class MerchantInput(_Input):
    model_config = ConfigDict(title="经营者", json_schema_extra={"description": "被投诉或被举报的经营者"})
    section: ClassVar[str] = "merchant"

    name: Annotated[str, Text("merchant.name", "经营者名称", 100)] = ""
    uscc: Annotated[str, Check(_uscc, title="统一社会信用代码", type=["string", "null"], maxLength=30,
                               description="营业执照上的18位统一社会信用代码，校验位须相符")] = ""
    shop_no: Annotated[str, Text("merchant.shop_no", "铺位号", 50)] = ""
    phone: Annotated[str, Phone("merchant.phone", "经营者电话")] = ""
    address: Annotated[str, Text("merchant.address", "经营者地址", 200)] = ""


def _section_schema(schema: dict[str, Any]) -> None:
    """A consumer or merchant object, or null (then every field of it is empty)."""
    schema["anyOf"] = [{"$ref": schema.pop("$ref")}, {"type": "null"}]


def _demands_schema(schema: dict[str, Any]) -> None:
    """A list of demand codes, one code alone, or null."""
    items = schema.pop("items")
    schema.pop("type")
    schema["anyOf"] = [{"type": "array", "items": items}, items, {"type": "null"}]
    schema["description"] = f"诉求代码的列表，一项时也可只写代码；可选：{_listed(codes.DEMAND)}"


class CaseInput(_Input):
    """A case as the case JSON gives it, checked. The fields are declared in the order the errors are
    listed; the system's own fields (case number, due dates) are fields so that giving one is an error of
    its own; they are never filled."""

    model_config = ConfigDict(title="案件", json_schema_extra={
        "description": "登记一件投诉、咨询或举报的案件 JSON（liaison case add --json、台账 .jsonl 的每一行）；"
                       "未列出的字段不接受"})

    case_no: Annotated[None, System("case_no", "案件编号")] = None
    acceptance_due: Annotated[None, System("acceptance_due", "受理期限")] = None
    mediation_due: Annotated[None, System("mediation_due", "调解期限")] = None
    state: Annotated[str, Check(_state, with_info=True, title="状态", enum=[*codes.STATE, "", None], description=(
        f"新登记的案件只能是 registered（缺省）；台账导入的历史案件可为任一状态：{_listed(codes.STATE)}"))
    ] = "registered"
    kind: Annotated[str, Choice(codes.KIND, "kind", "类型")] = "complaint"
    channel: Annotated[str, Choice(codes.CHANNEL, "channel", "来源渠道")] = "visit"
    received_at: Annotated[dt.datetime, Check(
        _received_at, with_info=True, title="受理登记时间", type=["string", "null"],
        description="ISO 8601 时间，如 2026-11-20T10:15:00+08:00；不带时区按北京时间；1990 至 2100 年，"
                    "不能晚于现在；缺省为当前时间")] = Field(default=None, validate_default=True)
    consumer: ConsumerInput = Field(default_factory=lambda: ConsumerInput(), title="消费者", json_schema_extra=_section_schema)
    merchant: MerchantInput = Field(default_factory=lambda: MerchantInput(), title="经营者", json_schema_extra=_section_schema)
    category: Annotated[str, Choice(codes.CATEGORY, "category", "投诉类别", optional=True)] = ""
    nature: Annotated[str, Choice(codes.NATURE, "nature", "投诉性质", optional=True)] = ""
    product: Annotated[str, Text("product", "商品或服务名称", 100)] = ""
    brand: Annotated[str, Text("brand", "品牌", 50)] = ""
    purchase_channel: Annotated[str, Choice(codes.PURCHASE_CHANNEL, "purchase_channel", "购买方式", optional=True)] = ""
    purchase_date: Annotated[dt.date | None, Check(
        _purchase_date, with_info=True, title="购买日期", type=["string", "null"], format="date",
        description="如 2026-11-01；不能晚于今天，也不能晚于登记日期")] = None
    amount_paid: Annotated[Decimal, Money("amount_paid", "购买金额")] = Decimal("0.00")
    amount_claimed: Annotated[Decimal, Money("amount_claimed", "诉求金额")] = Decimal("0.00")
    amount_recovered: Annotated[Decimal, Money("amount_recovered", "挽回经济损失")] = Decimal("0.00")
    advance_paid: Annotated[Decimal, Money("advance_paid", "先行赔付金额")] = Decimal("0.00")
    facts: Annotated[str, Check(
        _facts, with_info=True, title="投诉事实或咨询问题", type=["string", "null"], maxLength=5000,
        description="投诉、举报的事实（何时、何处、买了什么、出了什么问题），或咨询的问题")] = ""
    demands: list[Annotated[str, Check(_demand, enum=list(codes.DEMAND))]] = Field(
        default_factory=list, title="诉求", json_schema_extra=_demands_schema)
    fast_track: Annotated[bool | None, Check(_fast_track, title="小额快速处理", type=["boolean", "null"],
                                             description="缺省（null）时按诉求金额提议")] = None

    @property
    def received_day(self) -> dt.date:
        return self.received_at.astimezone(LOCAL_TZ).date()

    @field_validator("consumer", "merchant", mode="before")
    @classmethod
    def _section(cls, value: object, info: ValidationInfo) -> object:
        section = value or {}
        if not isinstance(section, (dict, _Input)):
            raise FieldError(str(info.field_name), f"{info.field_name} 应为 JSON 对象")
        return section

    @field_validator("demands", mode="before")
    @classmethod
    def _demands(cls, value: object) -> list:
        items = value or []
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list):
            raise FieldError("demands", "诉求应为列表，如 [\"refund\"]")
        return items

    @field_validator("demands")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


# CaseInput.model_validate without its Python frame: a ledger import validates 100,000 rows.
_validate_case = CaseInput.__pydantic_validator__.validate_python
TOP_FIELDS = set(CaseInput.model_fields)
CONSUMER_FIELDS = set(ConsumerInput.model_fields)
MERCHANT_FIELDS = set(MerchantInput.model_fields)


def _label(model: type[_Input], path: str) -> str:
    """A field's Chinese name (its title), for the rare message pydantic's own finding needs."""
    head, _, tail = path.partition(".")
    field = model.model_fields.get(head)
    if field is None:
        return path
    if tail and isinstance(field.annotation, type) and issubclass(field.annotation, _Input):
        return _label(field.annotation, tail)
    check = next((m for m in field.metadata if isinstance(m, Check)), None)
    return (check.schema.get("title") if check else field.title) or path


def _field_errors(exc: ValidationError, model: type[_Input]) -> list[FieldError]:
    """pydantic's errors as ours, in the order of the fields: the one place they are translated.

    Each check raises a FieldError, which pydantic keeps as the error's cause; an unknown key is
    pydantic's own finding (extra_forbidden), listed first at its level, sorted as before. Any other error
    of pydantic's (none is expected: every field is checked by a validator of ours first) gets a Chinese
    message naming the field, never pydantic's English text."""
    order = {name: i for i, name in enumerate(model.model_fields)}
    prefix = f"{model.section}." if model.section else ""
    ranked: list[tuple[tuple[int, int, str], FieldError]] = []
    for err in exc.errors(include_url=False, include_input=False):
        cause = (err.get("ctx") or {}).get("error")
        if err["type"] == "extra_forbidden":  # an unknown key: first at its level, sorted by name
            path = prefix + ".".join(str(p) for p in err["loc"])
            top = -1 if len(err["loc"]) == 1 else order.get(str(err["loc"][0]), -1)
            message = f"未知字段“{path}”" + ("，请检查拼写（字段名见接口说明）" if top == -1 and not prefix else "")
            ranked.append(((top, 0, path), FieldError(path, message)))
            continue
        loc = [str(p) for p in err["loc"] if not isinstance(p, int)]  # list positions (demands[1]) dropped
        top = order.get(loc[0], -1) if loc else -1
        if isinstance(cause, FieldError):
            ranked.append(((top, 1, ""), cause))
        else:
            path = prefix + ".".join(loc) if loc else (model.section or "case")
            ranked.append(((top, 1, ""), FieldError(path, f"{_label(model, '.'.join(loc)) or '案件'}的值不正确，请核对后重新填写")))
    ranked.sort(key=lambda pair: pair[0])
    return [e for _, e in ranked]


def _filled(data: dict, path: str) -> bool:
    """Whether a field of the raw case JSON has a value, asked of a field without an error (one with an
    error counts as empty). For such a field it is what the check made of it: every check turns a blank
    value (missing, null, "", spaces, an empty list) into an empty one, anything else into a non-empty one
    or an error. pydantic keeps nothing of a failed validation, so the raw JSON is what there is to ask."""
    head, _, tail = path.partition(".")
    value = data.get(head)
    if tail:
        value = value.get(tail) if isinstance(value, dict) else None
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def parse_case(data: dict, now: dt.datetime | None = None, historical: bool = False) -> CaseInput:
    """Validate a case given as interchange JSON; raises InputError listing every wrong field."""
    if not isinstance(data, dict):
        raise InputError([FieldError("case", "案件应为一个 JSON 对象")])
    context = {"now": now or clock.now().replace(microsecond=0), "historical": historical}
    case: CaseInput | None = None
    try:
        case = _validate_case(data, context=context)
        errors: list[FieldError] = []
    except ValidationError as e:
        errors = _field_errors(e, CaseInput)
    if case is not None:  # the checked values say what is filled (the quicker way, for a ledger's rows)
        checked = case
        errors.extend(FieldError(code, message)
                      for code, message in missing(case.kind, lambda f: bool(_GET[f](checked))))
    else:
        have = {e.field for e in errors}
        kind = "complaint" if "kind" in have else data.get("kind", "complaint")
        errors.extend(FieldError(code, message) for code, message
                      in missing(kind, lambda f: f not in have and _filled(data, f)) if code not in have)
    if errors or case is None:
        raise InputError(errors)
    return case


def parse_merchant(data: dict) -> MerchantInput:
    """A merchant for the registry, checked as at intake; the name is required here."""
    errors: list[FieldError] = []
    try:
        merchant = MerchantInput.model_validate({k: v for k, v in data.items() if k in MERCHANT_FIELDS})
    except ValidationError as e:
        errors = _field_errors(e, MerchantInput)
    if "merchant.name" not in {e.field for e in errors} and not _filled(data, "name"):
        errors.append(FieldError("merchant.name", "请填写经营者名称"))
    if errors:
        raise InputError(errors)
    return merchant


def case_schema() -> dict[str, Any]:
    """The JSON Schema of the case JSON (shipped as resources/schemas/case.schema.json)."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **CaseInput.model_json_schema()}
    rules = [message for fields in REQUIRED.values() for message in fields.values()]
    rules += [message for _, message in ONE_OF.values()]
    schema["description"] += "。" + "；".join(rules)  # what each kind must have: a rule beyond the schema's words
    return schema


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
# The required fields read from a checked case.
_GET = {path: operator.attrgetter(path) for fields in REQUIRED.values() for path in fields} | {
    path: operator.attrgetter(path) for paths, _ in ONE_OF.values() for path in paths}


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

