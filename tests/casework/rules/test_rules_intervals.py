"""Interval arithmetic of pauses (casework.rules.intervals): pure, no database."""

from datetime import date, timedelta

from casework.rules.intervals import merge, pause_while_running
from casework.rules.periods import HolidayCalendar, period_end

# A calendar without holidays beyond weekends keeps the arithmetic visible.
PLAIN = HolidayCalendar(use_package_data=False)
START = date(2025, 3, 3)  # a Monday


def end_for(paused: int) -> date:
    return period_end(START, 30, paused_days=paused, calendar=PLAIN)


def test_merge_joins_overlapping_and_touching_spans_and_drops_empty_ones():
    spans = [
        (date(2025, 3, 10), date(2025, 3, 20)),
        (date(2025, 3, 15), date(2025, 3, 25)),
        (date(2025, 3, 25), date(2025, 3, 27)),
        (date(2025, 4, 1), date(2025, 4, 1)),
        (date(2025, 4, 5), date(2025, 4, 2)),
    ]
    assert merge(spans) == [(date(2025, 3, 10), date(2025, 3, 27))]


def test_art16_overlapping_appraisals_pause_the_period_once():
    # Two appraisals of 10 days overlapping by 5: 15 days, not 20.
    spans = [
        (date(2025, 3, 10), date(2025, 3, 20)),
        (date(2025, 3, 15), date(2025, 3, 25)),
    ]
    assert pause_while_running(START, spans, end_for) == 15


def test_art16_appraisal_after_expiry_does_not_move_the_deadline():
    expired = end_for(0)  # 2025-04-02, a Wednesday
    after = [(expired + timedelta(days=1), expired + timedelta(days=11))]
    assert pause_while_running(START, after, end_for) == 0
    # Begun on the last day, it still paused a running period.
    on_last_day = [(expired, expired + timedelta(days=10))]
    assert pause_while_running(START, on_last_day, end_for) == 10


def test_art16_a_pause_extends_the_period_so_a_later_one_may_still_fall_inside():
    first = (date(2025, 3, 20), date(2025, 3, 30))  # 10 days: end -> 12 April
    second = (date(2025, 4, 8), date(2025, 4, 10))  # after 2 April, before 12 April
    assert pause_while_running(START, [first, second], end_for) == 12
    # Without the first, the second began after expiry and counts nothing.
    assert pause_while_running(START, [second], end_for) == 0


def test_a_pause_begun_before_the_start_counts_from_the_start():
    spans = [(date(2025, 2, 20), date(2025, 3, 8))]
    assert pause_while_running(START, spans, end_for) == 5
