"""The case's running periods (期限): decision, service, transfer, review,
correction."""

from __future__ import annotations

import datetime

from casework.calendar import holiday_calendar
from casework.models import (
    Activity,
    Extension,
    SupervisionCase,
)
from casework.rules import periods
from casework.services.common import (
    _today as today,
)

# --- Deadlines --------------------------------------------------------------------


def paused_days(case) -> int:
    """Days of commissioned appraisal, not counted in the 30 days (Art. 16)."""
    now = today()
    # A batch (casework.deadlines.open_cases) prefetches the appraisals.
    prefetched = getattr(case, "prefetched_appraisals", None)
    rows = (
        [(a.appraisal_started_on, a.appraisal_ended_on) for a in prefetched]
        if prefetched is not None
        else case.activities.filter(
            kind=Activity.Kind.APPRAISAL, appraisal_started_on__isnull=False
        ).values_list("appraisal_started_on", "appraisal_ended_on")
    )
    spans = sorted((started, ended or now) for started, ended in rows)
    # Overlapping appraisals pause the clock once, not twice.
    total, covered_until = 0, None
    for started, ended in spans:
        if covered_until is not None and started < covered_until:
            started = covered_until
        if ended > started:
            total += (ended - started).days
            covered_until = ended
    return total


def approved_extension_days(case) -> int:
    prefetched = getattr(case, "prefetched_approved_extensions", None)
    if prefetched is not None:
        return prefetched[0].days if prefetched else 0
    extension = case.extensions.filter(status=Extension.Status.APPROVED).first()
    return extension.days if extension else 0


def decision_deadline(case) -> periods.Deadline:
    """When the decision is due: 30 days from filing, less appraisal time,
    plus an approved extension (Art. 16, 17); after a review reopened the
    case (Art. 19), 30 days again from the reopening."""
    if case.reopened_on:
        return periods.deadline(
            "重新认定期限",
            case.reopened_on,
            periods.INVESTIGATION_DAYS,
            calendar=holiday_calendar(),
        )
    return periods.investigation_deadline(
        case.filed_on,
        paused_days=paused_days(case),
        extension_days=approved_extension_days(case),
        calendar=holiday_calendar(),
    )


def refresh_deadlines(case, *, only_if_changed: bool = False) -> bool:
    """Recompute the denormalised deadlines from casework.rules.periods and
    say whether they moved.

    A running appraisal (Art. 16) moves the decision deadline a day each day,
    so the daily deadline check (casework.deadlines) calls this for every
    open case, freshly loaded, with ``only_if_changed`` to skip the write when
    nothing moved; the services write unconditionally, since the case object
    they hold may predate another write."""
    decision_due = decision_deadline(case).end
    notification_due = (
        periods.notification_deadline(case.decided_on, calendar=holiday_calendar()).end
        if case.decided_on
        else None
    )
    changed = (decision_due, notification_due) != (
        case.decision_due,
        case.notification_due,
    )
    case.decision_due = decision_due
    case.notification_due = notification_due
    if changed or not only_if_changed:
        SupervisionCase.objects.filter(pk=case.pk).update(
            decision_due=decision_due, notification_due=notification_due
        )
    return changed


def deadlines(case, on: datetime.date | None = None) -> list[dict]:
    """Every running period of the case with its end and days left."""
    on = on or today()
    rows = []

    def add(deadline: periods.Deadline, done_on=None):
        rows.append(
            {
                "label": deadline.label,
                "end": deadline.end,
                "days_left": None if done_on else periods.days_left(deadline.end, on),
                "overdue": (done_on or on) > deadline.end,
                "done_on": done_on,
                "provisional": deadline.provisional,
            }
        )

    add(decision_deadline(case), case.decided_on)
    if case.decided_on:
        add(
            periods.notification_deadline(case.decided_on, calendar=holiday_calendar()),
            case.notified_on,
        )
    for transfer in case.transfers.all():
        add(
            periods.transfer_handling_deadline(
                transfer.received_on, calendar=holiday_calendar()
            ),
            transfer.handled_on,
        )
        if transfer.handled_on:
            add(
                periods.transfer_filing_deadline(
                    transfer.handled_on, calendar=holiday_calendar()
                ),
                transfer.result_filed_on,
            )
    for review in case.reviews.all():
        add(
            periods.review_decision_deadline(
                review.requested_on, calendar=holiday_calendar()
            ),
            review.decided_on,
        )
    for correction in case.corrections.all():
        rows.append(
            {
                "label": "整改期限",
                "end": correction.deadline,
                "days_left": None
                if correction.verified_on
                else periods.days_left(correction.deadline, on),
                "overdue": (correction.verified_on or on) > correction.deadline,
                "done_on": correction.verified_on,
                "provisional": False,
            }
        )
    return rows
