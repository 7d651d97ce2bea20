"""The merchant registry: matching a case's merchant to a known one, suggestions while typing."""
from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.cases.intake import MerchantInput
from app.core import clock
from app.core.errors import FieldError
from app.storage.models import Merchant


def _lock(session: Session, key: str) -> None:
    """PostgreSQL: desks registering the same new merchant take turns (the others then find it)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext("merchant:" + key))))


def same_name(a: str, b: str) -> bool:
    """Names that differ only in full/half-width forms or spaces are the same name."""
    def norm(v: str) -> str:
        return "".join(unicodedata.normalize("NFKC", v or "").split())
    return norm(a) == norm(b)


class MerchantConflict(FieldError):
    """The typed USCC belongs to a registered merchant with another name, or the typed name to one with
    another USCC: the desk asks which is meant, nothing is re-attributed silently."""

    def __init__(self, field: str, typed: MerchantInput, registered: Merchant):
        self.typed_name, self.typed_uscc = typed.name, typed.uscc
        self.registered_name, self.registered_uscc = registered.name, registered.uscc or ""
        if field == "merchant.uscc":
            message = (f"统一社会信用代码 {typed.uscc} 已登记为“{registered.name}”，与填写的名称“{typed.name}”不符；"
                       f"请核对：如确为该经营者，请将名称改为“{registered.name}”，否则请改正信用代码")
        else:
            message = (f"名称“{typed.name}”已登记，其统一社会信用代码为 {registered.uscc}，与填写的 {typed.uscc} 不符；"
                       "请核对信用代码；如确为同名的另一家经营者，请在登记界面选择“另一家经营者”")
        super().__init__(field, message)


def conflict(session: Session, data: MerchantInput) -> MerchantConflict | None:
    """Whether the typed name and USCC point at two different registered merchants (or one registered
    under another name)."""
    if data.uscc:
        by_code = session.scalar(select(Merchant).where(Merchant.uscc == data.uscc))
        if by_code is not None:
            if data.name and not same_name(by_code.name, data.name):
                return MerchantConflict("merchant.uscc", data, by_code)
            return None
        if data.name:
            namesake = session.scalar(select(Merchant).where(Merchant.name == data.name, Merchant.uscc.is_not(None),
                                                             Merchant.uscc != data.uscc).order_by(Merchant.id).limit(1))
            if namesake is not None:
                return MerchantConflict("merchant.name", data, namesake)
    return None


def find_or_create(session: Session, data: MerchantInput, distinct: bool = False) -> Merchant | None:
    """The registered merchant with the same USCC (or, lacking one, the same name), else a new one.

    A name/USCC mismatch with the registry raises MerchantConflict, unless `distinct` says the clerk
    confirmed that a merchant with a registered name but another USCC is another legal entity."""
    if not data.name and not data.uscc:
        return None
    _lock(session, data.uscc or data.name)
    found = conflict(session, data)
    if found is not None and not (distinct and found.field == "merchant.name"):
        raise found
    merchant = None
    if data.uscc:
        merchant = session.scalar(select(Merchant).where(Merchant.uscc == data.uscc))
    if merchant is None and data.name:
        merchant = session.scalar(select(Merchant).where(Merchant.name == data.name).order_by(Merchant.id).limit(1))
        if merchant is not None and data.uscc and merchant.uscc and merchant.uscc != data.uscc:
            merchant = None  # same name, different legal entity
    if merchant is None:
        merchant = Merchant(name=data.name, uscc=data.uscc or None, shop_no=data.shop_no, phone=data.phone,
                            address=data.address, created_at=clock.utcnow())
        try:
            with session.begin_nested():  # another desk may have registered the same USCC meanwhile
                session.add(merchant)
                session.flush()
        except IntegrityError:
            merchant = session.scalar(select(Merchant).where(Merchant.uscc == data.uscc)) if data.uscc else None
            if merchant is None:
                raise
        return merchant
    # Fill in what the registry did not know yet; never overwrite what it knows.
    for attr in ("shop_no", "phone", "address"):
        if not getattr(merchant, attr) and getattr(data, attr):
            setattr(merchant, attr, getattr(data, attr))
    if not merchant.uscc and data.uscc:
        merchant.uscc = data.uscc
    return merchant


def suggest(session: Session, text: str, limit: int = 10) -> list[dict]:
    """Known merchants whose name or USCC contains the text, for completion in the intake form."""
    text = (text or "").strip()
    if not text:
        return []
    like = f"%{text}%"
    rows = session.scalars(
        select(Merchant).where(or_(Merchant.name.like(like), Merchant.uscc.like(f"{text.upper()}%")))
        .order_by(Merchant.name).limit(limit)
    )
    return [merchant_json(m) for m in rows]


def merchant_json(m: Merchant | None) -> dict:
    if m is None:
        return {"name": "", "uscc": "", "shop_no": "", "phone": "", "address": ""}
    return {"name": m.name, "uscc": m.uscc or "", "shop_no": m.shop_no, "phone": m.phone, "address": m.address}


# --- the registry (duty 2 of seed 002) ---------------------------------------------------------

def save_merchant(session: Session, data: dict, merchant_id: int | None = None) -> Merchant:
    """Register a merchant or correct one; the USCC is validated and unique."""
    from app.cases.intake import parse_merchant
    from app.core.errors import FieldError

    m = parse_merchant(data)
    if m.uscc:
        other = session.scalar(select(Merchant).where(Merchant.uscc == m.uscc))
        if other is not None and other.id != merchant_id:
            raise FieldError("merchant.uscc", f"统一社会信用代码 {m.uscc} 已登记为“{other.name}”")
    merchant = session.get(Merchant, merchant_id) if merchant_id else None
    if merchant_id and merchant is None:
        raise FieldError("merchant", "没有这个经营者")
    if merchant is None:
        merchant = Merchant(created_at=clock.utcnow())
        session.add(merchant)
    merchant.name, merchant.uscc, merchant.shop_no = m.name, m.uscc or None, m.shop_no
    merchant.phone, merchant.address = m.phone, m.address
    session.flush()
    return merchant


def add_commitment(session: Session, merchant_id: int, kind: str, signed_on: dt.date, note: str = ""):
    from app.core import codes
    from app.core.errors import FieldError
    from app.storage.models import Commitment

    if kind not in codes.COMMITMENT:
        raise FieldError("kind", "承诺种类须为：" + "、".join(f"{k}（{v}）" for k, v in codes.COMMITMENT.items()))
    if signed_on > clock.today():
        raise FieldError("signed_on", "签署日期不能晚于今天")
    session.add(Commitment(merchant_id=merchant_id, kind=kind, signed_on=signed_on, note=note))


def add_delisting(session: Session, merchant_id: int, product: str, delisted_on: dt.date, reason: str,
                  quantity: str = "", action: str = "", reported_on: dt.date | None = None):
    from app.core.errors import FieldError
    from app.storage.models import Delisting

    if not product.strip():
        raise FieldError("product", "请填写退市商品")
    if not reason.strip():
        raise FieldError("reason", "请填写退市原因（如：抽检不合格）")
    if reported_on and reported_on < delisted_on:
        raise FieldError("reported_on", "报告市场监管的日期不能早于退市日期")
    session.add(Delisting(merchant_id=merchant_id, product=product.strip(), delisted_on=delisted_on,
                          reason=reason.strip(), quantity=quantity.strip(), action=action.strip(),
                          reported_on=reported_on))


def _complaint_counts(session: Session, merchant_ids: list[int] | None, since: dt.date) -> dict:
    """Per merchant, app.credit's counts of the last year in one GROUP BY."""
    from sqlalchemy import text

    from app.merchants.credit import REFUSAL_GROUNDS, ComplaintCounts

    def ever(state: str) -> str:
        # Whether the case ever reached this outcome: its stored latest outcome (app/cases/lifecycle.report_facts).
        # A case reaches one outcome at most (an outcome only leads to 办结, and reopening returns to it), so
        # this is what the events say, without reading them: four EXISTS over the events of every case of
        # the year took 7 s at 1M cases.
        return f"c.outcome = '{state}'"

    refusal = ", ".join(f"'{g}'" for g in sorted(REFUSAL_GROUNDS))
    only = ""
    if merchant_ids is not None:
        if not merchant_ids:
            return {}
        only = f"AND c.merchant_id IN ({', '.join(str(int(i)) for i in merchant_ids)})"
    rows = session.execute(text(f"""SELECT merchant_id, count(*),
            coalesce(sum(CASE WHEN failed = 1 THEN 1 ELSE 0 END), 0),
            coalesce(sum(CASE WHEN terminated = 1 AND ground_code IN ({refusal}) THEN 1 ELSE 0 END), 0),
            coalesce(sum(CASE WHEN referred = 1 AND referred_to = 'samr' THEN 1 ELSE 0 END), 0)
        FROM (SELECT c.merchant_id, c.ground_code, c.referred_to,
                     CASE WHEN c.state = 'failed' OR {ever('failed')} THEN 1 ELSE 0 END AS failed,
                     CASE WHEN c.state = 'terminated' OR {ever('terminated')} THEN 1 ELSE 0 END AS terminated,
                     CASE WHEN c.state = 'referred' OR {ever('referred')} THEN 1 ELSE 0 END AS referred
              FROM cases c WHERE c.kind = 'complaint' AND c.received_day >= :since AND c.merchant_id IS NOT NULL
              {only} AND c.state <> 'not_accepted' AND NOT {ever('not_accepted')}) AS r
        GROUP BY merchant_id"""), {"since": since}).all()
    return {mid: ComplaintCounts(int(n), int(f), int(t), int(r)) for mid, n, f, t, r in rows}


@dataclass(frozen=True)
class MerchantRow:
    """One line of the merchant registry: who, how many cases, how they answer, their credit level."""

    id: int
    name: str
    uscc: str  # '' when not known
    shop_no: str
    phone: str
    address: str
    open_cases: int
    replies_on_time: int  # requests of the last year answered by their deadline
    replies_asked: int  # requests of the last year answered or past their deadline
    response_rate: float | None  # percent; None when none counts yet
    complaints_year: int
    score: int
    level: str  # A | B | C | D
    level_label: str
    level_action: str
    level_reasons: tuple[str, ...]

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "uscc": self.uscc, "shop_no": self.shop_no, "phone": self.phone,
                "address": self.address, "open_cases": self.open_cases, "replies_on_time": self.replies_on_time,
                "replies_asked": self.replies_asked, "response_rate": self.response_rate,
                "complaints_year": self.complaints_year, "score": self.score, "level": self.level,
                "level_label": self.level_label, "level_action": self.level_action,
                "level_reasons": list(self.level_reasons)}


def registry(session: Session, text: str = "", today: dt.date | None = None) -> list[MerchantRow]:
    """Merchants with their open cases, complaints in the last year and credit level."""
    from app.merchants.credit import WINDOW_DAYS, ComplaintCounts, credit_level
    from app.merchants.requests import rate, records_by_merchant, response
    from app.storage.models import Case, Commitment, Delisting

    today = today or clock.today()
    since = today - dt.timedelta(days=WINDOW_DAYS)
    query = select(Merchant).order_by(Merchant.name)
    if text.strip():
        query = query.where(or_(Merchant.name.like(f"%{text.strip()}%"), Merchant.uscc.like(f"%{text.strip().upper()}%"),
                                Merchant.shop_no.like(f"%{text.strip()}%")))
    merchants = list(session.scalars(query))
    ids = [m.id for m in merchants]
    complaints = _complaint_counts(session, ids if text.strip() else None, since)
    open_counts = dict(session.execute(
        select(Case.merchant_id, func.count(Case.id)).where(Case.state.in_(("registered", "accepted", "mediating")))
        .group_by(Case.merchant_id)).all())
    commitments = dict(session.execute(select(Commitment.merchant_id, func.count(Commitment.id))
                                       .group_by(Commitment.merchant_id)).all())
    delist: dict[int, list[dt.date]] = {}
    for mid, day in session.execute(select(Delisting.merchant_id, Delisting.delisted_on)):
        delist.setdefault(mid, []).append(day)
    requests = records_by_merchant(session, ids)
    out = []
    for m in merchants:
        counted = complaints.get(m.id, ComplaintCounts(0, 0, 0, 0))
        asked_of = requests.get(m.id, [])
        level = credit_level(counted, delist.get(m.id, []), commitments.get(m.id, 0), today, asked_of)
        on_time, asked = response([r for r in asked_of if r.asked_on >= since], today)
        out.append(MerchantRow(m.id, m.name, m.uscc or "", m.shop_no, m.phone, m.address, open_counts.get(m.id, 0),
                               on_time, asked, rate(on_time, asked), counted.recent, level.score, level.level,
                               level.label, level.action, tuple(level.reasons)))
    return out


@dataclass(frozen=True)
class MerchantCommitment:
    kind: str  # codes.COMMITMENT
    label: str
    signed_on: dt.date
    note: str


@dataclass(frozen=True)
class MerchantDelisting:
    product: str
    delisted_on: dt.date
    reason: str
    quantity: str
    action: str
    reported_on: dt.date | None  # reported to market regulation


@dataclass(frozen=True)
class MerchantCase:
    case_no: str
    received: dt.date
    state: str  # codes.STATE
    product: str
    consumer: str  # masked


@dataclass(frozen=True)
class MerchantDetail(MerchantRow):
    """One merchant in full: its registry line, commitments, delistings and complaint history (masked)."""

    commitments: tuple[MerchantCommitment, ...]
    delistings: tuple[MerchantDelisting, ...]
    cases: tuple[MerchantCase, ...]  # newest first

    def as_json(self) -> dict:
        return {**super().as_json(),
                "commitments": [{"kind": c.kind, "label": c.label, "signed_on": c.signed_on.isoformat(),
                                 "note": c.note} for c in self.commitments],
                "delistings": [{"product": d.product, "delisted_on": d.delisted_on.isoformat(), "reason": d.reason,
                                "quantity": d.quantity, "action": d.action,
                                "reported_on": d.reported_on.isoformat() if d.reported_on else None}
                               for d in self.delistings],
                "cases": [{"case_no": c.case_no, "received": c.received.isoformat(), "state": c.state,
                           "product": c.product, "consumer": c.consumer} for c in self.cases]}


def detail(session: Session, merchant_id: int, today: dt.date | None = None) -> MerchantDetail:
    """One merchant: its commitments, delistings, complaint history (masked) and level."""
    from app.core import codes
    from app.core.errors import FieldError
    from app.core.privacy import mask_name
    from app.storage.models import Case, Commitment, Delisting

    m = session.get(Merchant, merchant_id)
    if m is None:
        raise FieldError("merchant", "没有这个经营者")
    row = next(r for r in registry(session, today=today) if r.id == merchant_id)
    commitments = tuple(MerchantCommitment(c.kind, codes.COMMITMENT[c.kind], c.signed_on, c.note)
                        for c in session.scalars(select(Commitment).where(Commitment.merchant_id == merchant_id)
                                                 .order_by(Commitment.signed_on)))
    delistings = tuple(MerchantDelisting(d.product, d.delisted_on, d.reason, d.quantity, d.action, d.reported_on)
                       for d in session.scalars(select(Delisting).where(Delisting.merchant_id == merchant_id)
                                                .order_by(Delisting.delisted_on)))
    cases = tuple(MerchantCase(c.case_no, c.received_day, c.state, c.product, mask_name(c.consumer.name))
                  for c in session.scalars(select(Case).where(Case.merchant_id == merchant_id)
                                           .order_by(Case.received_at.desc())))
    return MerchantDetail(**_fields_of(row), commitments=commitments, delistings=delistings, cases=cases)


def _fields_of(row: MerchantRow) -> dict:
    """A row's fields by name (shallow: its tuples are shared, not copied)."""
    return {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
