"""Preview of a printout inside the app, with Print (QPrintDialog) and Save as PDF."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QKeySequence, QPageSize, QPainter, QPixmap, QShortcut, QTransform
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

from app.printing.render import PageImage, page_images, page_sizes


def to_qimage(page: PageImage) -> QImage:
    return QImage(page.rgb, page.width, page.height, page.stride, QImage.Format.Format_RGB888).copy()


class PdfPages(QScrollArea):
    """The pages of a PDF, one under the other, as they will print."""

    def __init__(self, parent: QWidget | None = None, dpi: float = 110):
        super().__init__(parent)
        self.dpi = dpi
        self.page_labels: list[QLabel] = []
        self.setWidgetResizable(True)
        self.setStyleSheet("QScrollArea { background: #6b6b6b; }")

    def set_pdf(self, pdf: bytes) -> None:
        pages = QWidget()
        column = QVBoxLayout(pages)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels = []
        for page in page_images(pdf, self.dpi):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(to_qimage(page)))
            label.setStyleSheet("background: white; border: 1px solid #999;")
            column.addWidget(label)
            self.page_labels.append(label)
        self.setWidget(pages)


class PdfPreview(QDialog):
    def __init__(self, pdf: bytes, title: str, file_name: str, parent: QWidget | None = None,
                 on_print=None):
        super().__init__(parent)
        self.pdf = pdf
        self.file_name = file_name
        self.on_print = on_print  # told when the document went to a printer or a file
        self.setWindowTitle(title)
        self.resize(760, 900)
        scroll = PdfPages()
        scroll.set_pdf(pdf)
        self.page_labels = scroll.page_labels

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
        ask_and_print(self.pdf, self.windowTitle(), self)
        if self.on_print:
            self.on_print()

    def print_to(self, printer: QPrinter) -> None:
        print_pdf(self.pdf, printer, self)

    def save_as(self) -> None:
        ask_and_save(self.pdf, self.file_name, self)

    def save_to(self, path: str) -> None:
        save_pdf(self.pdf, path, self)


def ask_and_print(pdf: bytes, title: str, parent: QWidget) -> bool:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    sizes = page_sizes(pdf)
    if sizes and max(sizes[0]) > 1100:  # an A3 poster: offer A3 paper
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A3))
    if QPrintDialog(printer, parent).exec() != QDialog.DialogCode.Accepted:
        return False
    return print_pdf(pdf, printer, parent)


def print_pdf(pdf: bytes, printer: QPrinter, parent: QWidget) -> bool:
    """Each page rendered at the printer's resolution and fitted to its page."""
    dpi = min(printer.resolution(), 300)
    painter = QPainter()
    if not painter.begin(printer):
        QMessageBox.warning(parent, "无法打印", "打印机无法开始打印，请检查打印机。")
        return False
    try:
        for i, page in enumerate(page_images(pdf, dpi)):
            if i:
                printer.newPage()
            image = to_qimage(page)
            viewport = painter.viewport()
            if (image.width() > image.height()) != (viewport.width() > viewport.height()):
                image = image.transformed(QTransform().rotate(90))  # a landscape table on portrait paper
            scaled = image.size().scaled(painter.viewport().size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(0, 0, scaled.width(), scaled.height()), image)
    finally:
        painter.end()
    return True


def ask_and_save(pdf: bytes, file_name: str, parent: QWidget) -> None:
    path, _ = QFileDialog.getSaveFileName(parent, "另存为 PDF", file_name, "PDF 文件 (*.pdf)")
    if path:
        save_pdf(pdf, path, parent)


def save_pdf(pdf: bytes, path: str, parent: QWidget) -> None:
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    try:
        Path(path).write_bytes(pdf)
    except OSError as e:
        QMessageBox.warning(parent, "无法保存", f"无法保存到 {path}：\n{e}")
