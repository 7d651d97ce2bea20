"""What the window says instead of codes: field codes to Chinese labels, in one place, and errors without codes.

The `liaison` command keeps its `【field】说明` messages (a contract); the window turns the same
errors into `字段名：说明`, and any code value inside a message (on_site, store, basically_satisfied…)
into its Chinese label.
"""
from __future__ import annotations

import functools
import re

from app.core import codes

# Field codes of errors raised by app/ that no table below names, as the clerk knows the field.
_MORE_FIELDS: dict[str, str] = {
    "state": "状态", "reason": "理由", "reason_code": "法定情形", "terms": "协议内容", "remedy": "处理方式",
    "remedies": "处理方式", "referred_to": "移送对象", "at": "时间", "mode": "调解方式", "participants": "参加人",
    "offer": "调解方案", "answer": "答复", "note": "备注", "satisfaction": "满意度", "follow_up": "回访",
    "actor": "经办人", "to": "接手的工作人员", "amount": "金额", "payer": "支付方", "advance_payer": "先行赔付支付方",
    "recovered_on": "追偿日期", "name": "名称", "merchant": "经营者", "signed_on": "签订日期",
    "delisted_on": "退市日期", "reported_on": "报告日期", "file": "文件", "db": "数据库", "calendar": "节假日安排",
    "title": "标题", "body": "正文", "month": "月份", "period": "期间", "case": "案件", "cases": "案件",
    "accepted": "受理日期", "price": "价格", "exception": "例外情形", "stdin": "输入", "number": "号码",
    "quantity": "数量", "action": "处理情况", "kind_of_commitment": "承诺种类", "answer_given": "答复内容",
    "shop_no": "铺位号", "uscc": "统一社会信用代码", "phone": "电话", "address": "地址", "id_number": "身份证号",
}
_TOKEN = re.compile(r"(?<![A-Za-z0-9_.])([a-z][a-z0-9_]*(?:\.[a-z_]+)?)(?![A-Za-z0-9_])")


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(field labels, code labels), made the first time a message is shown: they read the ledger,
    the settings and the rule sets, which would pull the database layer in before the window shows."""
    from app.calendar import deadlines
    from app.ledger import exchange
    from app.point import settings

    fields = {**{path: label for label, path in exchange.COLUMNS},
              **{key: spec.label.split("（")[0] for key, spec in settings.KEYS.items()}, **_MORE_FIELDS}
    # Every code value a message may mention, with its label (longest first, so `basically_satisfied`
    # is replaced before `satisfied`).
    code_tables = (codes.STATE, codes.KIND, codes.CHANNEL, codes.CONSUMER_GROUP, codes.CATEGORY, codes.NATURE,
                   codes.PURCHASE_CHANNEL, codes.DEMAND, codes.SATISFACTION, codes.MEDIATION_MODE, codes.PARTICIPANT,
                   codes.REMEDY, codes.REFERRAL_TARGET, codes.COMMITMENT)
    code_labels: dict[str, str] = {}
    for rs in deadlines.rule_sets():  # grounds and pause reasons are rule-set data
        code_labels.update(rs.not_accepted.labels())
        code_labels.update(rs.termination.labels())
        code_labels.update(rs.pause.reasons)
    for table in reversed(code_tables):  # earlier tables win: 'phone' reads 电话, 'other' 其他
        code_labels.update(table)
    code_labels.update(fields)
    return fields, code_labels


def code_labels() -> dict[str, str]:
    """Every code value (and field code) a message may carry, with its Chinese label."""
    return _tables()[1]


def field_label(field: str) -> str:
    """`consumer.name` -> 消费者姓名; a row-prefixed field (ledger: `第3行 amount_paid`) keeps its row."""
    row, _, code = field.rpartition(" ")
    fields, labels = _tables()
    label = fields.get(code) or labels.get(code) or ("" if _TOKEN.fullmatch(code) else code)
    return f"{row} {label}".strip()


def plain(text: str) -> str:
    """A message with every code value or field code in it replaced by its Chinese label."""
    labels = code_labels()
    text = re.sub(r"【([^】]*)】", lambda m: (field_label(m.group(1)) + "：") if field_label(m.group(1)) else "", text)
    text = re.sub(r"([a-z_]+)（([^）]*)）", lambda m: m.group(2) if m.group(1) in labels else m.group(0), text)
    return _TOKEN.sub(lambda m: labels.get(m.group(1), m.group(1)), text)


def message(error: Exception) -> str:
    """An error from app/ as the window shows it: 字段名：说明, one line per field, no codes."""
    from app.core.errors import FieldError, InputError

    if isinstance(error, InputError):
        return "\n".join(message(e) for e in error.errors)
    if isinstance(error, FieldError):
        label = field_label(error.field)
        return plain(f"{label}：{error.message}" if label else error.message)
    return plain(str(error))
