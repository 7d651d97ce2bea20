"""管理 ▸ 常用语: the point's canned answers, added, edited and removed by a supervisor (the menu item is
disabled for staff; the service refuses them all the same)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import codes
from app.core.errors import FieldError, InputError
from app.desk import Desk, Phrase
from ui.errors import error_text
from ui.widgets.fields import CodeCombo, ErrorLabel, fit_to_screen
from ui.widgets.tables import row_list


class PhrasesDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("常用语")
        fit_to_screen(self, 900, 620)
        intro = QLabel("在咨询答复、调解记录、不予受理说明、回访记录的文字框中按 Ctrl+空格或输入 //，"
                       "即可按简称或内容查找并插入常用语。“通用”的常用语在每个文字框中都可用。")
        intro.setWordWrap(True)
        intro.setStyleSheet("color:#0b5394;")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["简称", "适用于", "内容"])
        row_list(self.table)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 110)
        self.table.setColumnWidth(1, 110)
        self.table.currentCellChanged.connect(lambda row, *_a: self._load(row))

        self.title = QLineEdit()
        self.title.setPlaceholderText("如：七日（最多 12 个字，输入时按它查找）")
        self.title.setMaxLength(12)
        self.applies_to = CodeCombo(codes.PHRASE_FOR)
        self.body = QPlainTextEdit()
        self.body.setTabChangesFocus(True)
        self.body.setPlaceholderText("插入到文字框中的内容")
        self.body.setMinimumHeight(110)
        form = QFormLayout()
        title_label = QLabel("简称(&T)")
        title_label.setBuddy(self.title)
        where_label = QLabel("适用于(&W)")
        where_label.setBuddy(self.applies_to)
        body_label = QLabel("内容(&X)")
        body_label.setBuddy(self.body)
        form.addRow(title_label, self.title)
        form.addRow(where_label, self.applies_to)
        form.addRow(body_label, self.body)
        self.error = ErrorLabel()
        for w in (self.title, self.body):
            w.textChanged.connect(lambda *_a: self.error.show_error(""))

        self.new_button = QPushButton("新建(&N)")
        self.new_button.setToolTip("清空下方表单，填写一条新的常用语")
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setToolTip("保存下方的常用语（Ctrl+S）：选中的一条为修改，新建的为新增")
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton("删除(&D)…")
        self.remove_button.clicked.connect(self.remove)
        for b in (self.new_button, self.save_button, self.remove_button):
            b.setAutoDefault(False)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.save_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        close = QDialogButtonBox()
        close.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        row.addWidget(close)

        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.table, 1)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addLayout(row)
        self.editing: int | None = None
        self.reload()
        self.start_new()

    def reload(self, select: int | None = None) -> None:
        self.rows: list[Phrase] = self.desk.phrases.list()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, p in enumerate(self.rows):
            for c, text in enumerate((p.title, p.where, p.body.replace("\n", " "))):
                item = QTableWidgetItem(text)
                item.setToolTip(p.body if c == 2 else "")
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        ids = [p.id for p in self.rows]
        if select in ids:
            self.table.selectRow(ids.index(select))
            self._load(ids.index(select))

    def _load(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        p = self.rows[row]
        self.editing = p.id
        self.title.setText(p.title)
        self.applies_to.set_code(p.applies_to)
        self.body.setPlainText(p.body)
        self.save_button.setText("保存修改(&S)")
        self.remove_button.setEnabled(True)
        self.error.show_error("")

    def start_new(self) -> None:
        self.table.clearSelection()
        self.editing = None
        self.title.clear()
        self.applies_to.set_code("all")
        self.body.clear()
        self.save_button.setText("保存新增(&S)")
        self.remove_button.setEnabled(False)
        self.title.setFocus()

    def save(self) -> None:
        values = (self.title.text(), self.body.toPlainText(), self.applies_to.code())
        try:
            if self.editing is None:
                saved = self.desk.phrases.add(*values)
            else:
                saved = self.desk.phrases.edit(self.editing, *values)
        except (InputError, FieldError) as e:
            self.error.show_error(error_text(e))
            return
        self.reload(select=saved.id)

    def remove(self) -> None:
        if self.editing is None:
            return
        p = next(x for x in self.rows if x.id == self.editing)
        box = QMessageBox(QMessageBox.Icon.Question, "删除常用语", f"删除常用语“{p.title}”？", QMessageBox.StandardButton.NoButton, self)
        yes = box.addButton("删除(&Y)", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(box.addButton("取消(&N)", QMessageBox.ButtonRole.RejectRole))
        box.exec()
        if box.clickedButton() is not yes:
            return
        try:
            self.desk.phrases.remove(p.id)
        except (InputError, FieldError) as e:
            self.error.show_error(error_text(e))
            return
        self.reload()
        self.start_new()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.focusWidget() is self.title:
            self.body.setFocus()  # Enter in the title goes on to the text, never closes the dialog
            return
        super().keyPressEvent(event)
