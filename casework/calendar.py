"""The holiday calendar the office maintains: the bundled State Council data
(chinese_calendar), the statutory holidays of later years (computed, see
casework.rules.periods), the days entered in the admin (CalendarDay) and the
years the office has confirmed as complete (CalendarYear)."""

import contextlib
import contextvars

from django.db import connection

from casework.models.reference import CalendarDay, CalendarYear
from casework.rules.periods import HolidayCalendar

_built: dict[tuple, HolidayCalendar] = {}
_pinned: contextvars.ContextVar[HolidayCalendar | None] = contextvars.ContextVar(
    "casework_pinned_calendar", default=None
)


@contextlib.contextmanager
def pinned_calendar():
    """Within the block every holiday_calendar() call returns one calendar,
    read once: a batch job over many cases asks the database once, not once
    per deadline. Nested blocks keep the outer calendar."""
    if _pinned.get() is not None:
        yield _pinned.get()
        return
    token = _pinned.set(holiday_calendar())
    try:
        yield _pinned.get()
    finally:
        _pinned.reset(token)


def _state() -> tuple:
    """What the calendar is built from, in one query: the entered days' and
    the confirmed years' counts and last changes."""
    days = connection.ops.quote_name(CalendarDay._meta.db_table)
    years = connection.ops.quote_name(CalendarYear._meta.db_table)
    with connection.cursor() as cursor:
        # Table names from the models' own metadata, quoted: no input here.
        parts = ("SELECT COUNT(*) FROM {t}", "SELECT MAX(updated_at) FROM {t}")
        sql = "SELECT " + ", ".join(
            "(" + part.format(t=name) + ")" for name in (days, years) for part in parts
        )
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def holiday_calendar() -> HolidayCalendar:
    """The current calendar; rebuilt only when the entered days or the
    confirmed years change (one small aggregate query per call, none inside
    pinned_calendar())."""
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    key = _state()
    calendar = _built.get(key)
    if calendar is None:
        days = list(CalendarDay.objects.values_list("date", "kind"))
        calendar = HolidayCalendar(
            extra_holidays=[d for d, k in days if k == CalendarDay.Kind.HOLIDAY],
            extra_workdays=[d for d, k in days if k == CalendarDay.Kind.WORKDAY],
            confirmed_years=CalendarYear.objects.filter(confirmed=True).values_list(
                "year", flat=True
            ),
        )
        _built.clear()
        _built[key] = calendar
    return calendar
