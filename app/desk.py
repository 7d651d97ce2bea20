"""The front desk over one database: one service per concept, as the window and `liaison` use them."""
from __future__ import annotations

from app.db import Store
from app.services.accounts import AccountService
from app.services.attachments import AttachmentService
from app.services.audit import AuditService
from app.services.backup import BackupService
from app.services.calendar import CalendarService
from app.services.cases import CaseRow, CaseService
from app.services.council import CouncilService
from app.services.disclosure import DisclosureService
from app.services.documents import DocumentService
from app.services.keys import KeyService
from app.services.ledger import LedgerService
from app.services.merchant_requests import MerchantRequestService
from app.services.merchants import MerchantService
from app.services.reports import ReportService
from app.services.retention import RetentionService
from app.services.scams import ScamService
from app.services.settings import SettingsService
from app.services.worklist import WorklistService

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
