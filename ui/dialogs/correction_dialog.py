"""更正: correcting a registered case's fields, with a reason; the case window opens it."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QWidget

from app.core import codes
from app.core.errors import FieldError, InputError
from app.desk import NO_MERCHANT, CaseDetail, Desk
from ui.dialogs import merchant_conflict
from ui.dialogs.ask_dialog import AskDialog
from ui.widgets.fields import CodeCombo

# (kind, path, label, code table): what a clerk may correct, as the case JSON names it.
FIELDS: list[tuple[str, str, str, dict | None]] = [
    ("text", "consumer.name", "消费者姓名", None), ("text", "consumer.phone", "消费者电话", None),
    ("text", "consumer.id_number", "身份证号", None), ("text", "consumer.address", "消费者地址", None),
    ("choice", "consumer.group", "特殊群体", codes.CONSUMER_GROUP),
    ("text", "merchant.name", "经营者名称", None), ("text", "merchant.uscc", "统一社会信用代码", None),
    ("text", "merchant.shop_no", "铺位号", None), ("text", "merchant.phone", "经营者电话", None),
    ("text", "merchant.address", "经营者地址", None),
    ("choice", "category", "投诉类别", codes.CATEGORY), ("choice", "nature", "投诉性质", codes.NATURE),
    ("text", "product", "商品或服务", None), ("text", "brand", "品牌", None),
    ("text", "purchase_date", "购买日期（如 2026-11-01）", None),
    ("choice", "purchase_channel", "购买方式", codes.PURCHASE_CHANNEL),
    ("text", "amount_paid", "购买金额（元）", None), ("text", "amount_claimed", "诉求金额（元）", None),
    ("memo", "facts", "投诉事实", None),
]
CONSULTATION = {"consumer.name", "consumer.phone", "consumer.group", "facts"}


def _get(case: CaseDetail, path: str) -> str:
    """A field's value as the form shows it and the case JSON writes it (2026-11-01, 299.00; no amount: empty)."""
    section, _, name = path.partition(".")
    value = getattr(case, section)
    if name:
        value = getattr(value or NO_MERCHANT, name)
    if isinstance(value, Decimal):  # an amount never entered is stored as 0: the field stays empty, not "0.00"
        return f"{value:.2f}" if value else ""
    return "" if value is None else str(value)


def changes_between(case: CaseDetail, values: dict) -> dict:
    """The corrected fields only, nested as the case JSON nests them."""
    out: dict = {}
    for path, value in values.items():
        if path == "reason" or value == _get(case, path):
            continue
        section, _, name = path.partition(".")
        if name:
            out.setdefault(section, {})[name] = value
        else:
            out[path] = value or None if path == "purchase_date" else value
    return out


def correction_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None = None) -> AskDialog:
    fields = [f for f in FIELDS if case.kind != "consultation" or f[1] in CONSULTATION]
    if case.kind == "consultation":
        fields = [("memo", "facts", "咨询问题", None) if f[1] == "facts" else f for f in fields]
    spec = [(kind, path, label, table if kind == "choice" else _get(case, path)) for kind, path, label, table in fields]
    spec.append(("memo", "reason", "更正原因 *", ""))

    def submit(values: dict) -> None:
        changes = changes_between(case, values)
        if not changes:
            raise InputError([FieldError("case", "没有改动任何字段")])
        def save(merchant: dict | None, distinct: bool) -> None:
            desk.cases.correct(case.case_no, changes if merchant is None else {**changes, "merchant": merchant},
                               values["reason"], distinct)

        merchant_conflict.save_asking(save, changes.get("merchant"), dialog)

    dialog = AskDialog(f"更正案件　{case.case_no}", spec, submit, parent, ok_text="保存更正",
                       intro="改正登记时写错或漏写的内容。案件编号、状态和期限不能更正；原值与新值连同原因记入办理经过。",
                       scroll=True)
    for _kind, path, _label, _table in fields:
        w = dialog.widgets[path]
        if isinstance(w, CodeCombo):  # a choice
            w.set_code(_get(case, path))
    dialog.initial = dialog.values()
    dialog.resize(720, 700)
    return dialog
