"""The measure's validity (Art. 24) as the office applies it.

The dates are data (``MeasureValidity``); what the office does with them is
office rules, labelled as such: filing outside every measure in force is
refused (``filing_within_validity``); from ``validity_warning_days`` before an
expiry the admin shows a banner, and the head sees the cases still open on the
expiry day; a periodic report past an expiry names the measure it reports
under.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from casework import office_rules
from casework.models import MeasureValidity, SupervisionCase
from casework.rules.stages import Stage
from portal import clock

__all__ = [
    "ExpiryNotice",
    "describe",
    "expiry_notice",
    "in_force_on",
    "measures_for_period",
    "open_cases_at_expiry",
]


def _date(day: datetime.date) -> str:
    return clock.cn_date(day)


def in_force_on(day: datetime.date) -> list[MeasureValidity]:
    return list(MeasureValidity.objects.in_force_on(day))


def describe(measure: MeasureValidity) -> str:
    """《title》（number），2025年3月1日起施行，有效期至2027年2月28日."""
    return f"《{measure.title}》（{measure.document_number}），{measure.period_label}"


@dataclass(frozen=True)
class ExpiryNotice:
    measure: MeasureValidity
    days_left: int
    successor: MeasureValidity | None

    @property
    def text(self) -> str:
        end = self.measure.effective_until
        if self.successor is not None:
            return _(
                "%(measure)s expires on %(date)s; after that cases are handled "
                "under %(successor)s."
            ) % {
                "measure": describe(self.measure),
                "date": _date(end),
                "successor": describe(self.successor),
            }
        if self.days_left < 0:
            return _(
                "%(measure)s expired on %(date)s; no extension or new measure "
                "has been registered."
            ) % {"measure": describe(self.measure), "date": _date(end)}
        return _(
            "%(measure)s expires on %(date)s (%(days)s days left); no extension "
            "or new measure has been registered."
        ) % {
            "measure": describe(self.measure),
            "date": _date(end),
            "days": self.days_left,
        }


def expiry_notice(today: datetime.date) -> ExpiryNotice | None:
    """The banner the admin shows from ``validity_warning_days`` before the
    last measure in force expires (office rule), and after it expired while
    nothing follows. None when no expiry is near."""
    warn_days = office_rules.value("validity_warning_days")
    measures = list(MeasureValidity.objects.all())
    ending = [m for m in measures if m.effective_until is not None]
    for measure in sorted(ending, key=lambda m: m.effective_until):
        days_left = (measure.effective_until - today).days
        if days_left > warn_days:
            continue
        following = measure.effective_until + datetime.timedelta(days=1)
        successor = next(
            (
                m
                for m in measures
                if m.pk != measure.pk
                and m.effective_from <= following
                and (m.effective_until is None or m.effective_until >= following)
            ),
            None,
        )
        if days_left < 0 and successor is not None:
            continue
        return ExpiryNotice(measure, days_left, successor)
    return None


def open_cases_at_expiry(measure: MeasureValidity, user):
    """Cases the user may see that were filed under ``measure`` and are
    still open (not archived): on the expiry day the head decides how each
    continues."""
    if measure.effective_until is None:
        return SupervisionCase.objects.none()
    return (
        SupervisionCase.objects.visible_to(user)
        .exclude(stage=Stage.ARCHIVED)
        .filter(
            filed_on__gte=measure.effective_from,
            filed_on__lte=measure.effective_until,
        )
        .select_related("agency")
        .order_by("filed_on", "pk")
    )


def measures_for_period(start: datetime.date, end: datetime.date) -> list:
    """The measures in force at some time between ``start`` and ``end``."""
    return [
        m
        for m in MeasureValidity.objects.filter(effective_from__lte=end)
        if m.effective_until is None or m.effective_until >= start
    ]
