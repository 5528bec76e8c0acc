"""Correction (纠错, Art. 20)."""

from __future__ import annotations

from django.db import transaction

from audit import audited
from audit.models import Action as AuditAction
from casework import roles
from casework.history import records_actor
from casework.models import (
    Correction,
    CorrectionExtension,
    CorrectionProgress,
)
from casework.rules.provenance import Article
from casework.rules.stages import Stage
from casework.services.common import (
    _decide,
    _require_case_date,
    require,
    require_access,
    require_officer,
    require_open,
)
from casework.services.common import (
    _today as today,
)

# --- Correction (纠错, Art. 20) -------------------------------------------------


@records_actor
@audited(AuditAction.CASE_CORRECTION)
def order_correction(
    case, *, user, reasons: str, items: str, requirements: str, deadline
) -> Correction:
    require_officer(user)
    require_access(case, user)
    case = require_open(case)
    require(
        case.stage in (Stage.DETERMINED, Stage.NOTIFIED, Stage.CORRECTING),
        "案件作出决定后才能提出纠错要求。",
    )
    require(
        all(s.strip() for s in (reasons, items, requirements)),
        "请写明纠错事由、纠错事项和纠错要求",
        source=Article(20),
    )
    require(
        deadline > (case.decided_on or case.filed_on), "整改期限应晚于监督决定日期。"
    )
    with transaction.atomic():
        correction = Correction.objects.create(
            case=case,
            reasons=reasons,
            items=items,
            requirements=requirements,
            deadline=deadline,
            created_by=user,
        )
        if not case.correction_required:
            case.correction_required = True
            case.save(update_fields=["correction_required"])
    return correction


@records_actor
def report_correction_progress(
    correction, *, user, reported_on, content: str, completed: bool = False
) -> CorrectionProgress:
    require_access(correction.case, user)
    require_open(correction.case)
    require(roles.is_liaison(user) or roles.is_officer(user), "无权报告整改进展。")
    require(correction.status != Correction.Status.VERIFIED, "该纠错事项已核验完成。")
    require(content.strip(), "请填写整改进展。")
    _require_case_date(reported_on, correction.case, "报告日期")
    with transaction.atomic():
        progress = CorrectionProgress.objects.create(
            correction=correction,
            reported_on=reported_on,
            content=content,
            completed=completed,
            created_by=user,
        )
        if completed:
            correction.status = Correction.Status.REPORTED
            correction.save(update_fields=["status"])
    return progress


@records_actor
def request_correction_extension(
    correction, *, user, requested_deadline, reason: str
) -> CorrectionExtension:
    require_access(correction.case, user)
    require_open(correction.case)
    require(roles.is_liaison(user) or roles.is_officer(user), "无权申请延长整改期限。")
    require(correction.status != Correction.Status.VERIFIED, "该纠错事项已核验完成。")
    require(
        not correction.extensions.filter(
            status=CorrectionExtension.Status.PENDING
        ).exists(),
        "已有待批准的延长整改期限申请。",
    )
    require(requested_deadline > correction.deadline, "申请的期限应晚于现有整改期限。")
    require(
        reason.strip(),
        "请说明难以在规定时间内完成的特殊情况",
        source=Article(20),
    )
    return CorrectionExtension.objects.create(
        correction=correction,
        requested_deadline=requested_deadline,
        reason=reason,
        created_by=user,
    )


@records_actor
@audited(
    AuditAction.CASE_CORRECTION_EXTENSION,
    target=lambda extension, **kw: extension.correction.case,
    detail=lambda result, kw: {"status": result.status},
)
def decide_correction_extension(
    extension, *, user, approve: bool
) -> CorrectionExtension:
    """The head decides an application to extend a correction (Art. 20 allows
    the application; office rule ``correction_extension_by_head`` names the
    head)."""
    case = extension.correction.case
    require_open(case)
    with transaction.atomic():
        _decide(
            extension,
            case=case,
            user=user,
            approve=approve,
            label="延期申请",
            own=extension.created_by_id == user.pk,
            own_message="不能批准本人提出的延期申请。",
            head="correction_extension_by_head",
        )
        if approve:
            correction = extension.correction
            require(
                extension.requested_deadline > correction.deadline,
                "申请的期限已不晚于现有整改期限，无需批准。",
            )
            correction.deadline = extension.requested_deadline
            correction.save(update_fields=["deadline"])
    return extension


@records_actor
@audited(
    AuditAction.CASE_CORRECTION_VERIFY,
    target=lambda correction, **kw: correction.case,
)
def verify_correction(correction, *, user, verified_on=None) -> Correction:
    require_officer(user)
    require_access(correction.case, user)
    require_open(correction.case)
    require(
        correction.status == Correction.Status.REPORTED,
        "整改完成后（纠错对象报告完成）才能核验。",
    )
    correction.status = Correction.Status.VERIFIED
    verified_on = verified_on or today()
    _require_case_date(verified_on, correction.case, "核验日期")
    correction.verified_on = verified_on
    correction.verified_by = user
    correction.save()
    return correction
