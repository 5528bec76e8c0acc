"""The holiday calendar the office maintains: the bundled State Council data
(chinese_calendar) plus the days entered in the admin (CalendarDay)."""

import contextlib
import contextvars

from django.db.models import Count, Max

from casework.models import CalendarDay
from casework.rules.periods import HolidayCalendar

_built: dict[tuple, HolidayCalendar] = {}
_pinned: contextvars.ContextVar[HolidayCalendar | None] = contextvars.ContextVar(
    "casework_pinned_calendar", default=None
)


@contextlib.contextmanager
def pinned_calendar():
    """Within the block every holiday_calendar() call returns one calendar,
    read once: a batch job over many cases asks the database once, not once
    per deadline."""
    token = _pinned.set(holiday_calendar())
    try:
        yield _pinned.get()
    finally:
        _pinned.reset(token)


def holiday_calendar() -> HolidayCalendar:
    """The current calendar; rebuilt only when the entered days change
    (one small aggregate query per call, none inside pinned_calendar())."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    state = CalendarDay.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    key = (state["n"], state["at"])
    calendar = _built.get(key)
    if calendar is None:
        days = list(CalendarDay.objects.values_list("date", "kind"))
        calendar = HolidayCalendar(
            extra_holidays=[d for d, k in days if k == CalendarDay.Kind.HOLIDAY],
            extra_workdays=[d for d, k in days if k == CalendarDay.Kind.WORKDAY],
        )
        _built.clear()
        _built[key] = calendar
    return calendar
