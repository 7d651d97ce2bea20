"""The front desk over one database: one service per concept, as the window and `liaison` use them."""
from __future__ import annotations

from app.calendar.service import CalendarService
from app.cases.service import CaseRow, CaseService, RetentionService
from app.district.service import CouncilService
from app.evidence.service import AttachmentService
from app.ledger.service import LedgerService
from app.merchants.service import DisclosureService, MerchantRequestService, MerchantService, ScamService
from app.point.service import SettingsService
from app.printing.service import DocumentService
from app.reports.service import ReportService, WorklistService
from app.staff.service import AccountService, AuditService
from app.storage.db import Store
from app.storage.service import BackupService, KeyService

__all__ = ["CaseRow", "Desk"]


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
