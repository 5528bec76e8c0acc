"""One clock for everything a person reads: screens, exports and file names.

The database stores UTC (``USE_TZ``); people in the office, the agencies and
the public live in Beijing time, the site's ``TIME_ZONE``. Every datetime
that reaches a person goes through here, converted to the site's zone and
written in the date style of government documents: 2026年12月2日, 06:06.

An event at 01:00 Beijing time is 17:00 UTC the day before; formatting the
stored value directly (``f"{dt:%Y-%m-%d}"``, ``dt.date()``) gives the wrong
day. The template filters in ``portal.templatetags.portal_dates`` and the
spreadsheet exports (``portal.exports``) call these functions.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

TIME_ZONE_LABEL = gettext_lazy("Beijing time")
"""What the exports' headings say about their times."""


def local(value: datetime.datetime) -> datetime.datetime:
    """``value`` in the site's time zone (an aware datetime); a naive one is
    taken to be in the site's time zone already."""
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return timezone.localtime(value)


def local_date(value) -> datetime.date | None:
    """The calendar day of ``value`` in Beijing; a date is returned as is."""
    if isinstance(value, datetime.datetime):
        return local(value).date()
    if isinstance(value, datetime.date):
        return value
    return None


def local_naive(value: datetime.datetime) -> datetime.datetime:
    """Beijing wall-clock time without a zone, for a spreadsheet cell (XLSX
    has no time zones; the column heading says 北京时间)."""
    return timezone.make_naive(local(value))


def cn_date(value) -> str:
    """2026年12月2日 for a date, or for a datetime's day in Beijing; ``""``
    for anything else (an empty field)."""
    day = local_date(value)
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_time(value) -> str:
    """06:06, the Beijing time of a datetime (or a time of day)."""
    if isinstance(value, datetime.datetime):
        value = local(value).time()
    if not isinstance(value, datetime.time):
        return ""
    return f"{value.hour:02d}:{value.minute:02d}"


def cn_datetime(value) -> str:
    """2026年12月2日 06:06 (Beijing) for a datetime; a date alone gives the
    day."""
    if isinstance(value, datetime.datetime):
        return f"{cn_date(value)} {cn_time(value)}"
    return cn_date(value)


def file_stamp(value: datetime.datetime | None = None) -> str:
    """``2026年12月2日0606``: the Beijing time of ``value`` (default: now) as
    it appears in a download's file name (no colon: Windows refuses it)."""
    moment = local(value or timezone.now())
    return f"{cn_date(moment)}{moment.hour:02d}{moment.minute:02d}"


def ascii_file_stamp(value: datetime.datetime | None = None) -> str:
    """``20261202-0606``, the same Beijing moment for the ASCII fallback name
    of a download."""
    return f"{local(value or timezone.now()):%Y%m%d-%H%M}"
