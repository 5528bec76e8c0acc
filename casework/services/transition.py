"""Stage transitions (Art. 14) and the facts the stage rules read."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import audited
from audit.models import Action as AuditAction
from casework import office_rules, roles
from casework.calendar import holiday_calendar
from casework.models import (
    ActFinding,
    Activity,
    CaseDocument,
    Correction,
    Determination,
    Review,
    StageChange,
    SupervisionCase,
)
from casework.rules import periods
from casework.rules.provenance import Article, OfficeRule
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
from portal.history import records_actor

# --- Stages ---------------------------------------------------------------------


def archive_missing(case) -> list[str]:
    """The completeness check of the case file before archiving."""
    missing = []
    current = case.decision_round
    if not case.documents.filter(
        kind=CaseDocument.Kind.DECISION_NOTICE, round=current
    ).exists():
        missing.append(_("administrative law enforcement supervision decision"))
    if not case.notifications.filter(round=current).exists():
        missing.append(_("service record"))
    if case.case_officers.exclude(determination__round=current).exists():
        missing.append(_("determinations of all persons concerned"))
    if case.hearings.filter(held_on__isnull=True).exists():
        missing.append(_("minutes"))
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
        # Waiting for the window to close before archiving is an office rule.
        review_window_open=bool(
            office_rules.enabled("archive_after_review_window")
            and decision_received
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
        act_finding_missing=bool(
            not case.act_finding and office_rules.enabled("act_finding_before_archive")
        ),
        opinion_letter_missing=bool(
            ActFinding.calls_for_letter(case.act_finding)
            and not case.documents.filter(
                kind=CaseDocument.Kind.OPINION_LETTER
            ).exists()
        ),
    )


def may_move(user, target: str) -> bool:
    """Whether ``user`` may move a case to ``target`` at all (before the
    case's own guards): supervision officers; serving the decision (反馈) only
    the head while office rule ``decision_signed_by_head`` is on. The case
    page offers only these moves; transition() refuses the others."""
    if not roles.is_officer(user):
        return False
    if target == Stage.NOTIFIED and office_rules.enabled("decision_signed_by_head"):
        return roles.is_head(user)
    return True


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
        if target == Stage.NOTIFIED and office_rules.enabled("decision_signed_by_head"):
            # Art. 14 and 17 name no signer of the decision: the office's rule.
            require(
                roles.is_head(user),
                _("The supervision decision is signed by the head"),
                source=OfficeRule("decision_signed_by_head"),
            )
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
            _require_case_date(decided_on, case, _("decided on"))
            require(
                latest is None or decided_on >= latest,
                _(
                    "The decision date cannot be before the date of the last"
                    " determination."
                ),
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


@records_actor
@audited(
    AuditAction.CASE_STAGE,
    detail=lambda result, kw: {"act_finding": result.act_finding},
)
def record_act_finding(
    case, *, user, finding: str, reasons: str, found_on=None
) -> SupervisionCase:
    """Record whether the enforcement act under review is unlawful or improper
    (Art. 18 para. 2), apart from each officer's outcome: an act can be
    unlawful while the officer fulfilled duty (Art. 9(2)). Where it is, the
    opinion letter must be issued before archiving."""
    require_officer(user)
    require_access(case, user)
    require(
        finding in ActFinding.values,
        _("Please choose the finding on the supervised enforcement act."),
    )
    require(reasons.strip(), _("Please state the reasons for the finding."))
    found_on = found_on or today()
    with transaction.atomic():
        case = _lock(case)
        require(
            not case.is_archived,
            _(
                "The case is archived; its file is read-only and can no longer be"
                " changed."
            ),
        )
        require(
            case.stage != Stage.FILED,
            _(
                "Whether the enforcement act is unlawful or improper can be found"
                " only after review and investigation following filing"
            ),
            source=Article(18),
        )
        _require_case_date(found_on, case, _("date of determination"))
        if case.act_finding and ActFinding.calls_for_letter(case.act_finding):
            # A letter already issued for an unlawful act stays on file; the
            # finding can be made more precise but not withdrawn silently.
            issued = case.documents.filter(
                kind=CaseDocument.Kind.OPINION_LETTER
            ).exists()
            require(
                not issued or ActFinding.calls_for_letter(finding),
                _(
                    "An opinion letter was issued on the unlawful or improper act;"
                    " the finding cannot become 'nothing unlawful or improper'."
                    " If the finding is wrong, change it by review"
                ),
                source=OfficeRule("reopen_only_by_review"),
            )
        case.act_finding = finding
        case.act_finding_reasons = reasons.strip()
        case.act_found_on = found_on
        case.save(update_fields=["act_finding", "act_finding_reasons", "act_found_on"])
    return case
