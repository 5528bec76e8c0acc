"""The deadline engine: every period (期限) of a case, computed in one place.

The case page (``deadlines``), the overdue list and filter (the stored
``SupervisionCase.next_due`` that ``refresh_deadlines`` writes from here), the
daily warning job (``casework.deadlines``) and the periodic reports all read
:func:`case_periods`, so they cannot disagree.

Periods and their sources:

- decision (Art. 17): 30 days from filing; appraisal time is not counted
  (Art. 16) and, by reading ``transfer_pauses_decision_period`` (Art. 15, 17),
  neither is the time a transfer is with the agency; approved extensions
  (at most 30 days in total, Art. 17) run on from the original end. After a
  review reopened the case, the office rule ``reopened_decision_days``;
- notification (Art. 17): within 7 days of the decision, one row for the
  agency concerned and one for each person determined in this round (reading
  ``notification_recipients``); each missing one is overdue after day 7;
- the agency's transfer track (Art. 15): handling within 30 days of receipt,
  its result filed within 7 days of handling;
- review request windows (Art. 19): 15 days from each recipient's receipt of
  the decision. A window is the applicant's, not a duty: it expires, it is
  never overdue;
- review decision (Art. 19): 30 days from the request;
- correction (Art. 20): the deadline set (moved by approved extensions), met
  when the agency reports completion.

Counting is the office's rule ``calendar_days`` (calendar days, start day not
counted, an end on a non-working day rolls over): the measure is silent on it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import office_rules
from casework.calendar import holiday_calendar, pinned_calendar
from casework.models import (
    Activity,
    CaseOfficer,
    Correction,
    CorrectionProgress,
    Extension,
    Notification,
    Review,
    SupervisionCase,
    Transfer,
)
from casework.rules import intervals, periods
from casework.rules.provenance import Article
from casework.services.common import _today as today

OFFICE_RULE = gettext_lazy("office rule")
UNCONFIRMED_NOTE = gettext_lazy(
    "The office has not yet confirmed that year's holiday arrangements; "
    "the deadline may change"
)


@dataclass(frozen=True, slots=True)
class Period:
    """One period of a case.

    ``key`` names it stably across days (the warning job issues one warning
    per key and level); ``source`` is what the period rests on (an article,
    or 本机构工作规则); ``window`` marks a party's right (the review request
    window), which expires but is never overdue; ``unconfirmed`` says that
    the end falls in a year whose holidays the office has not confirmed.
    """

    key: str
    label: str
    source: str
    start: datetime.date
    end: datetime.date
    done_on: datetime.date | None = None
    agency_facing: bool = False
    window: bool = False
    unconfirmed: bool = False
    note: str = ""
    # Shown to the agency's liaisons without the person's name: who was
    # determined is internal to the office until the decision reaches them.
    agency_label: str = ""

    @property
    def running(self) -> bool:
        return self.done_on is None

    def overdue(self, on: datetime.date) -> bool:
        """Met late, or still unmet after its last day; never for a window."""
        if self.window:
            return False
        return (self.done_on or on) > self.end

    def days_left(self, on: datetime.date) -> int | None:
        return None if self.done_on else periods.days_left(self.end, on)


# --- Reading the case (prefetched by casework.deadlines.open_cases) ----------------


def _appraisal_spans(case, on) -> list[intervals.Span]:
    prefetched = getattr(case, "prefetched_appraisals", None)
    rows = (
        [(a.appraisal_started_on, a.appraisal_ended_on) for a in prefetched]
        if prefetched is not None
        else case.activities.filter(
            kind=Activity.Kind.APPRAISAL, appraisal_started_on__isnull=False
        ).values_list("appraisal_started_on", "appraisal_ended_on")
    )
    return [(started, ended or on) for started, ended in rows]


def _transfer_spans(case, on) -> list[intervals.Span]:
    # Reading transfer_pauses_decision_period (Art. 15, 17): from the agency's
    # receipt until its result is filed with the office.
    return [
        (t.received_on, t.result_filed_on or on)
        for t in case.transfers.all()
        if t.received_on
    ]


def approved_extension_days(case) -> int:
    """Approved extension days in total, never more than 30 (Art. 17)."""
    prefetched = getattr(case, "prefetched_approved_extensions", None)
    rows = (
        prefetched
        if prefetched is not None
        else case.extensions.filter(status=Extension.Status.APPROVED)
    )
    return min(sum(e.days for e in rows), periods.EXTENSION_MAX_DAYS)


def _pause_spans(case, on) -> list[intervals.Span]:
    return _appraisal_spans(case, on) + _transfer_spans(case, on)


def decision_deadline(
    case,
    on: datetime.date | None = None,
    *,
    extension_days: int | None = None,
) -> periods.Deadline:
    """When the decision is due (Art. 16, 17; Art. 15 by reading).

    ``extension_days`` replaces the approved total, to ask what the deadline
    would be without (or with) an extension being decided."""
    on = on or today()
    calendar = holiday_calendar()
    if case.reopened_on:
        label, start, ext = _("re-determination deadline"), case.reopened_on, 0
        days = office_rules.value("reopened_decision_days")
    else:
        label, start, days = (
            _("investigation deadline"),
            case.filed_on,
            periods.INVESTIGATION_DAYS,
        )
        ext = (
            approved_extension_days(case) if extension_days is None else extension_days
        )

    def end_for(paused: int) -> datetime.date:
        end = periods.period_end(start, days, paused_days=paused, calendar=calendar)
        return periods.period_end(end, ext, calendar=calendar) if ext else end

    paused = intervals.pause_while_running(start, _pause_spans(case, on), end_for)
    end = end_for(paused)
    return periods.Deadline(
        label=_("investigation deadline (extended)") if ext else label,
        start=start,
        end=end,
        days=days + ext,
        paused_days=paused,
        provisional=not calendar.covers(end.year),
    )


def paused_days(case, on: datetime.date | None = None) -> int:
    """Days not counted in the decision period: appraisal (Art. 16) and
    transfer (reading, Art. 15 and 17), overlaps once, only while it ran."""
    return decision_deadline(case, on).paused_days


def _determined(case) -> list:
    """The persons determined in the current round."""
    found = []
    for link in case.case_officers.all():
        determination = getattr(link, "determination", None)
        if determination is not None and determination.round == case.decision_round:
            found.append(link)
    return found


def _served(case) -> list[Notification]:
    return [n for n in case.notifications.all() if n.round == case.decision_round]


def _same(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def _correction_done(correction) -> datetime.date | None:
    """Met when the agency reports completion (Art. 20: 纠错对象应当在规定期限内
    完成纠错整改); verification by the office follows."""
    reported = [p.reported_on for p in correction.progress_reports.all() if p.completed]
    if reported:
        return min(reported)
    if correction.status != Correction.Status.OPEN:
        return correction.verified_on or correction.deadline
    return None


# --- The engine ---------------------------------------------------------------------


def case_periods(case, on: datetime.date | None = None) -> list[Period]:
    """Every period of ``case`` on ``on`` (today by default), in order."""
    with pinned_calendar():
        return _case_periods(case, on or today())


def _case_periods(case, on: datetime.date) -> list[Period]:
    calendar = holiday_calendar()
    found: list[Period] = []

    def add(**kw):
        found.append(Period(unconfirmed=not calendar.covers(kw["end"].year), **kw))

    decision = decision_deadline(case, on)
    extended = approved_extension_days(case) if not case.reopened_on else 0
    notes = []
    if extended:
        notes.append(
            _("including %(days)s days extended with the head's approval (Art. 17)")
            % {"days": extended}
        )
    if decision.paused_days:
        why = []
        if _appraisal_spans(case, on):
            why.append(_("appraisal time, Art. 16"))
        if case.transfers.all():
            why.append(
                _(
                    "while transferred to the agency, office reading: a transfer"
                    " pauses the office's time limit, see Art. 15 and Art. 17"
                )
            )
        notes.append(
            _("%(days)s days not counted (%(why)s)")
            % {"days": decision.paused_days, "why": "；".join(why)}
        )
    add(
        key=f"decision:r{case.decision_round}"
        + (f":ext{extended}" if extended else ""),
        label=_("re-determination deadline")
        if case.reopened_on
        else _("investigation deadline"),
        source=str(OFFICE_RULE) if case.reopened_on else Article(17).label,
        start=decision.start,
        end=decision.end,
        done_on=case.decided_on,
        note="；".join(n for n in notes if n),
    )
    if case.decided_on:
        due = periods.notification_deadline(case.decided_on, calendar=calendar).end
        served = _served(case)
        agency_name = case.agency.name
        agency_served = [
            n.served_on
            for n in served
            if not n.is_party and _same(n.recipient, agency_name)
        ]
        add(
            key=f"notification:r{case.decision_round}:agency",
            label=_("notification due (%(name)s)") % {"name": agency_name},
            source=Article(17).label,
            start=case.decided_on,
            end=due,
            done_on=min(agency_served) if agency_served else None,
        )
        for link in _determined(case):
            name = link.officer.name
            dates = [
                n.served_on for n in served if n.is_party and _same(n.recipient, name)
            ]
            add(
                key=f"notification:r{case.decision_round}:officer:{link.pk}",
                label=_("notification due (%(name)s)") % {"name": name},
                agency_label=_("notification due (party)"),
                source=Article(17).label,
                start=case.decided_on,
                end=due,
                done_on=min(dates) if dates else None,
            )
        requested = [r for r in case.reviews.all() if r.requested_on >= case.decided_on]
        for notice in served:
            window = periods.review_request_deadline(
                notice.served_on, calendar=calendar
            ).end
            asked = [
                r.requested_on
                for r in requested
                if _same(r.applicant, notice.recipient)
            ]
            add(
                key=f"review-window:{notice.pk}",
                label=_("review request window (%(name)s)")
                % {"name": notice.recipient},
                agency_label=_("review request window (party)")
                if notice.is_party
                else "",
                source=Article(19).label,
                start=notice.served_on,
                end=window,
                done_on=min(asked) if asked else None,
                window=True,
            )
    for transfer in case.transfers.all():
        handling = periods.transfer_handling_deadline(
            transfer.received_on, calendar=calendar
        ).end
        add(
            key=f"transfer:{transfer.pk}:handling",
            label=_("transfer handling deadline"),
            source=Article(15).label,
            start=transfer.received_on,
            end=handling,
            done_on=transfer.handled_on,
            agency_facing=True,
        )
        if transfer.handled_on:
            add(
                key=f"transfer:{transfer.pk}:filing",
                label=_("deadline to file the handling result"),
                source=Article(15).label,
                start=transfer.handled_on,
                end=periods.transfer_filing_deadline(
                    transfer.handled_on, calendar=calendar
                ).end,
                done_on=transfer.result_filed_on,
                agency_facing=True,
            )
    for review in case.reviews.all():
        add(
            key=f"review:{review.pk}",
            label=_("review decision deadline"),
            source=Article(19).label,
            start=review.requested_on,
            end=periods.review_decision_deadline(
                review.requested_on, calendar=calendar
            ).end,
            done_on=review.decided_on,
        )
    for correction in case.corrections.all():
        add(
            key=f"correction:{correction.pk}:{correction.deadline:%Y%m%d}",
            label=_("rectification deadline"),
            source=Article(20).label,
            start=case.decided_on or case.filed_on,
            end=correction.deadline,
            done_on=_correction_done(correction),
            agency_facing=True,
        )
    return found


def next_due(found: list[Period]) -> datetime.date | None:
    """The earliest last day among unmet duties: the case is overdue from
    the day after it (windows are rights, not duties)."""
    ends = [p.end for p in found if p.running and not p.window]
    return min(ends) if ends else None


def refresh_deadlines(case, *, only_if_changed: bool = False) -> bool:
    """Store what the engine says the case is due: the decision and
    notification deadlines and ``next_due`` (which the overdue list reads);
    say whether anything moved.

    A running appraisal moves the decision deadline a day each day, so the
    daily deadline check (casework.deadlines) calls this for every open case
    with ``only_if_changed`` to skip the write when nothing moved; the
    services write unconditionally, since the case object they hold may
    predate another write."""
    found = case_periods(case)
    decision = found[0]
    notification = [p.end for p in found if p.key.startswith("notification:")]
    values = {
        "decision_due": decision.end,
        "notification_due": notification[0] if notification else None,
        "next_due": next_due(found) if not case.is_archived else None,
    }
    changed = any(getattr(case, k) != v for k, v in values.items())
    for k, v in values.items():
        setattr(case, k, v)
    if changed or not only_if_changed:
        SupervisionCase.objects.filter(pk=case.pk).update(**values)
    return changed


def period_prefetches() -> list[Prefetch]:
    """What the engine reads about a case, one query per relation: the case
    page and the daily check both load it this way, so neither's cost grows
    with a case's persons, corrections or appraisals."""
    return [
        Prefetch("transfers", queryset=Transfer.objects.order_by("pk")),
        Prefetch("reviews", queryset=Review.objects.order_by("pk")),
        Prefetch("corrections", queryset=Correction.objects.order_by("pk")),
        Prefetch(
            "corrections__progress_reports",
            queryset=CorrectionProgress.objects.order_by("pk"),
        ),
        Prefetch("notifications", queryset=Notification.objects.order_by("pk")),
        Prefetch(
            "case_officers",
            queryset=CaseOfficer.objects.select_related(
                "officer", "determination"
            ).order_by("pk"),
        ),
        Prefetch(
            "activities",
            queryset=Activity.objects.filter(
                kind=Activity.Kind.APPRAISAL, appraisal_started_on__isnull=False
            ).order_by("pk"),
            to_attr="prefetched_appraisals",
        ),
        Prefetch(
            "extensions",
            queryset=Extension.objects.filter(
                status=Extension.Status.APPROVED
            ).order_by("pk"),
            to_attr="prefetched_approved_extensions",
        ),
    ]


def prefetch_for_periods(case) -> None:
    """Load what the engine reads about ``case`` (see period_prefetches)."""
    prefetch_related_objects([case], *period_prefetches())


def deadlines(
    case, on: datetime.date | None = None, *, agency_view: bool = False
) -> list[dict]:
    """The case page's deadline table: every period with its state."""
    on = on or today()
    if not getattr(case, "_prefetched_objects_cache", None):
        prefetch_for_periods(case)
    return [
        {
            "label": (p.agency_label or p.label) if agency_view else p.label,
            "source": p.source,
            "end": p.end,
            "days_left": p.days_left(on),
            "overdue": p.overdue(on),
            "expired": p.window and p.running and on > p.end,
            "window": p.window,
            "done_on": p.done_on,
            "provisional": p.unconfirmed,
            "unconfirmed": p.unconfirmed,
            "note": p.note,
            "agency_facing": p.agency_facing,
            "key": p.key,
        }
        for p in case_periods(case, on)
    ]


def overdue_keys(case, on: datetime.date | None = None) -> set[str]:
    """The keys of the periods overdue and still unmet on ``on``."""
    on = on or today()
    return {p.key for p in case_periods(case, on) if p.running and p.overdue(on)}


# --- Keeping the stored dues current --------------------------------------------------
# Every write that can meet or move a period re-runs the engine for its case,
# whatever path it took (services, admin, demo loader), so the overdue list
# never lags the case page.


def _refresh_case_of(instance) -> None:
    case = SupervisionCase.objects.filter(pk=instance.case_id).first()
    if case is not None:
        refresh_deadlines(case)


@receiver(post_save, sender=Notification, dispatch_uid="time_limits_notification")
@receiver(post_save, sender=Transfer, dispatch_uid="time_limits_transfer")
@receiver(post_save, sender=Review, dispatch_uid="time_limits_review")
@receiver(post_save, sender=Correction, dispatch_uid="time_limits_correction")
@receiver(post_save, sender=Extension, dispatch_uid="time_limits_extension")
def _case_period_written(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _refresh_case_of(instance)


@receiver(post_save, sender=CorrectionProgress, dispatch_uid="time_limits_progress")
def _correction_progress_written(sender, instance, raw=False, **kwargs) -> None:
    if not raw and instance.completed:
        _refresh_case_of(instance.correction)


__all__ = [
    "UNCONFIRMED_NOTE",
    "Period",
    "approved_extension_days",
    "case_periods",
    "deadlines",
    "decision_deadline",
    "next_due",
    "overdue_keys",
    "paused_days",
    "refresh_deadlines",
]
