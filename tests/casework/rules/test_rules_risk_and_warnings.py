"""Pure rules: the warning level of a period and recurring errors (Art. 17-21)."""

import datetime

import pytest

from casework.rules import periods, risk
from casework.rules.periods import WarningLevel, warning_level

D = datetime.date


@pytest.mark.parametrize(
    ("today", "level"),
    [
        (D(2026, 10, 4), None),
        (D(2026, 10, 5), WarningLevel.YELLOW),
        (D(2026, 10, 8), WarningLevel.YELLOW),  # the last day is still in time
        (D(2026, 10, 9), WarningLevel.RED),
        (D(2027, 1, 1), WarningLevel.RED),
    ],
)
def test_warning_level(today, level):
    assert warning_level(D(2026, 10, 8), today, 3) == level


def test_warning_counts_back_from_the_rolled_over_end():
    """A period nominally ending on 2026-10-03 (National Day) ends on 10-08;
    the yellow warning counts back from there, not from the holiday."""
    end = periods.period_end(D(2026, 9, 3), 30)
    assert end == D(2026, 10, 8)
    assert warning_level(end, D(2026, 9, 30), 3) is None
    assert warning_level(end, D(2026, 10, 5), 3) == WarningLevel.YELLOW


def test_warning_level_rejects_bad_input():
    with pytest.raises(TypeError):
        warning_level(datetime.datetime(2026, 10, 8, 9), D(2026, 10, 1), 3)
    with pytest.raises(ValueError, match="warn_days"):
        warning_level(D(2026, 10, 8), D(2026, 10, 1), -1)


MARCH_1 = D(2026, 3, 1)


def obs(case_id, *, agency=1, field=10, error="evidence", on=MARCH_1):
    return risk.ErrorObservation(case_id, agency, field, error, on)


def test_recurrence_needs_the_threshold_of_distinct_cases():
    today = D(2026, 3, 31)
    two = [obs(1, agency=1), obs(2, agency=2)]
    assert risk.detect_recurrences(two, today=today, window_days=90, threshold=3) == []
    # The same case twice (two persons) counts once.
    again = [*two, obs(2, agency=2)]
    assert (
        risk.detect_recurrences(again, today=today, window_days=90, threshold=3) == []
    )
    three = [*two, obs(3, agency=3)]
    (found,) = risk.detect_recurrences(three, today=today, window_days=90, threshold=3)
    assert found.scope == risk.FIELD and found.target_id == 10
    assert found.case_ids == (1, 2, 3)


def test_window_and_scopes():
    today = D(2026, 3, 31)
    cases = [
        obs(1, on=D(2025, 12, 31)),  # outside the 90 days ending today
        obs(2, on=D(2026, 1, 1)),  # the window's first day
        obs(3, on=today),
        obs(4, on=D(2026, 4, 1)),  # after today: not yet
    ]
    found = risk.detect_recurrences(cases, today=today, window_days=90, threshold=2)
    assert [(r.scope, r.case_ids) for r in found] == [
        (risk.FIELD, (2, 3)),
        (risk.AGENCY, (2, 3)),
    ]
    assert found[0].first_found_on == D(2026, 1, 1)
    assert found[0].last_found_on == today


def test_error_types_do_not_mix_and_threshold_is_guarded():
    cases = [obs(1), obs(2, error="procedure")]
    assert (
        risk.detect_recurrences(cases, today=D(2026, 3, 1), window_days=30, threshold=2)
        == []
    )
    with pytest.raises(ValueError, match="threshold"):
        risk.detect_recurrences(cases, today=D(2026, 3, 1), window_days=30, threshold=1)
    with pytest.raises(ValueError, match="window_days"):
        risk.window_start(D(2026, 3, 1), 0)
