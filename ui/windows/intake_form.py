"""The intake form: register a complaint, consultation or report quickly, keyboard first."""
from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core import clock, codes, validation
from app.core.changes import Changes
from app.core.errors import FieldError, InputError
from app.desk import Desk, MerchantConflict
from ui.dialogs import merchant_conflict
from ui.errors import error_text
from ui.ops import announce
from ui.widgets.fields import (
    CodeCombo,
    ErrorLabel,
    fit_to_screen,
    mark_invalid,
    picked,
    picked_time,
    qdatetime,
    run_modal,
)
from ui.widgets.phrase_picker import attach_phrases

KIND_KEYS = {"complaint": "Alt+1", "consultation": "Alt+2", "report": "Alt+3"}
FACTS_LABELS = {"complaint": "投诉事实", "consultation": "咨询问题", "report": "举报事实"}


class RepeatBox(QMessageBox):
    """可能是重复投诉: link to the open case, register anyway, or back."""

    link: QAbstractButton
    register: QAbstractButton


class IntakeForm(QDialog):
    saved = Signal(str)  # case number
    open_existing = Signal(str)  # an earlier case of the same consumer, to look at

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.saved_case: dict | None = None
        self.setWindowTitle("登记投诉 / 咨询 / 举报")
        fit_to_screen(self, 1100, 860)
        self.linked_case: str | None = None  # "关联到该案": the open case the new contact was added to
        self.errors: dict[str, ErrorLabel] = {}
        self.inputs: dict[str, QWidget] = {}
        self._merchant_hits: dict[str, dict] = {}
        self._build()
        self._connect()
        self._dirty = False
        self._update_kind()
        self.validate()

    # -- layout ------------------------------------------------------------------------------
    def _field(self, form: QFormLayout, code: str, label: str, widget: QWidget) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        lay.addWidget(widget)
        error = ErrorLabel()
        lay.addWidget(error)
        form.addRow(label, box)
        self.inputs[code] = widget
        self.errors[code] = error
        widget.setAccessibleName(label.rstrip("*： "))
        return widget

    def _build(self) -> None:
        self.kind = CodeCombo(codes.KIND)
        self.channel = CodeCombo(codes.CHANNEL)
        wall_now = qdatetime(clock.now().replace(tzinfo=None, microsecond=0))  # Shanghai wall time, as stored
        self.received = QDateTimeEdit(wall_now)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received.setCalendarPopup(True)
        self.received.setMaximumDateTime(wall_now.addSecs(300))
        # Arrow keys and the wheel must not move the receipt time unnoticed: it is now, and changes
        # only after 修改时间 (Ctrl+E) is pressed on purpose.
        self.received.setReadOnly(True)
        self.received.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.received.setToolTip("默认为当前时间；补登以前收到的投诉时按“修改时间”（Ctrl+E）")
        self.edit_time = QPushButton("修改时间(&E)")
        self.edit_time.setToolTip("修改登记时间（Ctrl+E）")
        self.edit_time.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.returning_hint = QLabel()
        self.returning_hint.setWordWrap(True)
        self.returning_hint.setStyleSheet("color:#0b5394; background:#e8f0fe; padding:3px;")
        self.returning_hint.setTextFormat(Qt.TextFormat.RichText)
        self.returning_hint.hide()

        self.c_name = QLineEdit()
        self.c_phone = QLineEdit()
        self.c_phone.setPlaceholderText("手机号或带区号的固定电话")
        self.c_id = QLineEdit()
        self.c_id.setPlaceholderText("可不填")
        self.c_address = QLineEdit()
        self.c_group = CodeCombo(codes.CONSUMER_GROUP)
        self.c_consent = QCheckBox("同意向消保委提供本人个人信息")

        self.m_name = QLineEdit()
        self.m_name.setPlaceholderText("输入店名，已登记的商户会自动提示")
        self.m_uscc = QLineEdit()
        self.m_uscc.setPlaceholderText("18位，可不填")
        self.m_shop = QLineEdit()
        self.m_phone = QLineEdit()
        self.m_address = QLineEdit()
        self.completer_model = QStringListModel(self)
        self.completer = QCompleter(self.completer_model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.m_name.setCompleter(self.completer)

        self.category = CodeCombo(codes.CATEGORY, blank="（请选择）")
        self.nature = CodeCombo(codes.NATURE, blank="（请选择）")
        self.product = QLineEdit()
        self.brand = QLineEdit()
        self.purchase_date = QLineEdit()
        self.purchase_date.setPlaceholderText("如 2026-11-01")
        self.purchase_channel = CodeCombo(codes.PURCHASE_CHANNEL, blank="（未知）")
        self.amount_paid = QLineEdit()
        self.amount_paid.setPlaceholderText("元，如 1299.00")
        self.amount_claimed = QLineEdit()
        self.amount_claimed.setPlaceholderText("元")
        self.facts = QPlainTextEdit()
        self.facts.setTabChangesFocus(True)
        self.facts.setPlaceholderText("何时、何处、买了什么、出了什么问题、与商家协商的经过")
        self.facts.setMinimumHeight(110)
        # A consultation is mostly answered on the spot: the answer typed here closes it on saving and is
        # printed on its receipt; left empty, the consultation stays open (答复并办结 in the case window).
        self.answer = QPlainTextEdit()
        self.answer.setTabChangesFocus(True)
        self.answer.setPlaceholderText("当场答复的，写下给消费者的答复：保存即办结，答复印在咨询回执上。暂不能答复的留空。")
        self.answer.setMinimumHeight(110)
        self.answer.setAccessibleName("当场答复")
        attach_phrases(self.answer, self.desk, "answer")
        self.demand_boxes = {code: QCheckBox(label) for code, label in codes.DEMAND.items()}
        self.fast_track_hint = QLabel()
        self.fast_track_hint.setStyleSheet("color:#1e7e34;")
        self.scam_hint = QLabel()
        self.scam_hint.setWordWrap(True)
        self.scam_hint.setStyleSheet("color:#8a4b00; background:#fff3cd; padding:4px;")
        self.scam_hint.hide()
        self.priority_hint = QLabel()
        self.priority_hint.setStyleSheet("color:#1e7e34; font-weight:bold;")

        head = QFormLayout()
        top = QHBoxLayout()
        kind_label = QLabel("类型(&K)")
        kind_label.setBuddy(self.kind)
        self.kind.setToolTip("Alt+1 投诉　Alt+2 咨询　Alt+3 举报")
        for label, w in ((kind_label, self.kind), ("来源", self.channel), ("登记时间", self.received)):
            top.addWidget(label if isinstance(label, QLabel) else QLabel(label))
            top.addWidget(w)
        top.addWidget(self.edit_time)
        top.addWidget(QLabel("<span style='color:#666'>Alt+1 投诉　Alt+2 咨询　Alt+3 举报</span>"))
        top.addStretch(1)
        top.addWidget(self.priority_hint)

        consumer_box = QGroupBox("消费者")
        cf = QFormLayout(consumer_box)
        self._field(cf, "consumer.name", "姓名", self.c_name)
        self._field(cf, "consumer.phone", "电话", self.c_phone)
        cf.addRow("", self.returning_hint)
        self._field(cf, "consumer.id_number", "身份证号", self.c_id)
        self._field(cf, "consumer.address", "地址", self.c_address)
        self._field(cf, "consumer.group", "特殊群体", self.c_group)
        cf.addRow("", self.c_consent)

        merchant_box = QGroupBox("被投诉经营者")
        mf = QFormLayout(merchant_box)
        self._field(mf, "merchant.name", "名称", self.m_name)
        self._field(mf, "merchant.uscc", "统一社会信用代码", self.m_uscc)
        self._field(mf, "merchant.shop_no", "铺位号", self.m_shop)
        self._field(mf, "merchant.phone", "电话", self.m_phone)
        self._field(mf, "merchant.address", "地址", self.m_address)

        matter_box = QGroupBox("消费事项")
        tf = QFormLayout(matter_box)
        self._field(tf, "category", "投诉类别", self.category)
        self._field(tf, "nature", "投诉性质", self.nature)
        self._field(tf, "product", "商品或服务", self.product)
        self._field(tf, "brand", "品牌", self.brand)
        self._field(tf, "purchase_date", "购买日期", self.purchase_date)
        self._field(tf, "purchase_channel", "购买方式", self.purchase_channel)
        self._field(tf, "amount_paid", "购买金额", self.amount_paid)
        self._field(tf, "amount_claimed", "诉求金额", self.amount_claimed)
        tf.addRow("", self.fast_track_hint)

        facts_box = QGroupBox("事实与诉求")
        ff = QFormLayout(facts_box)
        self.facts_label = QLabel("投诉事实(&F)")
        self.facts_label.setBuddy(self.facts)
        facts_wrap = QWidget()
        fl = QVBoxLayout(facts_wrap)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.facts)
        self.errors["facts"] = ErrorLabel()
        fl.addWidget(self.errors["facts"])
        self.inputs["facts"] = self.facts
        ff.addRow(self.facts_label, facts_wrap)
        demands = QWidget()
        dl = QGridLayout(demands)
        dl.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self.demand_boxes.values()):
            dl.addWidget(box, i // 3, i % 3)
        self.errors["demands"] = ErrorLabel()
        dl.addWidget(self.errors["demands"], 2, 0, 1, 3)
        ff.addRow("诉求", demands)
        self.demands_row = demands
        answer_label = QLabel("当场答复(&D)")
        answer_label.setBuddy(self.answer)
        ff.addRow(answer_label, self.answer)
        self.consumer_box, self.merchant_box, self.matter_box, self.facts_box = (consumer_box, merchant_box,
                                                                               matter_box, facts_box)
        self.consumer_form, self.facts_form = cf, ff

        grid = QGridLayout()
        self.grid = grid  # placed again by kind in _update_kind
        grid.addWidget(consumer_box, 0, 0)
        grid.addWidget(merchant_box, 1, 0)
        grid.addWidget(matter_box, 0, 1)
        grid.addWidget(facts_box, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        from ui.widgets.attachment_panel import AttachmentPanel

        # Evidence brought to the desk: held (checked) until the case is saved, then stored with it.
        self.evidence = AttachmentPanel(self.desk, None, self, compact=True)
        self.evidence.changed.connect(self._mark_dirty)
        self.evidence_box = QGroupBox("证据材料")
        QVBoxLayout(self.evidence_box).addWidget(self.evidence)
        grid.addWidget(self.evidence_box, 2, 0, 1, 2)
        self.setAcceptDrops(True)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存并打印回执 (Ctrl+S)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton("取消 (Esc)", QDialogButtonBox.ButtonRole.RejectRole)
        self.form_error = ErrorLabel()

        # The fields scroll; the buttons and messages below them stay in view on any screen.
        fields = QWidget()
        fields.setLayout(grid)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setWidget(fields)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addLayout(head)
        outer.addWidget(self.scroll_area, 1)
        outer.addWidget(self.scam_hint)
        outer.addWidget(self.form_error)
        outer.addWidget(self.buttons)

        order = [self.kind, self.channel, self.c_name, self.c_phone, self.c_id, self.c_address,
                 self.c_group, self.c_consent, self.m_name, self.m_uscc, self.m_shop, self.m_phone,
                 self.m_address, self.category, self.nature, self.product, self.brand, self.purchase_date,
                 self.purchase_channel, self.amount_paid, self.amount_claimed, self.facts,
                 *self.demand_boxes.values(), self.answer, self.save_button, self.cancel_button]
        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self.c_name.setFocus()

    def _connect(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self.save)
        for code, key in KIND_KEYS.items():
            QShortcut(QKeySequence(key), self).activated.connect(lambda c=code: self.choose_kind(c))
        QShortcut(QKeySequence("Ctrl+E"), self).activated.connect(self.unlock_time)
        self.edit_time.clicked.connect(self.unlock_time)
        self.received.dateTimeChanged.connect(lambda _d: self._mark_dirty())
        self.returning_hint.linkActivated.connect(self._open_earlier)
        from PySide6.QtCore import QTimer as _Timer

        self.phone_timer = _Timer(self, singleShot=True, interval=400)
        self.phone_timer.timeout.connect(self.look_up_phone)
        self.c_phone.textChanged.connect(lambda _t: self.phone_timer.start())
        self.kind.currentIndexChanged.connect(self._update_kind)
        self.c_group.currentIndexChanged.connect(self._update_hints)
        for code, widget in self.inputs.items():
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(lambda _t, c=code: self._changed(c))
                widget.editingFinished.connect(lambda c=code: self._finished(c))
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(lambda c=code: self._changed(c))
            elif isinstance(widget, CodeCombo):
                widget.currentIndexChanged.connect(lambda _i, c=code: self._changed(c))
        for box in self.demand_boxes.values():
            box.toggled.connect(lambda _on: self._changed("demands"))
        self.c_consent.toggled.connect(lambda _on: self._mark_dirty())
        self.answer.textChanged.connect(self._mark_dirty)
        self.answer.textChanged.connect(self._update_save_text)
        self.m_name.textEdited.connect(self._suggest_merchants)
        from PySide6.QtCore import QTimer

        self.scam_timer = QTimer(self, singleShot=True, interval=500)
        self.scam_timer.timeout.connect(self.check_scam)
        for widget in (self.facts, self.m_phone, self.brand):
            signal = widget.textChanged
            signal.connect(lambda *_a: self.scam_timer.start())
        self.completer.activated.connect(self._fill_merchant)

    # -- behaviour -----------------------------------------------------------------------------
    def choose_kind(self, code: str) -> None:
        """Alt+1/2/3: the kind first, then straight to the consumer's name."""
        self.kind.set_code(code)
        self.c_name.setFocus()

    def unlock_time(self) -> None:
        """修改时间: the receipt time becomes editable, on purpose, and says so."""
        self.received.setReadOnly(False)
        self.received.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.received.setStyleSheet("background:#fff3cd;")
        self.received.setFocus()

    def look_up_phone(self) -> None:
        """A full phone typed: the consumer's earlier cases, and the name on record if none is typed yet."""
        phone = self.c_phone.text().strip()
        found = []
        try:
            validation.phone(phone, "consumer.phone", "消费者电话")
            found = self.desk.cases.find_by_phone(phone)
        except FieldError:
            pass
        self.earlier_cases = found
        if not found:
            self.returning_hint.hide()
            return
        links = "　".join(
            f"<a href='{c['case_no']}'>{c['case_no']}</a>（{codes.label(codes.KIND, c['kind'])}，"
            f"{codes.label(codes.STATE, c['state'])}，{c['merchant'] or '—'} {c['product']}）" for c in found[:3])
        more = f"等 {len(found)} 件" if len(found) > 3 else f"{len(found)} 件"
        self.returning_hint.setText(f"该电话有既往案件{more}：{links}")
        self.returning_hint.show()
        name = found[0]["name"]
        if name and not self.c_name.text().strip():
            self.c_name.setText(name)

    def _open_earlier(self, case_no: str) -> None:
        self.open_existing.emit(case_no)

    def ask_repeat(self, similar: list[dict]) -> str:
        """A complaint like an open one: 'link' it to that case, 'register' anyway, or '' to go back."""
        box = self.repeat_box(similar)
        run_modal(box)
        clicked = box.clickedButton()
        return "link" if clicked is box.link else "register" if clicked is box.register else ""

    def repeat_box(self, similar: list[dict]) -> RepeatBox:
        first = similar[0]
        others = f"（另有 {len(similar) - 1} 件）" if len(similar) > 1 else ""
        box = RepeatBox(QMessageBox.Icon.Question, "可能是重复投诉",
                          f"近30日已有同一经营者、同一商品的在办投诉：\n{first['case_no']}（{first['received']} 登记，"
                          f"{codes.label(codes.STATE, first['state'])}，消费者 {first['consumer']}）{others}\n"
                          f"事实：{first['facts'][:80]}\n\n"
                          "“关联到该案”把这次反映记入该案的办理经过，不另立案件；“仍然登记”登记为新案件。",
                          QMessageBox.StandardButton.NoButton, self)
        box.link = box.addButton("关联到该案(&L)", QMessageBox.ButtonRole.AcceptRole)
        box.register = box.addButton("仍然登记(&R)", QMessageBox.ButtonRole.YesRole)
        back = box.addButton("返回修改", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        return box

    def _mark_dirty(self) -> None:
        self._dirty = True

    def _changed(self, code: str) -> None:
        self._dirty = True
        self._check_field(code, final=False)
        if code in ("amount_claimed",):
            self._update_hints()
        self.validate()

    def _finished(self, code: str) -> None:
        self._check_field(code, final=True)
        self.validate()

    def _update_kind(self) -> None:
        kind = self.kind.code()
        short = kind == "consultation"  # a consultation needs only who asks, the question and the answer
        self.merchant_box.setVisible(not short)
        self.matter_box.setVisible(not short)
        self.evidence_box.setVisible(not short or self.evidence.count() > 0)
        self.facts_form.setRowVisible(self.demands_row, not short)
        self.facts_form.setRowVisible(self.answer, short)
        for w in (self.c_id, self.c_address):
            holder = w.parentWidget()
            if holder is not None:
                self.consumer_form.setRowVisible(holder, not short)
        # A consultation: the asker on the left, question and answer beside it at the top, no gaps.
        for box in (self.consumer_box, self.merchant_box, self.matter_box, self.facts_box):
            self.grid.removeWidget(box)
        self.grid.addWidget(self.consumer_box, 0, 0)
        if short:
            self.grid.addWidget(self.facts_box, 0, 1, 2, 1)
            self.grid.setRowStretch(1, 1)
        else:
            self.grid.addWidget(self.merchant_box, 1, 0)
            self.grid.addWidget(self.matter_box, 0, 1)
            self.grid.addWidget(self.facts_box, 1, 1)
            self.grid.setRowStretch(1, 0)
        self.facts_box.setTitle("咨询与答复" if short else "事实与诉求")
        self.facts_label.setText(FACTS_LABELS[kind] + "(&F)")
        self._update_save_text()
        self.facts.setPlaceholderText("消费者问的是什么，如：预付卡商家关门了，余额怎么退？" if short
                                      else "何时、何处、买了什么、出了什么问题、与商家协商的经过")
        required = self.desk.cases.required_fields(kind)
        for code, widget in self.inputs.items():
            form_label = self._label_for(widget)
            if form_label is not None:
                text = form_label.text().rstrip(" *")
                form_label.setText(text + (" *" if code in required else ""))
        self._update_hints()
        self.validate()

    def _update_save_text(self) -> None:
        answered = self.kind.code() == "consultation" and bool(self.answer.toPlainText().strip())
        self.save_button.setText("保存、办结并打印回执 (Ctrl+S)" if answered else "保存并打印回执 (Ctrl+S)")

    def _label_for(self, widget: QWidget):
        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent.layout(), QFormLayout):
            holder = parent
            parent = parent.parentWidget()
            form = parent.layout() if parent is not None else None
            if isinstance(form, QFormLayout):
                label = form.labelForField(holder)
                return label if isinstance(label, QLabel) else None
        return None

    def _update_hints(self) -> None:
        group = self.c_group.code()
        self.priority_hint.setText("绿色通道：优先办理" if group in codes.PRIORITY_GROUPS else "")
        text = ""
        threshold = self.desk.cases.fast_track_threshold(self.kind.code(), self.amount_claimed.text())
        if threshold is not None:
            text = f"诉求金额不超过{threshold}元：建议小额纠纷快速处理，当日办结"
        self.fast_track_hint.setText(text)

    def _check_field(self, code: str, final: bool) -> str:
        """Check one field the way app/ will on save; show the message under it."""
        message = ""
        value = self._value(code)
        complete_at = self.desk.cases.COMPLETE_AT.get(code)
        try:
            if complete_at is not None and value and (final or len(value) >= complete_at):
                self.desk.cases.check_field(code, value, picked(self.received))
        except FieldError as e:
            message = e.message
        if code in self.errors:
            self.errors[code].show_error(message)
            mark_invalid(self.inputs.get(code, self.errors[code]), bool(message))
        return message

    def _value(self, code: str):
        widget = self.inputs.get(code)
        if isinstance(widget, QLineEdit):
            return widget.text().strip()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText().strip()
        if isinstance(widget, CodeCombo):
            return widget.code()
        return ""

    def missing(self) -> list[str]:
        """Required fields still empty, by the same rule app/cases/intake.py applies on save."""

        def filled(code: str) -> bool:
            if code == "demands":
                return any(b.isChecked() for b in self.demand_boxes.values())
            return bool(self._value(code))

        return [code for code, _message in self.desk.cases.missing(self.kind.code(), filled)]

    def validate(self) -> bool:
        """Save is possible when every required field is filled and no field shows an error."""
        has_errors = any(label.text() and label.text() != "必填" for label in self.errors.values())
        ok = not self.missing() and not has_errors
        self.save_button.setEnabled(ok)
        if ok:
            self.form_error.show_error("")  # the hint about the last try goes once it is answered
        names = {"consumer.name": "消费者姓名", "consumer.phone": "消费者电话", "merchant.name": "经营者名称",
                 "category": "投诉类别", "nature": "投诉性质", "facts": FACTS_LABELS[self.kind.code()], "demands": "诉求"}
        missing = self.missing()
        self.save_button.setToolTip("尚未填写：" + "、".join(names[m] for m in missing) if missing else "")
        return ok

    def check_scam(self) -> None:
        """Warn when a number typed here is watched or recurs with other brands (scam watch)."""
        found = self.desk.scams.check(self.facts.toPlainText(), self.m_phone.text(), self.brand.text())
        self.scam_hint.setText("注意：" + "；".join(found) if found else "")
        self.scam_hint.setVisible(bool(found))

    def _suggest_merchants(self, text: str) -> None:
        hits = self.desk.merchants.suggest(text) if len(text.strip()) >= 1 else []
        self._merchant_hits = {m["name"]: m for m in hits}
        self.completer_model.setStringList(list(self._merchant_hits))

    def _fill_merchant(self, name: str) -> None:
        m = self._merchant_hits.get(name)
        if not m:
            return
        self.m_name.setText(m["name"])
        for widget, key in ((self.m_uscc, "uscc"), (self.m_shop, "shop_no"), (self.m_phone, "phone"),
                            (self.m_address, "address")):
            if m[key] and not widget.text():
                widget.setText(m[key])

    def to_json(self) -> dict:
        received = picked_time(self.received)
        return {
            "kind": self.kind.code(),
            "channel": self.channel.code(),
            "received_at": received.replace(tzinfo=clock.LOCAL_TZ, second=0, microsecond=0).isoformat(),
            "consumer": {"name": self._value("consumer.name"), "phone": self._value("consumer.phone"),
                         "id_number": self._value("consumer.id_number"),
                         "address": self._value("consumer.address"), "group": self.c_group.code(),
                         "consent_to_share": self.c_consent.isChecked()},
            "merchant": {"name": self._value("merchant.name"), "uscc": self._value("merchant.uscc"),
                         "shop_no": self._value("merchant.shop_no"), "phone": self._value("merchant.phone"),
                         "address": self._value("merchant.address")},
            "category": self.category.code(),
            "nature": self.nature.code(),
            "product": self._value("product"),
            "brand": self._value("brand"),
            "purchase_date": self._value("purchase_date") or None,
            "purchase_channel": self.purchase_channel.code(),
            "amount_paid": self._value("amount_paid") or "0",
            "amount_claimed": self._value("amount_claimed") or "0",
            "facts": self._value("facts"),
            "demands": [c for c, b in self.demand_boxes.items() if b.isChecked()],
        }

    def save(self) -> None:
        if self.evidence.busy:  # files still being checked would be left out of the case
            self.form_error.show_error("正在检查证据材料，请稍候再保存。")
            return
        if not self.save_button.isEnabled():
            missing = self.missing()
            for code in missing:
                if code in self.errors:
                    self.errors[code].show_error("必填")
            self.form_error.show_error("请先填写带 * 的必填项并改正红色提示的内容。")
            return
        data = self.to_json()
        if data["kind"] == "complaint":
            similar = self.desk.cases.similar_open(data["merchant"]["name"], data["product"],
                                                   picked(self.received))
            if similar:
                answer = self.ask_repeat(similar)
                if not answer:
                    return
                if answer == "link":
                    self.link_to(similar[0]["case_no"], data)
                    return
        try:
            case = self.add_case(data)
            if case is None:
                return
        except InputError as e:
            for err in e.errors:
                label = self.errors.get(err.field)
                if label is not None:
                    label.show_error(err.text(window=True))
            self.form_error.show_error("未保存：" + "；".join(error_text(err) for err in e.errors))
            return
        except FieldError as e:  # refused as a whole (a restore in progress): what was typed stays in the form
            self.form_error.show_error("未保存：" + error_text(e))
            return
        answer = self.answer.toPlainText().strip() if data["kind"] == "consultation" else ""
        if answer:  # answered on the spot: closed with the answer, which its receipt then prints
            try:
                case = self.desk.cases.move(case["case_no"], "closed", reason=answer)
            except (InputError, FieldError) as e:
                QMessageBox.warning(self, "答复未记录", f"咨询已登记（{case['case_no']}），但答复未能记录："
                                    f"{error_text(e)}\n请在案件中按“答复并办结”补记。")
        self.saved_case = case
        self._dirty = False
        if self.evidence.pending:
            self._attach_then_close(case["case_no"])
            return
        self.saved.emit(case["case_no"])
        self.accept()

    def _attach_then_close(self, case_no: str) -> None:
        """The files held while typing are stored with the new case (in the background) before its receipt
        is made, so the receipt's 材料清单 lists them."""
        from ui.ops import QueryOp

        by_label: dict[str, list[tuple[str, bytes]]] = {}
        for name, data, label, _thumb in self.evidence.pending:
            by_label.setdefault(label, []).append((name, data))
        self.save_button.setEnabled(False)

        def finish() -> None:
            self.evidence.pending.clear()
            self.saved.emit(case_no)
            self.accept()

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, "附件未保存", f"案件 {case_no} 已登记，但附件未保存：{error_text(exc)}\n"
                                                   "请在案件窗口的“证据材料”中重新添加。")
            finish()

        QueryOp(self, lambda _p: [self.desk.attachments.add(case_no, files, label) for label, files in by_label.items()],
                lambda _r: finish()).failure(failed).with_progress("正在保存证据材料…").run_in_background()

    # Files dropped anywhere on the form go to the evidence strip.
    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's naming
        self.evidence.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        self.evidence.dropEvent(event)

    def add_case(self, data: dict) -> dict | None:
        """Store the case; a merchant name/USCC that disagrees with the registry is asked about first
        (None: the clerk went back to edit, the field is marked)."""
        try:
            case = merchant_conflict.save_asking(
                lambda m, distinct: self.desk.cases.add(data if m is None else {**data, "merchant": m},
                                                        distinct_merchant=distinct), data.get("merchant"), self)
        except MerchantConflict as conflict:
            label = self.errors.get(conflict.field)
            if label is not None:
                label.show_error(conflict.text(window=True))
            self.form_error.show_error("未保存：" + error_text(conflict))
            return None
        if case is not None:
            announce(Changes.case(case["case_no"]))
        return case

    def link_to(self, case_no: str, data: dict) -> None:
        """关联到该案: this contact goes into the open case's history; no new case is made."""
        from app.core.privacy import mask_name, mask_phone

        who = f"{mask_name(data['consumer']['name'])} {mask_phone(data['consumer']['phone'])}".strip()
        self.desk.cases.add_note(case_no, f"同一经营者、同一商品的投诉再次反映（{who}）：{data['facts']}")
        announce(Changes.case(case_no))
        self.linked_case = case_no
        self._dirty = False
        self.accept()

    def reject(self) -> None:
        if self._dirty and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(self, "放弃登记？", "已填写的内容尚未保存，确定放弃吗？",
                                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard


