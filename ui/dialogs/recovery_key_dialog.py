"""The recovery key: shown once at the first start (text and QR code), and asked for when this computer lacks it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from ui import file_dialogs
from ui.widgets.qr import qr_pixmap  # noqa: F401  (also imported from here by older code)


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once; closing needs the tick that it was written down or printed."""

    def __init__(self, desk, parent=None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("数据恢复密钥（只显示这一次）")
        text = desk.keys.recovery_text()
        intro = QLabel("消费者的姓名、电话、身份证号和地址已加密保存，密钥保存在本机。换电脑、恢复备份或"
                       "第二个工作台使用同一数据库时，需要下面的恢复密钥。请立即打印或抄写，放在安全处，"
                       "不要与备份放在一起。")
        intro.setWordWrap(True)
        groups = text.split("-")
        self.key_label = QLabel("\n".join("  ".join(groups[i:i + 4]) for i in range(0, len(groups), 4)))
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(14)
        self.key_label.setFont(mono)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qr = QLabel()
        self.qr.setPixmap(qr_pixmap(text))
        row = QHBoxLayout()
        row.addWidget(self.key_label, 1)
        row.addWidget(self.qr)
        self.save_pdf = QPushButton("保存为可打印的 PDF…")
        self.save_pdf.clicked.connect(self._save_pdf)
        self.confirm = QCheckBox("我已打印或抄写恢复密钥并妥善保存")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("完成")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.confirm.toggled.connect(self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        self.buttons.accepted.connect(self._done)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.save_pdf)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)

    def _save_pdf(self) -> None:
        path = file_dialogs.save_file(self, "保存恢复密钥", "恢复密钥.pdf", "PDF (*.pdf)")
        if path:
            self.write_pdf(path)

    def write_pdf(self, path: str) -> None:
        from app.core.errors import FieldError

        try:
            self.desk.keys.export(path, first_start=True)
        except FieldError as e:
            QMessageBox.warning(self, "无法保存", e.message)

    def _done(self) -> None:
        self.desk.keys.mark_shown()
        self.accept()

    def reject(self) -> None:  # Esc does not skip it: the key is shown only once
        if self.confirm.isChecked():
            self._done()


class KeyImportDialog(QDialog):
    """This computer lacks the database's key: type the recovery key or open the exported file."""

    def __init__(self, desk, parent=None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("输入恢复密钥")
        intro = QLabel("本机没有这个数据库的数据密钥（或密钥不符），无法读取消费者个人信息。\n\n"
                       "请输入负责人保存的恢复密钥（13 组，每组 4 个字母或数字），或打开导出的密钥文件。")
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("ABCD-EFGH-…")
        self.text.setFixedHeight(70)
        from_file = QPushButton("打开密钥文件…")
        from_file.clicked.connect(self._from_file)
        self.message = QLabel("")
        self.message.setStyleSheet("color:#b00020")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        self.buttons.accepted.connect(self.try_key)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text)
        layout.addWidget(from_file)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _from_file(self) -> None:
        path = file_dialogs.open_file(self, "打开恢复密钥文件", "文本 (*.txt);;所有文件 (*)")
        if path:
            try:
                with open(path, encoding="utf-8") as fh:
                    self.text.setPlainText(fh.read(10_000))
            except (OSError, UnicodeDecodeError):
                self.message.setText("无法读取这个文件，请选择导出的恢复密钥文件（文本）")

    def try_key(self) -> None:
        from app.core.errors import FieldError

        try:
            self.desk.keys.import_key(text=self.text.toPlainText())
        except FieldError as e:
            self.message.setText(e.message)
            return
        self.accept()
