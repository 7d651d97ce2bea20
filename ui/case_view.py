"""A case opened at the desk: every field, the history, mediation, deadlines, calculators, next steps."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import codes
from app.deadlines import rule_set_by_code
from app.desk import Desk
from app.errors import FieldError, InputError
from ui.ask_dialog import AskDialog
from ui.calculator_panel import CalculatorPanel

# State moves: button text, and the fields asked for (None: no question); fields as in ui/ask_dialog.py.
# A choice whose table is "not_accepted" or "termination" lists the grounds of the case's own rule set.
MOVES: dict[str, tuple[str, list | None]] = {
    "accepted": ("受理", None),
    "not_accepted": ("不予受理…", [("choice", "reason_code", "不予受理理由 *", "not_accepted"),
                                   ("memo", "reason", "补充说明", "")]),
    "mediating": ("开始调解", None),
    "resolved": ("调解成功…", [("memo", "terms", "协议内容 *", ""), ("checks", "remedies", "处理方式", codes.REMEDY),
                               ("text", "amount_recovered", "挽回经济损失（元）", "")]),
    "failed": ("调解不成…", [("memo", "reason", "情况说明", "")]),
    "terminated": ("终止调解…", [("choice", "reason_code", "终止情形 *", "termination"),
                                 ("memo", "reason", "补充说明", "")]),
    "referred": ("移送…", [("choice", "referred_to", "移送对象 *", codes.REFERRAL_TARGET),
                           ("memo", "reason", "移送理由 *", "")]),
    "closed": ("办结", None),
}


class CaseView(QDialog):
    changed = Signal(str)

    def __init__(self, desk: Desk, case_no: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.case_no = case_no
        self.setWindowTitle(f"案件 {case_no}")
        self.resize(980, 760)
        self.layout_ = QVBoxLayout(self)
        self.body = QWidget()
        self.layout_.addWidget(self.body)

        moves = QHBoxLayout()
        self.move_buttons: dict[str, QPushButton] = {}
        for state, (label, _spec) in MOVES.items():
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, s=state: self.move(s))
            moves.addWidget(button)
            self.move_buttons[state] = button
        moves.addStretch(1)
        self.layout_.addLayout(moves)

        tasks = QHBoxLayout()
        self.task_buttons: dict[str, QPushButton] = {}
        for key, label in (("mediate", "记录调解…"), ("pause", "暂停计时…"), ("resume", "恢复计时"),
                           ("follow_up", "回访…"), ("advance", "先行赔付…"), ("handover", "移交…"),
                           ("reopen", "重新打开…")):
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, k=key: self.task(k))
            tasks.addWidget(button)
            self.task_buttons[key] = button
        tasks.addStretch(1)
        self.print_button = QPushButton("打印 ▾")
        self.print_menu = QMenu(self)
        self.print_button.setMenu(self.print_menu)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        tasks.addWidget(self.print_button)
        tasks.addWidget(close)
        self.layout_.addLayout(tasks)
        self.refresh()

    # -- display -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.case = case = self.desk.cases.show(self.case_no)
        old = self.body
        self.body = self._build_body(case)
        self.layout_.replaceWidget(old, self.body)
        old.deleteLater()
        allowed = set(case["allowed_moves"])
        for state, button in self.move_buttons.items():
            button.setVisible(state in allowed)
        if case["kind"] == "consultation":
            self.move_buttons["closed"].setText("答复并办结")
        state = case["state"]
        in_clock = state in ("accepted", "mediating")
        outcome = state in ("resolved", "failed", "terminated", "not_accepted", "referred")
        visible = {
            "mediate": in_clock, "pause": in_clock and not case["paused_since"],
            "resume": bool(case["paused_since"]), "follow_up": outcome and case["kind"] != "consultation",
            "advance": case["kind"] == "complaint" and state != "closed", "handover": state != "closed",
            "reopen": state == "closed",
        }
        for key, button in self.task_buttons.items():
            button.setVisible(visible[key])
        self._build_print_menu(case)

    def _build_print_menu(self, c: dict) -> None:
        self.print_menu.clear()
        self.print_actions: dict[str, QAction] = {}
        states = {e["state"] for e in c["events"]}
        options = [("receipt", "登记回执", True),
                   ("not-accepted", "不予受理告知书", "not_accepted" in states),
                   ("agreement", "调解协议书", bool(c["outcome"]["terms"])),
                   ("terminated", "终止调解 / 调解不成告知书", bool({"terminated", "failed"} & states)),
                   ("referral", "转办单", "referred" in states)]
        for kind, label, available in options:
            if available:
                act = self.print_menu.addAction(label)
                act.triggered.connect(lambda _c=False, k=kind: self.print_document(k))
                self.print_actions[kind] = act

    def _build_body(self, c: dict) -> QWidget:
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        state = codes.label(codes.STATE, c["state"])
        head = QLabel(f"<b style='font-size:14pt'>{c['case_no']}</b>　{codes.label(codes.KIND, c['kind'])}　"
                      f"<span style='color:#0b5394'>{state}</span>　首问责任人 {c['owner']}"
                      + ("　<span style='color:#1e7e34'>绿色通道</span>" if c["priority"] else "")
                      + ("　<span style='color:#1e7e34'>小额快速</span>" if c["fast_track"] else ""))
        lay.addWidget(head)
        cur = c["deadlines"]["current"]
        rule = c["deadlines"]["rule_set"]
        if c["paused_since"]:
            lay.addWidget(QLabel(f"<span style='color:#b36b00'>调解计时自 {c['paused_since']} 起暂停</span>"))
        elif cur["due"]:
            style = {"overdue": "color:#b00000;font-weight:bold", "soon": "color:#b36b00;font-weight:bold"}.get(
                cur["level"], "")
            left = cur["working_days_left"]
            text = (f"已逾期 {-left} 个工作日" if left < 0 else "已逾期") if cur["level"] == "overdue" else f"还剩 {left} 个工作日"
            self.due_label = QLabel(f"<span style='{style}'>{cur['what']}：{cur['due']}（{text}）</span>　"
                                    f"依据{rule['name']}（{rule['source']}）")
            self.due_label.setWordWrap(True)
            lay.addWidget(self.due_label)
        for w in c["scam_warnings"]:
            warn = QLabel("防骗提醒：" + w)
            warn.setWordWrap(True)
            warn.setStyleSheet("color:#8a4b00; background:#fff3cd; padding:3px;")
            lay.addWidget(warn)
        for w in c["deadlines"]["warnings"]:
            warn = QLabel(w)
            warn.setStyleSheet("color:#b36b00")
            warn.setWordWrap(True)
            lay.addWidget(warn)
        tabs = QTabWidget()
        tabs.addTab(self._overview(c), "概况")
        tabs.addTab(self._history(c), f"办理经过（{len(c['events'])}）")
        tabs.addTab(self._mediation(c), f"调解记录（{len(c['mediation_log'])}）")
        self.calculator = CalculatorPanel(c, self.desk.calendar.current())
        tabs.addTab(self.calculator, "法律计算")
        self.tabs = tabs
        lay.addWidget(tabs)
        return body

    def _overview(self, c: dict) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        row = QHBoxLayout()
        person = QGroupBox("消费者（完整个人信息，查看已记录）")
        pf = QFormLayout(person)
        con = c["consumer"]
        for label, value in (("姓名", con["name"]), ("电话", con["phone"]), ("身份证号", con["id_number"]),
                             ("地址", con["address"]), ("特殊群体", codes.label(codes.CONSUMER_GROUP, con["group"])),
                             ("同意向消保委提供", "是" if con["consent_to_share"] else "否")):
            pf.addRow(label, self._value(value))
        merchant = QGroupBox("经营者")
        mf = QFormLayout(merchant)
        m = c["merchant"]
        for label, value in (("名称", m["name"]), ("统一社会信用代码", m["uscc"]), ("铺位号", m["shop_no"]),
                             ("电话", m["phone"]), ("地址", m["address"])):
            mf.addRow(label, self._value(value))
        row.addWidget(person)
        row.addWidget(merchant)
        lay.addLayout(row)
        matter = QGroupBox("消费事项与结果")
        tf = QFormLayout(matter)
        out = c["outcome"]
        rows = [
            ("登记时间", c["received_at"][:16].replace("T", " ") + "　" + codes.label(codes.CHANNEL, c["channel"])),
            ("类别 / 性质", f"{codes.label(codes.CATEGORY, c['category'])}　{codes.label(codes.NATURE, c['nature'])}"),
            ("商品或服务", f"{c['product']}　{c['brand']}"),
            ("购买", f"{c['purchase_date'] or ''}　{codes.label(codes.PURCHASE_CHANNEL, c['purchase_channel'])}　"
                     f"金额 {c['amount_paid']}　诉求金额 {c['amount_claimed']}"),
            ("事实", c["facts"]),
            ("诉求", "、".join(codes.label(codes.DEMAND, d) for d in c["demands"])),
        ]
        if out["on"]:
            rows.append(("结果", f"{out['on']}　{codes.label(codes.STATE, c['state'])}"
                                 + (f"　协议：{out['terms']}" if out["terms"] else "")
                                 + (f"　挽回经济损失 ¥{c['amount_recovered']}" if c["amount_recovered"] != "0.00" else "")))
        if c["advance"]["payer"]:
            rows.append(("先行赔付", f"¥{c['advance_paid']}（{c['advance']['payer']}）"
                                     + (f" {c['advance']['recovered_on']} 已追偿" if c["advance"]["recovered_on"]
                                        else " 尚未追偿")))
        fu = c["follow_up"]
        if fu["due"]:
            rows.append(("回访", f"{fu['on']} {codes.label(codes.SATISFACTION, fu['satisfaction'])} {fu['note']}"
                                 if fu["on"] else f"应于 {fu['due']} 前回访"))
        for label, value in rows:
            tf.addRow(label, self._value(value))
        lay.addWidget(matter)
        return page

    def _table(self, headers: list[str], rows: list[list[str]]) -> QTableWidget:
        table = QTableWidget(len(rows), len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, values in enumerate(rows):
            for col, value in enumerate(values):
                table.setItem(r, col, QTableWidgetItem(value))
        table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnsToContents()
        return table

    def _history(self, c: dict) -> QWidget:
        self.history_table = self._table(
            ["时间", "经办人", "状态", "说明"],
            [[e["at"][:16].replace("T", " "), e["staff"], codes.label(codes.STATE, e["state"]), e["note"]]
             for e in c["events"]])
        return self.history_table

    def _mediation(self, c: dict) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.mediation_table = self._table(
            ["时间", "方式", "参加人", "方案", "答复", "备注"],
            [[m["at"][:16].replace("T", " "), codes.label(codes.MEDIATION_MODE, m["mode"]),
              "、".join(codes.label(codes.PARTICIPANT, p) for p in m["participants"]), m["offer"], m["answer"],
              m["note"]] for m in c["mediation_log"]])
        lay.addWidget(self.mediation_table)
        if c["pauses"]:
            lay.addWidget(QLabel("计时暂停：" + "；".join(
                f"{p['from']} 至 {p['to'] or '今'}（{p['reason']}）" for p in c["pauses"])))
        return page

    @staticmethod
    def _value(text: str) -> QLabel:
        label = QLabel(text or "—")
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # -- actions -------------------------------------------------------------------------------
    def _run_dialog(self, dialog: QDialog) -> int:
        """Shows a question; tests replace this to answer it."""
        return dialog.exec()

    def _done(self) -> None:
        self.refresh()
        self.changed.emit(self.case_no)

    def move(self, state: str) -> None:
        label, spec = MOVES[state]
        if spec is None:
            try:
                self.desk.cases.move(self.case_no, state)
            except (InputError, FieldError) as e:
                QMessageBox.warning(self, "无法办理", str(e))
                return
            self._done()
            return

        spec = [(kind, key, text, self._grounds(extra) if extra in ("not_accepted", "termination") else extra)
                for kind, key, text, extra in spec]

        def submit(v: dict):
            self.desk.cases.move(self.case_no, state, reason=v.get("reason", ""), reason_code=v.get("reason_code", ""),
                           terms=v.get("terms", ""), remedies=v.get("remedies"),
                           amount_recovered=v.get("amount_recovered") or None, referred_to=v.get("referred_to", ""))

        dialog = AskDialog(label.rstrip("…"), spec, submit, self)
        if self._run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self._done()

    @staticmethod
    def _need_reason() -> str:
        raise FieldError("reason_code", "请选择暂停理由（等待补交材料等不暂停计时，请记在调解记录的备注中）")

    def _grounds(self, which: str) -> dict[str, str]:
        """The grounds the case's own rule set lists, numbered as in its article."""
        grounds = getattr(rule_set_by_code(self.case["rule_set"]), which)
        return {g.code: f"{g.item}{g.text}" for g in grounds.items}

    def task(self, key: str) -> None:
        no = self.case_no
        specs = {
            "mediate": ("记录调解", [("choice", "mode", "方式 *", codes.MEDIATION_MODE),
                                     ("checks", "participants", "参加人 *", codes.PARTICIPANT),
                                     ("memo", "offer", "方案", ""), ("memo", "answer", "答复", ""),
                                     ("text", "note", "备注", "")],
                        lambda v: self.desk.cases.mediate(no, v["mode"], v["participants"], v["offer"], v["answer"],
                                                          v["note"])),
            "pause": ("暂停调解计时（检定、检验、检测、鉴定期间不计入调解期限）",
                      [("choice", "reason_code", "理由 *", self.case["pause_reasons"]),
                       ("text", "reason", "说明（如：送某检测所检测）", "")],
                      lambda v: self.desk.cases.pause(no, v["reason"], reason_code=v["reason_code"]
                                                      or self._need_reason())),
            "resume": None,
            "follow_up": ("回访", [("choice", "satisfaction", "满意度 *", codes.SATISFACTION),
                                   ("memo", "note", "回访情况", "")],
                          lambda v: self.desk.cases.follow_up(no, v["satisfaction"], v["note"])),
            "advance": ("先行赔付", [("text", "amount", "金额（元） *", ""), ("text", "payer", "支付方 *", ""),
                                     ("text", "recovered_on", "已向经营者追偿的日期（如 2026-11-30，可空）", "")],
                        lambda v: self.desk.cases.record_advance(no, v["amount"], v["payer"], v["recovered_on"] or None)),
            "handover": ("移交首问责任", [("text", "to", "接手的工作人员 *", ""), ("text", "note", "说明", "")],
                         lambda v: self.desk.cases.hand_over(no, v["to"], v["note"])),
            "reopen": ("重新打开（负责人）", [("memo", "reason", "理由 *", "")],
                       lambda v: self.desk.cases.reopen(no, v["reason"])),
        }
        if key == "resume":
            try:
                self.desk.cases.resume(no)
            except (InputError, FieldError) as e:
                QMessageBox.warning(self, "无法办理", str(e))
                return
            self._done()
            return
        title, fields, submit = specs[key]
        dialog = AskDialog(title, fields, submit, self)
        if self._run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self._done()

    def document_pdf(self, kind: str) -> bytes:
        if kind == "receipt":
            return self.desk.documents.receipt_pdf(self.case_no)
        if kind == "referral":
            return self.desk.documents.referral_pdf(self.case_no)
        return self.desk.documents.notice_pdf(kind, self.case_no)

    def print_document(self, kind: str) -> None:
        from ui.pdf_preview import PdfPreview

        try:
            pdf = self.document_pdf(kind)
        except (InputError, FieldError) as e:
            QMessageBox.warning(self, "无法打印", str(e))
            return
        PdfPreview(pdf, f"{kind} {self.case_no}", f"{kind}_{self.case_no}.pdf", self).exec()
