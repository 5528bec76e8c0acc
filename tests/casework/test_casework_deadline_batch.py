"""The daily deadline check costs a fixed number of queries per batch of
cases, not per case (#8: 100,000 open cases must be checkable overnight)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import deadlines, services

FILED = datetime.date(2026, 9, 1)
RECEIVED = datetime.date(2026, 9, 3)
# The decision period of a case the office investigates and the handling
# period of a transferred one (Art. 15; the office's clock pauses meanwhile,
# 本机构理解) both end on 2026-10-08 (holiday roll-over): on 10-09 each pair
# of open cases has two red warnings due.
DAY = datetime.date(2026, 10, 9)


@pytest.fixture
def open_cases(make_case, clock, head, investigator, investigator2, liaison):
    def make(count: int):
        """``count`` pairs: one case the office investigates, one transferred."""
        clock.set(RECEIVED)
        for _ in range(count):
            for transferred in (False, True):
                case = make_case(filed_on=FILED)
                services.assign_investigator(
                    case, investigator, user=head, is_lead=True
                )
                services.assign_investigator(case, investigator2, user=head)
                if transferred:
                    services.transfer_to_agency(
                        case,
                        user=investigator,
                        reason="由执法机关自行调查。",
                        received_on=RECEIVED,
                    )
        clock.set(DAY)

    return make


WRITES_PER_WARNING = 7


def queries_of_check() -> int:
    with CaptureQueriesContext(connection) as queries:
        deadlines.check_deadlines(DAY, mail=False)
    return len(queries)


def test_a_rerun_costs_the_same_for_three_cases_or_nine(open_cases):
    open_cases(3)
    first = deadlines.check_deadlines(DAY, mail=False)
    assert (first.cases, first.warnings) == (6, 6)
    small = queries_of_check()

    open_cases(6)
    assert deadlines.check_deadlines(DAY, mail=False).warnings == 12
    assert queries_of_check() == small
    assert small <= 15


def test_new_warnings_cost_their_writes_only(open_cases):
    open_cases(2)
    with CaptureQueriesContext(connection) as two:
        first = deadlines.check_deadlines(DAY, mail=False)
        assert first.warnings == 4
    open_cases(4)
    with CaptureQueriesContext(connection) as six:
        second = deadlines.check_deadlines(DAY, mail=False)
        assert second.warnings == 8
    # Four more new warnings: what the difference buys is the writes of those
    # warnings (savepoints, get_or_create, the notices) and one update per
    # case whose deadline moved (the transfer pauses the office's clock day
    # by day), nothing read case by case.
    moved = second.refreshed - first.refreshed
    per_warning = (len(six) - len(two) - moved) / 4
    assert per_warning <= WRITES_PER_WARNING, per_warning


def test_batches_cover_every_case_and_give_the_same_warnings(open_cases, monkeypatch):
    open_cases(5)
    monkeypatch.setattr(deadlines, "BATCH_SIZE", 2)
    result = deadlines.check_deadlines(DAY, mail=False)
    assert (result.cases, result.warnings) == (10, 10)
    # Investigators, the head and (transfer periods) the liaison.
    assert result.notices == 5 * (3 + 4)
    assert deadlines.check_deadlines(DAY, mail=False).warnings == 0
