"""The actions staff take on a case, in one registry: which form collects the
input, which service performs it, who may take it and in which stages. The
case page lists the actions open to the user; one view handles them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casework import forms, office_rules, roles, services
from casework.models import CorrectionExtension, SupervisionCase
from casework.rules.stages import Stage

S = Stage
OPEN_STAGES = (S.FILED, S.VERIFYING, S.DETERMINED, S.NOTIFIED, S.CORRECTING)
AFTER_DECISION = (S.DETERMINED, S.NOTIFIED, S.CORRECTING)


@dataclass(frozen=True)
class CaseAction:
    name: str
    label: str
    form_class: type[forms.CaseBoundForm]
    perform: Callable[[dict, SupervisionCase, object], object]
    who: Callable[[object], bool]
    stages: tuple[Stage, ...] = OPEN_STAGES
    group: str = "办理"
    # What the action works on must exist (a pending request, a running
    # appraisal...); None when the case itself is enough.
    pending: Callable[[SupervisionCase], object] | None = None

    def open_to(self, user, case: SupervisionCase) -> bool:
        return case.stage in self.stages and self.who(user)

    def has_work(self, case: SupervisionCase) -> bool:
        return self.pending is None or self.pending(case).exists()


def _activity(data, case, user):
    activity = services.record_activity(
        case,
        user=user,
        kind=data["kind"],
        occurred_on=data["occurred_on"],
        summary=data["summary"],
        appraisal_body=data.get("appraisal_body") or "",
        appraisal_started_on=data.get("appraisal_started_on"),
        appraisal_ended_on=data.get("appraisal_ended_on"),
    )
    if data.get("attachment"):
        services.add_attachment(
            case,
            user=user,
            title=data["attachment"].name[:200],
            file=data["attachment"],
            activity=activity,
        )
    return activity


def _generate(data, case, user):
    from casework.documents import generate_document

    return generate_document(case, data["kind"], user=user)


def _officer_or_liaison(user) -> bool:
    return roles.is_officer(user) or roles.is_liaison(user)


def _reviewer(user) -> bool:
    return roles.is_reviewer(user) or roles.is_head(user)


def _head_by_rule(key: str) -> Callable[[object], bool]:
    """Who approves where the measure names no one: the head while office
    rule ``key`` says so, any supervision officer otherwise."""

    def who(user) -> bool:
        if office_rules.enabled(key):
            return roles.is_head(user)
        return roles.is_officer(user)

    return who


ACTIONS: dict[str, CaseAction] = {
    action.name: action
    for action in [
        CaseAction(
            "assign",
            "指派调查人员",
            forms.AssignForm,
            lambda d, c, u: services.assign_investigator(
                c, d["investigator"], user=u, is_lead=d["is_lead"]
            ),
            roles.is_officer,
            group="调查",
        ),
        CaseAction(
            "add_officer",
            "增加被调查人",
            forms.AddOfficerForm,
            lambda d, c, u: services.add_officer(
                c, d["officer"], error_type=d["error_type"], user=u
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group="调查",
        ),
        CaseAction(
            "recusal",
            "申请或决定回避",
            forms.RecusalRequestForm,
            lambda d, c, u: services.request_recusal(
                c, d["person"], user=u, kind=d["kind"], reason=d["reason"]
            ),
            roles.is_officer,
            group="调查",
        ),
        CaseAction(
            "recusal_decide",
            "审批回避",
            forms.RecusalDecisionForm,
            lambda d, c, u: services.decide_recusal(
                d["target"], user=u, approve=d["approve"]
            ),
            _head_by_rule("recusal_decided_by_head"),
            group="审批",
            pending=lambda c: c.recusals.filter(status="pending"),
        ),
        CaseAction(
            "joint",
            "商请纪检监察机关联合调查",
            forms.JointInvestigationForm,
            lambda d, c, u: services.set_joint_investigation(
                c, user=u, counterpart=d["counterpart"], since=d["since"]
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group="调查",
        ),
        CaseAction(
            "activity",
            "记录调查活动",
            forms.ActivityForm,
            _activity,
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group="调查",
        ),
        CaseAction(
            "finish_appraisal",
            "鉴定结束",
            forms.FinishAppraisalForm,
            lambda d, c, u: services.finish_appraisal(
                d["activity"], user=u, ended_on=d["ended_on"]
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group="调查",
            pending=lambda c: c.activities.filter(
                kind="appraisal", appraisal_ended_on__isnull=True
            ),
        ),
        CaseAction(
            "attachment",
            "上传材料",
            forms.AttachmentForm,
            lambda d, c, u: services.add_attachment(
                c,
                user=u,
                title=d["title"],
                file=d["file"],
                visible_to_agency=d["visible_to_agency"],
            ),
            _officer_or_liaison,
            group="材料",
        ),
        CaseAction(
            "statement",
            "记录陈述申辩",
            forms.StatementForm,
            lambda d, c, u: services.record_statement(
                d["case_officer"],
                user=u,
                heard_on=d["heard_on"],
                content=d["content"],
                waived=d["waived"],
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group="调查",
            pending=lambda c: c.case_officers.filter(statement__isnull=True),
        ),
        CaseAction(
            "transfer",
            "移交执法机关自行调查",
            forms.TransferForm,
            lambda d, c, u: services.transfer_to_agency(
                c, user=u, reason=d["reason"], received_on=d["received_on"]
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING),
            group="调查",
        ),
        CaseAction(
            "transfer_result",
            "报送移交处理结果",
            forms.TransferResultForm,
            lambda d, c, u: services.record_transfer_result(
                d["transfer"],
                user=u,
                handled_on=d["handled_on"],
                result=d["result"],
                result_filed_on=d["result_filed_on"],
            ),
            _officer_or_liaison,
            stages=(S.FILED, S.VERIFYING),
            group="调查",
            pending=lambda c: c.transfers.filter(result_filed_on__isnull=True),
        ),
        CaseAction(
            "hearing",
            "批准召开听证会",
            forms.HearingForm,
            lambda d, c, u: services.schedule_hearing(c, user=u, **d),
            _head_by_rule("hearing_approved_by_head"),
            stages=(S.VERIFYING,),
            group="审批",
            pending=lambda c: SupervisionCase.objects.filter(
                pk=c.pk, is_major_complex=True
            ),
        ),
        CaseAction(
            "hearing_record",
            "记录听证",
            forms.HearingRecordForm,
            lambda d, c, u: services.record_hearing(
                d["hearing"], user=u, held_on=d["held_on"], minutes=d["minutes"]
            ),
            roles.is_officer,
            stages=(S.VERIFYING,),
            group="调查",
            pending=lambda c: c.hearings.filter(held_on__isnull=True),
        ),
        CaseAction(
            "extension",
            "申请延长办理期限",
            forms.ExtensionForm,
            lambda d, c, u: services.request_extension(
                c, user=u, days=d["days"], reason=d["reason"]
            ),
            roles.is_officer,
            stages=(S.FILED, S.VERIFYING, S.DETERMINED),
            group="期限",
        ),
        CaseAction(
            "extension_decide",
            "审批延期",
            forms.ExtensionDecisionForm,
            lambda d, c, u: services.decide_extension(
                d["target"], user=u, approve=d["approve"]
            ),
            roles.is_head,
            stages=(S.FILED, S.VERIFYING, S.DETERMINED),
            group="审批",
            pending=lambda c: c.extensions.filter(status="pending"),
        ),
        CaseAction(
            "determine",
            "作出认定",
            forms.DeterminationForm,
            lambda d, c, u: services.determine(d.pop("case_officer"), user=u, **d),
            roles.is_officer,
            stages=(S.DETERMINED,),
            group="认定",
        ),
        CaseAction(
            "act_finding",
            "认定执法行为是否违法或不当",
            forms.ActFindingForm,
            lambda d, c, u: services.record_act_finding(
                c,
                user=u,
                finding=d["finding"],
                reasons=d["reasons"],
                found_on=d["found_on"],
            ),
            roles.is_officer,
            stages=(S.VERIFYING, *AFTER_DECISION),
            group="认定",
        ),
        CaseAction(
            "document",
            "生成文书",
            forms.DocumentForm,
            _generate,
            roles.is_officer,
            stages=AFTER_DECISION,
            group="认定",
        ),
        CaseAction(
            "notify",
            "记录送达",
            forms.NotificationForm,
            lambda d, c, u: services.record_notification(c, user=u, **d),
            roles.is_officer,
            stages=(S.NOTIFIED, S.CORRECTING),
            group="反馈",
        ),
        CaseAction(
            "review_request",
            "登记复核申请",
            forms.ReviewRequestForm,
            lambda d, c, u: services.request_review(c, user=u, **d),
            roles.is_officer,
            stages=(S.NOTIFIED, S.CORRECTING),
            group="复核",
        ),
        CaseAction(
            "review_decide",
            "作出复核决定",
            forms.ReviewDecisionForm,
            lambda d, c, u: services.decide_review(d.pop("review"), user=u, **d),
            _reviewer,
            stages=(S.NOTIFIED, S.CORRECTING),
            group="复核",
            pending=lambda c: c.reviews.filter(result=""),
        ),
        CaseAction(
            "correction",
            "提出纠错要求",
            forms.CorrectionForm,
            lambda d, c, u: services.order_correction(c, user=u, **d),
            roles.is_officer,
            stages=AFTER_DECISION,
            group="纠错",
        ),
        CaseAction(
            "correction_progress",
            "报告整改进展",
            forms.CorrectionProgressForm,
            lambda d, c, u: services.report_correction_progress(
                d.pop("correction"), user=u, **d
            ),
            _officer_or_liaison,
            stages=(S.NOTIFIED, S.CORRECTING),
            group="纠错",
            pending=lambda c: c.corrections.exclude(status="verified"),
        ),
        CaseAction(
            "correction_extension",
            "申请延长整改期限",
            forms.CorrectionExtensionForm,
            lambda d, c, u: services.request_correction_extension(
                d.pop("correction"), user=u, **d
            ),
            _officer_or_liaison,
            stages=(S.NOTIFIED, S.CORRECTING),
            group="纠错",
            pending=lambda c: c.corrections.exclude(status="verified"),
        ),
        CaseAction(
            "correction_extension_decide",
            "审批延长整改期限",
            forms.CorrectionExtensionDecisionForm,
            lambda d, c, u: services.decide_correction_extension(
                d["target"], user=u, approve=d["approve"]
            ),
            _head_by_rule("correction_extension_by_head"),
            stages=(S.NOTIFIED, S.CORRECTING),
            group="审批",
            pending=lambda c: CorrectionExtension.objects.filter(
                correction__case=c, status="pending"
            ),
        ),
        CaseAction(
            "correction_verify",
            "核验整改完成",
            forms.CorrectionVerifyForm,
            lambda d, c, u: services.verify_correction(
                d["correction"], user=u, verified_on=d["verified_on"]
            ),
            roles.is_officer,
            stages=(S.NOTIFIED, S.CORRECTING),
            group="纠错",
            pending=lambda c: c.corrections.filter(status="reported"),
        ),
        CaseAction(
            "transition",
            "推进案件阶段",
            forms.TransitionForm,
            lambda d, c, u: services.transition(c, d["target"], user=u, note=d["note"]),
            roles.is_officer,
            group="阶段",
        ),
    ]
}


def actions_for(user, case: SupervisionCase) -> list[CaseAction]:
    """The actions the case page offers this user now."""
    return [
        action
        for action in ACTIONS.values()
        if action.open_to(user, case) and action.has_work(case)
    ]
