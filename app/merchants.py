"""The merchant registry: matching a case's merchant to a known one, suggestions while typing."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.intake import MerchantInput
from app.models import Merchant


def find_or_create(session: Session, data: MerchantInput) -> Merchant | None:
    """The registered merchant with the same USCC (or, lacking one, the same name), else a new one."""
    if not data.name and not data.uscc:
        return None
    merchant = None
    if data.uscc:
        merchant = session.scalar(select(Merchant).where(Merchant.uscc == data.uscc))
    if merchant is None and data.name:
        merchant = session.scalar(select(Merchant).where(Merchant.name == data.name).order_by(Merchant.id).limit(1))
        if merchant is not None and data.uscc and merchant.uscc and merchant.uscc != data.uscc:
            merchant = None  # same name, different legal entity
    if merchant is None:
        merchant = Merchant(name=data.name, uscc=data.uscc or None, shop_no=data.shop_no, phone=data.phone,
                            address=data.address, created_at=dt.datetime.now(dt.UTC))
        session.add(merchant)
        session.flush()
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
