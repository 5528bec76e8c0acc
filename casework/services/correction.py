"""Correction (纠错, Art. 20)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit import audited
from audit.models import Action as AuditAction
from casework import roles
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
from portal.history import records_actor

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
        _("A correction can be required only after the case is decided."),
    )
    require(
        all(s.strip() for s in (reasons, items, requirements)),
        _("Please state the grounds, the items and the requirements of the correction"),
        source=Article(20),
    )
    require(
        deadline > (case.decided_on or case.filed_on),
        _("The correction deadline must be after the date of the decision."),
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
    require(
        roles.is_liaison(user) or roles.is_officer(user),
        _("You may not report correction progress."),
    )
    require(
        correction.status != Correction.Status.VERIFIED,
        _("This correction has already been verified."),
    )
    require(content.strip(), _("Please enter the correction progress."))
    _require_case_date(reported_on, correction.case, _("reported on"))
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
    require(
        roles.is_liaison(user) or roles.is_officer(user),
        _("You may not request a longer correction deadline."),
    )
    require(
        correction.status != Correction.Status.VERIFIED,
        _("This correction has already been verified."),
    )
    require(
        not correction.extensions.filter(
            status=CorrectionExtension.Status.PENDING
        ).exists(),
        _("A request to extend the correction deadline is already pending."),
    )
    require(
        requested_deadline > correction.deadline,
        _("The requested deadline must be after the current correction deadline."),
    )
    require(
        reason.strip(),
        _("Please state the special circumstances that prevent completion in time"),
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
            label=_("extension request"),
            own=extension.created_by_id == user.pk,
            own_message=_("You cannot approve an extension request you made yourself."),
            head="correction_extension_by_head",
        )
        if approve:
            correction = extension.correction
            require(
                extension.requested_deadline > correction.deadline,
                _(
                    "The requested deadline is no later than the current correction"
                    " deadline; nothing to approve."
                ),
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
        _(
            "A correction can be verified only once completed (reported complete by"
            " the agency)."
        ),
    )
    correction.status = Correction.Status.VERIFIED
    verified_on = verified_on or today()
    _require_case_date(verified_on, correction.case, _("verified on"))
    correction.verified_on = verified_on
    correction.verified_by = user
    correction.save()
    return correction
