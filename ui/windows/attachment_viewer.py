"""One attachment full size: an image (fit to the window, or 100 %), or a PDF's pages."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.desk import AttachmentService


class AttachmentViewer(QDialog):
    def __init__(self, name: str, data: bytes, evidence: AttachmentService, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"附件：{name}")
        self.resize(900, 700)
        layout = QVBoxLayout(self)
        file_type = evidence.detect(data)
        self.image = QImage.fromData(data) if file_type in evidence.IMAGE_TYPES else QImage()
        self.fit = True
        self.shown: QWidget
        if file_type == "pdf":
            from ui.widgets.pdf_preview import PdfPages

            pages = PdfPages()
            pages.set_pdf(data)
            layout.addWidget(pages)
            self.shown = pages
        elif not self.image.isNull():
            self.scroll_area = QScrollArea()
            self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.picture = QLabel()
            self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.scroll_area.setWidget(self.picture)
            self.scroll_area.setWidgetResizable(True)
            layout.addWidget(self.scroll_area)
            self.shown = self.picture
        else:
            note = QLabel("此格式（如 iPhone 的 HEIC 照片）无法在本机直接显示，请用“导出…”保存后用看图软件打开。")
            note.setWordWrap(True)
            layout.addWidget(note)
            self.shown = note
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(f"{len(data) / 1024:.0f} KB　SHA-256 {evidence.sha256(data)[:16]}…"))
        buttons.addStretch(1)
        if not self.image.isNull():
            self.zoom = QPushButton("原始大小")
            self.zoom.clicked.connect(self.toggle_fit)
            buttons.addWidget(self.zoom)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._show_image()

    def toggle_fit(self) -> None:
        self.fit = not self.fit
        self.zoom.setText("原始大小" if self.fit else "适合窗口")
        self.scroll_area.setWidgetResizable(self.fit)
        self._show_image()

    def _show_image(self) -> None:
        if self.image.isNull():
            return
        pix = QPixmap.fromImage(self.image)
        if self.fit:
            area = self.scroll_area.viewport().size()
            pix = pix.scaled(area, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(pix)
        if not self.fit:
            self.picture.adjustSize()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._show_image()
