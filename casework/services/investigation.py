"""Investigation (核实, Art. 14-16): investigators and recusal, joint
investigation, activities and appraisal, statements, transfer to the agency
and hearings."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit import audited
from audit.models import Action as AuditAction
from casework import roles
from casework.calendar import holiday_calendar
from casework.models import (
    Activity,
    Assignment,
    Attachment,
    Hearing,
    Recusal,
    Statement,
    SupervisionCase,
    Transfer,
)
from casework.rules import periods
from casework.rules.provenance import Reading
from casework.rules.stages import Stage
from casework.services.common import (
    _decide,
    _require_case_date,
    require,
    require_access,
    require_head,
    require_officer,
    require_open,
)
from casework.services.common import (
    _today as today,
)
from casework.services.time_limits import refresh_deadlines
from portal.history import records_actor

# --- Investigators and recusal (Art. 16) --------------------------------------


def recused_user_ids(case) -> set[int]:
    prefetched = getattr(case, "prefetched_approved_recusals", None)
    if prefetched is not None:
        return {recusal.person_id for recusal in prefetched}
    return set(
        case.recusals.filter(status=Recusal.Status.APPROVED).values_list(
            "person_id", flat=True
        )
    )


@records_actor
def assign_investigator(
    case, investigator, *, user, is_lead: bool = False
) -> Assignment:
    """Assign an investigator; a recused person cannot be assigned (Art. 16)."""
    require_officer(user)
    require_access(case, user)
    require_open(case)
    require(
        roles.is_officer(investigator),
        _("Only staff of the supervision office can be assigned as investigators."),
    )
    require(
        investigator.pk not in recused_user_ids(case),
        _("%(name)s has recused themselves from this case and cannot be assigned.")
        % {"name": investigator.get_full_name() or investigator.username},
    )
    with transaction.atomic():
        assignment, created = Assignment.objects.get_or_create(
            case=case,
            investigator=investigator,
            defaults={"is_lead": is_lead, "created_by": user},
        )
        if not created:
            require(
                not assignment.active,
                _("This person is already an investigator on this case."),
            )
            assignment.active = True
            assignment.is_lead = is_lead
            assignment.save()
    return assignment


@records_actor
def request_recusal(case, person, *, user, kind: str, reason: str) -> Recusal:
    """Declare (by the person) or order a recusal; the head approves (Art. 16)."""
    require_open(case)
    if kind == Recusal.Kind.DECLARED:
        require(
            user.pk == person.pk,
            _("A self-declared recusal must be requested by the person themselves."),
        )
    else:
        require_officer(user)
    require(reason.strip(), _("Please state the interest in the case."))
    require(
        not case.recusals.filter(
            person=person, status__in=[Recusal.Status.PENDING, Recusal.Status.APPROVED]
        ).exists(),
        _("This person already has a recusal request or has recused themselves."),
    )
    return Recusal.objects.create(
        case=case, person=person, kind=kind, reason=reason, created_by=user
    )


@records_actor
@audited(
    AuditAction.CASE_RECUSAL,
    target=lambda recusal, **kw: recusal.case,
    detail=lambda result, kw: {"status": result.status},
)
def decide_recusal(recusal: Recusal, *, user, approve: bool) -> Recusal:
    """The head decides; an approved recusal ends the person's assignment and
    all access to the case at once."""
    with transaction.atomic():
        _decide(
            recusal,
            case=recusal.case,
            user=user,
            approve=approve,
            label=_("recusal request"),
            own=recusal.person_id == user.pk,
            own_message=_("You cannot approve your own recusal request."),
            head="recusal_decided_by_head",
        )
        if approve:
            for assignment in Assignment.objects.filter(
                case=recusal.case, investigator=recusal.person, active=True
            ):
                assignment.active = False
                assignment.save()
    return recusal


@records_actor
def set_joint_investigation(case, *, user, counterpart: str, since) -> SupervisionCase:
    """Record a joint investigation with the discipline inspection organ (Art. 13)."""
    require_officer(user)
    require_access(case, user)
    require_open(case)
    require(counterpart.strip(), _("Please enter the discipline inspection organ."))
    _require_case_date(since, case, _("joint investigation since"))
    case.joint_investigation = True
    case.joint_counterpart = counterpart
    case.joint_since = since
    case.save(update_fields=["joint_investigation", "joint_counterpart", "joint_since"])
    return case


# --- Investigation (核实) -------------------------------------------------------


@records_actor
def record_activity(
    case, *, user, kind: str, occurred_on, summary: str, **appraisal
) -> Activity:
    """Record one of the four kinds of investigation of Art. 16."""
    require_officer(user)
    require_access(case, user)
    require_open(case)
    activity = Activity(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary,
        created_by=user,
        **appraisal,
    )
    if kind == Activity.Kind.APPRAISAL:
        require(
            activity.appraisal_started_on is not None,
            _("An appraisal (evaluation, testing) needs the date it was commissioned."),
        )
        if activity.appraisal_ended_on:
            require(
                activity.appraisal_ended_on >= activity.appraisal_started_on,
                _(
                    "The appraisal end date cannot be before the date it was"
                    " commissioned."
                ),
            )
            _require_case_date(
                activity.appraisal_ended_on,
                case,
                _("appraisal report received on"),
            )
        _require_case_date(
            activity.appraisal_started_on, case, _("appraisal commissioned on")
        )
    _require_case_date(occurred_on, case, _("investigation date"))
    with transaction.atomic():
        activity.full_clean()
        activity.save()
        refresh_deadlines(case)
    return activity


@records_actor
def finish_appraisal(activity: Activity, *, user, ended_on) -> Activity:
    require_officer(user)
    require_access(activity.case, user)
    require_open(activity.case)
    require(
        activity.kind == Activity.Kind.APPRAISAL,
        _("This is not an appraisal activity."),
    )
    require(
        ended_on >= activity.appraisal_started_on,
        _("The appraisal end date cannot be before the date it was commissioned."),
    )
    _require_case_date(ended_on, activity.case, _("appraisal report received on"))
    with transaction.atomic():
        activity.appraisal_ended_on = ended_on
        activity.save()
        refresh_deadlines(activity.case)
    return activity


@records_actor
def add_attachment(
    case, *, user, title: str, file, activity=None, visible_to_agency=False
) -> Attachment:
    require_access(case, user)
    require_open(case)
    require(
        roles.is_officer(user) or roles.is_liaison(user),
        _("You may not upload case materials."),
    )
    return Attachment.objects.create(
        case=case,
        activity=activity,
        title=title,
        file=file,
        visible_to_agency=visible_to_agency or roles.is_liaison(user),
        created_by=user,
    )


@records_actor
def record_statement(
    case_officer, *, user, heard_on, content: str = "", waived: bool = False
) -> Statement:
    """Record the statement and defense (陈述申辩, Art. 16) of a person concerned."""
    require_officer(user)
    require_access(case_officer.case, user)
    require_open(case_officer.case)
    require(
        waived or content.strip(),
        _(
            "Please record the statement and defence, or note that the person waived"
            " it in writing."
        ),
    )
    _require_case_date(heard_on, case_officer.case, _("heard on"))
    require(
        not Statement.objects.filter(case_officer=case_officer).exists(),
        _("The statement and defence of this person concerned is already recorded."),
    )
    return Statement.objects.create(
        case_officer=case_officer,
        heard_on=heard_on,
        content=content,
        waived=waived,
        created_by=user,
    )


@records_actor
@audited(AuditAction.CASE_TRANSFER)
def transfer_to_agency(case, *, user, reason: str, received_on) -> Transfer:
    """Transfer to the agency for self-investigation (Art. 15)."""
    require_officer(user)
    require_access(case, user)
    case = require_open(case)
    require(
        case.stage in (Stage.FILED, Stage.VERIFYING),
        _("A case can be transferred only at filing or verification."),
    )
    _require_case_date(received_on, case, _("received by the agency on"))
    require(
        not case.transfers.filter(result_filed_on__isnull=True).exists(),
        _("This case already has an unfinished transfer."),
    )
    return Transfer.objects.create(
        case=case,
        agency=case.agency,
        reason=reason,
        received_on=received_on,
        handling_due=periods.transfer_handling_deadline(
            received_on, calendar=holiday_calendar()
        ).end,
        created_by=user,
    )


@records_actor
def record_transfer_result(
    transfer: Transfer, *, user, handled_on, result: str, result_filed_on
) -> Transfer:
    """The agency's handling result and its filing (备案) with the office."""
    case = transfer.case
    require_access(case, user)
    require_open(case)
    require(
        roles.is_officer(user) or roles.is_liaison(user),
        _("You may not file the handling result."),
    )
    require(result.strip(), _("Please enter the handling result."))
    require(
        handled_on >= transfer.received_on,
        _("The handling date cannot be before the date of receipt."),
    )
    require(
        result_filed_on >= handled_on,
        _("The filing date of the result cannot be before the handling date."),
    )
    require(
        result_filed_on <= today(),
        _("The filing date of the result cannot be after today."),
    )
    transfer.handled_on = handled_on
    transfer.filing_due = periods.transfer_filing_deadline(
        handled_on, calendar=holiday_calendar()
    ).end
    transfer.result = result
    transfer.result_filed_on = result_filed_on
    transfer.save()
    return transfer


@records_actor
@audited(AuditAction.CASE_HEARING)
def schedule_hearing(
    case,
    *,
    user,
    scheduled_on,
    host_name,
    host_legal_qualification,
    host_professional_qualification,
) -> Hearing:
    """A hearing for a major, complex case (Art. 14 authorises it for those;
    reading ``hearing_for_major_cases``), approved by the head (office rule
    ``hearing_approved_by_head``: Art. 14 names no one)."""
    require_head(user, rule="hearing_approved_by_head")
    require_access(case, user)
    require_open(case)
    require(
        case.is_major_complex,
        _("This case has not been determined major and complex; no hearing is held"),
        source=Reading("hearing_for_major_cases"),
    )
    require(
        host_legal_qualification.strip() and host_professional_qualification.strip(),
        _(
            "The hearing host must have the relevant legal and professional knowledge;"
            " please record each."
        ),
    )
    return Hearing.objects.create(
        case=case,
        scheduled_on=scheduled_on,
        host_name=host_name,
        host_legal_qualification=host_legal_qualification,
        host_professional_qualification=host_professional_qualification,
        approved_by=user,
        created_by=user,
    )


@records_actor
def record_hearing(hearing: Hearing, *, user, held_on, minutes: str) -> Hearing:
    require_officer(user)
    require_access(hearing.case, user)
    require_open(hearing.case)
    require(minutes.strip(), _("Please record the hearing minutes."))
    _require_case_date(held_on, hearing.case, _("date the hearing was held"))
    hearing.held_on = held_on
    hearing.minutes = minutes
    hearing.save()
    return hearing
