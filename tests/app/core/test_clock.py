"""app/core/clock.py is the one clock: aware Asia/Shanghai time, and nothing else in app/ or ui/ reads the time."""
import datetime as dt
import re
from pathlib import Path

from app.core import clock

ROOT = Path(__file__).resolve().parent.parent


def test_today_is_the_date_in_shanghai():
    assert clock.now().utcoffset() == dt.timedelta(hours=8)
    assert clock.today() == dt.datetime.now(dt.UTC).astimezone(clock.LOCAL_TZ).date()
    assert clock.utcnow().tzinfo is dt.UTC


def test_no_other_module_reads_the_clock():
    forbidden = re.compile(r"date\.today\(\)|datetime\.now\(|QDate\.currentDate\(\)|QDateTime\.currentDateTime\(\)")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for folder in ("app", "ui") for p in (ROOT / folder).rglob("*.py")
                 if p.name != "clock.py" for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if forbidden.search(line)]
    assert offenders == []
