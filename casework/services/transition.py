"""Stage transitions (Art. 14) and the facts the stage rules read."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from audit import audited
from audit.models import Action as AuditAction
from casework import roles
from casework.calendar import holiday_calendar
from casework.history import records_actor
from casework.models import (
    Activity,
    CaseDocument,
    Correction,
    Determination,
    Review,
    StageChange,
    SupervisionCase,
)
from casework.rules import periods
from casework.rules.stages import CaseFacts, Stage, check_transition
from casework.services.common import (
    _lock,
    _require_case_date,
    refuse,
    require,
    require_access,
    require_officer,
)
from casework.services.common import (
    _today as today,
)
from casework.services.investigation import recused_user_ids
from casework.services.time_limits import refresh_deadlines

# --- Stages ---------------------------------------------------------------------


def archive_missing(case) -> list[str]:
    """The completeness check of the case file before archiving."""
    missing = []
    current = case.decision_round
    if not case.documents.filter(
        kind=CaseDocument.Kind.DECISION_NOTICE, round=current
    ).exists():
        missing.append("行政执法监督决定书")
    if not case.notifications.filter(round=current).exists():
        missing.append("送达记录")
    if case.case_officers.exclude(determination__round=current).exists():
        missing.append("全部被调查人的认定")
    if case.hearings.filter(held_on__isnull=True).exists():
        missing.append("听证笔录")
    return missing


def case_facts(case, on: datetime.date | None = None) -> CaseFacts:
    on = on or today()
    officers = case.case_officers.all()
    decision_received = case.notified_on
    latest_review = case.reviews.order_by("-created_at").first()
    return CaseFacts(
        stage=case.stage,
        active_investigator_count=case.assignments.filter(active=True)
        .exclude(investigator_id__in=recused_user_ids(case))
        .count(),
        officers_total=officers.count(),
        officers_with_statement=officers.filter(statement__isnull=False).count(),
        # Only this round's determinations count: a reopened case (Art. 19)
        # is determined again.
        officers_determined=officers.filter(
            determination__round=case.decision_round
        ).count(),
        pending_appraisal=case.activities.filter(
            kind=Activity.Kind.APPRAISAL, appraisal_ended_on__isnull=True
        ).exists(),
        hearing_pending=case.hearings.filter(held_on__isnull=True).exists(),
        transfer_pending=case.transfers.filter(result_filed_on__isnull=True).exists(),
        notifications_done=case.notifications.filter(
            round=case.decision_round
        ).exists(),
        correction_required=case.correction_required,
        corrections_open=case.corrections.exclude(
            status=Correction.Status.VERIFIED
        ).count(),
        review_pending=case.reviews.filter(result="").exists(),
        # A decision made again after a changed review opens a new window.
        review_window_open=bool(
            decision_received
            and not case.reviews.filter(requested_on__gte=case.decided_on).exists()
            and on
            <= periods.review_request_deadline(
                decision_received, calendar=holiday_calendar()
            ).end
        ),
        review_changed_result=bool(
            latest_review
            and latest_review.result in (Review.Result.CHANGED, Review.Result.REVOKED)
            and latest_review.decided_on
            and not case.stage_changes.filter(
                to_stage=Stage.DETERMINED, created_at__gte=latest_review.created_at
            ).exists()
        ),
        archive_missing=tuple(archive_missing(case))
        if case.stage in (Stage.NOTIFIED, Stage.CORRECTING)
        else (),
    )


@records_actor
@audited(
    AuditAction.CASE_STAGE,
    detail=lambda result, kw: {
        "to": result.stage,
        "system": kw.get("system", False),
    },
)
def transition(
    case,
    target: str,
    *,
    user,
    note: str = "",
    decided_on: datetime.date | None = None,
    system: bool = False,
) -> SupervisionCase:
    """Move a case to another stage: the only way its stage changes (Art. 14).

    Moving to 反馈 records the decision (Art. 17) on ``decided_on`` (today by
    default): not before the last determination, not in the future."""
    if not system:
        require_officer(user)
        require_access(case, user)
        if target == Stage.NOTIFIED:
            # The head signs the supervision decision (DESIGN: "sign decisions").
            require(roles.is_head(user), "监督决定须由负责人签发。")
    with transaction.atomic():
        case = _lock(case)
        errors = check_transition(case_facts(case), target)
        if errors:
            refuse(*errors)
        previous = case.stage
        case.stage = target
        if target == Stage.NOTIFIED and case.decided_on is None:
            decided_on = decided_on or today()
            latest = (
                Determination.objects.filter(case_officer__case=case)
                .order_by("-decided_on")
                .values_list("decided_on", flat=True)
                .first()
            )
            _require_case_date(decided_on, case, "决定日期")
            require(
                latest is None or decided_on >= latest,
                "决定日期不能早于最后一项认定的日期。",
            )
            case.decided_on = decided_on
        if target == Stage.DETERMINED and previous in (
            Stage.NOTIFIED,
            Stage.CORRECTING,
        ):
            # A changed review result: determine, decide and serve again, in
            # a new round that earlier determinations and service do not meet.
            case.decided_on = None
            case.notified_on = None
            case.decision_round += 1
            case.reopened_on = today()
        if target == Stage.ARCHIVED:
            case.archived_at = timezone.now()
        case.save()
        StageChange.objects.create(
            case=case, from_stage=previous, to_stage=target, note=note, created_by=user
        )
        refresh_deadlines(case)
    return case
