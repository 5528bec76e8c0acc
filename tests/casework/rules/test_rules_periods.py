"""Statutory periods (Civil Code Art. 201-203; Art. 15, 16, 17, 19 of the measures).

Every holiday date asserted here was checked against chinese_calendar 1.11
(the State Council arrangements for 2025 and 2026);
test_expected_dates_agree_with_chinese_calendar keeps that check in the suite.
"""

from datetime import date, datetime

import chinese_calendar
import pytest

from casework.rules import periods
from casework.rules.periods import (
    Deadline,
    HolidayCalendar,
    days_left,
    deadline,
    investigation_deadline,
    is_overdue,
    period_end,
    statutory_holidays,
)


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2025, 6, 15), False),  # plain Sunday
        (date(2025, 10, 1), False),  # National Day 2025: Oct 1-8
        (date(2025, 10, 8), False),
        (date(2025, 10, 9), True),
        (date(2025, 9, 28), True),  # make-up Sunday
        (date(2025, 10, 11), True),  # make-up Saturday
        (date(2026, 1, 4), True),  # make-up Sunday after New Year 2026
        (date(2026, 2, 14), True),  # Spring Festival 2026: make-up Saturday
        (date(2026, 2, 15), False),  # Spring Festival 2026: Feb 15-23
        (date(2026, 2, 23), False),
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # make-up Saturday
    ],
)
def test_expected_dates_agree_with_chinese_calendar(day, workday):
    assert chinese_calendar.is_workday(day) is workday
    assert HolidayCalendar().is_workday(day) is workday


def test_plain_period():
    # 2025-03-03 + 30 days = Wednesday 2025-04-02, a working day.
    assert period_end(date(2025, 3, 3), 30) == date(2025, 4, 2)


def test_start_day_is_not_counted():
    assert period_end(date(2025, 3, 3), 1) == date(2025, 3, 4)
    assert period_end(date(2025, 3, 3), 0) == date(2025, 3, 3)


def test_end_on_sunday_moves_to_monday():
    assert period_end(date(2025, 5, 16), 30) == date(2025, 6, 16)


def test_end_in_national_day_2025_moves_past_it():
    # Nominal end 2025-10-05, inside the Oct 1-8 holiday.
    assert period_end(date(2025, 9, 5), 30) == date(2025, 10, 9)
    assert period_end(date(2025, 9, 1), 30) == date(2025, 10, 9)


def test_end_just_after_national_day_stays():
    # 2025-09-10 + 30 is Friday 2025-10-10, already a working day.
    assert period_end(date(2025, 9, 10), 30) == date(2025, 10, 10)


def test_end_on_make_up_working_day_stays():
    assert period_end(date(2025, 9, 11), 30) == date(2025, 10, 11)  # Saturday
    assert period_end(date(2025, 8, 29), 30) == date(2025, 9, 28)  # Sunday


def test_end_in_new_year_2026_moves_to_make_up_sunday():
    # Jan 1-3 2026 are holidays and Sunday Jan 4 is worked.
    assert period_end(date(2025, 12, 2), 30) == date(2026, 1, 4)


def test_spring_festival_2026():
    # Holidays Feb 15-23 2026; Saturdays Feb 14 and Feb 28 are worked.
    assert period_end(date(2026, 1, 16), 30) == date(2026, 2, 24)
    assert period_end(date(2026, 1, 22), 30) == date(2026, 2, 24)
    assert period_end(date(2026, 1, 15), 30) == date(2026, 2, 14)
    assert period_end(date(2026, 1, 29), 30) == date(2026, 2, 28)


def test_paused_days_extend_the_period():
    # Art. 16: appraisal time is not counted.
    assert period_end(date(2025, 3, 3), 30, paused_days=5) == date(2025, 4, 7)
    # ...and the extended end is rolled over too (Qingming, Apr 4-6 2025).
    assert period_end(date(2025, 3, 3), 30, paused_days=2) == date(2025, 4, 7)


def test_2027_is_not_in_the_package_data():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


def test_holiday_act_2027_statutory_holidays_count_beyond_package_data():
    """《全国年节及纪念日放假办法》 (2024): the package stops at 2026, the
    statutory holidays of 2027 are still known and are not working days."""
    calendar = HolidayCalendar()
    assert calendar.covers(2026)
    assert not calendar.covers(2027)
    assert calendar.uncovered_years(date(2026, 12, 1), date(2027, 2, 28)) == [2027]
    assert not calendar.is_workday(date(2027, 1, 1))  # 元旦, a Friday
    # 春节: 除夕 (Fri 5 Feb) to 初三 (Mon 8 Feb); 初一 and 初二 fall on the
    # weekend and are made up on Tue 9 and Wed 10 (its Art. 6).
    for day in range(5, 11):
        assert not calendar.is_workday(date(2027, 2, day)), day
    assert calendar.is_workday(date(2027, 2, 11))
    # 劳动节 (1-2 May) on a weekend: made up on Mon 3 and Tue 4 May.
    assert not calendar.is_workday(date(2027, 5, 3))
    assert not calendar.is_workday(date(2027, 5, 4))
    assert calendar.is_workday(date(2027, 5, 5))
    assert not calendar.is_workday(date(2027, 1, 9))  # Saturday
    # A period whose nominal end is 元旦 2027 ends on Monday 4 January.
    assert period_end(date(2026, 12, 2), 30) == date(2027, 1, 4)
    assert period_end(date(2026, 12, 10), 30) == date(2027, 1, 11)


def test_statutory_holidays_of_a_year_follow_the_lunar_calendar():
    # 中秋 2027 is 15 September, 端午 9 June (lunar dates, computed).
    assert date(2027, 9, 15) in statutory_holidays(2027)
    assert date(2027, 6, 9) in statutory_holidays(2027)
    assert date(2028, 1, 26) in statutory_holidays(2028)  # 春节 2028


def test_2027_office_days_complete_the_year_but_do_not_confirm_it():
    # Hypothetical 调休: the office enters the real one once published.
    calendar = HolidayCalendar(
        extra_holidays=[date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)],
        extra_workdays=[date(2027, 1, 10)],  # a Sunday
    )
    # One entered date does not confirm a whole year.
    assert not calendar.covers(2027)
    assert period_end(date(2026, 12, 2), 30, calendar=calendar) == date(2027, 1, 4)
    assert period_end(date(2026, 12, 11), 30, calendar=calendar) == date(2027, 1, 10)
    # Days the overrides do not name still follow the statutory and weekend rules.
    assert not calendar.is_workday(date(2027, 1, 16))
    confirmed = calendar.with_overrides(confirmed_years=[2027])
    assert confirmed.covers(2027)
    assert confirmed.uncovered_years(date(2026, 12, 1), date(2027, 2, 28)) == []


def test_overrides_win_over_package_data():
    calendar = HolidayCalendar(
        extra_holidays=[date(2025, 10, 10)], extra_workdays=[date(2025, 10, 5)]
    )
    assert not calendar.is_workday(date(2025, 10, 10))
    assert calendar.is_workday(date(2025, 10, 5))
    assert period_end(date(2025, 9, 5), 30, calendar=calendar) == date(2025, 10, 5)


def test_with_overrides_adds_to_existing():
    base = HolidayCalendar(extra_holidays=[date(2027, 1, 1)])
    more = base.with_overrides(extra_workdays=[date(2027, 2, 20)])
    assert more.extra_holidays == {date(2027, 1, 1)}
    assert more.extra_workdays == {date(2027, 2, 20)}
    assert base.extra_workdays == frozenset()


def test_calendar_without_package_data():
    calendar = HolidayCalendar(use_package_data=False)
    assert not calendar.covers(2025)
    assert calendar.is_workday(date(2025, 10, 1))  # a Wednesday


def test_deadline_is_provisional_until_its_end_year_is_confirmed():
    assert deadline("x", date(2026, 12, 10), 30).provisional
    assert not deadline("x", date(2026, 11, 1), 30).provisional
    entered = HolidayCalendar(extra_holidays=[date(2027, 1, 1)])
    assert deadline("x", date(2026, 12, 10), 30, calendar=entered).provisional
    confirmed = HolidayCalendar(confirmed_years=[2027])
    assert not deadline("x", date(2026, 12, 10), 30, calendar=confirmed).provisional


def test_days_left_and_overdue():
    end = date(2025, 10, 9)
    assert days_left(end, date(2025, 10, 1)) == 8
    assert days_left(end, end) == 0
    assert not is_overdue(end, end)
    assert days_left(end, date(2025, 10, 10)) == -1
    assert is_overdue(end, date(2025, 10, 10))


def test_deadline_object():
    d = deadline("告知期限", date(2025, 9, 30), 7)
    assert d == Deadline("告知期限", date(2025, 9, 30), date(2025, 10, 9), 7)
    assert d.days_left(date(2025, 10, 8)) == 1
    assert d.is_overdue(date(2025, 10, 10))


def test_investigation_deadline_without_extension():
    d = investigation_deadline(date(2025, 9, 5), paused_days=0)
    assert (d.days, d.end) == (30, date(2025, 10, 9))


def test_investigation_extension_runs_from_the_expiry_of_the_period():
    # Original period ends 2025-10-09 after the roll-over; +30 is Saturday
    # 2025-11-08, which rolls over to Monday 2025-11-10.
    d = investigation_deadline(date(2025, 9, 5), extension_days=30)
    assert (d.start, d.days, d.end) == (date(2025, 9, 5), 60, date(2025, 11, 10))


def test_investigation_extension_is_capped():
    with pytest.raises(ValueError, match="extension_days"):
        investigation_deadline(date(2025, 9, 5), extension_days=31)


@pytest.mark.parametrize(
    ("func", "start", "end"),
    [
        (periods.notification_deadline, date(2025, 9, 30), date(2025, 10, 9)),
        (periods.transfer_handling_deadline, date(2025, 3, 3), date(2025, 4, 2)),
        (periods.transfer_filing_deadline, date(2025, 3, 3), date(2025, 3, 10)),
        (periods.review_request_deadline, date(2025, 3, 3), date(2025, 3, 18)),
        (periods.review_decision_deadline, date(2025, 3, 3), date(2025, 4, 2)),
    ],
)
def test_named_deadlines(func, start, end):
    assert func(start).end == end


def test_policy_periods():
    assert periods.INVESTIGATION_DAYS == 30
    assert periods.EXTENSION_MAX_DAYS == 30
    assert periods.NOTIFICATION_DAYS == 7
    assert periods.TRANSFER_HANDLING_DAYS == 30
    assert periods.TRANSFER_FILING_DAYS == 7
    assert periods.REVIEW_REQUEST_DAYS == 15
    assert periods.REVIEW_DECISION_DAYS == 30


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"days": -1}, ValueError, "days must be >= 0"),
        ({"days": 30, "paused_days": -3}, ValueError, "paused_days must be >= 0"),
        ({"days": 1.5}, TypeError, "days must be an int"),
        ({"days": True}, TypeError, "days must be an int"),
    ],
)
def test_bad_numbers(kwargs, error, match):
    with pytest.raises(error, match=match):
        period_end(date(2025, 3, 3), **kwargs)


def test_bad_dates():
    with pytest.raises(TypeError, match="not a datetime"):
        period_end(datetime(2025, 3, 3, 12, 0), 30)
    with pytest.raises(TypeError):
        period_end("2025-03-03", 30)


def test_date_both_holiday_and_workday_is_rejected():
    with pytest.raises(ValueError, match="2027-01-01"):
        HolidayCalendar(
            extra_holidays=[date(2027, 1, 1)], extra_workdays=[date(2027, 1, 1)]
        )
