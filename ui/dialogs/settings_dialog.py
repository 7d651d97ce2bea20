"""The point's settings; asked once on first start, editable later."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.errors import FieldError, InputError
from app.desk import Desk
from ui import file_dialogs
from ui.errors import error_text
from ui.ops import announce
from ui.widgets.fields import ErrorLabel, ask_discard, fit_to_screen, mark_invalid

LABEL_WIDTH = 250  # labels wrap at this width; the boxes take the rest, wide enough for a full name
RULE_TIP = "负责人可修改"  # a rule setting shown to a staff member (app/point/settings.py: STAFF_KEYS)


def _clear(error: ErrorLabel, edit: QLineEdit) -> None:
    """Typing in a box takes its old message away."""
    error.show_error("")
    mark_invalid(edit, False)


class SettingsDialog(QDialog):
    def __init__(self, desk: Desk, first_run: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("联络点设置" if not first_run else "欢迎使用：请先填写联络点信息")
        fit_to_screen(self, 820, 760)
        outer = QVBoxLayout(self)
        if first_run:
            intro = QLabel("这些信息会印在每一份回执、告知书和宣传栏上，之后可在“设置”中修改。")
            intro.setWordWrap(True)
            outer.addWidget(intro)
        # The fields scroll; the buttons stay in view on a small screen.
        fields = QWidget()
        layout = QVBoxLayout(fields)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(fields)
        outer.addWidget(scroll, 1)
        form = QFormLayout()
        layout.addLayout(form)
        current = desk.settings.all()
        self.inputs: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        keys = desk.settings.FIRST_RUN_KEYS if first_run else tuple(desk.settings.KEYS)
        who = desk.accounts.current
        self.staff_only = who is not None and not who.is_supervisor and not first_run
        if who is not None and self.staff_only:
            note = QLabel(f"当前登录：{who.describe()}。灰色、标有“{RULE_TIP}”的是规则设置，只有负责人可以修改；"
                          "其余各项可以修改并保存。")
            note.setObjectName("staff_note")
            note.setWordWrap(True)
            layout.insertWidget(0, note)  # above the fields, read before them
        for key in keys:
            edit = QLineEdit(current.get(key, ""))
            edit.setObjectName(key)
            error = ErrorLabel()
            holder = QWidget()
            hl = QVBoxLayout(holder)
            hl.setContentsMargins(0, 0, 0, 0)
            if desk.settings.is_rule(key) and self.staff_only:
                edit.setReadOnly(True)
                edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab goes from one field the member may change to the next
                edit.setToolTip(RULE_TIP)
                edit.setStyleSheet("QLineEdit { background: #eeeeee; color: #555555; }")
                row = QHBoxLayout()
                row.setContentsMargins(0, 0, 0, 0)
                row.addWidget(edit, 1)
                tag = QLabel(RULE_TIP)
                tag.setObjectName(f"{key}.supervisor_only")
                tag.setStyleSheet("color: #777777;")
                tag.setToolTip(RULE_TIP)
                row.addWidget(tag)
                hl.addLayout(row)
            elif key.endswith("folder"):
                hl.addLayout(self._with_browse(edit, self.desk.settings.KEYS[key].label))
            else:
                hl.addWidget(edit)
            hl.addWidget(error)
            required = key == "point.name"
            form.addRow(self._label(self.desk.settings.KEYS[key].label + (" *" if required else "")), holder)
            self.inputs[key] = edit
            self.errors[key] = error
            edit.textEdited.connect(lambda _t, e=edit, m=error: _clear(m, e))
        self.supervisor: dict[str, QLineEdit] = {}
        if first_run and desk.accounts.current is None and desk.accounts.needs_first_supervisor():
            self._supervisor_section(layout)
        self.inputs["point.name"].setPlaceholderText("如：某某商城消费维权联络点")
        self.inputs["point.council"].setPlaceholderText("如：某某区消费者权益保护委员会")
        self.inputs["point.regulator"].setPlaceholderText("如：某某市某某区市场监督管理局")
        for edit in self.inputs.values():
            if edit.isReadOnly():
                edit.setPlaceholderText("")  # an example to type after is no use where nothing can be typed
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            "退出" if self.supervisor else "以后再填" if first_run else "取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addStretch(1)
        outer.addWidget(buttons)
        self.initial = self._typed()
        self.shown = self.values()  # as the form opened: saving sends only what differs from it
        # typing starts in the first field that takes it (at the first start the point's name), not on the
        # scroll area, where what was typed was lost
        first = next((e for e in self.inputs.values() if not e.isReadOnly()), None)
        if first is not None:
            first.setFocus()

    def _typed(self) -> dict[str, str]:
        return {**self.values(), **{k: e.text() for k, e in self.supervisor.items()}}

    def reject(self) -> None:
        """Esc or 取消: what was typed is not thrown away without asking."""
        if self._typed() != self.initial and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        return ask_discard(self)

    def _with_browse(self, edit: QLineEdit, title: str) -> QHBoxLayout:
        """A folder setting: typed, or chosen with 选择… (the folder dialog)."""
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        browse = QPushButton("选择…")
        browse.setToolTip(f"选择{title.split('（')[0]}")

        def choose() -> None:
            folder = file_dialogs.choose_folder(self, title.split("（")[0], edit.text())
            if folder:
                edit.setText(folder)
                edit.textEdited.emit(folder)

        browse.clicked.connect(choose)
        row.addWidget(browse)
        return row

    @staticmethod
    def _label(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setFixedWidth(LABEL_WIDTH)
        return label

    def _supervisor_section(self, layout: QVBoxLayout) -> None:
        """First start: the point's first supervisor (who then manages the staff accounts)."""
        title = QLabel("<b>负责人账号</b>　首位负责人，之后可在“人员管理”中为每位工作人员建立账号。")
        title.setWordWrap(True)
        layout.addWidget(title)
        form = QFormLayout()
        layout.addLayout(form)
        for key, label, placeholder in (("login", "登录名 *", "如：zhangli"), ("display", "姓名 *", "如：张丽（印在回执上）"),
                                        ("password", "密码 *", "至少6位"), ("password_repeat", "再输入一次 *", "")):
            edit = QLineEdit()
            edit.setObjectName(f"supervisor.{key}")
            edit.setPlaceholderText(placeholder)
            if key.startswith("password"):
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            error = ErrorLabel()
            holder = QWidget()
            hl = QVBoxLayout(holder)
            hl.setContentsMargins(0, 0, 0, 0)
            hl.addWidget(edit)  # the supervisor's fields: no folder among them
            hl.addWidget(error)
            form.addRow(self._label(label), holder)
            self.supervisor[key] = edit
            self.errors[key] = error

    def values(self) -> dict[str, str]:
        return {k: e.text().strip() for k, e in self.inputs.items()}

    def save(self) -> None:
        for key, error in self.errors.items():
            error.show_error("")
            mark_invalid(self.inputs.get(key) or self.supervisor[key], False)
        values = self.values()
        if not values.get("point.name"):
            self.errors["point.name"].show_error("请填写联络点名称")
            mark_invalid(self.inputs["point.name"], True)
            return
        if self.supervisor and self.desk.accounts.current is None and not self._create_supervisor(values):
            return
        # Only what was changed in the form is saved: a staff member saving the address does not "change" a
        # rule shown read-only, and the service compares each value as stored ("500" is "500.00").
        changed = {k: v for k, v in values.items() if v != self.shown[k]}
        try:
            if changed:
                self.desk.settings.put(changed)
        except InputError as e:
            for err in e.errors:
                if err.field in self.errors:
                    self.errors[err.field].show_error(err.message)
                    mark_invalid(self.inputs[err.field], True)
            return
        except FieldError as e:  # refused (only a supervisor changes a rule): said plainly, nothing stored
            QMessageBox.warning(self, "未保存", error_text(e))
            return
        if changed:
            announce(Changes(settings=True, all_cases=True))  # deadline defaults move the list's due dates too
        self.accept()

    def _create_supervisor(self, values: dict[str, str]) -> bool:
        """Check the settings first (nothing is stored if one is wrong), then make the supervisor."""
        errors = []
        for key, value in values.items():
            try:
                self.desk.settings.normalize(key, value)
            except FieldError as e:
                errors.append(e)
        f = {k: e.text() for k, e in self.supervisor.items()}
        try:
            self.desk.accounts.create_first_supervisor(f["login"].strip(), f["display"].strip(), f["password"],
                                                       f["password_repeat"]) if not errors else None
        except FieldError as e:
            errors.append(e)
        for err in errors:
            if err.field in self.errors:
                self.errors[err.field].show_error(err.message)
                mark_invalid(self.inputs.get(err.field) or self.supervisor[err.field], True)
        return not errors
