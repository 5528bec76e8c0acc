"""When a reporter may expect the office's first answer.

The measure sets no time for it (Art. 22 only says reports are answered):
the office rule ``report_first_review_days`` does, counted like every other
period (office rule ``calendar_days``, casework.rules.periods)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from casework import office_rules
from casework.calendar import holiday_calendar
from casework.rules import periods
from casework.rules.provenance import OfficeRule, cite

RULE = OfficeRule("report_first_review_days")


@dataclass(frozen=True)
class FirstReview:
    days: int
    due: datetime.date
    source: str


def first_review(submitted_at: datetime.datetime) -> FirstReview:
    """The last day of the first review of a report submitted at
    ``submitted_at`` (its Beijing date is the start, not counted)."""
    days = int(office_rules.value(RULE.key))
    start = timezone.localdate(submitted_at)
    due = periods.period_end(start, days, calendar=holiday_calendar())
    return FirstReview(days=days, due=due, source=cite(RULE))
