"""A case opened at the desk: every field, the history, mediation, deadlines, calculators, next steps."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import clock, codes
from app.core.changes import Changes
from app.core.errors import FieldError, InputError
from app.core.progress import Progress
from app.core.validation import phone_shown
from app.desk import NO_MERCHANT, CaseDetail, Desk, ReplyStatus
from ui.dialogs.ask_dialog import AskDialog
from ui.errors import error_text
from ui.ops import CHANGES, ChangeOp, QueryOp, announce
from ui.widgets.calculator_panel import CalculatorPanel
from ui.widgets.fields import fit_to_screen, run_modal
from ui.widgets.phrase_picker import attach_phrases

# Printouts of a case: (kind for app/, Chinese title for menus, preview titles and file names).
DOCUMENTS = {"receipt": "登记回执", "registration": "登记表", "registration:masked": "登记表（外送副本）",
             "not-accepted": "不予受理告知书", "agreement": "调解协议书",
             "terminated": "终止调解 / 调解不成告知书", "referral": "转办单",
             "not-accepted:masked": "不予受理告知书（外送副本）", "terminated:masked": "终止调解 / 调解不成告知书（外送副本）",
             "merchant-request": "消费投诉告知函"}

# State moves: button text, and the fields asked for (None: no question); fields as in ui/dialogs/ask_dialog.py.
# A choice whose table is "not_accepted" or "termination" lists the grounds of the case's own rule set.
MOVES: dict[str, tuple[str, list | None]] = {
    "accepted": ("受理(&A)", None),
    "not_accepted": ("不予受理(&N)…", [("choice", "reason_code", "不予受理理由 *", "not_accepted"),
                                   ("memo", "reason", "补充说明", "")]),
    "mediating": ("开始调解(&S)", None),
    "resolved": ("调解成功(&G)…", [("memo", "terms", "协议内容 *", ""), ("checks", "remedies", "处理方式", codes.REMEDY),
                               ("text", "amount_recovered", "挽回经济损失（元）", "")]),
    "failed": ("调解不成(&F)…", [("memo", "reason", "情况说明", "")]),
    "terminated": ("终止调解(&T)…", [("choice", "reason_code", "终止情形 *", "termination"),
                                 ("memo", "reason", "补充说明", "")]),
    "referred": ("移送(&R)…", [("choice", "referred_to", "移送对象 *", codes.REFERRAL_TARGET),
                           ("memo", "reason", "移送理由 *", "")]),
    "closed": ("办结(&C)", None),
}
# A consultation is closed by recording the answer given (required, printed on its receipt).
ANSWER = ("答复并办结(&C)…", [("memo", "reason", "给消费者的答复 *", "")])
# What each step will do, said before it is done.
INTROS = {
    "not_accepted": "不予受理后，须书面告知消费者理由和其他解决途径（打印不予受理告知书），回访后办结。",
    "terminated": "终止调解后，须书面告知当事人（打印终止调解告知书），回访后办结。",
    "failed": "调解不成后，须书面告知当事人其他解决途径（打印告知书），回访后办结。",
    "resolved": "记录调解协议后，可打印调解协议书；回访后办结。",
    "referred": "移送后，可打印转办单随案移交；回访后办结。",
    "closed": "答复记入办理经过并印在咨询回执上；办结后只有负责人可以重新打开。",
}
# The text boxes offered 常用语 (ui/widgets/phrase_picker.py): state or task → {field: where it applies}.
PHRASES = {"answer": {"reason": "answer"}, "not_accepted": {"reason": "not_accepted"},
           "resolved": {"terms": "mediation"}, "failed": {"reason": "mediation"}, "terminated": {"reason": "mediation"},
           "mediate": {"offer": "mediation", "answer": "mediation"}}


def with_phrases(dialog: AskDialog, desk: Desk, key: str) -> AskDialog:
    for field, where in PHRASES.get(key, {}).items():
        attach_phrases(dialog.widgets[field], desk, where)
    return dialog


class ConfirmBox(QMessageBox):
    yes: QAbstractButton


def confirm_box(title: str, text: str, ok: str, parent: QWidget | None = None) -> ConfirmBox:
    """The question before a step: `ok` (Alt+Y) does it, 取消 (the default, Alt+N) does not."""
    box = ConfirmBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.yes = box.addButton(f"{ok}(&Y)", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton("取消(&N)", QMessageBox.ButtonRole.RejectRole))
    return box


def answer_intro(case: CaseDetail) -> str:
    """The answer dialog shows the question it answers."""
    return f"咨询问题：{case.facts}\n\n{INTROS['closed']}"


def follow_up_dialog(desk: Desk, case_no: str, parent: QWidget | None = None, whom: str = "") -> AskDialog:
    """The follow-up visit (回访) form of a case; also opened from 今日待办 with 已回访. `whom`: who to
    call, as the caller shows the consumer (in full in the opened case, masked on the start page)."""
    dialog = AskDialog(f"回访　{case_no}", [("choice", "satisfaction", "满意度 *", codes.SATISFACTION),
                                           ("memo", "note", "回访情况", "")],
                       lambda v: _announcing(desk.cases.follow_up(case_no, v["satisfaction"], v["note"]), case_no),
                       parent, ok_text="记录回访",
                       intro=(f"回访对象：{whom}。" if whom else "") + "回访后即可办结本案。")
    attach_phrases(dialog.widgets["note"], desk, "follow_up")
    return dialog


def _announcing(result: dict, case_no: str) -> dict:
    announce(Changes.case(case_no))
    return result


def whom_to_call(name: str, phone: str) -> str:
    return f"{name or '（未留姓名）'}　电话 {phone_shown(phone) or '（未留电话）'}"


def state_open(c: CaseDetail) -> bool:
    return c.state in ("registered", "accepted", "mediating")


def merchant_reply_text(reply: ReplyStatus) -> str:
    """告知经营者 as the overview shows it: asked, due, and the answer or how late it is."""
    text = f"{reply.asked_on} 已告知，应于 {reply.due} 前答复；"
    if reply.replied_on:
        return text + f"{reply.replied_on} 答复（{'按期' if reply.on_time else '逾期'}）：{reply.reply}"
    if reply.level == "overdue":
        return text + "逾期未答复"
    return text + f"尚未答复（还有 {reply.working_days_left} 个工作日）"


def minute(at: dt.datetime) -> str:
    """A moment as the window shows it: 2026-11-02 09:30 (local time)."""
    return at.strftime("%Y-%m-%d %H:%M")


def money(value: Decimal) -> str:
    """An amount as the case JSON writes it: 299.00."""
    return f"{value:.2f}"


def evidence_title(count: int) -> str:
    return f"证据材料（{count}）"


def read_and_open(desk: Desk, case_no: str, parent: QWidget, opened: Callable[[CaseView], None]) -> None:
    """Reads the case and records the viewing off the window's thread (the first reading took 0.4 s on
    a large database), then builds its window and gives it to `opened`. Asked again before the first
    answer came (Enter pressed twice), only the last one opens."""
    from ui.ops import QueryOp

    def read(_progress) -> CaseDetail:
        case = desk.cases.show(case_no)
        desk.cases.record_view(case_no)  # seen once per opening (refreshes after each step are not new views)
        return case

    QueryOp(parent, read, lambda case: opened(CaseView(desk, case_no, parent, case=case))) \
        .replacing(f"open-case-{id(parent)}").run_in_background()


class CaseView(QDialog):

    def __init__(self, desk: Desk, case_no: str, parent: QWidget | None = None, case: CaseDetail | None = None):
        """`case`: the case as desk.cases.show gave it, read (and its viewing recorded) beforehand by
        read_and_open; without it the window reads the case itself."""
        super().__init__(parent)
        self.desk = desk
        self.case_no = case_no
        self.setWindowTitle(f"案件 {case_no}")
        fit_to_screen(self, 1040, 800)
        self.layout_ = QVBoxLayout(self)
        self.body = QWidget()
        self.layout_.addWidget(self.body, 1)
        from ui.widgets.attachment_panel import AttachmentPanel

        # Made once, so the strip (and its watched folder) lives as long as the window; each rebuilt body
        # takes it into its tabs. Ctrl+V and drops work on the whole window, whichever tab is showing.
        self.evidence = AttachmentPanel(desk, case_no, self, shortcut_host=self)
        self.evidence.changed.connect(self._evidence_changed)
        CHANGES.changed.connect(self.on_changes)
        self.evidence.offered.connect(lambda: self.tabs.setCurrentWidget(self.evidence))
        self.setAcceptDrops(True)
        QShortcut(QKeySequence("Ctrl+Tab"), self).activated.connect(lambda: self._next_tab(1))
        QShortcut(QKeySequence("Ctrl+Shift+Tab"), self).activated.connect(lambda: self._next_tab(-1))

        moves = QHBoxLayout()
        self.move_buttons: dict[str, QPushButton] = {}
        for state, (label, _spec) in MOVES.items():
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, s=state: self.move_case(s))
            moves.addWidget(button)
            self.move_buttons[state] = button
        moves.addStretch(1)
        self.layout_.addLayout(moves)

        tasks = QHBoxLayout()
        self.task_buttons: dict[str, QPushButton] = {}
        for key, label in (("mediate", "记录调解(&M)…"), ("pause", "暂停计时(&P)…"), ("resume", "恢复计时(&U)"),
                           ("follow_up", "回访(&V)…"), ("merchant_reply", "经营者答复(&R)…"), ("advance", "先行赔付(&Y)…"), ("handover", "移交(&H)…"),
                           ("reopen", "重新打开(&O)…"), ("correct", "更正(&E)…")):
            button = QPushButton(label)
            button.clicked.connect(lambda _c=False, k=key: self.task(k))
            tasks.addWidget(button)
            self.task_buttons[key] = button
        tasks.addStretch(1)
        self.print_button = QPushButton("打印(&D) ▾")
        self.print_menu = QMenu(self)
        self.print_button.setMenu(self.print_menu)
        close = QPushButton("关闭 (Esc)")
        close.clicked.connect(self.accept)
        tasks.addWidget(self.print_button)
        tasks.addWidget(close)
        self.layout_.addLayout(tasks)
        self.refresh(case)
        if case is None:  # seen once per opening (refreshes after each step are not new views)
            self.desk.cases.record_view(case_no)

    # -- display -------------------------------------------------------------------------------
    def refresh(self, case: CaseDetail | None = None) -> None:
        self.case = case = case if case is not None else self.desk.cases.show(self.case_no)
        old = self.body
        self.body = self._build_body(case)
        tab = self.tabs.currentIndex() if hasattr(self, "tabs") else 0
        self.layout_.replaceWidget(old, self.body)
        old.deleteLater()
        self.tabs.setCurrentIndex(tab)
        allowed = set(case.allowed_moves)
        if case.kind != "consultation" and not case.follow_up.on:
            allowed.discard("closed")  # 办结 comes after the follow-up visit
        for state, button in self.move_buttons.items():
            button.setVisible(state in allowed)
        if case.kind == "consultation":
            self.move_buttons["closed"].setText(ANSWER[0])
            self.move_buttons["closed"].setDefault(True)  # Enter: answer it
        state = case.state
        in_clock = state in ("accepted", "mediating")
        outcome = state in ("resolved", "failed", "terminated", "not_accepted", "referred")
        visible = {
            "mediate": in_clock, "pause": in_clock and not case.paused_since,
            "resume": bool(case.paused_since),
            "follow_up": outcome and case.kind != "consultation" and not case.follow_up.on,
            "advance": case.kind == "complaint" and state != "closed", "handover": state != "closed",
            "reopen": state == "closed",
            "correct": True,
            "merchant_reply": case.deadlines.merchant_reply is not None,
        }
        for key, button in self.task_buttons.items():
            button.setVisible(visible[key])
        self._show_role()
        self._build_print_menu(case)

    def _show_role(self) -> None:
        """A supervisor's task (重新打开) is greyed out for a staff member, saying why; the member may change
        while the window is open (a supervisor unlocks the desk)."""
        from app.desk import only_supervisor

        who = self.desk.accounts.current
        may = who is not None and who.is_supervisor
        reopen = self.task_buttons["reopen"]
        reopen.setEnabled(may)
        reopen.setToolTip("重新打开已办结的案件（理由记入办理经过）" if may else only_supervisor("reopen"))

    def _build_print_menu(self, c: CaseDetail) -> None:
        self.print_menu.clear()
        self.print_actions: dict[str, QAction] = {}
        states = {e.state for e in c.events}
        form = {"consultation": "咨询登记表", "report": "举报登记表"}.get(c.kind, "投诉登记表")
        options = [("receipt", "登记回执", True),
                   ("registration", form, True),
                   ("registration:masked", f"{form}（外送副本，个人信息遮盖）", True),
                   ("not-accepted", "不予受理告知书", "not_accepted" in states),
                   ("agreement", "调解协议书", bool(c.outcome.terms) and c.kind != "consultation"),
                   ("terminated", "终止调解 / 调解不成告知书", bool({"terminated", "failed"} & states)),
                   ("referral", "转办单", "referred" in states),
                   ("referral:images", "转办单（图片附件作为附页）",
                    "referred" in states and any(a["file_type"] in self.desk.attachments.IMAGE_TYPES for a in self.evidence.items)),
                   # the consumer's copy names them in full; a copy that leaves the desk is masked
                   ("not-accepted:masked", "不予受理告知书（外送副本，姓名遮盖）", "not_accepted" in states),
                   ("terminated:masked", "终止调解 / 调解不成告知书（外送副本，姓名遮盖）",
                    bool({"terminated", "failed"} & states)),
                   ("merchant-request", "告知经营者（消费投诉告知函）", c.kind == "complaint" and bool(c.merchant and c.merchant.name)
                    and (state_open(c) or c.deadlines.merchant_reply is not None))]
        for kind, label, available in options:
            if available:
                act = self.print_menu.addAction(label)
                act.triggered.connect(lambda _c=False, k=kind: self.print_document(k))
                self.print_actions[kind] = act

    def _build_body(self, c: CaseDetail) -> QWidget:
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        state = codes.label(codes.STATE, c.state)
        head = QLabel(f"<b style='font-size:14pt'>{c.case_no}</b>　{codes.label(codes.KIND, c.kind)}　"
                      f"<span style='color:#0b5394'>{state}</span>　首问责任人 {c.owner}"
                      + ("　<span style='color:#1e7e34'>绿色通道</span>" if c.priority else "")
                      + ("　<span style='color:#1e7e34'>小额快速</span>" if c.fast_track else ""))
        lay.addWidget(head)
        cur = c.deadlines.current
        rule = c.deadlines.rule_set
        if c.paused_since:
            lay.addWidget(QLabel(f"<span style='color:#b36b00'>调解计时自 {c.paused_since} 起暂停</span>"))
        elif cur.due:
            style = {"overdue": "color:#b00000;font-weight:bold", "soon": "color:#b36b00;font-weight:bold"}.get(
                cur.level, "")
            left = cur.working_days_left or 0  # a due date always comes with the working days left
            text = (f"已逾期 {-left} 个工作日" if left < 0 else "已逾期") if cur.level == "overdue" else f"还剩 {left} 个工作日"
            self.due_label = QLabel(f"<span style='{style}'>{cur.what}：{cur.due}（{text}）</span>　"
                                    f"参照{rule.name}（{rule.source}）")
            self.due_label.setWordWrap(True)
            lay.addWidget(self.due_label)
        reply = c.deadlines.merchant_reply
        if reply and not reply.replied_on:
            style = {"overdue": "color:#b00000;font-weight:bold", "soon": "color:#b36b00;font-weight:bold"}.get(
                reply.level, "")
            left = reply.working_days_left or 0  # an unanswered request always has its working days left
            text = f"已逾期 {-left} 个工作日" if reply.level == "overdue" else f"还剩 {left} 个工作日"
            self.reply_label = QLabel(f"<span style='{style}'>经营者答复期限：{reply.due}（{text}）</span>")
            lay.addWidget(self.reply_label)
        if c.tampered:
            self.tampered_label = QLabel(c.tampered)
            self.tampered_label.setWordWrap(True)
            self.tampered_label.setStyleSheet("color:#ffffff; background:#b00000; padding:4px; font-weight:bold;")
            lay.addWidget(self.tampered_label)
        for w in c.scam_warnings:
            warn = QLabel("防骗提醒：" + w)
            warn.setWordWrap(True)
            warn.setStyleSheet("color:#8a4b00; background:#fff3cd; padding:3px;")
            lay.addWidget(warn)
        for w in c.deadlines.warnings:
            warn = QLabel(w)
            warn.setStyleSheet("color:#b36b00")
            warn.setWordWrap(True)
            lay.addWidget(warn)
        tabs = QTabWidget()
        overview = QScrollArea()
        overview.setWidgetResizable(True)
        overview.setFrameShape(QScrollArea.Shape.NoFrame)
        overview.setWidget(self._overview(c))
        tabs.addTab(overview, "概况")
        tabs.addTab(self._history(c), f"办理经过（{len(c.events)}）")
        if c.kind != "consultation":  # a consultation is answered, never mediated
            tabs.addTab(self._mediation(c), f"调解记录（{len(c.mediation_log)}）")
        self.calculator = CalculatorPanel(c, self.desk.calendar)
        tabs.addTab(self.calculator, "法律计算")
        tabs.addTab(self.evidence, evidence_title(len(c.attachments)))
        self.tabs = tabs
        lay.addWidget(tabs, 1)
        return body

    def _evidence_changed(self) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.evidence), evidence_title(self.evidence.count()))
        self._build_print_menu(self.case)

    # Files dropped anywhere on the case window go to the evidence strip.
    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's naming
        self.evidence.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        self.evidence.dropEvent(event)

    def _next_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _overview(self, c: CaseDetail) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        row = QHBoxLayout()
        person = QGroupBox("消费者（完整个人信息，查看已记录）")
        pf = QFormLayout(person)
        con = c.consumer
        for label, value in (("姓名", con.name), ("电话", phone_shown(con.phone)), ("身份证号", con.id_number),
                             ("地址", con.address), ("特殊群体", codes.label(codes.CONSUMER_GROUP, con.group)),
                             ("同意向消保委提供", "是" if con.consent_to_share else "否")):
            pf.addRow(label, self._value(value))
        merchant = QGroupBox("经营者")
        mf = QFormLayout(merchant)
        m = c.merchant or NO_MERCHANT
        for label, value in (("名称", m.name), ("统一社会信用代码", m.uscc), ("铺位号", m.shop_no),
                             ("电话", phone_shown(m.phone)), ("地址", m.address)):
            mf.addRow(label, self._value(value))
        row.addWidget(person)
        row.addWidget(merchant)
        lay.addLayout(row)
        if c.kind == "consultation":  # who asked, what, and what they were told: nothing about a purchase
            merchant.hide()
            asked = QGroupBox("咨询与答复")
            af = QFormLayout(asked)
            af.addRow("登记时间", self._value(minute(c.received_at) + "　" + codes.label(codes.CHANNEL, c.channel)))
            af.addRow("咨询问题", self._value(c.facts))
            af.addRow("答复", self._value(c.answer or ("（未记录答复）" if c.state != "registered"
                                                       else "尚未答复：按“答复并办结”（Alt+C）记录")))
            lay.addWidget(asked)
            lay.addStretch(1)
            return page
        matter = QGroupBox("消费事项与结果")
        tf = QFormLayout(matter)
        out = c.outcome
        rows = [
            ("登记时间", minute(c.received_at) + "　" + codes.label(codes.CHANNEL, c.channel)),
            ("类别 / 性质", f"{codes.label(codes.CATEGORY, c.category)}　{codes.label(codes.NATURE, c.nature)}"),
            ("商品或服务", f"{c.product}　{c.brand}"),
            ("购买", f"{c.purchase_date or ''}　{codes.label(codes.PURCHASE_CHANNEL, c.purchase_channel)}　"
                     f"金额 {money(c.amount_paid)}　诉求金额 {money(c.amount_claimed)}"),
            ("事实", c.facts),
            ("诉求", "、".join(codes.label(codes.DEMAND, d) for d in c.demands)),
        ]
        if out.on:
            rows.append(("结果", f"{out.on}　{codes.label(codes.STATE, c.state)}"
                                 + (f"　协议：{out.terms}" if out.terms else "")
                                 + (f"　挽回经济损失 ¥{money(c.amount_recovered)}" if c.amount_recovered else "")))
        if c.advance.payer:
            rows.append(("先行赔付", f"¥{money(c.advance_paid)}（{c.advance.payer}）"
                                     + (f" {c.advance.recovered_on} 已追偿" if c.advance.recovered_on else " 尚未追偿")))
        notice = c.notice
        if notice.due:  # the notice that mediation ended is due within the rule set's period
            rows.append(("告知当事人", f"{notice.sent_on} 已打印告知书" if notice.sent_on
                         else f"应于 {notice.due} 前打印告知书送达当事人（打印 ▾ 终止调解 / 调解不成告知书）"))
        reply = c.deadlines.merchant_reply
        if reply:
            rows.append(("告知经营者", merchant_reply_text(reply)))
        fu = c.follow_up
        if c.answer:
            rows.append(("答复", c.answer))
        if fu.due:
            rows.append(("回访", f"{fu.on} {codes.label(codes.SATISFACTION, fu.satisfaction)} {fu.note}"
                                 if fu.on else f"应于 {fu.due} 前回访"))
        if c.check_code:  # read out by the consumer on the phone (电话查询, Ctrl+T)
            rows.append(("查询码", f"{c.check_code[:3]} {c.check_code[3:]}（印在回执上，来电查询时核对）"))
        for label, value in rows:
            shown = self._value(value)
            if label == "查询码":
                shown.setObjectName("check_code")  # data (letters and digits), not words
            tf.addRow(label, shown)
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

    def _history(self, c: CaseDetail) -> QWidget:
        self.history_table = self._table(
            ["时间", "经办人", "状态", "说明"],
            [[minute(e.at), e.staff, codes.label(codes.STATE, e.state), e.note] for e in c.events])
        self._show_corrections(c)
        return self.history_table

    def _show_corrections(self, c: CaseDetail) -> None:
        """A 更正's row shows each field's old and new value (personal data masked when it was recorded),
        one line each, not just its first line cut off."""
        table = self.history_table
        table.setWordWrap(True)
        for row, e in enumerate(c.events):
            if e.action == "correct" and (item := table.item(row, 3)) is not None:
                item.setToolTip(e.note)
                table.resizeRowToContents(row)

    def _mediation(self, c: CaseDetail) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.mediation_table = self._table(
            ["时间", "方式", "参加人", "方案", "答复", "备注"],
            [[minute(m.at), codes.label(codes.MEDIATION_MODE, m.mode),
              "、".join(codes.label(codes.PARTICIPANT, p) for p in m.participants), m.offer, m.answer, m.note]
             for m in c.mediation_log])
        lay.addWidget(self.mediation_table)
        if c.pauses:
            lay.addWidget(QLabel("计时暂停：" + "；".join(
                f"{p.started_on} 至 {p.ended_on or '今'}（{p.reason}）" for p in c.pauses)))
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
        return run_modal(dialog)

    def confirm(self, title: str, text: str, ok: str) -> bool:
        """Ask before a step that cannot simply be undone; the default answer is not to do it."""
        box = confirm_box(title, text, ok, self)
        run_modal(box)
        return box.clickedButton() is box.yes

    def _confirm_text(self, state: str) -> str | None:
        if state == "accepted":
            when = self.desk.calendar.deadlines(self.case.received_at.date(), clock.today()).mediation_due
            return ("受理后，本案进入调解：请通知消费者已受理，并组织双方调解"
                    + (f"；调解期限为 {when}" if when else "") + "。\n确定受理吗？")
        if state == "mediating":
            return None
        if state == "closed":
            return "办结后案件不能再办理，只有负责人可以重新打开。\n确定办结吗？"
        return None

    def _done(self) -> None:
        """After a change to this case: every open screen, this one too, shows it (on_changes)."""
        announce(Changes.case(self.case_no))

    def on_changes(self, changes: Changes) -> None:
        if self.case_no in changes.cases or changes.all_cases or changes.calendar or changes.database:
            self.refresh()
        elif changes.staff:
            self._show_role()

    def move_case(self, state: str) -> None:
        label, spec = MOVES[state]
        if state == "closed" and self.case.kind == "consultation":
            label, spec = ANSWER
        title = label.split("(")[0].rstrip("…")
        if spec is None:
            question = self._confirm_text(state)
            if question and not self.confirm(title, question, title):
                return
            try:
                self.desk.cases.move(self.case_no, state)
            except (InputError, FieldError) as e:
                QMessageBox.warning(self, "无法办理", error_text(e))
                return
            self._done()
            return

        answering = spec is ANSWER[1]
        spec = [(kind, key, text, self._grounds(extra) if extra in ("not_accepted", "termination") else extra)
                for kind, key, text, extra in spec]

        def submit(v: dict):
            if answering and not v.get("reason"):
                raise FieldError("reason", "请写明给消费者的答复（记入办理经过并印在咨询回执上）")
            self.desk.cases.move(self.case_no, state, reason=v.get("reason", ""), reason_code=v.get("reason_code", ""),
                           terms=v.get("terms", ""), remedies=v.get("remedies"),
                           amount_recovered=v.get("amount_recovered") or None, referred_to=v.get("referred_to", ""))

        intro = answer_intro(self.case) if answering else INTROS.get(state, "")
        dialog = with_phrases(AskDialog(title, spec, submit, self, ok_text=title, intro=intro), self.desk,
                              "answer" if answering else state)
        if answering:
            dialog.widgets["reason"].setMinimumHeight(140)
        if self._run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self._done()

    @staticmethod
    def _need_reason() -> str:
        raise FieldError("reason_code", "请选择暂停理由（等待补交材料等不暂停计时，请记在调解记录的备注中）")

    def _grounds(self, which: str) -> dict[str, str]:
        """The grounds the case's own rule set lists, numbered as in its article."""
        grounds = getattr(self.desk.calendar.rule_set(self.case.rule_set), which)
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
                      [("choice", "reason_code", "理由 *", dict(self.case.pause_reasons)),
                       ("text", "reason", "说明（如：送某检测所检测）", "")],
                      lambda v: self.desk.cases.pause(no, v["reason"], reason_code=v["reason_code"]
                                                      or self._need_reason())),
            "resume": None,
            "follow_up": None,
            "advance": ("先行赔付", [("text", "amount", "金额（元） *", ""), ("text", "payer", "支付方 *", ""),
                                     ("text", "recovered_on", "已向经营者追偿的日期（如 2026-11-30，可空）", "")],
                        lambda v: self.desk.cases.record_advance(no, v["amount"], v["payer"], v["recovered_on"] or None)),
            "handover": ("移交首问责任", [("text", "to", "接手的工作人员 *", ""), ("text", "note", "说明", "")],
                         lambda v: self.desk.cases.hand_over(no, v["to"], v["note"])),
            "reopen": ("重新打开（负责人）", [("memo", "reason", "理由 *", "")],
                       lambda v: self.desk.cases.reopen(no, v["reason"])),
            "merchant_reply": ("记录经营者答复", [("memo", "text", "答复内容 *", ""),
                                                  ("text", "at", "答复日期（如 2026-11-30，空为今天）", "")],
                               lambda v: self.desk.merchant_requests.reply(no, v["text"], v["at"] or None)),
        }
        intros = {"reopen": "重新打开后，案件回到办结前的状态继续办理，理由记入办理经过；只有负责人可以重新打开。",
                  "pause": "只有检定、检验、检测、鉴定的时间暂停调解计时；恢复后调解期限顺延。"}
        if key == "follow_up":
            whom = whom_to_call(self.case.consumer.name, self.case.consumer.phone)
            if self._run_dialog(follow_up_dialog(self.desk, no, self, whom)) == QDialog.DialogCode.Accepted:
                self._done()
            return
        if key == "correct":
            from ui.dialogs.correction_dialog import correction_dialog

            if self._run_dialog(correction_dialog(self.desk, self.case, self)) == QDialog.DialogCode.Accepted:
                self._done()
            return
        if key == "resume":
            try:
                self.desk.cases.resume(no)
            except (InputError, FieldError) as e:
                QMessageBox.warning(self, "无法办理", error_text(e))
                return
            self._done()
            return
        spec = specs[key]
        assert spec is not None  # the tasks without a form returned above
        title, fields, submit = spec
        dialog = with_phrases(AskDialog(title, fields, submit, self, ok_text="确定", intro=intros.get(key, "")),
                              self.desk, key)
        if self._run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self._done()

    def document_pdf(self, kind: str) -> bytes:
        return _document_pdf(self.desk, self.case_no, kind)

    def print_document(self, kind: str) -> None:
        """The document made in the background (a referral with images takes seconds), then previewed."""
        from ui.widgets.pdf_preview import PdfPreview, with_pages

        desk, case_no = self.desk, self.case_no

        def shown(made: tuple[bytes, list]) -> None:
            act = self.print_actions.get(kind)
            title = act.text() if act is not None else kind
            name = kind.replace(":", "-")
            run_modal(PdfPreview(made[0], f"{title}　{case_no}", f"{name}_{case_no}.pdf", self,
                                 on_print=lambda where: self._printed(kind, where), drawn=made[1]))

        def make(_p: Progress) -> tuple[bytes, list]:
            return with_pages(_document_pdf(desk, case_no, kind))

        if kind == "merchant-request":  # the first notice starts the merchant's reply deadline: a change
            def requested(made: tuple[bytes, list]) -> None:
                self._done()
                shown(made)

            op: QueryOp[tuple[bytes, list]] = ChangeOp(self, make, Changes.case(case_no), requested)
        else:
            op = QueryOp(self, make, shown)
        op.failure(lambda e: QMessageBox.warning(self, "无法打印", error_text(e))) \
            .with_progress("正在生成文书…").run_in_background()

    def _printed(self, kind: str, where: str) -> None:
        kind, _sep, copy = kind.partition(":")
        self.desk.documents.printed(kind, self.case_no, where, masked=copy == "masked")
        self.refresh()  # printing a notice can meet its deadline


def _document_pdf(desk: Desk, case_no: str, kind: str) -> bytes:
    if kind == "receipt":
        return desk.documents.receipt_pdf(case_no)
    if kind in ("registration", "registration:masked"):
        return desk.documents.registration_pdf(case_no, masked=kind.endswith(":masked"))
    if kind in ("referral", "referral:images"):
        return desk.documents.referral_pdf(case_no, with_images=kind == "referral:images")
    if kind == "merchant-request":
        return desk.merchant_requests.notice_pdf(case_no)
    kind, _sep, copy = kind.partition(":")
    return desk.documents.notice_pdf(kind, case_no, masked=copy == "masked")
