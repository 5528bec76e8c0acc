"""Deadlines that act (Art. 15, 17, 19, 20): the daily check.

Every period still running on an open case, as the deadline engine
(casework.services.time_limits.case_periods) computes it for the case page,
the overdue list and the reports too, is looked at once a day; review
request windows (a party's right, Art. 19) never warn. A yellow warning
goes out ``OversightSettings.warning_days`` calendar days before its last
day, a red one once it has passed; each reaches the
case's active investigators and the supervision head (and, for periods the
agency must meet, the agency's liaisons) in the admin and by e-mail, and is
recorded on the case's timeline.

Each warning exists once per period and level (a unique constraint), and
each person's notice once per warning, so the check can run any number of
times, or be retried after a failure, without sending anything twice. The
mail goes out after the warnings are stored, one notice at a time, each
marked as sent once its mail has left: a failure part way through leaves the
rest for the retry.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import roles, services
from casework.calendar import pinned_calendar
from casework.models import (
    Assignment,
    DeadlineWarning,
    LiaisonAssignment,
    OversightSettings,
    Recusal,
    SupervisionCase,
    WarningNotice,
)
from casework.rules import periods
from casework.rules.stages import Stage

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunningPeriod:
    """A statutory period of a case that has not been met yet.

    ``key`` names the period stably across runs: a new decision round, an
    approved extension or a moved correction deadline is a new period (and
    may warn again); a deadline that moves day by day during an appraisal
    (Art. 16) is the same one.
    """

    key: str
    label: str
    article: str
    end: datetime.date
    agency_facing: bool = False


def running_periods(
    case: SupervisionCase, *, today: datetime.date | None = None
) -> list[RunningPeriod]:
    """Every duty of ``case`` still unmet, whatever its end, as the deadline
    engine (casework.services.time_limits) computes it. Review request
    windows are a party's right, not a duty: they never warn.

    Expects what :func:`open_cases` prefetches."""
    return [
        RunningPeriod(
            key=period.key,
            label=period.label,
            article=period.source,
            end=period.end,
            agency_facing=period.agency_facing,
        )
        for period in services.case_periods(case, today)
        if period.running and not period.window
    ]


def open_cases():
    """The open cases with everything the check reads about them prefetched,
    so a batch of cases costs a fixed number of queries, whatever its size."""
    return (
        SupervisionCase.objects.exclude(stage=Stage.ARCHIVED)
        .select_related("agency")
        .prefetch_related(
            *services.period_prefetches(),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(
                    active=True, investigator__is_active=True
                ),
            ),
            Prefetch(
                "recusals",
                queryset=Recusal.objects.filter(status=Recusal.Status.APPROVED),
                to_attr="prefetched_approved_recusals",
            ),
        )
        .order_by("pk")
    )


def _heads() -> list[int]:
    return list(
        get_user_model()
        .objects.filter(groups__name=roles.HEAD, is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )


def _liaisons() -> dict[int, list[int]]:
    """Active liaisons by agency, read once per run."""
    by_agency: dict[int, list[int]] = {}
    for agency_id, user_id in LiaisonAssignment.objects.filter(
        user__is_active=True
    ).values_list("agency_id", "user_id"):
        by_agency.setdefault(agency_id, []).append(user_id)
    return by_agency


def recipients(
    case,
    period: RunningPeriod,
    heads: list[int],
    liaisons: dict[int, list[int]] | None = None,
) -> list[int]:
    """The people a warning about ``period`` goes to: the case's active,
    non-recused investigators and the head; for a period the agency must
    meet, its liaisons as well."""
    recused = services.recused_user_ids(case)
    people = {
        a.investigator_id
        for a in case.assignments.all()
        if a.investigator_id not in recused
    }
    people.update(p for p in heads if p not in recused)
    if period.agency_facing:
        if liaisons is None:
            liaisons = _liaisons()
        people.update(liaisons.get(case.agency_id, ()))
    return sorted(people)


@dataclass
class CheckResult:
    cases: int = 0
    refreshed: int = 0
    warnings: int = 0
    notices: int = 0
    mails: int = 0

    def as_dict(self) -> dict:
        return {
            "cases": self.cases,
            "refreshed": self.refreshed,
            "warnings": self.warnings,
            "notices": self.notices,
            "mails": self.mails,
        }


# Cases read per round trip: the prefetches above run once per batch.
BATCH_SIZE = 500


def check_deadlines(
    today: datetime.date | None = None, *, mail: bool = True
) -> CheckResult:
    """The daily check: refresh stored deadlines, issue due warnings, mail
    the notices not mailed yet (``mail=False`` leaves them for the next run).
    Safe to run again at any point.

    Its cost is a fixed number of queries per batch of BATCH_SIZE cases, plus
    a few per deadline that moved and per warning issued; a case with nothing
    new costs nothing of its own."""
    today = today or timezone.localdate()
    warn_days = OversightSettings.load().warning_days
    heads = _heads()
    liaisons = _liaisons()
    result = CheckResult()
    with pinned_calendar():
        batch: list[SupervisionCase] = []
        for case in open_cases().iterator(chunk_size=BATCH_SIZE):
            batch.append(case)
            if len(batch) == BATCH_SIZE:
                _check_batch(batch, today, warn_days, heads, liaisons, result)
                batch = []
        if batch:
            _check_batch(batch, today, warn_days, heads, liaisons, result)
    if mail:
        result.mails = deliver_pending_mail()
    logger.info("deadline check %s: %s", today, result.as_dict())
    return result


def _check_batch(cases, today, warn_days, heads, liaisons, result) -> None:
    due: list[tuple[SupervisionCase, RunningPeriod, str]] = []
    for case in cases:
        result.cases += 1
        if services.refresh_deadlines(case, only_if_changed=True):
            result.refreshed += 1
        for period in running_periods(case, today=today):
            level = periods.warning_level(period.end, today, warn_days)
            if level is not None:
                due.append((case, period, level))
    if not due:
        return
    # Most due warnings were issued on an earlier day: one query finds them.
    issued = set(
        DeadlineWarning.objects.filter(
            case__in=[case for case, _, _ in due]
        ).values_list("case_id", "period", "level")
    )
    for case, period, level in due:
        if (case.pk, period.key, level) in issued:
            continue
        created, notices = issue_warning(case, period, level, today, heads, liaisons)
        result.warnings += created
        result.notices += notices


def issue_warning(case, period, level, today, heads, liaisons=None) -> tuple[int, int]:
    """Store one warning and its notices, unless it exists already."""
    with transaction.atomic():
        warning, created = DeadlineWarning.objects.get_or_create(
            case=case,
            period=period.key,
            level=level,
            defaults={
                "label": period.label,
                "article": period.article,
                "due": period.end,
                "issued_on": today,
                "agency_facing": period.agency_facing,
            },
        )
        if not created:
            return 0, 0
        notices = WarningNotice.objects.bulk_create(
            [
                WarningNotice(warning=warning, recipient_id=person)
                for person in recipients(case, period, heads, liaisons)
            ],
            ignore_conflicts=True,
        )
    return 1, len(notices)


def _mail_text(notice: WarningNotice) -> tuple[str, str]:
    warning = notice.warning
    case = warning.case
    level = (
        _("red warning")
        if warning.level == DeadlineWarning.Level.RED
        else _("yellow warning")
    )
    subject = _("[Deadline %(level)s] %(number)s %(label)s") % {
        "level": level,
        "number": case.number,
        "label": warning.label,
    }
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "casework_case:detail", args=[case.pk]
    )
    body = _(
        "%(name)s:\n\nCase: %(number)s %(title)s\nAgency: %(agency)s\n"
        "%(message)s\n\nView the case: %(link)s\n\n"
        "This e-mail is sent automatically by the Licheng District administrative "
        "enforcement supervision platform for the periods set by the "
        "《Licheng District Implementing Measures for Duty Performance, Error "
        "Tolerance and Correction in Administrative Enforcement (Trial)》; "
        "please do not reply."
    ) % {
        "name": notice.recipient.get_full_name() or notice.recipient.get_username(),
        "number": case.number,
        "title": case.title,
        "agency": case.agency.name,
        "message": warning.message,
        "link": link,
    }
    return subject, body


def deliver_pending_mail() -> int:
    """E-mail every notice not mailed yet, one at a time.

    Each notice is locked while its mail is sent and marked once it has left,
    so two workers never send the same notice and a failure part way through
    (the mail server refusing) leaves exactly the unsent ones for the retry.
    People without an e-mail address see the warning in the admin only.
    """
    pending = list(
        WarningNotice.objects.filter(emailed_at__isnull=True)
        .exclude(recipient__email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in pending:
        with transaction.atomic():
            notice = (
                WarningNotice.objects.select_for_update(skip_locked=True)
                .select_related("warning__case__agency", "recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if notice is None:
                continue
            subject, body = _mail_text(notice)
            send_mail(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [notice.recipient.email],
            )
            notice.emailed_at = timezone.now()
            notice.save(update_fields=["emailed_at"])
            sent += 1
    return sent


def notices_for(user):
    """The user's notices about cases they may still see (a recusal after
    the warning hides it)."""
    return WarningNotice.objects.filter(
        recipient=user,
        warning__case__in=SupervisionCase.objects.visible_to(user),
    ).select_related("warning__case")


def mark_read(user, notice_ids=None) -> int:
    """Mark the user's notices read (all unread ones when no ids are given)."""
    unread = WarningNotice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=notice_ids)
    return unread.update(read_at=timezone.now())


__all__ = [
    "CheckResult",
    "RunningPeriod",
    "check_deadlines",
    "deliver_pending_mail",
    "issue_warning",
    "mark_read",
    "notices_for",
    "recipients",
    "running_periods",
]
