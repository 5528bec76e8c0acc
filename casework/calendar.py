"""The holiday calendar the office maintains: the bundled State Council data
(chinese_calendar) plus the days entered in the admin (CalendarDay)."""

from django.db.models import Count, Max

from casework.models import CalendarDay
from casework.rules.periods import HolidayCalendar

_built: dict[tuple, HolidayCalendar] = {}


def holiday_calendar() -> HolidayCalendar:
    """The current calendar; rebuilt only when the entered days change
    (one small aggregate query per call)."""
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
