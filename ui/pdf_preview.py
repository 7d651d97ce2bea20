"""Preview of a printout inside the app, with Print (QPrintDialog) and Save as PDF."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.printing.render import PageImage, page_images


def to_qimage(page: PageImage) -> QImage:
    return QImage(page.rgb, page.width, page.height, page.stride, QImage.Format.Format_RGB888).copy()


class PdfPreview(QDialog):
    def __init__(self, pdf: bytes, title: str, file_name: str, parent: QWidget | None = None,
                 on_print=None):
        super().__init__(parent)
        self.pdf = pdf
        self.file_name = file_name
        self.on_print = on_print  # told when the document went to a printer or a file
        self.setWindowTitle(title)
        self.resize(760, 900)
        pages = QWidget()
        column = QVBoxLayout(pages)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels = []
        for page in page_images(pdf):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(to_qimage(page)))
            label.setStyleSheet("background: white; border: 1px solid #999;")
            column.addWidget(label)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("QScrollArea { background: #6b6b6b; }")

        self.print_button = QPushButton("打印 (Ctrl+P)")
        self.save_button = QPushButton("另存为 PDF…")
        close = QPushButton("关闭")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        close.clicked.connect(self.accept)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_document)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(f"共 {len(self.page_labels)} 页"))
        buttons.addStretch(1)
        for b in (self.print_button, self.save_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addLayout(buttons)

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Each page rendered at the printer's resolution and fitted to its page."""
        dpi = min(printer.resolution(), 300)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "无法打印", "打印机无法开始打印，请检查打印机。")
            return
        try:
            for i, page in enumerate(page_images(self.pdf, dpi)):
                if i:
                    printer.newPage()
                image = to_qimage(page)
                target = painter.viewport()
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(0, 0, scaled.width(), scaled.height()), image)
        finally:
            painter.end()
        if self.on_print:
            self.on_print()

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "另存为 PDF", self.file_name, "PDF 文件 (*.pdf)")
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> None:
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            Path(path).write_bytes(self.pdf)
        except OSError as e:
            QMessageBox.warning(self, "无法保存", f"无法保存到 {path}：\n{e}")
