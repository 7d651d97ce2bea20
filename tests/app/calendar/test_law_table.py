"""Hand-worked deadlines and calculator answers, each run through app/ and through the `liaison` command.

Worked by hand from the State Council's 2026 arrangement (rest: 1-1~1-3, 2-15~2-23, 4-4~4-6, 5-1~5-5,
6-19~6-21, 9-25~9-27, 10-1~10-7; make-up working days: Sun 1-4, Sat 2-14, Sat 2-28, Sat 5-9, Sun 9-20,
Sat 10-10) and, for 2027 (no arrangement yet), the statutory days with the substitute days the law
requires (1-1; 2-5~2-8 plus 2-9, 2-10 for the weekend; 4-5; 5-1, 5-2 plus 5-3, 5-4; 6-9; 9-15;
10-1~10-3 plus 10-4, 10-5). The day of the event is not counted; a calendar-day period ending on a
rest day ends on the next working day (民法典 §201–203).
"""
import datetime as dt
import json

import pytest

from app.calendar import calculators
from app.cli import main
from app.desk import Desk
from app.storage.db import Store

D = dt.date.fromisoformat
TODAY = "2026-11-23"

# (what, arguments, expected): deadline -> received/accepted/pause/ended; limitation -> known; return -> received.
CASES = [
    # --- every 2026 holiday, acceptance (7 working days) --------------------------------------
    ("new year, Sunday make-up 1-4", "deadline", {"received": "2025-12-31"}, {"acceptance_due": "2026-01-12"}),
    ("new year from 12-30", "deadline", {"received": "2025-12-30"}, {"acceptance_due": "2026-01-09"}),
    ("spring festival, Saturday make-ups", "deadline", {"received": "2026-02-12"}, {"acceptance_due": "2026-02-28"}),
    ("received on make-up Saturday 2-14", "deadline", {"received": "2026-02-14"}, {"acceptance_due": "2026-03-03"}),
    ("spring festival from 2-13", "deadline", {"received": "2026-02-13"}, {"acceptance_due": "2026-03-02"}),
    ("qingming", "deadline", {"received": "2026-04-01"}, {"acceptance_due": "2026-04-13"}),
    ("labour day, Saturday make-up 5-9", "deadline", {"received": "2026-04-28"}, {"acceptance_due": "2026-05-11"}),
    ("labour day from 5-8", "deadline", {"received": "2026-05-08"}, {"acceptance_due": "2026-05-18"}),
    ("dragon boat", "deadline", {"received": "2026-06-16"}, {"acceptance_due": "2026-06-26"}),
    ("mid-autumn, Sunday make-up 9-20", "deadline", {"received": "2026-09-18"}, {"acceptance_due": "2026-09-29"}),
    ("received on make-up Sunday 9-20", "deadline", {"received": "2026-09-20"}, {"acceptance_due": "2026-09-30"}),
    ("national day", "deadline", {"received": "2026-09-28"}, {"acceptance_due": "2026-10-13"}),
    ("national day, Saturday make-up 10-10", "deadline", {"received": "2026-10-09"}, {"acceptance_due": "2026-10-19"}),
    # --- 2027: statutory days, make-up days unknown ---------------------------------------------
    ("into 2027 from 12-28", "deadline", {"received": "2026-12-28"}, {"acceptance_due": "2027-01-07", "warn": True}),
    ("into 2027 from 12-31", "deadline", {"received": "2026-12-31"}, {"acceptance_due": "2027-01-12", "warn": True}),
    ("60 days ending on 2027 new year", "deadline", {"received": "2026-11-02", "accepted": "2026-11-02"},
     {"mediation_due": "2027-01-04", "warn": True}),
    ("2027 spring festival with substitute days", "deadline", {"received": "2027-02-03"},
     {"acceptance_due": "2027-02-18", "warn": True}),
    ("2027 qingming", "deadline", {"received": "2027-04-01"}, {"acceptance_due": "2027-04-13", "warn": True}),
    ("2027 labour day on a weekend", "deadline", {"received": "2027-04-28"}, {"acceptance_due": "2027-05-11", "warn": True}),
    ("2027 dragon boat", "deadline", {"received": "2027-06-07"}, {"acceptance_due": "2027-06-17", "warn": True}),
    ("2027 mid-autumn", "deadline", {"received": "2027-09-13"}, {"acceptance_due": "2027-09-23", "warn": True}),
    ("2027 national day on a weekend", "deadline", {"received": "2027-09-28"}, {"acceptance_due": "2027-10-12", "warn": True}),
    # --- Order No. 20 before 2026-04-15, Order No. 121 from it ----------------------------------
    ("order 20: last day before 4-15", "deadline", {"received": "2026-04-14", "accepted": "2026-04-14"},
     {"rule_set": "samr20", "acceptance_due": "2026-04-23", "mediation_due": "2026-06-18"}),
    ("order 121: from 4-15, 60 days", "deadline", {"received": "2026-04-15", "accepted": "2026-04-15"},
     {"rule_set": "samr121", "acceptance_due": "2026-04-24", "mediation_due": "2026-06-15"}),
    ("received under order 20, accepted after 4-15", "deadline", {"received": "2026-04-14", "accepted": "2026-04-20"},
     {"rule_set": "samr20", "mediation_due": "2026-06-25"}),
    ("order 20: 45 working days over qingming and labour day", "deadline",
     {"received": "2026-03-02", "accepted": "2026-03-02"}, {"rule_set": "samr20", "mediation_due": "2026-05-08"}),
    ("order 121: 60 days", "deadline", {"received": "2026-06-01", "accepted": "2026-06-01"},
     {"rule_set": "samr121", "mediation_due": "2026-07-31"}),
    ("order 121: 60 days ending in national day", "deadline", {"received": "2026-07-30", "accepted": "2026-08-03"},
     {"mediation_due": "2026-10-08"}),
    # --- pauses for 检定、检验、检测、鉴定 -----------------------------------------------------------
    ("order 121 paused 10 days", "deadline", {"received": "2026-06-01", "accepted": "2026-06-01",
                                              "pause": ["2026-06-10~2026-06-20"]},
     {"mediation_due": "2026-08-10", "paused_days": 10}),
    ("order 20 paused 5 working days", "deadline", {"received": "2026-03-02", "accepted": "2026-03-02",
                                                    "pause": ["2026-03-06~2026-03-13"]},
     {"mediation_due": "2026-05-14", "paused_days": 5}),
    ("order 121 paused 5 days", "deadline", {"received": "2026-09-01", "accepted": "2026-09-01",
                                             "pause": ["2026-09-10~2026-09-15"]},
     {"mediation_due": "2026-11-05", "paused_days": 5}),
    ("order 121 unpaused ends on a Saturday", "deadline", {"received": "2026-09-01", "accepted": "2026-09-01"},
     {"mediation_due": "2026-11-02"}),
    ("order 20 paused over a weekend", "deadline", {"received": "2026-01-05", "accepted": "2026-01-05",
                                                    "pause": ["2026-01-09~2026-01-16"]},
     {"mediation_due": "2026-03-20", "paused_days": 5}),
    ("order 20 same case unpaused", "deadline", {"received": "2026-01-05", "accepted": "2026-01-05"},
     {"mediation_due": "2026-03-13"}),
    # --- notice of the end of mediation: 7 working days ------------------------------------------
    ("notice over national day (order 20)", "deadline", {"received": "2026-03-02", "accepted": "2026-03-02",
                                                         "ended": "2026-09-28"}, {"notice_due": "2026-10-13"}),
    ("notice over 2027 new year (order 121)", "deadline", {"received": "2026-11-02", "accepted": "2026-11-02",
                                                           "ended": "2026-12-30"}, {"notice_due": "2027-01-11", "warn": True}),
    # --- 产品质量法 §45 with 民法典 §203 ----------------------------------------------------------------
    ("knew 2024-10-01: national day", "limitation", {"known": "2024-10-01"},
     {"last_day": "2026-10-08", "within": False, "lost_10_years": False}),
    ("knew 2025-01-01: 2027 new year", "limitation", {"known": "2025-01-01"},
     {"last_day": "2027-01-04", "within": True}),
    ("knew 2024-11-20: a working Friday", "limitation", {"known": "2024-11-20"},
     {"last_day": "2026-11-20", "within": False}),
    ("knew 2024-11-22: a Sunday -> today", "limitation", {"known": "2024-11-22"},
     {"last_day": "2026-11-23", "within": True}),
    ("knew 2024-02-29: month end, a make-up Saturday", "limitation", {"known": "2024-02-29"},
     {"last_day": "2026-02-28", "within": False}),
    ("knew 2024-02-15: spring festival", "limitation", {"known": "2024-02-15"}, {"last_day": "2026-02-24"}),
    ("knew 2024-05-01: labour day", "limitation", {"known": "2024-05-01"}, {"last_day": "2026-05-06"}),
    ("ten years after delivery", "limitation", {"known": "2026-01-01", "delivered": "2016-11-22"},
     {"lost_10_years": True, "within": False}),
    # --- 消法 §25 seven-day return -------------------------------------------------------------------
    ("return within 7 days", "return", {"channel": "online", "received": "2026-11-18"},
     {"applies": True, "last_day": "2026-11-25", "can_return": True}),
    ("return after 7 days", "return", {"channel": "livestream", "received": "2026-11-15"},
     {"applies": True, "last_day": "2026-11-22", "can_return": False}),
    ("return on the 7th day", "return", {"channel": "tv", "received": "2026-11-16"},
     {"applies": True, "last_day": "2026-11-23", "can_return": True}),
    ("bought in a shop", "return", {"channel": "store", "received": "2026-11-20"},
     {"applies": False, "can_return": False}),
]


def test_the_table_is_big_enough():
    assert len(CASES) >= 40


@pytest.fixture(scope="module")
def fresh_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('law') / 'desk.db'}"
    Store(url).dispose()
    return url


def _api(what: str, a: dict, url: str) -> dict:
    store = Store(url)
    try:
        desk = Desk(store)
        if what == "deadline":
            pauses = [tuple(D(x) for x in p.split("~")) for p in a.get("pause", [])]
            return desk.calendar.deadlines(D(a["received"]), D(a["accepted"]) if "accepted" in a else None, pauses,
                                           D(a["ended"]) if "ended" in a else None).as_json()
        if what == "limitation":
            return calculators.limitation(D(a["known"]), D(a["delivered"]) if "delivered" in a else None, D(TODAY),
                                          desk.calendar.current()).as_json()
        return calculators.no_reason_return(a["channel"], D(a["received"]), D(TODAY)).as_json()
    finally:
        store.dispose()


def _cli(what: str, a: dict, url: str, capsys) -> dict:
    if what == "deadline":
        argv = ["deadline", "--received", a["received"]]
        argv += ["--accepted", a["accepted"]] if "accepted" in a else []
        for p in a.get("pause", []):
            argv += ["--pause", p]
        argv += ["--ended", a["ended"]] if "ended" in a else []
    elif what == "limitation":
        argv = ["calc", "limitation", "--known", a["known"], "--today", TODAY]
        argv += ["--delivered", a["delivered"]] if "delivered" in a else []
    else:
        argv = ["calc", "return", "--channel", a["channel"], "--received", a["received"], "--today", TODAY]
    assert main([*argv, "--db", url, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _check(result: dict, expected: dict) -> None:
    for key, value in expected.items():
        if key == "warn":
            assert bool(result["warnings"]) is value and all("调休" in w for w in result["warnings"])
        elif key == "rule_set":
            assert result["rule_set"]["code"] == value
        else:
            assert result[key] == value, key


@pytest.mark.parametrize("name, what, args, expected", CASES, ids=[c[0] for c in CASES])
def test_hand_worked_case_through_api_and_cli(name, what, args, expected, fresh_db, capsys):
    _check(_api(what, args, fresh_db), expected)
    _check(_cli(what, args, fresh_db, capsys), expected)
    if what == "deadline" and "warn" not in expected:
        assert _api(what, args, fresh_db)["warnings"] == []
