"""手机上传: a QR code for the case's upload page; the upload server runs only while this dialog is open."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from app.desk import TOKEN_MINUTES, UploadServer
from ui.widgets.qr import qr_pixmap


class PhoneUploadDialog(QDialog):
    received = Signal(str)  # a file arrived (emitted from the server's thread, delivered on the UI thread)

    def __init__(self, desk, case_no: str, parent: QWidget | None = None, host: str | None = None):
        super().__init__(parent)
        self.desk = desk
        self.case_no = case_no
        self.setWindowTitle(f"手机上传证据材料 — {case_no}")
        layout = QVBoxLayout(self)
        self.qr_label = QLabel()
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.url_label = QLabel()
        self.url_label.setObjectName("upload_url")
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro = QLabel("请消费者用手机相机扫描二维码，在打开的页面中选择照片或 PDF 上传（手机须连接本联络点的无线网络）。"
                       f"二维码 {TOKEN_MINUTES} 分钟内有效；关闭本窗口即停止接收。")
        intro.setWordWrap(True)
        self.network = QLabel()
        self.network.setWordWrap(True)
        self.network.setStyleSheet("color:#b00000")
        self.network.hide()
        self.files = QListWidget()
        self.files.setFixedHeight(110)
        renew = QPushButton("重新生成二维码")
        renew.clicked.connect(self.new_token)
        close = QPushButton("完成")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(renew)
        buttons.addStretch(1)
        buttons.addWidget(close)
        for w in (intro, self.network, self.qr_label, self.url_label, self.status, QLabel("已收到："), self.files):
            layout.addWidget(w)
        layout.addLayout(buttons)
        self.received.connect(self._arrived)
        self.server = None
        try:
            self.server = UploadServer(self._store, host=host)
            desk = self.desk
            self.server.accepting = lambda: not desk.accounts.locked  # nothing taken in while the desk is locked
            self.server.start()
        except OSError as e:
            self.status.setText(f"无法启动上传服务：{e.strerror or e}。请检查网络连接后重试。")
            renew.setEnabled(False)
            return
        if self.server.address[0].startswith("127.") and host is None:
            self.network.setText("本机没有连接局域网：手机打不开这个二维码。请先把电脑连上联络点的网络，再重新打开本窗口。")
            self.network.show()
        self.tick = QTimer(self, interval=1000)
        self.tick.timeout.connect(self._countdown)
        self.new_token()
        self.tick.start()

    def _store(self, case_no: str, name: str, data: bytes, label: str) -> None:
        # Runs on the server's thread; FieldError/InputError go back to the phone as its message.
        self.desk.attachments.add(case_no, [(name, data)], label, via="手机上传")
        self.received.emit(name)

    def new_token(self) -> None:
        if self.server is None:  # it could not start (the button is disabled)
            return
        self.token = self.server.open_for(self.case_no)
        self.url = self.server.url(self.token)
        self.qr_label.setPixmap(qr_pixmap(self.url, scale=7))
        self.url_label.setText(self.url)
        self._countdown()

    def _countdown(self) -> None:
        if self.server is None:
            return
        grant, _why = self.server.grant(self.token)
        if grant is None:
            self.status.setText("<span style='color:#b00000'>二维码已过期，请点“重新生成二维码”</span>")
            return
        left = max(0, int(grant.expires - self.server.clock()))
        self.status.setText(f"剩余 {left // 60}:{left % 60:02d}")

    def _arrived(self, name: str) -> None:
        self.files.addItem(name)

    def done(self, result: int) -> None:
        if hasattr(self, "tick"):
            self.tick.stop()
        if self.server is not None:
            self.server.stop()
            self.server = None
        super().done(result)
