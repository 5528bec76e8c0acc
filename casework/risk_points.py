"""Risk points (易错风险点) and warnings to agencies (警示提醒), Art. 21.

The daily detection (casework.tasks.detect_risk_points) feeds the case
records to the pure rule casework.rules.risk.detect_recurrences with the
threshold and window the office sets (OversightSettings). A recurrence opens
a risk point listing the cases behind it; while the risk point is live,
later runs add new cases to it instead of opening another (a unique
constraint backs this). Once closed, it opens again only if a case newer
than its closing is found.

The office then analyses the root cause and issues a warning to each agency
concerned, which the agency answers with the measures taken and the office
verifies: tracked like a correction (Art. 20).
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import roles, services
from casework.models import (
    Agency,
    CaseOfficer,
    EnforcementField,
    ErrorType,
    OversightSettings,
    RiskPoint,
    RiskWarning,
)
from casework.rules import risk
from casework.rules.articles import Outcome
from casework.rules.provenance import Article, OfficeRule
from casework.services import refuse, require
from portal.history import records_actor

__all__ = [
    "analyse_risk_point",
    "close_risk_point",
    "detect_risk_points",
    "error_observations",
    "issue_risk_warnings",
    "report_risk_warning",
    "risk_trend",
    "verify_risk_warning",
]


def error_observations(first_day: datetime.date, last_day: datetime.date):
    """Cases in which an error was found between the two days: a person
    concerned was determined other than duty fulfilled (Art. 9), whatever
    tolerance followed, since an exempted mistake is still an error-prone
    situation in the sense of Art. 21."""
    rows = (
        CaseOfficer.objects.filter(
            determination__decided_on__gte=first_day,
            determination__decided_on__lte=last_day,
        )
        .exclude(determination__outcome=Outcome.DUTY_FULFILLED)
        .values_list(
            "case_id",
            "case__agency_id",
            "case__field_id",
            "error_type",
            "determination__decided_on",
        )
    )
    return [
        risk.ErrorObservation(
            case_id=case_id,
            agency_id=agency_id,
            field_id=field_id,
            error_type=error_type,
            found_on=found_on,
        )
        for case_id, agency_id, field_id, error_type, found_on in rows
    ]


def _target(scope: str, target_id: int) -> dict:
    if scope == risk.FIELD:
        return {"field_id": target_id, "agency_id": None}
    return {"agency_id": target_id, "field_id": None}


def detect_risk_points(on: datetime.date | None = None) -> list[RiskPoint]:
    """Open or update the risk points for the recurrences found on ``on``;
    return those opened by this run. Idempotent: a second run the same day
    finds the same recurrences and changes nothing."""
    on = on or timezone.localdate()
    config = OversightSettings.load()
    first_day = risk.window_start(on, config.risk_window_days)
    recurrences = risk.detect_recurrences(
        error_observations(first_day, on),
        today=on,
        window_days=config.risk_window_days,
        threshold=config.risk_threshold,
    )
    opened = []
    for recurrence in recurrences:
        point, created = _record(recurrence, on, config)
        if created:
            opened.append(point)
    return opened


def _record(recurrence: risk.Recurrence, on, config) -> tuple[RiskPoint | None, bool]:
    target = _target(recurrence.scope, recurrence.target_id)
    same = RiskPoint.objects.filter(
        scope=recurrence.scope, error_type=recurrence.error_type, **target
    )
    try:
        with transaction.atomic():
            point = same.exclude(status=RiskPoint.Status.CLOSED).first()
            created = False
            if point is None:
                closed = (
                    same.filter(status=RiskPoint.Status.CLOSED)
                    .order_by("-closed_on")
                    .first()
                )
                if closed and closed.closed_on >= recurrence.last_found_on:
                    # Handled already: nothing found since it was closed.
                    return None, False
                point = RiskPoint.objects.create(
                    scope=recurrence.scope,
                    error_type=recurrence.error_type,
                    threshold=config.risk_threshold,
                    window_days=config.risk_window_days,
                    first_detected_on=on,
                    last_detected_on=on,
                    **target,
                )
                created = True
            point.cases.add(*recurrence.case_ids)
            count = point.cases.count()
            if created or count != point.case_count or point.last_detected_on != on:
                point.case_count = count
                point.last_detected_on = on
                point.save(update_fields=["case_count", "last_detected_on"])
    except IntegrityError:
        # A concurrent run opened it first; the next run updates that one.
        return None, False
    return point, created


# --- The office's follow-up -------------------------------------------------------


def _require_office(user) -> None:
    require(
        roles.is_officer(user),
        _("Only staff of the supervision office may handle this matter."),
    )


@records_actor
def analyse_risk_point(point: RiskPoint, *, user, analysis: str) -> RiskPoint:
    """Record the root cause found (问题症结, Art. 21)."""
    _require_office(user)
    require(
        point.status != RiskPoint.Status.CLOSED, _("This risk point is already closed.")
    )
    require(analysis.strip(), _("Enter the analysis of the risk point's root cause."))
    point.analysis = analysis.strip()
    point.save(update_fields=["analysis"])
    return point


@records_actor
def issue_risk_warnings(
    point: RiskPoint,
    *,
    user,
    agencies,
    content: str,
    requirements: str,
    deadline: datetime.date,
) -> list[RiskWarning]:
    """Issue a warning (警示提醒) to each agency concerned, with what it must
    do and by when; all or none."""
    _require_office(user)
    agencies = list(agencies)
    problems = []
    if point.status == RiskPoint.Status.CLOSED:
        problems.append(_("This risk point is closed; no more warnings can be sent."))
    if not agencies:
        problems.append(_("Choose the agencies to receive the warning."))
    if not content.strip():
        problems.append(_("State the risk point and the root of the problem."))
    if not requirements.strip():
        problems.append(_("State the rectification requirements."))
    if deadline is None or deadline <= services.today():
        problems.append(_("The reporting deadline must be after today."))
    already = set(
        point.warnings.filter(agency__in=agencies).values_list(
            "agency__name", flat=True
        )
    )
    if already:
        problems.append(
            _("A warning on this risk point was already sent to %(agencies)s.")
            % {"agencies": "、".join(sorted(already))}
        )
    if problems:
        refuse(*problems)
    issued = []
    with transaction.atomic():
        for agency in agencies:
            issued.append(
                RiskWarning.objects.create(
                    risk_point=point,
                    agency=agency,
                    content=content.strip(),
                    requirements=requirements.strip(),
                    deadline=deadline,
                    issued_on=services.today(),
                    created_by=user,
                )
            )
        if point.status == RiskPoint.Status.OPEN:
            point.status = RiskPoint.Status.WARNED
            point.save(update_fields=["status"])
    return issued


def _may_answer(warning: RiskWarning, user) -> bool:
    return roles.is_officer(user) or (
        roles.is_liaison(user) and warning.agency.liaisons.filter(user=user).exists()
    )


@records_actor
def report_risk_warning(warning: RiskWarning, *, user, report: str) -> RiskWarning:
    """The agency reports the measures taken in answer to a warning."""
    require(
        _may_answer(warning, user),
        _("Only a liaison of the warned agency may report the rectification."),
    )
    require(
        warning.status == RiskWarning.Status.OPEN,
        _("The rectification of this warning has already been reported."),
    )
    require(report.strip(), _("Enter the rectification measures taken."))
    warning.report = report.strip()
    warning.reported_on = services.today()
    warning.status = RiskWarning.Status.REPORTED
    warning.save(update_fields=["report", "reported_on", "status"])
    return warning


@records_actor
def verify_risk_warning(warning: RiskWarning, *, user) -> RiskWarning:
    _require_office(user)
    require(
        warning.status == RiskWarning.Status.REPORTED,
        _("It can be verified only after the warned agency reports the rectification."),
    )
    warning.status = RiskWarning.Status.VERIFIED
    warning.verified_on = services.today()
    warning.verified_by = user
    warning.save(update_fields=["status", "verified_on", "verified_by"])
    return warning


@records_actor
def close_risk_point(point: RiskPoint, *, user) -> RiskPoint:
    """销号: the root cause is recorded and every warning's answer verified."""
    # Art. 21 names no one to close a risk point: the office's rule.
    require(
        roles.is_head(user),
        _("Closing a risk point needs the supervision head's consent"),
        source=OfficeRule("risk_point_closed_by_head"),
    )
    require(
        point.status != RiskPoint.Status.CLOSED, _("This risk point is already closed.")
    )
    require(
        point.analysis.strip(),
        _("Enter the root-cause analysis of the risk point first."),
    )
    require(
        point.warnings.exists(),
        _(
            "A risk point found is to be warned about; no warning has "
            "been sent yet, so it cannot be closed"
        ),
        source=Article(21),
    )
    require(
        not point.warnings.exclude(status=RiskWarning.Status.VERIFIED).exists(),
        _("The rectification of some warnings is not yet verified."),
    )
    point.status = RiskPoint.Status.CLOSED
    point.closed_on = services.today()
    point.save(update_fields=["status", "closed_on"])
    return point


# --- Trend (admin charts) ---------------------------------------------------------


def _bars(counter: Counter, labels: dict) -> list[dict]:
    top = max(counter.values(), default=0)
    rows = [
        {
            "label": labels.get(key, str(key)),
            "count": n,
            "percent": round(100 * n / top) if top else 0,
        }
        for key, n in counter.items()
    ]
    rows.sort(key=lambda r: (-r["count"], r["label"]))
    return rows


def risk_trend(on: datetime.date | None = None, months: int = 12) -> dict:
    """Error cases per field, per agency and per month over the last
    ``months`` months (Art. 21), in three queries, as bars whose lengths are
    percentages of the largest value."""
    on = on or timezone.localdate()
    first = on.replace(day=1)
    for _month in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    observations = error_observations(first, on)
    cases = {o.case_id: o for o in sorted(observations, key=lambda o: o.found_on)}
    per_field = Counter(o.field_id for o in cases.values())
    per_agency = Counter(o.agency_id for o in cases.values())
    per_type = Counter(o.error_type for o in observations)
    per_month = Counter(f"{o.found_on:%Y-%m}" for o in cases.values())
    month_keys = []
    day = first
    while day <= on:
        month_keys.append(f"{day:%Y-%m}")
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    top_month = max(per_month.values(), default=0)
    month_rows = [
        {
            "label": _("%(year)s-%(month)s") % {"year": key[:4], "month": int(key[5:])},
            "count": per_month.get(key, 0),
            "percent": round(100 * per_month.get(key, 0) / top_month)
            if top_month
            else 0,
        }
        for key in month_keys
    ]
    field_names = dict(
        EnforcementField.objects.filter(pk__in=per_field).values_list("pk", "name")
    )
    agency_names = dict(
        Agency.objects.filter(pk__in=per_agency).values_list("pk", "name")
    )
    return {
        "first": first,
        "last": on,
        "total": len(cases),
        "per_field": _bars(per_field, field_names),
        "per_agency": _bars(per_agency, agency_names),
        "per_type": _bars(per_type, dict(ErrorType.choices)),
        "per_month": month_rows,
    }
