"""The scam watch: numbers the point watches, and warnings for numbers typed at intake."""
from __future__ import annotations

from pathlib import Path

from app import audit, scam_watch, validation
from app.errors import FieldError
from app.services.base import Service


class ScamService(Service):
    def check(self, facts: str, merchant_phone: str = "", brand: str = "") -> list[str]:
        """Warnings for the numbers in what is being typed at intake."""
        phone = ""
        if merchant_phone.strip():
            try:
                phone = validation.phone(merchant_phone, "merchant.phone", "经营者电话")
            except FieldError:
                phone = ""
        with self.store.read() as s:
            return scam_watch.warnings(s, scam_watch.numbers_in(facts, phone), brand.strip())

    def watch(self, number: str, note: str = "") -> str:
        with self.store.write() as s:
            digits = scam_watch.watch(s, number, note)
            audit.record(s, "change", detail=f"监控号码 {digits}")
            return digits

    def unwatch(self, number: str) -> None:
        with self.store.write() as s:
            scam_watch.unwatch(s, number)

    def list(self) -> list[dict]:
        with self.store.read() as s:
            return scam_watch.watch_list(s)

    def export(self, path) -> int:
        with self.store.read() as s:
            return scam_watch.export(s, Path(path))
