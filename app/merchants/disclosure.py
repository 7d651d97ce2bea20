"""投诉信息公示: per merchant, the complaints of a period and how they ended, for the bulletin board.

Rules (printed on the poster):
- Complaints received in the period about the merchant, by the day of receipt; complaints not
  accepted (不予受理) are not counted against it. Merchants without complaints are not listed.
- 调解 = complaints whose latest outcome is 调解成功, 调解不成 or 终止调解; 成功率 = 调解成功 / 调解.
- 先行赔付 = complaints where the point or the market paid the consumer first (先行赔付 recorded).
- 答复率 = notices to answer (告知经营者) answered by their deadline / notices that count (answered,
  or deadline passed); blank when no notice counts.
- No personal information is shown.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.merchants.requests import rate, records_by_merchant, response
from app.storage.models import Case, Event, Merchant

RULES = __doc__.split("Rules (printed on the poster):\n", 1)[1].strip()
OUTCOMES = ("resolved", "failed", "terminated", "not_accepted", "referred")


@dataclass(frozen=True)
class MerchantLine:
    merchant_id: int
    name: str
    uscc: str
    shop_no: str
    complaints: int
    mediated: int
    resolved: int
    success_rate: float | None
    advance_paid: int
    replies_on_time: int
    replies_asked: int
    response_rate: float | None

    def as_json(self) -> dict:
        return asdict(self)


def lines(session: Session, date_from: dt.date, date_to: dt.date, today: dt.date) -> list[MerchantLine]:
    cases = session.execute(select(Case.id, Case.merchant_id, Case.advance_paid).where(
        Case.kind == "complaint", Case.merchant_id.is_not(None), Case.received_day >= date_from,
        Case.received_day <= date_to)).all()
    ids = [c.id for c in cases]
    outcome: dict[int, str] = {}
    for chunk in range(0, len(ids), 900):
        for case_id, state in session.execute(select(Event.case_id, Event.to_state).where(
                Event.case_id.in_(ids[chunk:chunk + 900]), Event.action.in_(("move", "import"))).order_by(Event.id)):
            if state in OUTCOMES:
                outcome[case_id] = state
    counted = [c for c in cases if outcome.get(c.id) != "not_accepted"]
    by_merchant: dict[int, list] = {}
    for c in counted:
        by_merchant.setdefault(c.merchant_id, []).append(c)
    if not by_merchant:
        return []
    merchants = {m.id: m for m in session.scalars(select(Merchant).where(Merchant.id.in_(list(by_merchant))))}
    requests = records_by_merchant(session, list(by_merchant), date_from, date_to)
    out = []
    for mid, items in by_merchant.items():
        m = merchants[mid]
        mediated = sum(1 for c in items if outcome.get(c.id) in ("resolved", "failed", "terminated"))
        resolved = sum(1 for c in items if outcome.get(c.id) == "resolved")
        on_time, asked = response(requests.get(mid, []), today)
        out.append(MerchantLine(mid, m.name, m.uscc or "", m.shop_no, len(items), mediated, resolved,
                                rate(resolved, mediated), sum(1 for c in items if (c.advance_paid or 0) > 0),
                                on_time, asked, rate(on_time, asked)))
    return sorted(out, key=lambda x: (-x.complaints, x.name, x.merchant_id))
