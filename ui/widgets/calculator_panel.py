"""The desk calculators inside a case: statutory compensation, limitation, 7-day return."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core import codes, validation
from app.core.errors import FieldError
from ui.widgets.fields import CodeCombo

if TYPE_CHECKING:
    from app.desk import Answer, CalendarService, CaseDetail


def _show(label: QLabel, answer: Answer) -> None:
    parts = [f"<b>{answer.result}</b>"] + [f"<span style='color:#b36b00'>注意：{w}</span>" for w in answer.warnings]
    parts += [f"· {s}" for s in answer.steps]
    parts += [f"<span style='color:#444'>依据{a.law}{a.article}：{a.text}</span>" for a in answer.articles]
    label.setText("<br>".join(parts))


class CalculatorPanel(QScrollArea):
    def __init__(self, case: CaseDetail, calendar: CalendarService, parent: QWidget | None = None):
        super().__init__(parent)
        self.calendar = calendar  # working days for 民法典 §203 (a last day on a holiday moves on)
        self.setWidgetResizable(True)
        inner = QWidget()
        lay = QVBoxLayout(inner)

        box = QGroupBox("惩罚性赔偿（消法第五十五条 / 食品安全法第一百四十八条）")
        form = QFormLayout(box)
        self.price = QLineEdit(f"{case.amount_paid:.2f}" if case.amount_paid else "")
        self.food = QCheckBox("不符合食品安全标准的食品")
        self.food.setChecked(case.category == "food")
        self.loss = QLineEdit()
        self.loss.setPlaceholderText("仅食品：损失（元），可空")
        self.loss.setEnabled(self.food.isChecked())
        self.food.toggled.connect(self.loss.setEnabled)
        self.punitive_result = QLabel()
        button = QPushButton("计算")
        button.clicked.connect(self.calc_punitive)
        form.addRow("价款（元）", self.price)
        form.addRow("", self.food)
        form.addRow("损失（元）", self.loss)
        form.addRow("", button)
        form.addRow(self.punitive_result)
        lay.addWidget(box)

        box = QGroupBox("产品缺陷损害赔偿时效（产品质量法第四十五条，民法典第二百零三条）")
        form = QFormLayout(box)
        self.known = QLineEdit()
        self.known.setPlaceholderText("知道受损的日期，如 2026-05-01")
        purchased = case.purchase_date.isoformat() if case.purchase_date else ""
        self.delivered = QLineEdit(purchased)
        self.limitation_result = QLabel()
        button = QPushButton("计算")
        button.clicked.connect(self.calc_limitation)
        form.addRow("知道受损之日", self.known)
        form.addRow("交付最初消费者之日", self.delivered)
        form.addRow("", button)
        form.addRow(self.limitation_result)
        lay.addWidget(box)

        box = QGroupBox("七日无理由退货（消法第二十五条）")
        form = QFormLayout(box)
        self.channel = CodeCombo(codes.PURCHASE_CHANNEL)
        self.channel.set_code(case.purchase_channel or "online")
        self.received = QLineEdit(purchased)
        self.received.setPlaceholderText("收到商品的日期")
        self.exception = CodeCombo(calendar.RETURN_EXCEPTIONS, blank="（不属于例外）")
        self.return_result = QLabel()
        button = QPushButton("计算")
        button.clicked.connect(self.calc_return)
        row = QHBoxLayout()
        row.addWidget(self.channel)
        row.addWidget(self.exception)
        form.addRow("购买方式 / 例外", row)
        form.addRow("收到商品之日", self.received)
        form.addRow("", button)
        form.addRow(self.return_result)
        lay.addWidget(box)
        for label in (self.punitive_result, self.limitation_result, self.return_result):
            label.setWordWrap(True)
        lay.addStretch(1)
        self.setWidget(inner)

    def _guard(self, label: QLabel, fn) -> None:
        try:
            _show(label, fn())
        except FieldError as e:
            label.setText(f"<span style='color:#c0392b'>{e.message}</span>")

    def calc_punitive(self) -> None:
        def run():
            price = validation.money(self.price.text(), "price", "价款")
            loss = (validation.money(self.loss.text(), "loss", "损失")
                    if self.loss.text().strip() and self.food.isChecked() else None)
            return self.calendar.punitive(price, self.food.isChecked(), loss)

        self._guard(self.punitive_result, run)

    def calc_limitation(self) -> None:
        def run():
            known = validation.date(self.known.text(), "known", "知道受损之日")
            if known is None:
                raise FieldError("known", "请填写知道或者应当知道权益受损的日期")
            delivered = validation.date(self.delivered.text(), "delivered", "交付日期")
            return self.calendar.limitation(known, delivered)

        self._guard(self.limitation_result, run)

    def calc_return(self) -> None:
        def run():
            received = validation.date(self.received.text(), "received", "收到商品之日")
            if received is None:
                raise FieldError("received", "请填写收到商品的日期")
            return self.calendar.no_reason_return(self.channel.code(), received, self.exception.code())

        self._guard(self.return_result, run)
