"""Investigation (核实, Art. 14-16): investigators and recusal, joint
investigation, activities and appraisal, statements, transfer to the agency
and hearings."""

from __future__ import annotations

from django.db import transaction

from audit import audited
from audit.models import Action as AuditAction
from casework import roles
from casework.calendar import holiday_calendar
from casework.history import records_actor
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
    require(roles.is_officer(investigator), "只能指派监督机构工作人员为调查人员。")
    require(
        investigator.pk not in recused_user_ids(case),
        f"{investigator.get_full_name() or investigator.username}已回避本案，"
        "不能指派。",
    )
    with transaction.atomic():
        assignment, created = Assignment.objects.get_or_create(
            case=case,
            investigator=investigator,
            defaults={"is_lead": is_lead, "created_by": user},
        )
        if not created:
            require(not assignment.active, "该人员已是本案调查人员。")
            assignment.active = True
            assignment.is_lead = is_lead
            assignment.save()
    return assignment


@records_actor
def request_recusal(case, person, *, user, kind: str, reason: str) -> Recusal:
    """Declare (by the person) or order a recusal; the head approves (Art. 16)."""
    require_open(case)
    if kind == Recusal.Kind.DECLARED:
        require(user.pk == person.pk, "本人申请回避须由本人提出。")
    else:
        require_officer(user)
    require(reason.strip(), "请说明与案件的利害关系。")
    require(
        not case.recusals.filter(
            person=person, status__in=[Recusal.Status.PENDING, Recusal.Status.APPROVED]
        ).exists(),
        "该人员已有回避申请或已回避。",
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
            label="回避申请",
            own=recusal.person_id == user.pk,
            own_message="不能批准本人的回避申请。",
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
    require(counterpart.strip(), "请填写纪检监察机关。")
    _require_case_date(since, case, "联合调查开始日期")
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
            "委托鉴定（评估、检测）须填写委托日期。",
        )
        if activity.appraisal_ended_on:
            require(
                activity.appraisal_ended_on >= activity.appraisal_started_on,
                "鉴定结束日期不能早于委托日期。",
            )
            _require_case_date(activity.appraisal_ended_on, case, "收到鉴定报告日期")
        _require_case_date(activity.appraisal_started_on, case, "委托日期")
    _require_case_date(occurred_on, case, "调查日期")
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
    require(activity.kind == Activity.Kind.APPRAISAL, "不是委托鉴定活动。")
    require(ended_on >= activity.appraisal_started_on, "鉴定结束日期不能早于委托日期。")
    _require_case_date(ended_on, activity.case, "收到鉴定报告日期")
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
    require(roles.is_officer(user) or roles.is_liaison(user), "无权上传案件材料。")
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
    require(waived or content.strip(), "请记录陈述申辩内容，或注明本人书面放弃。")
    _require_case_date(heard_on, case_officer.case, "听取日期")
    require(
        not Statement.objects.filter(case_officer=case_officer).exists(),
        "该被调查人的陈述申辩已记录。",
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
    require(case.stage in (Stage.FILED, Stage.VERIFYING), "只能在立案或核实阶段移交。")
    _require_case_date(received_on, case, "执法机关接收日期")
    require(
        not case.transfers.filter(result_filed_on__isnull=True).exists(),
        "本案已有未办结的移交。",
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
    require(roles.is_officer(user) or roles.is_liaison(user), "无权报送处理结果。")
    require(result.strip(), "请填写处理结果。")
    require(handled_on >= transfer.received_on, "处理完成日期不能早于接收日期。")
    require(result_filed_on >= handled_on, "备案日期不能早于处理完成日期。")
    require(result_filed_on <= today(), "备案日期不能晚于今天。")
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
        "本案未认定为重大复杂的案件，不召开听证会",
        source=Reading("hearing_for_major_cases"),
    )
    require(
        host_legal_qualification.strip() and host_professional_qualification.strip(),
        "听证主持人应具备相应的法律知识和专业知识，请分别记录。",
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
    require(minutes.strip(), "请记录听证笔录。")
    _require_case_date(held_on, hearing.case, "听证举行日期")
    hearing.held_on = held_on
    hearing.minutes = minutes
    hearing.save()
    return hearing
