"""The point's settings; asked once on first start, editable later."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app import settings
from app.desk import Desk
from app.errors import InputError
from ui.widgets import ErrorLabel, mark_invalid


class SettingsDialog(QDialog):
    def __init__(self, desk: Desk, first_run: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("联络点设置" if not first_run else "欢迎使用：请先填写联络点信息")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel("这些信息会印在每一份回执、告知书和宣传栏上，之后可在“设置”中修改。")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)
        current = desk.settings.all()
        self.inputs: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        keys = settings.FIRST_RUN_KEYS if first_run else tuple(settings.KEYS)
        for key in keys:
            edit = QLineEdit(current.get(key, ""))
            edit.setObjectName(key)
            error = ErrorLabel()
            holder = QWidget()
            hl = QVBoxLayout(holder)
            hl.setContentsMargins(0, 0, 0, 0)
            hl.addWidget(edit)
            hl.addWidget(error)
            required = key == "point.name"
            form.addRow(settings.KEYS[key].label + (" *" if required else ""), holder)
            self.inputs[key] = edit
            self.errors[key] = error
        self.inputs["point.name"].setPlaceholderText("如：某某商城消费维权联络点")
        self.inputs["point.council"].setPlaceholderText("如：某某区消费者权益保护委员会")
        self.inputs["point.regulator"].setPlaceholderText("如：某某市某某区市场监督管理局（商户下架退市向其报告）")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("以后再填" if first_run else "取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        return {k: e.text().strip() for k, e in self.inputs.items()}

    def save(self) -> None:
        for key, error in self.errors.items():
            error.show_error("")
            mark_invalid(self.inputs[key], False)
        values = self.values()
        if not values.get("point.name"):
            self.errors["point.name"].show_error("请填写联络点名称")
            mark_invalid(self.inputs["point.name"], True)
            return
        try:
            self.desk.settings.put(values)
        except InputError as e:
            for err in e.errors:
                if err.field in self.errors:
                    self.errors[err.field].show_error(err.message)
                    mark_invalid(self.inputs[err.field], True)
            return
        self.accept()
