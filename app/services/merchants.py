"""The merchant registry: merchants, their commitments and delistings."""
from __future__ import annotations

from app import audit, merchants, validation
from app.errors import FieldError
from app.services.base import Service


def _required_date(value: str, field: str, label: str):
    day = validation.date(value, field, label)
    if day is None:
        raise FieldError(field, f"请填写{label}")
    return day


class MerchantService(Service):
    def registry(self, text: str = "") -> list[dict]:
        with self.store.read() as s:
            return merchants.registry(s, text)

    def detail(self, merchant_id: int) -> dict:
        with self.store.read() as s:
            return merchants.detail(s, merchant_id)

    def save(self, data: dict, merchant_id: int | None = None) -> dict:
        with self.store.write() as s:
            m = merchants.save_merchant(s, data, merchant_id)
            audit.record(s, "change", detail=f"经营者登记：{m.name}")
            return {"id": m.id, **merchants.merchant_json(m)}

    def add_commitment(self, merchant_id: int, kind: str, signed_on: str, note: str = "") -> None:
        day = _required_date(signed_on, "signed_on", "签署日期")
        with self.store.write() as s:
            merchants.add_commitment(s, merchant_id, kind, day, note)

    def add_delisting(self, merchant_id: int, product: str, delisted_on: str, reason: str, quantity: str = "",
                      action: str = "", reported_on: str | None = None) -> None:
        day = _required_date(delisted_on, "delisted_on", "退市日期")
        reported = validation.date(reported_on, "reported_on", "报告日期") if reported_on else None
        with self.store.write() as s:
            merchants.add_delisting(s, merchant_id, product, day, reason, quantity, action, reported)

    def suggest(self, text: str) -> list[dict]:
        with self.store.read() as s:
            return merchants.suggest(s, text)
