"""The one clock of the desk: aware time now, and today's date in Asia/Shanghai (the point's zone)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """The current moment, aware, in the point's zone."""
    return dt.datetime.now(LOCAL_TZ)


def utcnow() -> dt.datetime:
    """The current moment, aware, in UTC (what the database stores)."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date at the point (Asia/Shanghai), whatever the machine's zone."""
    return now().date()
