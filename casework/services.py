"""The casework service layer: every write to a case goes through here.

Each function checks the rules (casework.rules, pure) and the actor's role,
then writes in one transaction, so a refused or failed operation leaves
nothing half-saved. Views and forms call these functions and show the
``CaseworkError`` messages, which are in Chinese, to the user.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from audit import audited
from audit.models import Action as AuditAction
from casework import roles
from casework.calendar import holiday_calendar
from casework.history import records_actor
from casework.models import (
    Activity,
    Assignment,
    Attachment,
    CaseDocument,
    CaseOfficer,
    Correction,
    CorrectionExtension,
    CorrectionProgress,
    Determination,
    Extension,
    Hearing,
    Notification,
    Recusal,
    Review,
    StageChange,
    Statement,
    SupervisionCase,
    Transfer,
)
from casework.rules import periods
from casework.rules.articles import Outcome, is_error, validate_basis
from casework.rules.stages import CaseFacts, Stage, check_transition

CASE_NUMBER_FORMAT = "历城执监〔{year}〕第{sequence}号"


class CaseworkError(ValidationError):
    """A refused casework operation; ``messages`` are shown to the user."""


def _refuse(*messages: str):
    raise CaseworkError(list(messages))


def _require(condition: bool, message: str) -> None:
    if not condition:
        _refuse(message)


def _require_officer(user) -> None:
    _require(roles.is_officer(user), "只有监督机构工作人员可以办理此事项。")


def _require_head(user) -> None:
    _require(roles.is_head(user), "此事项须经监督机构负责人批准。")


def _require_open(case: SupervisionCase) -> SupervisionCase:
    """Refuse writes to an archived case; return the case as the database has
    it now, since the caller's object may predate a transition."""
    fresh = SupervisionCase.objects.get(pk=case.pk)
    _require(not fresh.is_archived, "案件已归档，案卷只读，不能再修改。")
    return fresh


def _require_access(case: SupervisionCase, user) -> None:
    # The recusal rule binds the service layer too, not only the lists.
    _require(
        SupervisionCase.objects.visible_to(user).filter(pk=case.pk).exists(),
        "您无权办理此案件（可能已回避）。",
    )


def _require_case_date(day, case: SupervisionCase, label: str) -> None:
    """A date recorded on a case lies between its filing and today."""
    _require(day is not None, f"请填写{label}。")
    _require(day >= case.filed_on, f"{label}不能早于立案日期。")
    _require(day <= today(), f"{label}不能晚于今天。")


def _decide(request, *, case, user, approve: bool, label, own, own_message) -> None:
    """Approve or reject a pending request (ApprovalRequest): only the head,
    only once, never their own (Art. 16, 17, 20)."""
    _require_head(user)
    _require_access(case, user)
    _require(request.status == request.Status.PENDING, f"该{label}已处理。")
    _require(not own, own_message)
    request.status = request.Status.APPROVED if approve else request.Status.REJECTED
    request.decided_by = user
    request.decided_at = timezone.now()
    request.save()


def _lock(case: SupervisionCase) -> SupervisionCase:
    """Re-read the case under a row lock so concurrent actions serialise."""
    return SupervisionCase.objects.select_for_update().get(pk=case.pk)


def today() -> datetime.date:
    return timezone.localdate()


# --- Filing (立案) --------------------------------------------------------------


@records_actor
@audited(
    AuditAction.CASE_FILE, target=lambda **kw: None, result_target=lambda case: case
)
def file_case(
    *,
    user,
    title: str,
    agency,
    field,
    matter_type: str,
    source: str,
    summary: str,
    officers: Iterable[tuple] = (),
    filed_on: datetime.date | None = None,
    is_major_complex: bool = False,
) -> SupervisionCase:
    """File a supervision case (立案, Art. 13-14) with the persons it concerns.

    Numbers run per year in the office's style, 历城执监〔2025〕第N号.
    """
    _require_officer(user)
    filed_on = filed_on or today()
    _require(filed_on <= today(), "立案日期不能晚于今天。")
    for attempt in range(5):
        try:
            with transaction.atomic():
                sequence = (
                    SupervisionCase.objects.filter(year=filed_on.year).aggregate(
                        top=Max("sequence")
                    )["top"]
                    or 0
                ) + 1
                case = SupervisionCase(
                    year=filed_on.year,
                    sequence=sequence,
                    number=CASE_NUMBER_FORMAT.format(
                        year=filed_on.year, sequence=sequence
                    ),
                    title=title,
                    agency=agency,
                    field=field,
                    matter_type=matter_type,
                    source=source,
                    summary=summary,
                    filed_on=filed_on,
                    is_major_complex=is_major_complex,
                    created_by=user,
                )
                # Uniqueness of the number is left to the database, so that a
                # filing that raced for it retries below instead of failing.
                case.full_clean(validate_unique=False)
                case.save()
                for officer, error_type in officers:
                    add_officer(case, officer, error_type=error_type, user=user)
                refresh_deadlines(case)
                return case
        except IntegrityError:
            # Two filings raced for the same number: take the next one.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@records_actor
def add_officer(case, officer, *, error_type: str, user) -> CaseOfficer:
    _require_officer(user)
    _require_access(case, user)
    case = _require_open(case)
    _require(
        case.stage in (Stage.FILED, Stage.VERIFYING),
        "只能在立案或核实阶段增加被调查人。",
    )
    _require(officer.agency_id == case.agency_id, "被调查人应属于本案的执法机关。")
    with transaction.atomic():
        link, created = CaseOfficer.objects.get_or_create(
            case=case,
            officer=officer,
            defaults={"error_type": error_type, "created_by": user},
        )
        _require(created, f"{officer.name}已是本案被调查人。")
    return link


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
    _require_officer(user)
    _require_access(case, user)
    _require_open(case)
    _require(roles.is_officer(investigator), "只能指派监督机构工作人员为调查人员。")
    _require(
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
            _require(not assignment.active, "该人员已是本案调查人员。")
            assignment.active = True
            assignment.is_lead = is_lead
            assignment.save()
    return assignment


@records_actor
def request_recusal(case, person, *, user, kind: str, reason: str) -> Recusal:
    """Declare (by the person) or order a recusal; the head approves (Art. 16)."""
    _require_open(case)
    if kind == Recusal.Kind.DECLARED:
        _require(user.pk == person.pk, "本人申请回避须由本人提出。")
    else:
        _require_officer(user)
    _require(reason.strip(), "请说明与案件的利害关系。")
    _require(
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
    _require_officer(user)
    _require_access(case, user)
    _require_open(case)
    _require(counterpart.strip(), "请填写纪检监察机关。")
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
    _require_officer(user)
    _require_access(case, user)
    _require_open(case)
    activity = Activity(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary,
        created_by=user,
        **appraisal,
    )
    if kind == Activity.Kind.APPRAISAL:
        _require(
            activity.appraisal_started_on is not None,
            "委托鉴定（评估、检测）须填写委托日期。",
        )
        if activity.appraisal_ended_on:
            _require(
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
    _require_officer(user)
    _require_access(activity.case, user)
    _require_open(activity.case)
    _require(activity.kind == Activity.Kind.APPRAISAL, "不是委托鉴定活动。")
    _require(
        ended_on >= activity.appraisal_started_on, "鉴定结束日期不能早于委托日期。"
    )
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
    _require_access(case, user)
    _require_open(case)
    _require(roles.is_officer(user) or roles.is_liaison(user), "无权上传案件材料。")
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
    _require_officer(user)
    _require_access(case_officer.case, user)
    _require_open(case_officer.case)
    _require(waived or content.strip(), "请记录陈述申辩内容，或注明本人书面放弃。")
    _require_case_date(heard_on, case_officer.case, "听取日期")
    _require(
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
    _require_officer(user)
    _require_access(case, user)
    case = _require_open(case)
    _require(case.stage in (Stage.FILED, Stage.VERIFYING), "只能在立案或核实阶段移交。")
    _require_case_date(received_on, case, "执法机关接收日期")
    _require(
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
    _require_access(case, user)
    _require_open(case)
    _require(roles.is_officer(user) or roles.is_liaison(user), "无权报送处理结果。")
    _require(result.strip(), "请填写处理结果。")
    _require(handled_on >= transfer.received_on, "处理完成日期不能早于接收日期。")
    _require(result_filed_on >= handled_on, "备案日期不能早于处理完成日期。")
    _require(result_filed_on <= today(), "备案日期不能晚于今天。")
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
    """A hearing for a major, complex case, approved by the head (Art. 14)."""
    _require_head(user)
    _require_access(case, user)
    _require_open(case)
    _require(case.is_major_complex, "只有重大复杂案件可以召开听证会（第十四条）。")
    _require(
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
    _require_officer(user)
    _require_access(hearing.case, user)
    _require_open(hearing.case)
    _require(minutes.strip(), "请记录听证笔录。")
    _require_case_date(held_on, hearing.case, "听证举行日期")
    hearing.held_on = held_on
    hearing.minutes = minutes
    hearing.save()
    return hearing


@records_actor
def request_extension(case, *, user, days: int, reason: str) -> Extension:
    """Ask for the one extension Art. 17 allows (at most 30 days)."""
    _require_officer(user)
    _require_access(case, user)
    case = _require_open(case)
    _require(case.decided_on is None, "已作出决定的案件不能延长调查期限。")
    _require(1 <= days <= periods.EXTENSION_MAX_DAYS, "延长期限为1至30日（第十七条）。")
    _require(reason.strip(), "请说明情况复杂的理由。")
    _require(
        not case.extensions.exclude(status=Extension.Status.REJECTED).exists(),
        "第十七条只允许延长一次，本案已申请或已批准延长。",
    )
    return Extension.objects.create(
        case=case, days=days, reason=reason, created_by=user
    )


@records_actor
@audited(
    AuditAction.CASE_EXTENSION,
    target=lambda extension, **kw: extension.case,
    detail=lambda result, kw: {"status": result.status},
)
def decide_extension(extension: Extension, *, user, approve: bool) -> Extension:
    """The head approves the one extension Art. 17 allows; not their own."""
    _require_open(extension.case)
    with transaction.atomic():
        _decide(
            extension,
            case=extension.case,
            user=user,
            approve=approve,
            label="延期申请",
            own=extension.created_by_id == user.pk,
            own_message="不能批准本人提出的延期申请。",
        )
        refresh_deadlines(extension.case)
    return extension


# --- Determination (认定) -------------------------------------------------------


# Outcomes that tolerate the error (Art. 10): what Art. 12(5) refuses to a
# person who repeats a mistake already tolerated once.
TOLERANT_OUTCOMES = (Outcome.EXEMPT, Outcome.LIGHTER, Outcome.REDUCED)


def prior_exemptions(case_officer, before=None) -> list[Determination]:
    """Earlier exemptions of the same person for the same error type (Art. 12(5)),
    decided before ``before`` (today by default) in other cases."""
    return list(
        Determination.objects.filter(
            case_officer__officer=case_officer.officer,
            case_officer__error_type=case_officer.error_type,
            outcome=Outcome.EXEMPT,
            decided_on__lte=before or today(),
        )
        .exclude(case_officer__case=case_officer.case)
        .select_related("case_officer__case")
    )


@records_actor
@audited(
    AuditAction.CASE_DETERMINATION,
    target=lambda case_officer, **kw: case_officer.case,
    detail=lambda result, kw: {
        "case_officer": result.case_officer_id,
        "outcome": result.outcome,
        "basis": result.basis,
    },
)
def determine(
    case_officer,
    *,
    user,
    outcome: str,
    basis: Iterable[str],
    facts: str,
    distinction_reform: str,
    distinction_exploration: str,
    distinction_intent: str,
    decided_on=None,
    override_reason: str = "",
    liability_referred_to: str = "",
) -> Determination:
    """Record the determination for one person (Art. 9-12, 18, Art. 2).

    An exemption is refused when the person was exempted before for the same
    error type (Art. 12(5)) unless the head overrides with a reason. No
    tolerance hands the person to the error-liability procedure (Art. 18).
    """
    case = SupervisionCase.objects.get(pk=case_officer.case_id)
    _require(roles.is_officer(user), "只有监督机构工作人员可以作出认定。")
    _require_access(case, user)
    _require(case.stage == Stage.DETERMINED, "案件须处于“认定”阶段才能作出认定。")
    basis = list(dict.fromkeys(basis))
    errors = validate_basis(outcome, basis)
    for label, answer in (
        ("改革探索与明知故犯", distinction_reform),
        ("探索性试验与明令禁止", distinction_exploration),
        ("无意过失与谋取私利", distinction_intent),
    ):
        if not answer.strip():
            errors.append(f"请就“三个区分开来”中{label}的区分说明理由（第二条）。")
    if not facts.strip():
        errors.append("请填写认定的事实。")
    earlier = prior_exemptions(case_officer, before=decided_on or today())
    tolerant = outcome in TOLERANT_OUTCOMES
    if tolerant and earlier:
        numbers = "、".join(d.case_officer.case.number for d in earlier)
        if not override_reason.strip():
            errors.append(
                f"该人员曾因同类问题予以容错免责（{numbers}），依第十二条第（五）项不予容错；"
                "如确需免责，须由负责人填写理由后决定。"
            )
        elif not roles.is_head(user):
            errors.append("超越第十二条第（五）项的免责决定只能由负责人作出。")
    if is_error(outcome) and not liability_referred_to.strip():
        errors.append(
            "未予免责的（不予容错、从轻或减轻），应移送行政执法过错责任追究程序，"
            "请填写移送对象（第十八条）。"
        )
    if errors:
        _refuse(*errors)
    decided_on = decided_on or today()
    _require_case_date(decided_on, case, "认定日期")
    with transaction.atomic():
        determination, _created = Determination.objects.update_or_create(
            case_officer=case_officer,
            defaults={
                "outcome": outcome,
                "basis": basis,
                "facts": facts,
                "distinction_reform": distinction_reform,
                "distinction_exploration": distinction_exploration,
                "distinction_intent": distinction_intent,
                "counts_as_error": is_error(outcome),
                "prior_exemptions": [d.case_officer.case.number for d in earlier],
                "override_reason": override_reason if (tolerant and earlier) else "",
                "override_by": (
                    user if (tolerant and earlier and override_reason) else None
                ),
                "liability_referred_on": decided_on if is_error(outcome) else None,
                "liability_referred_to": (
                    liability_referred_to if is_error(outcome) else ""
                ),
                "decided_on": decided_on,
                "round": case.decision_round,
                "created_by": user,
            },
        )
    return determination


# --- Notification (反馈) --------------------------------------------------------


@records_actor
def record_notification(
    case, *, user, recipient: str, is_party: bool, method: str, served_on
) -> Notification:
    """Serve the decision on a unit or party (Art. 17: within 7 days)."""
    _require_officer(user)
    _require_access(case, user)
    case = _require_open(case)
    _require(case.decided_on is not None, "尚未作出决定，不能送达。")
    _require(served_on >= case.decided_on, "送达日期不能早于决定日期。")
    _require(served_on <= today(), "送达日期不能晚于今天。")
    with transaction.atomic():
        notification = Notification.objects.create(
            case=case,
            recipient=recipient,
            is_party=is_party,
            method=method,
            served_on=served_on,
            round=case.decision_round,
            created_by=user,
        )
        if case.notified_on is None or served_on > case.notified_on:
            case.notified_on = served_on
            case.save(update_fields=["notified_on"])
    return notification


# --- Review (复核, Art. 19) -----------------------------------------------------


@records_actor
def request_review(
    case, *, user, applicant: str, decision_received_on, requested_on, grounds: str
) -> Review:
    _require_officer(user)
    _require_access(case, user)
    case = _require_open(case)
    _require(case.decided_on is not None, "尚未作出决定，不能申请复核。")
    window = periods.review_request_deadline(
        decision_received_on, calendar=holiday_calendar()
    )
    _require(
        requested_on <= window.end,
        f"复核申请应在收到认定决定之日起15日内提出（截止{window.end:%Y年%-m月%-d日}，第十九条）。",
    )
    _require(grounds.strip(), "请填写复核理由。")
    _require(
        decision_received_on >= case.decided_on,
        "收到认定决定的日期不能早于决定日期。",
    )
    _require(
        decision_received_on <= requested_on <= today(),
        "复核申请日期应在收到认定决定之后、且不晚于今天。",
    )
    _require(not case.reviews.filter(result="").exists(), "本案已有待决的复核申请。")
    return Review.objects.create(
        case=case,
        applicant=applicant,
        decision_received_on=decision_received_on,
        requested_on=requested_on,
        grounds=grounds,
        decision_due=periods.review_decision_deadline(
            requested_on, calendar=holiday_calendar()
        ).end,
        created_by=user,
    )


@records_actor
@audited(
    AuditAction.CASE_REVIEW,
    target=lambda review, **kw: review.case,
    detail=lambda result, kw: {"result": result.result},
)
def decide_review(
    review: Review, *, user, result: str, reasons: str, decided_on=None
) -> Review:
    """Decide a review; a changed or revoked result reopens the determination."""
    _require(
        roles.is_reviewer(user) or roles.is_head(user), "只有复核人员可以作出复核决定。"
    )
    _require_access(review.case, user)
    _require_open(review.case)
    _require(not review.result, "该复核已作出决定。")
    _require(result in Review.Result.values, "请选择复核结果。")
    _require(reasons.strip(), "请填写复核理由。")
    decided_on = decided_on or today()
    _require(
        review.requested_on <= decided_on <= today(),
        "复核决定日期应在申请日期之后、且不晚于今天。",
    )
    # Whoever investigated, determined or signed the decision does not
    # review it (Art. 19 review by the office, DESIGN: a separate reviewer).
    case = review.case
    _require(
        not (
            case.assignments.filter(investigator=user).exists()
            or Determination.objects.filter(
                case_officer__case=case, created_by=user
            ).exists()
            or case.stage_changes.filter(
                to_stage=Stage.NOTIFIED, created_by=user
            ).exists()
        ),
        "参与本案调查、认定或签发决定的人员不得作出复核决定（第十九条）。",
    )
    case = review.case
    with transaction.atomic():
        review.result = result
        review.reasons = reasons
        review.decided_on = decided_on
        review.decided_by = user
        review.save()
        if result != Review.Result.UPHELD and case.stage in (
            Stage.NOTIFIED,
            Stage.CORRECTING,
        ):
            transition(
                case,
                Stage.DETERMINED,
                user=user,
                note=f"复核{review.get_result_display()}：{reasons}",
                system=True,
            )
    return review


# --- Correction (纠错, Art. 20) -------------------------------------------------


@records_actor
@audited(AuditAction.CASE_CORRECTION)
def order_correction(
    case, *, user, reasons: str, items: str, requirements: str, deadline
) -> Correction:
    _require_officer(user)
    _require_access(case, user)
    case = _require_open(case)
    _require(
        case.stage in (Stage.DETERMINED, Stage.NOTIFIED, Stage.CORRECTING),
        "案件作出决定后才能提出纠错要求。",
    )
    _require(
        all(s.strip() for s in (reasons, items, requirements)),
        "请写明纠错事由、纠错事项和纠错要求（第二十条）。",
    )
    _require(
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
    _require_access(correction.case, user)
    _require_open(correction.case)
    _require(roles.is_liaison(user) or roles.is_officer(user), "无权报告整改进展。")
    _require(correction.status != Correction.Status.VERIFIED, "该纠错事项已核验完成。")
    _require(content.strip(), "请填写整改进展。")
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
    _require_access(correction.case, user)
    _require_open(correction.case)
    _require(roles.is_liaison(user) or roles.is_officer(user), "无权申请延长整改期限。")
    _require(correction.status != Correction.Status.VERIFIED, "该纠错事项已核验完成。")
    _require(
        not correction.extensions.filter(
            status=CorrectionExtension.Status.PENDING
        ).exists(),
        "已有待批准的延长整改期限申请。",
    )
    _require(requested_deadline > correction.deadline, "申请的期限应晚于现有整改期限。")
    _require(reason.strip(), "请说明难以按期完成的特殊情况（第二十条）。")
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
    """The head decides an application to extend a correction (Art. 20)."""
    case = extension.correction.case
    _require_open(case)
    with transaction.atomic():
        _decide(
            extension,
            case=case,
            user=user,
            approve=approve,
            label="延期申请",
            own=extension.created_by_id == user.pk,
            own_message="不能批准本人提出的延期申请。",
        )
        if approve:
            correction = extension.correction
            _require(
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
    _require_officer(user)
    _require_access(correction.case, user)
    _require_open(correction.case)
    _require(
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
        _require_officer(user)
        _require_access(case, user)
        if target == Stage.NOTIFIED:
            # The head signs the supervision decision (DESIGN: "sign decisions").
            _require(roles.is_head(user), "监督决定须由负责人签发。")
    with transaction.atomic():
        case = _lock(case)
        errors = check_transition(case_facts(case), target)
        if errors:
            _refuse(*errors)
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
            _require(
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
