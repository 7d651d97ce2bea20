"""Asking which merchant is meant when the typed name and USCC disagree with the registry."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from app.desk import MerchantConflict
from ui.widgets.fields import run_modal


class ConflictBox(QMessageBox):
    """The question, with the buttons that answer it."""

    registered: QPushButton
    distinct: QPushButton | None


def conflict_box(conflict: MerchantConflict, parent: QWidget | None = None) -> ConflictBox:
    if conflict.field == "merchant.uscc":
        text = (f"统一社会信用代码 {conflict.typed_uscc} 已登记为“{conflict.registered_name}”，"
                f"与填写的名称“{conflict.typed_name}”不符。\n\n同一个信用代码只属于一家经营者。是哪一家？")
    else:
        text = (f"“{conflict.typed_name}”已登记，其统一社会信用代码为 {conflict.registered_uscc}，"
                f"与填写的 {conflict.typed_uscc} 不符。\n\n是已登记的那一家，还是同名的另一家经营者？")
    box = ConflictBox(QMessageBox.Icon.Question, "经营者名称与信用代码不一致", text,
                      QMessageBox.StandardButton.NoButton, parent)
    box.registered = box.addButton(f"是已登记的“{conflict.registered_name}”(&R)", QMessageBox.ButtonRole.AcceptRole)
    box.distinct = None
    if conflict.field == "merchant.name":
        box.distinct = box.addButton("是另一家经营者(&A)", QMessageBox.ButtonRole.YesRole)
    back = box.addButton("返回修改(&B)", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    return box


def ask(conflict: MerchantConflict, parent: QWidget | None = None) -> str:
    """'registered', 'distinct' (another firm of a registered name) or '' to go back and edit."""
    box = conflict_box(conflict, parent)
    run_modal(box)
    clicked = box.clickedButton()
    return "registered" if clicked is box.registered else "distinct" if clicked is box.distinct else ""


def use_registered(merchant: dict, conflict: MerchantConflict) -> dict:
    """The typed merchant fields with the registered merchant's name and USCC."""
    return {**merchant, "name": conflict.registered_name, "uscc": conflict.registered_uscc}


def save_asking(save: Callable[[dict | None, bool], Any], merchant: dict | None, parent: QWidget | None = None) -> Any:
    """`save(merchant, distinct)`, asking the clerk whenever it raises MerchantConflict: the registered
    merchant's name and USCC are used, or `distinct` confirms another firm of that name. Going back to
    edit re-raises the conflict, for the caller to mark its field."""
    distinct = False
    while True:
        try:
            return save(merchant, distinct)
        except MerchantConflict as conflict:
            choice = ask(conflict, parent)
            if choice == "registered" and merchant is not None:
                merchant = use_registered(merchant, conflict)
            elif choice == "distinct" and not distinct:
                distinct = True
            else:
                raise
