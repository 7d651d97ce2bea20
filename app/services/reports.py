"""Figures: the monthly summary and the hot issues of the last 30 days."""
from __future__ import annotations

import datetime as dt

from app import clock, reports
from app.services.base import Service


class ReportService(Service):
    def monthly(self, month: str) -> dict:
        with self.store.read() as s:
            return reports.monthly(s, month)

    def hot_issues(self, today: dt.date | None = None) -> list[dict]:
        with self.store.read() as s:
            return reports.hot_now(s, today or clock.today())
