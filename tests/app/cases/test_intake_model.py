"""The case JSON's pydantic models (app/cases/intake.py): pydantic's errors become our Chinese FieldErrors,
in the order of the fields, and the shipped JSON Schema is the one the models generate."""
import datetime as dt
import json
import re

import jsonschema
import pytest
from pydantic import ValidationError

from app.cases import intake
from app.cases.intake import CaseInput, case_schema, parse_case, parse_merchant
from app.core.clock import LOCAL_TZ
from app.core.errors import FieldError, InputError
from app.core.resources import resource_path
from tests.conftest import complaint

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=LOCAL_TZ)
# pydantic's own wording, which must never reach a user
ENGLISH = re.compile(r"Input should|Value error|Field required|Extra inputs|validation error|[A-Za-z]{4,} [a-z]{3,}")


def _errors(data, **kw) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as e:
        parse_case(data, now=NOW, **kw)
    return [(err.field, err.message) for err in e.value.errors]


def _chinese_only(errors: list[tuple[str, str]]) -> None:
    for field, message in errors:
        assert not ENGLISH.search(message.replace(field, "")), message


def test_every_wrong_field_in_the_order_of_the_fields():
    """Unknown keys first (sorted), then the fields as declared, unknown keys of a section at its start,
    one error per wrong list item, and the rules of the kind last (as the hand-written parser had them)."""
    data = {"zeta": 1, "colour": "red", "case_no": "X", "state": "closed", "kind": "consultation", "channel": 5,
            "received_at": "2026-11-20T09:00:00+08:00",
            "consumer": {"phone": "12", "nickname": "x", "age": 3, "consent_to_share": "yes", "group": "vip"},
            "merchant": ["not", "an", "object"], "category": "toys", "product": 5, "purchase_date": "2026-11-21",
            "amount_paid": "-1", "amount_claimed": "1.234", "facts": "\x00", "demands": ["refund", "revenge", 7],
            "fast_track": "yes"}
    errors = _errors(data)
    assert [f for f, _ in errors] == [
        "colour", "zeta", "case_no", "state", "channel", "consumer.age", "consumer.nickname", "consumer.phone",
        "consumer.group", "consumer.consent_to_share", "merchant", "category", "product", "purchase_date",
        "amount_paid", "amount_claimed", "facts", "demands", "demands", "fast_track", "consumer.name"]
    messages = dict(errors)
    assert messages["colour"] == "未知字段“colour”，请检查拼写（字段名见接口说明）"
    assert messages["consumer.age"] == "未知字段“consumer.age”"
    assert messages["case_no"] == "该字段由系统填写，登记时请勿提供"
    assert messages["merchant"] == "merchant 应为 JSON 对象"
    assert messages["product"] == "商品或服务名称应为文字"
    assert messages["purchase_date"] == "购买日期不能晚于今天"
    assert messages["facts"].startswith("咨询问题含有无法保存的字符")  # the label follows the kind
    assert messages["consumer.name"] == "咨询须填写姓名或电话中的一项"  # a wrong phone is no phone
    _chinese_only(errors)


@pytest.mark.parametrize("field, value, message", [
    ("kind", None, "类型“None”不在可选范围内"),
    ("channel", [], "来源渠道“[]”不在可选范围内"),
    ("received_at", 5, "受理登记时间“5”不是有效时间"),
    ("received_at", "2026-11-20T12:06:00+08:00", "登记时间不能晚于现在"),
    ("received_at", "1980-01-01T00:00:00", "超出可用范围"),
    ("consumer", "张三", "consumer 应为 JSON 对象"),
    ("brand", {"a": 1}, "品牌应为文字"),
    ("brand", "牌" * 51, "品牌过长（最多50字）"),
    ("purchase_date", 5, "购买日期“5”不是有效日期"),
    ("amount_paid", True, "不是金额"),
    ("amount_paid", [], "不是金额"),
    ("amount_claimed", "1e20", "超出可记录的范围"),
    ("demands", {"refund": 1}, "诉求应为列表"),
    ("fast_track", "true", "小额快速处理应为 true 或 false"),
])
def test_type_errors_get_the_chinese_message_of_the_field(field, value, message):
    errors = [e for e in _errors(complaint(**{field: value})) if e[0] == field]
    assert len(errors) == 1 and message in errors[0][1], errors
    _chinese_only(errors)


def test_a_dotted_unknown_key_at_the_top_is_unknown_at_the_top():
    assert _errors(complaint(**{"consumer.name": "王某"})) == [
        ("consumer.name", "未知字段“consumer.name”，请检查拼写（字段名见接口说明）")]


def test_a_text_too_long_is_one_error():
    errors = _errors(complaint(consumer={"name": "张三", "phone": "1" * 31}))
    assert errors == [("consumer.phone", "消费者电话过长（最多30字）")]


def test_a_lone_surrogate_is_named_not_a_traceback():
    errors = _errors(complaint(kind="\ud800", consumer={"name": "\ud800", "phone": "13900001234"}))
    assert errors[0][0] == "kind" and "不在可选范围内" in errors[0][1]
    assert ("consumer.name", "消费者姓名含有无法保存的字符（空字符或不成对的代理字符），请重新输入") in errors


def test_a_historical_case_may_be_in_any_state():
    assert parse_case(complaint(state="closed"), now=NOW, historical=True).state == "closed"
    assert _errors(complaint(state="closed")) == [("state", "新登记的案件状态只能是 registered（登记）")]
    assert _errors(complaint(state="gone"), historical=True)[0][0] == "state"


def test_the_checked_values_keep_their_types():
    case = parse_case(complaint(received_at="2026-11-20T10:15:00", demands=["refund", "repair", "refund"],
                                amount_paid=88.5, consumer={"name": " 王某 ", "phone": "+86 139-0000-1234"}),
                      now=NOW)
    assert case.received_at == dt.datetime(2026, 11, 20, 10, 15, tzinfo=LOCAL_TZ)
    assert case.received_day == dt.date(2026, 11, 20)
    assert case.purchase_date == dt.date(2026, 11, 1)
    assert str(case.amount_paid) == "88.50" and str(case.amount_recovered) == "0.00"
    assert case.demands == ["refund", "repair"]
    assert (case.consumer.name, case.consumer.phone, case.consumer.group) == ("王某", "13900001234", "none")
    assert case.fast_track is None and case.state == "registered" and case.case_no is None
    assert parse_case({"kind": "consultation", "facts": "问", "consumer": {"phone": "13900001234"}},
                      now=NOW).received_at == NOW


def test_an_unexpected_pydantic_error_is_worded_in_chinese():
    """Every field is checked by a check of ours first, so pydantic finds nothing of its own; if it ever
    did, the field is named in Chinese and pydantic's English stays out."""
    error = ValidationError.from_exception_data("CaseInput", [
        {"type": "string_type", "loc": ("product",), "input": 5},
        {"type": "missing", "loc": ("consumer", "name"), "input": {}},
        {"type": "extra_forbidden", "loc": ("merchant", "colour"), "input": 1},
    ])
    found = intake._field_errors(error, CaseInput)
    assert [(e.field, e.message) for e in found] == [
        ("consumer.name", "消费者姓名的值不正确，请核对后重新填写"),
        ("merchant.colour", "未知字段“merchant.colour”"),
        ("product", "商品或服务名称的值不正确，请核对后重新填写"),
    ]
    assert all(isinstance(e, FieldError) and not ENGLISH.search(e.message) for e in found)


def test_the_registry_merchant_is_checked_as_at_intake():
    assert parse_merchant({"name": " 某店 ", "uscc": "91310105ma1fl00004", "credit": "A"}).uscc == "91310105MA1FL00004"
    with pytest.raises(InputError) as e:
        parse_merchant({"uscc": "9131", "phone": 5})
    assert [err.field for err in e.value.errors] == ["merchant.uscc", "merchant.phone", "merchant.name"]


def test_the_shipped_schema_is_the_generated_one():
    """resources/schemas/case.schema.json is `liaison case schema` (python -m app case schema) output."""
    shipped = resource_path("schemas", "case.schema.json").read_text(encoding="utf-8")
    assert shipped == json.dumps(case_schema(), ensure_ascii=False, indent=2) + "\n", \
        "regenerate: python -m app case schema > resources/schemas/case.schema.json"


def test_the_schema_describes_what_the_parser_takes():
    schema = json.loads(resource_path("schemas", "case.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    valid = jsonschema.Draft202012Validator(schema)
    for data in (complaint(), complaint(amount_paid=88, demands="refund", received_at=None, brand=None, purchase_channel="",
                           consumer={"name": "王某", "phone": "13900001234", "group": None, "address": None}),
                 {"kind": "consultation", "facts": "问", "consumer": {"phone": "13900001234"}}):
        parse_case(data, now=NOW)
        valid.validate(data)
    for wrong in (complaint(colour="red"), complaint(consumer={"nickname": "x"}), complaint(kind="bogus"),
                  complaint(demands=["revenge"]), complaint(case_no="20261120-0001"), complaint(product=5)):
        assert not valid.is_valid(wrong), wrong
        with pytest.raises(InputError):
            parse_case(wrong, now=NOW)
    assert schema["properties"]["purchase_date"]["title"] == "购买日期"
    assert schema["$defs"]["ConsumerInput"]["properties"]["phone"]["title"] == "消费者电话"


def test_liaison_case_schema_prints_it(capsys):
    from app.cli import main

    assert main(["case", "schema"]) == 0
    assert json.loads(capsys.readouterr().out) == case_schema()
