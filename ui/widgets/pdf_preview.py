"""Preview of a printout inside the app, with Print (QPrintDialog) and Save as PDF."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QKeySequence, QPageSize, QPainter, QPixmap, QShortcut, QTransform
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.desk import PageImage, page_images, page_sizes
from ui import file_dialogs
from ui.widgets.fields import fit_to_screen

PREVIEW_DPI = 150


def with_pages(pdf: bytes) -> tuple[bytes, list[QImage]]:
    """A PDF and its pages drawn for the preview: done with the PDF, off the window's thread (an A3 poster
    took the window 0.1 s to draw; QImage, unlike QPixmap, may be made on any thread)."""
    return pdf, [to_qimage(page) for page in page_images(pdf, PREVIEW_DPI)]


def to_qimage(page: PageImage) -> QImage:
    return QImage(page.rgb, page.width, page.height, page.stride, QImage.Format.Format_RGB888).copy()


class PdfPages(QScrollArea):
    """The pages of a PDF, one under the other, as they will print: fitted to the width of the view,
    or zoomed (Ctrl+= / Ctrl+- / Ctrl+0 back to the page width)."""

    ZOOMS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)

    def __init__(self, parent: QWidget | None = None, dpi: float = PREVIEW_DPI):
        super().__init__(parent)
        self.dpi = dpi
        self.page_labels: list[QLabel] = []
        self.images: list[QImage] = []
        self.zoom: float | None = None  # None: fit the page width
        self.setWidgetResizable(True)
        self.setStyleSheet("QScrollArea { background: #6b6b6b; }")

    def set_pdf(self, pdf: bytes, drawn: list[QImage] | None = None) -> None:
        """Show a PDF's pages; `drawn`: already drawn at this dpi (with_pages, in the background)."""
        pages = QWidget()
        column = QVBoxLayout(pages)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels = []
        self.images = drawn if drawn is not None else [to_qimage(page) for page in page_images(pdf, self.dpi)]
        for image in self.images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("background: white; border: 1px solid #999;")
            column.addWidget(label)
            self.page_labels.append(label)
        self.setWidget(pages)

    def page_width(self) -> int:
        """The width a page is drawn at now."""
        if not self.images:
            return 0
        natural = self.images[0].width() * 96 / self.dpi  # 100 %: the paper's size on a 96-dpi screen
        if self.zoom is None:
            return max(200, self.viewport().width() - 40)
        return int(natural * self.zoom)

    def apply_zoom(self) -> None:
        width = self.page_width()
        for label, image in zip(self.page_labels, self.images, strict=True):
            label.setPixmap(QPixmap.fromImage(image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)))

    def zoom_in(self, step: int) -> None:
        natural = self.images[0].width() * 96 / self.dpi if self.images else 1
        current = self.zoom if self.zoom is not None else self.page_width() / natural
        if step > 0:
            bigger = [z for z in self.ZOOMS if z > current + 0.01]
            self.zoom = bigger[0] if bigger else self.ZOOMS[-1]
        else:
            smaller = [z for z in self.ZOOMS if z < current - 0.01]
            self.zoom = smaller[-1] if smaller else self.ZOOMS[0]
        self.apply_zoom()

    def fit_width(self) -> None:
        self.zoom = None
        self.apply_zoom()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.zoom is None and self.images:
            self.apply_zoom()


class PdfPreview(QDialog):
    def __init__(self, pdf: bytes, title: str, file_name: str, parent: QWidget | None = None,
                 on_print=None, drawn: list[QImage] | None = None):
        super().__init__(parent)
        self.pdf = pdf
        self.file_name = file_name
        self.on_print = on_print  # told where the document went (a printer or a file), once it got there
        self.setWindowTitle(title)
        fit_to_screen(self, 900, 1100)
        scroll = PdfPages()
        scroll.set_pdf(pdf, drawn)
        self.pages = scroll
        self.page_labels = scroll.page_labels

        self.print_button = QPushButton("打印 (Ctrl+P)")
        self.save_button = QPushButton("另存为 PDF…")
        close = QPushButton("关闭 (Esc)")
        zoom_in = QPushButton("放大 (Ctrl+=)")
        zoom_out = QPushButton("缩小 (Ctrl+-)")
        fit = QPushButton("适合页宽 (Ctrl+0)")
        zoom_in.clicked.connect(lambda: scroll.zoom_in(1))
        zoom_out.clicked.connect(lambda: scroll.zoom_in(-1))
        fit.clicked.connect(scroll.fit_width)
        for keys, slot in ((("Ctrl+=", "Ctrl++"), lambda: scroll.zoom_in(1)), (("Ctrl+-",), lambda: scroll.zoom_in(-1)),
                           (("Ctrl+0",), scroll.fit_width)):
            for key in keys:
                QShortcut(QKeySequence(key), self).activated.connect(slot)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        close.clicked.connect(self.accept)
        QShortcut(QKeySequence.StandardKey.Print, self).activated.connect(self.print_document)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(f"共 {len(self.page_labels)} 页"))
        self.where = QLabel()  # where the last print or save went
        self.where.setStyleSheet("color:#1e7e34;")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for b in (zoom_out, zoom_in, fit):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.where)
        for b in (self.print_button, self.save_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def _done(self, where: str | None) -> None:
        if where:  # said where it went: a file's full path, or the printer
            self.where.setText(f"已发送到{where}" if where.startswith("打印机") else f"已保存到 {where}")
            self.where.setToolTip(where)
        if where and self.on_print:
            self.on_print(where)

    def print_document(self) -> None:
        self._done(ask_and_print(self.pdf, self.windowTitle(), self))

    def print_to(self, printer: QPrinter) -> None:
        self._done(print_pdf(self.pdf, printer, self))

    def save_as(self) -> None:
        self._done(ask_and_save(self.pdf, self.file_name, self))

    def save_to(self, path: str) -> None:
        self._done(save_pdf(self.pdf, path, self))


def ask_and_print(pdf: bytes, title: str, parent: QWidget) -> str | None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    sizes = page_sizes(pdf)
    if sizes and max(sizes[0]) > 1100:  # an A3 poster: offer A3 paper
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A3))
    if QPrintDialog(printer, parent).exec() != QDialog.DialogCode.Accepted:
        return None
    if printer.outputFileName():  # 打印到文件 (PDF): Qt would write it silently to a name in the home folder
        name = Path(printer.outputFileName()).name or f"{title}.pdf"
        path = file_dialogs.save_file(parent, "打印到 PDF 文件：保存到", name, "PDF 文件 (*.pdf)")
        return save_pdf(pdf, path, parent) if path else None  # the document itself, not a picture of it
    return print_pdf(pdf, printer, parent)


def print_pdf(pdf: bytes, printer: QPrinter, parent: QWidget) -> str | None:
    """Each page rendered at the printer's resolution and fitted to its page; where it went, or None."""
    dpi = min(printer.resolution(), 300)
    painter = QPainter()
    if not painter.begin(printer):
        QMessageBox.warning(parent, "无法打印", "打印机无法开始打印，请检查打印机。")
        return None
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
    return f"打印机 {printer.printerName()}".strip() if not printer.outputFileName() else printer.outputFileName()


def ask_and_save(pdf: bytes, file_name: str, parent: QWidget) -> str | None:
    path = file_dialogs.save_file(parent, "另存为 PDF", file_name, "PDF 文件 (*.pdf)")
    return save_pdf(pdf, path, parent) if path else None


def save_pdf(pdf: bytes, path: str, parent: QWidget) -> str | None:
    """The file written (its full path), or None after telling why not."""
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    try:
        Path(path).write_bytes(pdf)
    except OSError as e:
        QMessageBox.warning(parent, "无法保存", f"无法保存到 {path}：\n{e}")
        return None
    return str(Path(path).resolve())
