"""Periods of the measure (期限), counted by the office's counting rule.

Counting rule (本机构工作规则 ``calendar_days``; the measure does not say how its
periods are counted, so the office follows the Civil Code's rule, Art. 201-203):

- periods are calendar days, and the day of the triggering event is not counted,
  so a period of ``n`` days starting on ``start`` ends on ``start + n``;
- a period whose last day is a non-working day (a weekend or a statutory
  holiday) ends on the next working day instead; a make-up working day (调休上班,
  e.g. a Saturday worked in exchange for a holiday) is a working day, so a period
  may end on it.

Paused days (Art. 16: appraisal time is not counted) are worked out in
``casework.rules.intervals`` and passed in as ``paused_days``.

Which days are working days:

- years the ``chinese_calendar`` package covers (the State Council's published
  arrangements, up to 2026 in version 1.11): its data;
- later years: the statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision:
  元旦 1 day, 春节 除夕 to 初三, 清明, 劳动节 2 days, 端午, 中秋, 国庆 3 days; its
  Art. 6: a holiday on a weekend is made up on the following working day), which
  the ``holidays`` library computes (lunar dates and made-up days included),
  plus weekends;
- the days the office enters (``extra_holidays``/``extra_workdays``: the State
  Council's 调休 once published) win over both.

A year is *confirmed* when it is package data or the office has marked the
whole year confirmed (``confirmed_years``); one entered date does not confirm
a year. Ends in an unconfirmed year may still move (:attr:`Deadline.provisional`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import chinese_calendar
import holidays
from django.utils.translation import gettext as _

__all__ = [
    "EXTENSION_MAX_DAYS",
    "INVESTIGATION_DAYS",
    "NOTIFICATION_DAYS",
    "REVIEW_DECISION_DAYS",
    "REVIEW_REQUEST_DAYS",
    "TRANSFER_FILING_DAYS",
    "TRANSFER_HANDLING_DAYS",
    "Deadline",
    "HolidayCalendar",
    "WarningLevel",
    "days_left",
    "deadline",
    "default_calendar",
    "investigation_deadline",
    "is_overdue",
    "notification_deadline",
    "period_end",
    "review_decision_deadline",
    "review_request_deadline",
    "statutory_holidays",
    "transfer_filing_deadline",
    "transfer_handling_deadline",
    "warning_level",
]

INVESTIGATION_DAYS = 30
"""Art. 17: the investigation ends with a decision within 30 days of filing."""

EXTENSION_MAX_DAYS = 30
"""Art. 17: an approved extension may not exceed 30 days (in total)."""

NOTIFICATION_DAYS = 7
"""Art. 17: units and parties are notified within 7 days of the decision."""

TRANSFER_HANDLING_DAYS = 30
"""Art. 15: a transferred case is handled within 30 days of its receipt."""

TRANSFER_FILING_DAYS = 7
"""Art. 15: the handling result is filed with the supervision office in 7 days."""

REVIEW_REQUEST_DAYS = 15
"""Art. 19: a review is requested within 15 days of receiving the decision."""

REVIEW_DECISION_DAYS = 30
"""Art. 19: the review decision is made within 30 days."""


def _check_date(value: object, name: str) -> date:
    # A datetime is a date subclass, but comparing it with the calendar's dates
    # silently fails and its day depends on the time zone: make the caller decide.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"{name} must be a datetime.date (not a datetime), got {value!r}"
        )
    return value


def _check_days(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


@functools.cache
def statutory_holidays(year: int) -> frozenset[date]:
    """The statutory rest days of ``year`` under 《全国年节及纪念日放假办法》
    (2024 revision), weekend make-up days (its Art. 6) included, as the
    ``holidays`` library computes them. The State Council's 调休 (swapped
    working weekends) is not in it: the office enters those."""
    return frozenset(holidays.China(years=year, categories=("public",)).keys())


class HolidayCalendar:
    """Which days are working days, for counting periods.

    Built from the ``chinese_calendar`` data, the statutory holidays for later
    years (:func:`statutory_holidays`) and the office's entered days, which
    win over both. :meth:`covers` says whether a year is confirmed: package
    data, or a year the office has marked confirmed as a whole
    (``confirmed_years``), never merely because one day of it was entered.
    """

    def __init__(
        self,
        *,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        confirmed_years: Iterable[int] = (),
        use_package_data: bool = True,
    ) -> None:
        holidays_ = frozenset(_check_date(d, "extra_holidays") for d in extra_holidays)
        workdays = frozenset(_check_date(d, "extra_workdays") for d in extra_workdays)
        clash = sorted(holidays_ & workdays)
        if clash:
            listed = ", ".join(d.isoformat() for d in clash)
            raise ValueError(f"dates both holiday and working day: {listed}")
        self._extra_holidays = holidays_
        self._extra_workdays = workdays
        self._confirmed_years = frozenset(int(y) for y in confirmed_years)
        self._use_package_data = use_package_data
        if use_package_data:
            # The same range chinese_calendar itself accepts before raising.
            data_years = {d.year for d in chinese_calendar.holidays}
            self._data_years = range(min(data_years), max(data_years) + 1)
        else:
            self._data_years = range(0)

    def __repr__(self) -> str:
        data = (
            f"{self._data_years.start}-{self._data_years.stop - 1}"
            if self._data_years
            else "none"
        )
        return (
            f"<HolidayCalendar data={data} "
            f"extra_holidays={len(self._extra_holidays)} "
            f"extra_workdays={len(self._extra_workdays)} "
            f"confirmed={sorted(self._confirmed_years)}>"
        )

    @property
    def extra_holidays(self) -> frozenset[date]:
        return self._extra_holidays

    @property
    def extra_workdays(self) -> frozenset[date]:
        return self._extra_workdays

    @property
    def confirmed_years(self) -> frozenset[int]:
        return self._confirmed_years

    def with_overrides(
        self,
        *,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        confirmed_years: Iterable[int] = (),
    ) -> HolidayCalendar:
        """A new calendar with these overrides added to this one's."""
        return HolidayCalendar(
            extra_holidays=self._extra_holidays | frozenset(extra_holidays),
            extra_workdays=self._extra_workdays | frozenset(extra_workdays),
            confirmed_years=self._confirmed_years | frozenset(confirmed_years),
            use_package_data=self._use_package_data,
        )

    def covers(self, year: int) -> bool:
        """Whether the holidays of ``year`` are confirmed: package data, or
        marked confirmed by the office.

        When False, :meth:`is_workday` still knows the statutory holidays and
        the days entered so far, but the State Council's 调休 may be missing,
        and callers should say that the end may move.
        """
        return year in self._data_years or year in self._confirmed_years

    def uncovered_years(self, first: date, last: date) -> list[int]:
        """The years from ``first`` to ``last`` (inclusive) not confirmed."""
        _check_date(first, "first")
        _check_date(last, "last")
        return [y for y in range(first.year, last.year + 1) if not self.covers(y)]

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day, make-up working days included."""
        _check_date(day, "day")
        if day in self._extra_workdays:
            return True
        if day in self._extra_holidays:
            return False
        if day.year in self._data_years:
            return chinese_calendar.is_workday(day)
        if self._use_package_data and day in statutory_holidays(day.year):
            return False
        return day.weekday() < 5

    def next_workday(self, day: date) -> date:
        """The first working day on or after ``day``."""
        _check_date(day, "day")
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day


@functools.cache
def default_calendar() -> HolidayCalendar:
    """The package data without overrides, used when no calendar is passed.

    Services that know the office's overrides (e.g. 2027 holidays entered in the
    admin) build their own :class:`HolidayCalendar` and pass it in.
    """
    return HolidayCalendar()


def period_end(
    start: date,
    days: int,
    *,
    paused_days: int = 0,
    calendar: HolidayCalendar | None = None,
) -> date:
    """The last day of a period of ``days`` calendar days starting on ``start``.

    The office's counting rule (see the module docstring): the start day is
    not counted and an end on a non-working day moves to the next working day.
    ``paused_days`` are days not counted in the period, such as a commissioned
    appraisal (Art. 16); they extend the end before the working-day roll-over.
    """
    _check_date(start, "start")
    _check_days(days, "days")
    _check_days(paused_days, "paused_days")
    calendar = calendar or default_calendar()
    return calendar.next_workday(start + timedelta(days=days + paused_days))


def days_left(end: date, today: date) -> int:
    """Days remaining until ``end``: 0 on the last day, negative when overdue."""
    _check_date(end, "end")
    _check_date(today, "today")
    return (end - today).days


def is_overdue(end: date, today: date) -> bool:
    """Whether the period ending on ``end`` has expired by ``today``.

    The last day itself is still within the period.
    """
    return days_left(end, today) < 0


@dataclass(frozen=True, slots=True)
class Deadline:
    """A computed period: what it is for, when it started and when it ends.

    ``provisional`` is True when the end was computed for a year whose holidays
    are not covered by the calendar (weekends-only fallback): the end may still
    move once the year's holiday arrangement is entered.
    """

    label: str
    start: date
    end: date
    days: int
    paused_days: int = 0
    provisional: bool = False

    def days_left(self, today: date) -> int:
        return days_left(self.end, today)

    def is_overdue(self, today: date) -> bool:
        return is_overdue(self.end, today)


def deadline(
    label: str,
    start: date,
    days: int,
    *,
    paused_days: int = 0,
    calendar: HolidayCalendar | None = None,
) -> Deadline:
    """A :class:`Deadline` computed with :func:`period_end`."""
    calendar = calendar or default_calendar()
    end = period_end(start, days, paused_days=paused_days, calendar=calendar)
    # Only the days between the nominal end and the rolled-over end were looked
    # up in the calendar, so only their years decide whether the end may move.
    nominal_end = start + timedelta(days=days + paused_days)
    return Deadline(
        label=label,
        start=start,
        end=end,
        days=days,
        paused_days=paused_days,
        provisional=bool(calendar.uncovered_years(nominal_end, end)),
    )


def investigation_deadline(
    filed_on: date,
    *,
    paused_days: int = 0,
    extension_days: int = 0,
    calendar: HolidayCalendar | None = None,
) -> Deadline:
    """The day the investigation must end with a decision (Art. 16, 17).

    30 days from filing, not counting appraisal days (Art. 16). An approved
    extension of at most 30 days (Art. 17) runs from the expiry of the original
    period, i.e. from its last day after any holiday roll-over, and is rolled
    over again if it ends on a non-working day.
    """
    _check_days(extension_days, "extension_days")
    if extension_days > EXTENSION_MAX_DAYS:
        raise ValueError(
            f"extension_days must be <= {EXTENSION_MAX_DAYS} (Art. 17), "
            f"got {extension_days}"
        )
    calendar = calendar or default_calendar()
    original = deadline(
        _("investigation deadline"),
        filed_on,
        INVESTIGATION_DAYS,
        paused_days=paused_days,
        calendar=calendar,
    )
    if not extension_days:
        return original
    extended = deadline(
        _("investigation deadline (extended)"),
        original.end,
        extension_days,
        calendar=calendar,
    )
    return Deadline(
        label=extended.label,
        start=filed_on,
        end=extended.end,
        days=INVESTIGATION_DAYS + extension_days,
        paused_days=paused_days,
        provisional=original.provisional or extended.provisional,
    )


def notification_deadline(
    decided_on: date, *, calendar: HolidayCalendar | None = None
) -> Deadline:
    """Notify the units and parties within 7 days of the decision (Art. 17)."""
    return deadline(
        _("notification due"), decided_on, NOTIFICATION_DAYS, calendar=calendar
    )


def transfer_handling_deadline(
    received_on: date, *, calendar: HolidayCalendar | None = None
) -> Deadline:
    """The agency handles a transferred case within 30 days of receipt (Art. 15)."""
    return deadline(
        _("transfer handling deadline"),
        received_on,
        TRANSFER_HANDLING_DAYS,
        calendar=calendar,
    )


def transfer_filing_deadline(
    handled_on: date, *, calendar: HolidayCalendar | None = None
) -> Deadline:
    """The agency files its handling result within 7 days (Art. 15).

    Counted from the day the handling was completed.
    """
    return deadline(
        _("deadline to file the handling result"),
        handled_on,
        TRANSFER_FILING_DAYS,
        calendar=calendar,
    )


def review_request_deadline(
    decision_received_on: date, *, calendar: HolidayCalendar | None = None
) -> Deadline:
    """A review is requested within 15 days of receiving the decision (Art. 19)."""
    return deadline(
        _("review request window"),
        decision_received_on,
        REVIEW_REQUEST_DAYS,
        calendar=calendar,
    )


def review_decision_deadline(
    requested_on: date, *, calendar: HolidayCalendar | None = None
) -> Deadline:
    """The review decision is made within 30 days of the request (Art. 19)."""
    return deadline(
        _("review decision deadline"),
        requested_on,
        REVIEW_DECISION_DAYS,
        calendar=calendar,
    )


class WarningLevel:
    """The two levels of a deadline warning: yellow before the end, red once
    the period has expired."""

    YELLOW = "yellow"
    RED = "red"


def warning_level(end: date, today: date, warn_days: int) -> str | None:
    """Which warning a period ending on ``end`` calls for on ``today``.

    Red once the period has expired (the day after its last day); yellow from
    ``warn_days`` calendar days before the last day up to the last day itself;
    none before that. ``end`` is the rolled-over end from :func:`period_end`,
    so a period whose nominal end falls in a holiday warns counting back from
    the first working day after it, never from the holiday.
    """
    _check_date(end, "end")
    _check_date(today, "today")
    _check_days(warn_days, "warn_days")
    left = days_left(end, today)
    if left < 0:
        return WarningLevel.RED
    if left <= warn_days:
        return WarningLevel.YELLOW
    return None
