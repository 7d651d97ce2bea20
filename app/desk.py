"""The front desk over one database: the one facade the window and `liaison` use.

`ui/` imports from app/ only this module (Desk, and the typed values and helpers it hands out) and the
shared vocabulary of app/core (codes, clock, errors, changes, progress, …); tests/test_layout.py holds it
to that. The command line (app/cli/) goes through Desk the same way.
"""
from __future__ import annotations

import functools

from app.calendar import deadlines
from app.calendar.calculators import Answer
from app.calendar.deadlines import RuleSet, WorkCalendar
from app.calendar.service import CalendarService
from app.cases.detail import NO_MERCHANT, CaseDetail, CaseMerchant
from app.cases.phone_lookup import spoken
from app.cases.records import CaseFilter, Cursor
from app.cases.service import CaseRow, CaseService, RetentionService
from app.core import codes
from app.core.progress import Progress
from app.district.service import CouncilService
from app.evidence.service import AttachmentService
from app.evidence.upload_server import TOKEN_MINUTES, UploadServer
from app.ledger import exchange
from app.ledger.exchange import ImportRejected
from app.ledger.service import LedgerService
from app.merchants.registry import MerchantConflict, MerchantDetail, MerchantRow
from app.merchants.requests import ReplyStatus
from app.merchants.service import DisclosureService, MerchantRequestService, MerchantService, ScamService
from app.phrases.rules import Phrase
from app.phrases.service import PhraseService
from app.point import settings
from app.point.posters import Tip
from app.point.service import SettingsService
from app.printing.render import PageImage, page_images, page_sizes
from app.printing.service import DocumentService
from app.reports.print_register import COLUMNS as REGISTER_COLUMNS
from app.reports.service import ReportService, WorklistService
from app.reports.worklist import Tally, WorkItem, Worklist, tally_text
from app.staff.audit import ACTIONS as AUDIT_ACTIONS
from app.staff.audit import TrailFilter
from app.staff.identity import SUPERVISOR_ONLY, only_supervisor
from app.staff.service import AccountService, AuditService
from app.storage.db import Store, demo_url
from app.storage.service import BackupService, KeyService

__all__ = [
    "AUDIT_ACTIONS", "NO_MERCHANT", "REGISTER_COLUMNS", "TOKEN_MINUTES", "AccountService", "Answer",
    "AttachmentService", "AuditService", "BackupService", "CalendarService", "CaseDetail", "CaseFilter",
    "CaseMerchant", "CaseRow", "CaseService", "CouncilService",
    "Cursor", "Desk", "DisclosureService", "DocumentService", "ImportRejected", "KeyService", "LedgerService",
    "MerchantConflict", "MerchantDetail", "MerchantRequestService", "MerchantRow", "MerchantService", "PageImage",
    "Phrase", "PhraseService", "ReportService",
    "ReplyStatus", "RetentionService", "RuleSet", "SUPERVISOR_ONLY", "ScamService", "SettingsService", "Tip", "TrailFilter",
    "UploadServer", "Tally", "WorkCalendar", "WorkItem", "Worklist", "WorklistService", "only_supervisor", "tally_text",
    "page_images", "page_sizes", "spoken",
    "vocabulary",
]


class Desk:
    """Like Anki's Collection: `desk.cases.add(...)`, `desk.documents.receipt_pdf(...)`, …"""

    def __init__(self, store: Store):
        self.store = store
        self.accounts = AccountService(store)
        self.cases = CaseService(store)
        self.calendar = CalendarService(store)
        self.settings = SettingsService(store)
        self.merchants = MerchantService(store)
        self.scams = ScamService(store)
        self.documents = DocumentService(store)
        self.ledger = LedgerService(store)
        self.reports = ReportService(store)
        self.audit = AuditService(store)
        self.backup = BackupService(store)
        self.keys = KeyService(store)
        self.retention = RetentionService(store)
        self.merchant_requests = MerchantRequestService(store)
        self.council = CouncilService(store)
        self.disclosure = DisclosureService(store)
        self.worklist = WorklistService(store)
        self.attachments = AttachmentService(store)
        self.phrases = PhraseService(store)

    @classmethod
    def open(cls, url: str | None = None) -> Desk:
        """The desk on a database (URL or SQLite path; default: the embedded one), migrated to this version."""
        return cls(Store(url))

    @classmethod
    def open_demo(cls, progress: Progress | None = None) -> Desk:
        """演示模式: the separate demo database, filled with fictitious cases the first time."""
        from app.cases import demo

        desk = cls.open(demo_url())
        if desk.cases.count(CaseFilter()) == 0:
            demo.generate(desk.store, 300, progress=progress)
        demo.sign_in_member(desk.store)  # 演示员, a supervisor of the demo data only (why: app/cases/demo.py)
        return desk


# Field codes of errors raised by app/ that no table below names, as the clerk knows the field.
MORE_FIELDS: dict[str, str] = {
    "state": "状态", "reason": "理由", "reason_code": "法定情形", "terms": "协议内容", "remedy": "处理方式",
    "remedies": "处理方式", "referred_to": "移送对象", "at": "时间", "mode": "调解方式", "participants": "参加人",
    "offer": "调解方案", "answer": "答复", "note": "备注", "satisfaction": "满意度", "follow_up": "回访",
    "actor": "经办人", "to": "接手的工作人员", "amount": "金额", "payer": "支付方", "advance_payer": "先行赔付支付方",
    "recovered_on": "追偿日期", "name": "名称", "merchant": "经营者", "signed_on": "签订日期",
    "delisted_on": "退市日期", "reported_on": "报告日期", "file": "文件", "db": "数据库", "calendar": "节假日安排",
    "title": "标题", "body": "正文", "month": "月份", "period": "期间", "case": "案件", "cases": "案件",
    "accepted": "受理日期", "price": "价格", "exception": "例外情形", "stdin": "输入", "number": "号码",
    "quantity": "数量", "action": "处理情况", "kind_of_commitment": "承诺种类", "answer_given": "答复内容",
    "shop_no": "铺位号", "uscc": "统一社会信用代码", "phone": "电话", "address": "地址", "id_number": "身份证号",
    "phrase.title": "简称", "phrase.body": "内容", "phrase.for": "适用于", "phrase.id": "常用语",
}


@functools.cache
def vocabulary() -> tuple[dict[str, str], dict[str, str]]:
    """(field labels, code labels): every field code and code value an error or a screen may carry,
    with the Chinese a clerk knows it by (the ledger's columns, the settings, the rule sets' grounds)."""

    fields = {**{path: label for label, path in exchange.COLUMNS},
              **{key: spec.label.split("（")[0] for key, spec in settings.KEYS.items()}, **MORE_FIELDS}
    # Every code value a message may mention, with its label (longest first, so `basically_satisfied`
    # is replaced before `satisfied`).
    code_tables = (codes.STATE, codes.KIND, codes.CHANNEL, codes.CONSUMER_GROUP, codes.CATEGORY, codes.NATURE,
                   codes.PURCHASE_CHANNEL, codes.DEMAND, codes.SATISFACTION, codes.MEDIATION_MODE, codes.PARTICIPANT,
                   codes.REMEDY, codes.REFERRAL_TARGET, codes.COMMITMENT)
    code_labels: dict[str, str] = {}
    for rs in deadlines.rule_sets():  # grounds and pause reasons are rule-set data
        code_labels.update(rs.not_accepted.labels())
        code_labels.update(rs.termination.labels())
        code_labels.update(rs.pause.reasons)
    for table in reversed(code_tables):  # earlier tables win: 'phone' reads 电话, 'other' 其他
        code_labels.update(table)
    code_labels.update(fields)
    return fields, code_labels
