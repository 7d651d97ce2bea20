"""The poster studio: the bulletin board, and consumer tips from templates or written at the desk."""
from __future__ import annotations

from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.core.errors import FieldError
from app.core.progress import Progress
from app.desk import Desk, Tip
from ui.errors import error_text
from ui.ops import QueryOp
from ui.widgets.fields import ErrorLabel, ask_discard, fit_to_screen, picked
from ui.widgets.pdf_preview import PdfPages, ask_and_print, ask_and_save, with_pages

BULLETIN = "__bulletin__"
DISCLOSURE = "__disclosure__"


class PosterEditor(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.pdf: bytes | None = None
        self.setWindowTitle("宣传栏与消费提示")
        fit_to_screen(self, 1200, 860)
        self.template = QComboBox()
        self.template.addItem("宣传栏（职责、法律条文、承诺、流程）", BULLETIN)
        self.template.addItem("投诉信息公示（按被投诉经营者）", DISCLOSURE)
        for t in desk.documents.tip_templates():
            self.template.addItem(f"消费提示：{t['title']}", t["name"])
        self.paper = QComboBox()
        self.paper.addItems(list(desk.documents.POSTER_SIZES))
        today = clock.today()
        self.date_from = QDateEdit(QDate(today.year, today.month, 1))
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        for w in (self.date_from, self.date_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        period = QHBoxLayout()
        period.addWidget(self.date_from)
        period.addWidget(QLabel("至"))
        period.addWidget(self.date_to)
        period.addStretch(1)
        self.period = QWidget()
        self.period.setLayout(period)
        period.setContentsMargins(0, 0, 0, 0)
        self.title = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText("第一段是导语；单独一行写【小标题】开始一节，其下每行一条。")
        self.error = ErrorLabel()
        self.pages_label = QLabel()
        self.print_button = QPushButton("打印…")
        self.save_button = QPushButton("另存为 PDF…")
        self.keep_button = QPushButton("保存为模板")
        self.insert_watch_button = QPushButton("插入监控号码")
        self.insert_watch_button.setToolTip("把防骗监控名单中的号码加到提示正文")
        self.insert_watch_button.clicked.connect(self.insert_watch_numbers)
        self.keep_button.clicked.connect(self.keep_template)
        self.print_button.clicked.connect(lambda: self.pdf and ask_and_print(self.pdf, self.title.text(), self))
        self.save_button.clicked.connect(lambda: self.pdf and ask_and_save(self.pdf, f"{self.title.text()}.pdf", self))
        self.preview = PdfPages(dpi=60)

        form = QFormLayout()
        form.addRow("模板", self.template)
        form.addRow("纸张", self.paper)
        form.addRow("公示期间", self.period)
        self.form = form
        form.addRow("标题", self.title)
        form.addRow("正文", self.body)
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.addLayout(form)
        lay.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pages_label)
        buttons.addStretch(1)
        buttons.addWidget(self.insert_watch_button)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        lay.addLayout(buttons)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.preview)
        split.setSizes([520, 680])
        outer = QVBoxLayout(self)
        outer.addWidget(split)

        self.debounce = QTimer(self, singleShot=True, interval=400)
        self.debounce.timeout.connect(self.render_preview)
        self.template.currentIndexChanged.connect(self.load_template)
        self.paper.currentIndexChanged.connect(self.render_preview)
        self.date_from.dateChanged.connect(lambda _d: self.debounce.start())
        self.date_to.dateChanged.connect(lambda _d: self.debounce.start())
        self.title.textChanged.connect(lambda _t: self.debounce.start())
        self.body.textChanged.connect(self.debounce.start)
        self.load_template()

    def load_template(self) -> None:
        name = self.template.currentData()
        is_tip = name not in (BULLETIN, DISCLOSURE)
        self.form.setRowVisible(self.period, name == DISCLOSURE)
        for w in (self.title, self.body):
            w.blockSignals(True)
        if name == DISCLOSURE:
            self.title.setText("投诉信息公示")
            self.body.setPlainText("按被投诉经营者列出公示期间收到的投诉件数、调解件数、调解成功率、先行赔付和答复率，"
                                   "按投诉件数排列；没有投诉的经营者不列出；不含消费者个人信息。统计说明印在公示上。")
        elif is_tip:
            tip = self.desk.documents.tip(name)
            self.title.setText(tip.title)
            self.body.setPlainText(self.desk.documents.tip_text(tip))
        else:
            self.title.setText(self.desk.documents.bulletin_title())
            self.body.setPlainText("宣传栏内容取自联络点资料和法律条文，不在此修改；联系人、电话、协助单位请在“设置”中修改。")
        for w in (self.title, self.body):
            w.blockSignals(False)
        self.keep_button.setEnabled(is_tip)
        self.insert_watch_button.setEnabled(is_tip and bool(self.desk.scams.list()))
        self.title.setReadOnly(not is_tip)
        self.body.setReadOnly(not is_tip)
        self.loaded = self._typed()
        self.render_preview()

    def _typed(self) -> tuple[str, str]:
        return self.title.text(), self.body.toPlainText()

    def reject(self) -> None:
        """Esc or closing: an edited tip not saved as a template or printed is not lost without asking."""
        if self._typed() != self.loaded and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        return ask_discard(self)

    def insert_watch_numbers(self) -> None:
        numbers = self.desk.scams.list()
        if not numbers:
            return
        lines = ["【请警惕以下号码】"] + [f"{w['number']}（{w['note']}）" if w["note"] else w["number"] for w in numbers]
        self.body.setPlainText(self.body.toPlainText().rstrip() + "\n" + "\n".join(lines))

    def keep_template(self) -> None:
        """Save the edited tip; a blank one gets a name of its own so the blank stays blank."""

        try:
            tip = self.current_tip()
            if tip.name == "blank":
                tip.name = f"staff_{clock.now():%Y%m%d%H%M%S}"
            self.desk.documents.save_tip(tip)
        except FieldError as e:
            self.error.show_error(e.message)
            return
        self.template.blockSignals(True)
        index = self.template.findData(tip.name)
        if index < 0:
            self.template.addItem(f"消费提示：{tip.title}", tip.name)
            index = self.template.count() - 1
        else:
            self.template.setItemText(index, f"消费提示：{tip.title}")
        self.template.setCurrentIndex(index)
        self.template.blockSignals(False)
        self.error.show_error("")
        self.pages_label.setText(f"已保存为模板“{tip.title}”")
        self.loaded = self._typed()

    def current_tip(self) -> Tip:
        name = self.template.currentData()
        source = self.desk.documents.tip(name).source
        return self.desk.documents.tip_from_text(name, self.title.text(), self.body.toPlainText(), source)

    def render_preview(self) -> None:
        """Render exactly what will print, in the background (an A3 poster takes a good part of a second);
        the preview shows that PDF. Only the newest rendering is shown while typing."""
        size, kind, desk = self.paper.currentText(), self.template.currentData(), self.desk
        if kind == BULLETIN:
            def make(_p: Progress) -> bytes:
                return desk.documents.bulletin_pdf(size)
        elif kind == DISCLOSURE:
            start, end = picked(self.date_from), picked(self.date_to)

            def make(_p: Progress) -> bytes:
                return desk.disclosure.pdf(start, end, size)
        else:
            try:
                tip = self.current_tip()
            except FieldError as e:
                self.error.show_error(e.message)
                return

            def make(_p: Progress) -> bytes:
                return desk.documents.tip_pdf(tip, size)
        QueryOp(self, lambda p: with_pages(make(p)), lambda made: self.show_pdf(*made, size)).replacing(f"poster-{id(self)}") \
            .failure(lambda e: self.error.show_error(error_text(e))).run_in_background()

    def show_pdf(self, pdf: bytes, drawn: list[QImage], size: str) -> None:
        self.error.show_error("")
        self.pdf = pdf
        self.preview.set_pdf(pdf, drawn)
        self.pages_label.setText(f"{size}，共 {len(self.preview.page_labels)} 页")
