"""Due dates worked out by hand from the State Council's 2026 arrangement (see each comment)."""
import datetime as dt

import pytest

from app.calendar.deadlines import WorkCalendar, compute, rule_set_for

D = dt.date


@pytest.fixture
def cal():
    return WorkCalendar()


def test_rule_set_by_day_of_receipt():
    assert rule_set_for(D(2026, 4, 14)).code == "samr20"
    assert rule_set_for(D(2026, 4, 15)).code == "samr121"


def test_make_up_working_days_and_holidays(cal):
    assert cal.is_workday(D(2026, 2, 14))  # Saturday, make-up day for Spring Festival
    assert cal.is_workday(D(2026, 2, 28))
    assert not cal.is_workday(D(2026, 2, 23))  # Monday inside the festival
    assert cal.is_workday(D(2026, 10, 10))  # Saturday, make-up day for National Day
    assert not cal.is_workday(D(2026, 10, 7))


def test_acceptance_across_national_day(cal):
    # Mon 9-28; counted: 9-29, 9-30, [10-1..10-7 off], 10-8, 10-9, 10-10 (Sat make-up), 10-12, 10-13
    assert compute(cal, D(2026, 9, 28)).acceptance_due == D(2026, 10, 13)


def test_acceptance_across_spring_festival(cal):
    # Thu 2-12: 2-13, 2-14 (Sat make-up), [2-15..2-23 off], 2-24, 2-25, 2-26, 2-27, 2-28 (Sat make-up)
    assert compute(cal, D(2026, 2, 12)).acceptance_due == D(2026, 2, 28)


def test_received_on_a_make_up_saturday(cal):
    # Sat 2-14 is not counted itself: 2-24, 2-25, 2-26, 2-27, 2-28, 3-2, 3-3
    assert compute(cal, D(2026, 2, 14)).acceptance_due == D(2026, 3, 3)


def test_received_on_a_make_up_sunday_before_mid_autumn(cal):
    # Sun 9-20: 9-21..9-24, [9-25 Mid-Autumn, weekend], 9-28, 9-29, 9-30
    assert compute(cal, D(2026, 9, 20)).acceptance_due == D(2026, 9, 30)


def test_sixty_days_ending_inside_national_day(cal):
    # accepted 8-3; 8-3 + 60 days = 10-2 (holiday) -> next working day 10-8
    d = compute(cal, D(2026, 7, 30), D(2026, 8, 3))
    assert d.rule_set.code == "samr121"
    assert d.mediation_due == D(2026, 10, 8)


def test_former_rules_45_working_days(cal):
    # received and accepted Mon 3-2 (Order No. 20): 45 working days, skipping Qingming (4-6)
    # and Labour Day (5-1, 5-4, 5-5) -> Fri 5-8
    d = compute(cal, D(2026, 3, 2), D(2026, 3, 2))
    assert d.rule_set.code == "samr20"
    assert d.mediation_due == D(2026, 5, 8)


def test_crossing_into_an_uncovered_year_counts_statutory_days_and_warns(cal):
    # 2027 has no official arrangement yet: its statutory days (New Year 1-1) still count, with a warning
    # that the make-up working days are unknown. 12-29, 12-30, 12-31, [1-1 off], 1-4 … 1-7.
    d = compute(cal, D(2026, 12, 28))
    assert d.acceptance_due == D(2027, 1, 7)
    assert any("2027" in w and "调休" in w for w in d.warnings)
    assert compute(cal, D(2026, 9, 28)).warnings == ()


def test_staff_entered_year_overrides(cal):
    staff = WorkCalendar(override_years=frozenset({2027}), override_days={D(2027, 1, 1): False})
    d = compute(staff, D(2026, 12, 28))
    # 12-29, 12-30, 12-31, [1-1 off], 1-4, 1-5, 1-6, 1-7
    assert d.acceptance_due == D(2027, 1, 7)
    assert d.warnings == ()


def test_pause_moves_calendar_period_by_calendar_days(cal):
    # accepted 6-1: 6-1 + 60 = 7-31 (Fri); paused 6-10..6-20 = 10 days -> 8-10 (Mon)
    assert compute(cal, D(2026, 6, 1), D(2026, 6, 1)).mediation_due == D(2026, 7, 31)
    assert compute(cal, D(2026, 6, 1), D(2026, 6, 1), [(D(2026, 6, 10), D(2026, 6, 20))]).mediation_due == D(2026, 8, 10)


def test_pause_moves_working_day_period_by_working_days(cal):
    # Order No. 20 case; paused Fri 3-6 .. Fri 3-13 = 5 working days (3-9..3-13) -> 45+5 = 50 working days
    # from 3-2: 5-8 (45th) then 5-9 (Sat make-up, 46), 5-11, 5-12, 5-13, 5-14 (50th)
    d = compute(cal, D(2026, 3, 2), D(2026, 3, 2), [(D(2026, 3, 6), D(2026, 3, 13))])
    assert d.mediation_due == D(2026, 5, 14)


def test_working_days_between(cal):
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert cal.working_days_between(D(2026, 10, 8), D(2026, 9, 30)) == -1
    assert cal.working_days_between(D(2026, 10, 8), D(2026, 10, 8)) == 0
