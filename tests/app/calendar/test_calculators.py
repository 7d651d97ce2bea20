"""Calculators against cases worked out by hand."""
import datetime as dt
from decimal import Decimal as D

import pytest

from app.calendar import calculators
from app.core.errors import FieldError


@pytest.mark.parametrize("price, food, loss, amount", [
    ("99", False, None, "500.00"),        # 3 x 99 = 297 < 500
    ("166.67", False, None, "500.01"),    # 3 x 166.67 = 500.01
    ("1299", False, None, "3897.00"),
    ("0", False, None, "500.00"),
    ("50", True, None, "1000.00"),        # 10 x 50 = 500 < 1000
    ("50", True, "400", "1200.00"),       # 3 x 400 = 1200 > 10 x 50
    ("388", True, "100", "3880.00"),      # 10 x 388 = 3880 > 3 x 100
    ("99.99", True, None, "1000.00"),     # 999.90 < 1000
])
def test_punitive(price, food, loss, amount):
    answer = calculators.punitive(D(price), food, D(loss) if loss else None)
    assert answer.amount == D(amount)
    data = answer.as_json()
    assert data["articles"][0]["article"] == ("第一百四十八条第二款" if food else "第五十五条第一款")
    assert "三倍" in data["articles"][0]["text"]


def test_punitive_rejects_negative():
    with pytest.raises(FieldError):
        calculators.punitive(D("-1"))


def test_limitation_two_years_and_ten_years():
    from app.calendar.deadlines import WorkCalendar

    cal = WorkCalendar()
    today = dt.date(2026, 11, 23)
    assert "尚在诉讼时效内" in calculators.limitation(dt.date(2025, 1, 1), None, today, cal).result
    # 2027-01-01 is New Year's Day (a Friday), then the weekend: 民法典 §203 -> Monday 2027-01-04
    assert "2027-01-04" in calculators.limitation(dt.date(2025, 1, 1), None, today, cal).result
    assert "届满" in calculators.limitation(dt.date(2024, 11, 20), None, today, cal).result
    assert "丧失" in calculators.limitation(dt.date(2026, 1, 1), dt.date(2016, 11, 22), today, cal).result
    still = calculators.limitation(dt.date(2026, 1, 1), dt.date(2016, 11, 22), today, cal, dt.date(2030, 1, 1))
    assert "尚在诉讼时效内" in still.result


def test_seven_day_return():
    today = dt.date(2026, 11, 23)
    assert "最后一天为 2026-11-25" in calculators.no_reason_return("online", dt.date(2026, 11, 18), today).result
    assert "已超过七日" in calculators.no_reason_return("online", dt.date(2026, 11, 15), today).result
    assert "2026-11-23" in calculators.no_reason_return("online", dt.date(2026, 11, 16), today).result
    assert "不适用" in calculators.no_reason_return("store", dt.date(2026, 11, 20), today).result
    assert "鲜活易腐" in calculators.no_reason_return("tv", dt.date(2026, 11, 20), today, "perishable").result


def test_cli_calc(db_url, monkeypatch, capsys):
    import json

    from app.cli import main

    monkeypatch.setenv("LIAISON_DB", db_url)
    assert main(["calc", "punitive", "--price", "99", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["amount"] == "500.00" and data["articles"][0]["law"] == "《中华人民共和国消费者权益保护法》"
    assert main(["calc", "punitive", "--price", "abc"]) == 1
    assert main(["calc", "return", "--channel", "online", "--received", "2026-11-18", "--today", "2026-11-23"]) == 0
    assert "2026-11-25" in capsys.readouterr().out
