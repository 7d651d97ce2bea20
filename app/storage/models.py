"""The database schema as SQLAlchemy 2.0 typed models; Alembic migrations create it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.storage import crypto


class AwareDateTime(TypeDecorator):
    """Stores UTC, returns timezone-aware datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to an aware column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


Money = Numeric(12, 2)


class EncryptedText(TypeDecorator):
    """Personal data: AES-GCM with the engine's data key (app/storage/crypto), the column name as associated data.

    Python sees plain text; the database only ever receives `v1:` tokens (or "" for an empty value).
    """

    impl = Text
    cache_ok = True

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    def process_bind_param(self, value, dialect):
        if value is None or value == "":
            return value
        return crypto.attached(dialect).encrypt(value, self.column)

    def process_result_value(self, value, dialect):
        if value is None or value == "":
            return value or ""
        return crypto.attached(dialect).decrypt(value, self.column)


class Base(DeclarativeBase):
    if TYPE_CHECKING:  # each model maps one Table (SQLAlchemy types __table__ as any FromClause)
        __table__: ClassVar[Table]


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Merchant(Base):
    __tablename__ = "merchants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    shop_no: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)


class Consumer(Base):
    """All personal information of a consumer lives here, so encryption at rest is one change."""

    __tablename__ = "consumers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(EncryptedText("consumers.name"), default="")
    phone: Mapped[str] = mapped_column(EncryptedText("consumers.phone"), default="")
    id_number: Mapped[str] = mapped_column(EncryptedText("consumers.id_number"), default="")
    address: Mapped[str] = mapped_column(EncryptedText("consumers.address"), default="")
    # Blind index (app/storage/blind_index): keyed hashes that find a consumer without decrypting anyone.
    name_index: Mapped[str] = mapped_column(String(64), default="", index=True)
    phone_index: Mapped[str] = mapped_column(String(64), default="", index=True)
    phone_tail_index: Mapped[str] = mapped_column(String(64), default="", index=True)
    purged_on: Mapped[dt.date | None] = mapped_column(Date)  # personal data removed after retention
    group: Mapped[str] = mapped_column(String(20), default="none")
    consent_to_share: Mapped[bool] = mapped_column(Boolean, default=False)


# Covering indexes of the monthly figures and hot issues (kept with migration 0016's copy).
REPORT_HOT_COLUMNS = ("kind", "received_day", "merchant_id", "product", "brand", "category", "nature", "case_no")
REPORT_PERIOD_COLUMNS = ("kind", "received_day", "channel", "state", "outcome", "was_accepted", "decided_on",
                         "acceptance_due", "mediation_due", "outcome_on", "paused_since", "fast_track", "satisfaction",
                         "amount_recovered", "advance_paid")
NOTICE_UNSENT = "notice_sent_on IS NULL AND notice_due IS NOT NULL"  # the work list's notices (migration 0017)


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    received_day: Mapped[dt.date] = mapped_column(Date)  # local (Asia/Shanghai) day of receipt
    channel: Mapped[str] = mapped_column(String(20))
    consumer_id: Mapped[int] = mapped_column(ForeignKey("consumers.id"))
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id"))
    category: Mapped[str] = mapped_column(String(30), default="")
    nature: Mapped[str] = mapped_column(String(30), default="")
    product: Mapped[str] = mapped_column(String(200), default="")
    brand: Mapped[str] = mapped_column(String(100), default="")
    purchase_date: Mapped[dt.date | None] = mapped_column(Date)
    purchase_channel: Mapped[str] = mapped_column(String(20), default="")
    amount_paid: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    amount_claimed: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    facts: Mapped[str] = mapped_column(Text, default="")
    demands: Mapped[str] = mapped_column(String(200), default="")  # comma-separated demand codes
    state: Mapped[str] = mapped_column(String(20))
    rule_set: Mapped[str] = mapped_column(String(40))
    acceptance_due: Mapped[dt.date | None] = mapped_column(Date)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    mediation_due: Mapped[dt.date | None] = mapped_column(Date)
    amount_recovered: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    advance_paid: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    fast_track: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str] = mapped_column(String(100))  # 首问责任: who first received the case
    updated_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    # outcome (resolved / failed / terminated / not accepted / referred)
    outcome_on: Mapped[dt.date | None] = mapped_column(Date)
    # What the reports count, kept as the case moves (app/cases/lifecycle.report_facts): the latest outcome
    # state, whether it was ever accepted, the day of its first 受理 / 不予受理 decision.
    outcome: Mapped[str] = mapped_column(String(20), default="")
    was_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome_terms: Mapped[str] = mapped_column(Text, default="")  # agreed terms of a mediation agreement
    remedy: Mapped[str] = mapped_column(String(100), default="")  # comma-separated REMEDY codes
    ground_code: Mapped[str] = mapped_column(String(40), default="")  # Art. 16 / Art. 23 ground
    referred_to: Mapped[str] = mapped_column(String(20), default="")  # council | samr
    paused_since: Mapped[dt.date | None] = mapped_column(Date)  # mediation clock stopped since
    # 先行赔付: the point or mall pays first and recovers from the merchant
    advance_payer: Mapped[str] = mapped_column(String(100), default="")
    advance_recovered_on: Mapped[dt.date | None] = mapped_column(Date)
    # 回访 follow-up visit after the outcome
    follow_up_due: Mapped[dt.date | None] = mapped_column(Date)
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    satisfaction: Mapped[str] = mapped_column(String(20), default="")
    follow_up_note: Mapped[str] = mapped_column(Text, default="")
    # 终止调解 / 调解不成: the notice to the parties is due (rule set's `notice` period) until it is printed
    notice_due: Mapped[dt.date | None] = mapped_column(Date)
    notice_sent_on: Mapped[dt.date | None] = mapped_column(Date)
    # The deadline that applies now (due_info's), for sorting; set by a database trigger (migration 0007).
    next_due: Mapped[dt.date | None] = mapped_column(Date)
    seal: Mapped[str | None] = mapped_column(String(64))  # HMAC over the facts a forger would change (app/staff/facts.py)

    consumer: Mapped[Consumer] = relationship(lazy="joined")
    merchant: Mapped[Merchant | None] = relationship(lazy="joined")
    events: Mapped[list[Event]] = relationship(order_by="Event.id", back_populates="case")

    __table_args__ = (
        Index("ix_cases_received", "received_at", "id"),
        Index("ix_cases_received_day", "received_day"),
        # sort and filter indexes (migration 0007)
        Index("ix_cases_next_due", "next_due", "id"),
        Index("ix_cases_state_received", "state", "received_at", "id"),
        Index("ix_cases_state_next_due", "state", "next_due", "id"),
        Index("ix_cases_kind_received", "kind", "received_at", "id"),
        Index("ix_cases_case_no_id", "case_no", "id"),
        Index("ix_cases_category_id", "category", "id"),
        Index("ix_cases_product_id", "product", "id"),
        Index("ix_cases_merchant_id", "merchant_id", "id"),
        Index("ix_cases_consumer_id", "consumer_id"),
        Index("ix_cases_received_day_kind", "received_day", "kind"),
        # the reports read these alone, never the rows with their long facts (migration 0016)
        Index("ix_cases_report_hot", *REPORT_HOT_COLUMNS),
        Index("ix_cases_report_period", *REPORT_PERIOD_COLUMNS),
        # each sort under a state or kind filter (migration 0013)
        Index("ix_cases_state_case_no", "state", "case_no", "id"),
        Index("ix_cases_state_kind_received", "state", "kind", "received_at", "id"),
        Index("ix_cases_state_category", "state", "category", "id"),
        Index("ix_cases_state_product", "state", "product", "id"),
        Index("ix_cases_kind_case_no", "kind", "case_no", "id"),
        Index("ix_cases_kind_state_received", "kind", "state", "received_at", "id"),
        Index("ix_cases_kind_category", "kind", "category", "id"),
        Index("ix_cases_kind_product", "kind", "product", "id"),
        Index("ix_cases_kind_next_due", "kind", "next_due", "id"),
        Index("ix_cases_state_merchant", "state", "merchant_id"),
        Index("ix_cases_kind_merchant", "kind", "merchant_id"),
        # the work list's groups and the 逾期 / 临期 filters (migration 0017)
        Index("ix_cases_notice_unsent", "notice_due", sqlite_where=text(NOTICE_UNSENT),
              postgresql_where=text(NOTICE_UNSENT)),
        # …whose counts of every visit to make and mediation running are read from the index alone (0020)
        Index("ix_cases_follow_up_waiting", "follow_up_on", "follow_up_due", "state", "kind"),
        Index("ix_cases_mediation_running", "state", "mediation_due", "paused_since"),
    )


class Event(Base):
    """One step in a case's history; rows are only ever added."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    reason_code: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # Place and hash in the audit chain (app/staff/audit.py); filled in when the transaction commits.
    chain_seq: Mapped[int | None] = mapped_column(Integer, unique=True, index=True)
    chain_hash: Mapped[str | None] = mapped_column(String(64))

    case: Mapped[Case] = relationship(back_populates="events")


class Pause(Base):
    """A stop of the mediation clock for 检定、检验、检测、鉴定 (the rule set's pause reasons)."""

    __tablename__ = "pauses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    # A code of the rule set's pause reasons; "" (a pause recorded before 0006 that was no appraisal) never counts.
    reason_code: Mapped[str] = mapped_column(String(20), default="")
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)


class MediationSession(Base):
    """One contact or session of the mediation, as the mediator logged it."""

    __tablename__ = "mediation_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    mode: Mapped[str] = mapped_column(String(20))  # on_site | phone | video
    participants: Mapped[str] = mapped_column(String(100))  # comma-separated: consumer, merchant, staff
    offer: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))


class Commitment(Base):
    """A commitment a merchant signed (商品质量安全承诺, 无理由退货, 先行赔付)."""

    __tablename__ = "commitments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    signed_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class Delisting(Base):
    """不合格商品退市: a product taken off sale, and when 市场监管 was told."""

    __tablename__ = "delistings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"), index=True)
    product: Mapped[str] = mapped_column(String(200))
    delisted_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    quantity: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(Text, default="")  # what was done with the goods
    reported_on: Mapped[dt.date | None] = mapped_column(Date)


class WatchNumber(Base):
    """A phone number the point watches (fake after-sales lines and the like)."""

    __tablename__ = "watch_numbers"
    number: Mapped[str] = mapped_column(String(20), primary_key=True)  # digits, as app.validation.phone gives
    note: Mapped[str] = mapped_column(Text, default="")
    added_on: Mapped[dt.date] = mapped_column(Date)


class Phrase(Base):
    """A canned answer (常用语) staff insert into a text box: a short title to find it by, its text, and
    where it applies (app/core/codes.py PHRASE_FOR). The starter set comes with migration 0021."""

    __tablename__ = "phrases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(20), unique=True)
    body: Mapped[str] = mapped_column(Text)
    applies_to: Mapped[str] = mapped_column(String(20), default="all")


class CasePhone(Base):
    """Phone numbers a case mentions (merchant phone, numbers in the facts), for the scam watch."""

    __tablename__ = "case_phones"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class CaseCounter(Base):
    """Last sequence number handed out per day of receipt (gap-free numbering)."""

    __tablename__ = "case_counters"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class CalendarYear(Base):
    """A year whose official holiday arrangement staff entered; it overrides the library."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(300), default="")


class CalendarDay(Base):
    __tablename__ = "calendar_days"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)  # False: holiday; True: make-up working day
    note: Mapped[str] = mapped_column(String(100), default="")
    # The year whose arrangement says so: a December make-up day can belong to the next year's arrangement.
    arrangement_year: Mapped[int] = mapped_column(Integer, default=0, index=True)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(AwareDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))  # codes in app/staff/audit.py ACTIONS
    case_no: Mapped[str] = mapped_column(String(40), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    chain_seq: Mapped[int | None] = mapped_column(Integer, unique=True, index=True)
    chain_hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """The last link of the audit chain (one row): shows a cut-off tail, and serialises sealing."""

    __tablename__ = "audit_chain"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    keyed: Mapped[bool] = mapped_column(Boolean, default=True)  # False: still plain SHA-256 (before 0012)


class AuditCheckpoint(Base):
    """The last link a check of the chain found intact (one row), MACed: later checks start after it."""

    __tablename__ = "audit_checkpoint"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class StaffAccount(Base):
    """A member of staff who signs in: display name (李明) is what events and papers carry."""

    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(50), unique=True)
    display: Mapped[str] = mapped_column(String(50), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # staff | supervisor
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id; None: no window sign-in yet
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    os_user: Mapped[str | None] = mapped_column(String(100), unique=True)  # the CLI acts as this account
    failed_tries: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    seal: Mapped[str | None] = mapped_column(String(64))  # HMAC over role, password, links (app/staff/facts.py)


class Correction(Base):
    """One corrected field of a case, with the value before and after (the event carries the reason)."""

    __tablename__ = "corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    field: Mapped[str] = mapped_column(String(40))  # interchange code, e.g. consumer.phone
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")


class DataKeyRecord(Base):
    """Which data key this database was encrypted with, and a check value; never the key itself."""

    __tablename__ = "data_keys"
    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key_check: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC
    shown_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # recovery key shown to staff (UTC)


class MerchantRequest(Base):
    """告知经营者: the merchant was asked to answer the complaint by a date, and what it answered when."""

    __tablename__ = "merchant_requests"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    asked_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    asked_on: Mapped[dt.date] = mapped_column(Date)  # local day the notice was first printed
    reply_due: Mapped[dt.date] = mapped_column(Date, index=True)
    replied_on: Mapped[dt.date | None] = mapped_column(Date)
    reply: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100), default="")


class TrustedPoint(Base):
    """A liaison point whose signed monthly packages this council accepts (its Ed25519 public key)."""

    __tablename__ = "trusted_points"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    public_key: Mapped[str] = mapped_column(String(100))  # base64 of the 32 raw bytes
    name: Mapped[str] = mapped_column(String(200), default="")
    trusted_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)


class RegisteredDocument(Base):
    """The print register (文书登记): one number per document of a case (回执 2026-000123), given when it
    is first made; every print or save of it counts here, a reprint keeps the number and says 补打."""

    __tablename__ = "print_register"
    __table_args__ = (UniqueConstraint("kind", "case_id", name="uq_print_register_kind_case"),
                      UniqueConstraint("prefix", "year", "seq", name="uq_print_register_number"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # receipt | not-accepted | agreement | terminated | referral | …
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(10))  # 回执, 告知, 协议, 转办, 函
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    made_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    prints: Mapped[int] = mapped_column(Integer, default=0)
    first_printed_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)
    first_staff: Mapped[str] = mapped_column(String(100), default="")
    last_printed_at: Mapped[dt.datetime | None] = mapped_column(AwareDateTime)
    last_staff: Mapped[str] = mapped_column(String(100), default="")
    last_to: Mapped[str] = mapped_column(Text, default="")  # the printer or the file


class Attachment(Base):
    """One piece of evidence kept with a case; its bytes are sealed (data key) in attachment_chunks."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))  # the original file name
    label: Mapped[str] = mapped_column(String(20))  # codes.ATTACHMENT_LABEL
    file_type: Mapped[str] = mapped_column(String(10))  # detected from the content: jpeg, png, pdf, …
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))  # of the original bytes: a changed blob is told apart
    added_at: Mapped[dt.datetime] = mapped_column(AwareDateTime)
    staff: Mapped[str] = mapped_column(String(100))
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary)  # sealed PNG, images only


class AttachmentChunk(Base):
    """The sealed bytes of an attachment in pieces of at most 1 MiB (PostgreSQL and SQLite alike)."""

    __tablename__ = "attachment_chunks"
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
