"""The actions staff take on a case, in one registry: which form collects the
input, which service performs it, who may take it and in which stages. The
case page lists the actions open to the user; one view handles them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casework import forms, office_rules, roles, services
from casework.models import CorrectionExtension, SupervisionCase
from casework.rules.articles import Outcome, get_item
from casework.rules.stages import Stage, next_stages

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
    # A check on this user and case that the service makes as well (review
    # independence, who may serve the decision): the case page offers the
    # action only where the service will not refuse the person.
    allowed: Callable[[object, SupervisionCase], bool] | None = None
    # Irreversible: the effect is stated on a confirmation page first.
    confirm: bool = False
    # What was done, for the message after it is done.
    done: Callable[[dict, SupervisionCase], str] | None = None

    def open_to(self, user, case: SupervisionCase) -> bool:
        """The one predicate for the case page's link and the action view."""
        return (
            case.stage in self.stages
            and self.who(user)
            and (self.allowed is None or self.allowed(user, case))
        )

    def has_work(self, case: SupervisionCase) -> bool:
        return self.pending is None or self.pending(case).exists()

    def done_message(self, data: dict, case: SupervisionCase) -> str:
        if self.done is not None:
            return self.done(data, case)
        return f"已{self.label}，已记入办理记录。"


def _person(user) -> str:
    return user.get_full_name() or user.username


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _choice(data: dict, field: str, form_class) -> str:
    """The label of the choice ``data[field]`` of ``form_class``."""
    choices = dict(form_class.base_fields[field].choices)
    return str(choices.get(data[field], data[field]))


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


def _not_only_own(pending, own_field: str):
    """An approval is open while a pending request is not the user's own
    (office rule ``no_self_approval``, which the approving service applies
    with the same field)."""

    def allowed(user, case) -> bool:
        if not office_rules.enabled("no_self_approval"):
            return True
        return pending(case).exclude(**{own_field: user.pk}).exists()

    return allowed


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
            done=lambda d, c: (
                f"已指派{_person(d['investigator'])}为本案调查人员"
                + ("（主办）。" if d["is_lead"] else "。")
            ),
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
            done=lambda d, c: f"已将{d['officer'].name}列为被调查人。",
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
            confirm=True,
            done=lambda d, c: (
                "已批准回避（第十六条）；被回避人员即时停止访问本案（依本机构工作规则：调查人员回避由负责人决定）。"
                if d["approve"]
                else "已决定不予回避。"
            ),
            allowed=_not_only_own(
                lambda c: c.recusals.filter(status="pending"), "person_id"
            ),
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
            done=lambda d, c: (
                f"已记录调查活动：{_choice(d, 'kind', forms.ActivityForm)}，"
                f"{_day(d['occurred_on'])}。"
            ),
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
            done=lambda d, c: (
                f"已上传材料“{d['title']}”"
                + ("，执法机关联络员可见。" if d["visible_to_agency"] else "。")
            ),
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
            done=lambda d, c: f"已记录{d['case_officer'].officer.name}的陈述申辩。",
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
            confirm=True,
            done=lambda d, c: (
                "已移交执法机关自行调查；执法机关应当于接到移交后30日内处理完成，"
                "并在7日内报送备案（第十五条）。"
            ),
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
            done=lambda d, c: (
                f"已申请延长办理期限{d['days']}日，等待负责人批准（第十七条）。"
            ),
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
            confirm=True,
            done=lambda d, c: (
                "已批准延长办理期限（第十七条），期限表已按延长后的届满日显示。"
                if d["approve"]
                else "已决定不予延长办理期限。"
            ),
            allowed=_not_only_own(
                lambda c: c.extensions.filter(status="pending"), "created_by_id"
            ),
        ),
        CaseAction(
            "determine",
            "作出认定",
            forms.DeterminationForm,
            lambda d, c, u: services.determine(d.pop("case_officer"), user=u, **d),
            roles.is_officer,
            stages=(S.DETERMINED,),
            group="认定",
            confirm=True,
            done=lambda d, c: (
                f"已对{d['case_officer'].officer.name}作出认定："
                f"{Outcome(d['outcome']).label}。"
            ),
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
            done=lambda d, c: (
                "已认定被监督的行政执法行为："
                f"{_choice(d, 'finding', forms.ActFindingForm)}。"
            ),
        ),
        CaseAction(
            "document",
            "生成文书",
            forms.DocumentForm,
            _generate,
            roles.is_officer,
            stages=AFTER_DECISION,
            group="认定",
            confirm=True,
            done=lambda d, c: (
                f"已生成《{_choice(d, 'kind', forms.DocumentForm)}》并编号，"
                "列在“文书与送达”中。"
            ),
        ),
        CaseAction(
            "notify",
            "记录送达",
            forms.NotificationForm,
            lambda d, c, u: services.record_notification(c, user=u, **d),
            roles.is_officer,
            stages=(S.NOTIFIED, S.CORRECTING),
            group="反馈",
            done=lambda d, c: (
                f"已记录{_day(d['served_on'])}向{d['recipient']}送达决定；"
                "其复核申请期限自收到之日起15日，列在期限表中（第十九条）。"
            ),
        ),
        CaseAction(
            "review_request",
            "登记复核申请",
            forms.ReviewRequestForm,
            lambda d, c, u: services.request_review(c, user=u, **d),
            roles.is_officer,
            stages=(S.NOTIFIED, S.CORRECTING),
            group="复核",
            done=lambda d, c: (
                f"已登记{d['applicant']}的复核申请；复核决定应当在30日内作出"
                "（第十九条）。"
            ),
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
            allowed=lambda u, c: services.may_decide_review(c, u),
            confirm=True,
            done=lambda d, c: (
                f"已作出复核决定：{_choice(d, 'result', forms.ReviewDecisionForm)}。"
            ),
        ),
        CaseAction(
            "correction",
            "提出纠错要求",
            forms.CorrectionForm,
            lambda d, c, u: services.order_correction(c, user=u, **d),
            roles.is_officer,
            stages=AFTER_DECISION,
            group="纠错",
            confirm=True,
            done=lambda d, c: (
                f"已提出纠错要求，整改期限至{_day(d['deadline'])}（第二十条）。"
            ),
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
            done=lambda d, c: "已报告整改进展。",
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
            confirm=True,
            done=lambda d, c: (
                "已批准延长整改期限，期限表已更新。"
                if d["approve"]
                else "已决定不予延长整改期限。"
            ),
            allowed=_not_only_own(
                lambda c: CorrectionExtension.objects.filter(
                    correction__case=c, status="pending"
                ),
                "created_by_id",
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
            confirm=True,
            done=lambda d, c: f"已核验整改完成（{_day(d['verified_on'])}）。",
        ),
        CaseAction(
            "transition",
            "推进案件阶段",
            forms.TransitionForm,
            lambda d, c, u: services.transition(c, d["target"], user=u, note=d["note"]),
            roles.is_officer,
            group="阶段",
            allowed=lambda u, c: bool(stage_moves(u, c)),
            confirm=True,
            done=lambda d, c: stage_move(c.stage, d["target"]).done,
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


# --- Stage moves: what each does, said before it is done -----------------------------


@dataclass(frozen=True)
class StageMove:
    """A move of the case to ``target`` from its current stage (Art. 14)."""

    target: Stage
    backward: bool
    label: str
    effects: tuple[str, ...]
    done: str


_ORDER = list(Stage)


def stage_move(current: str, target: str) -> StageMove:
    current, target = Stage(current), Stage(target)
    backward = _ORDER.index(target) < _ORDER.index(current)
    here, there = current.label, target.label
    if backward and target == S.DETERMINED:
        days = office_rules.value("reopened_decision_days")
        return StageMove(
            target,
            True,
            f"退回“{there}”重新认定",
            (
                "复核决定变更或撤销了原决定：案件退回“认定”，开始新一轮认定"
                "（依本机构工作规则：已作出的监督决定只经复核改变）。",
                "本轮的决定日期和送达记录不再是现行决定；重新认定期限为"
                f"{days}日，自今天起计算（依本机构工作规则：复核改变结果后重新认定的期限）。",
                "这是退回，不是办理进度的推进。",
            ),
            f"案件已由“{here}”退回“{there}”，开始新一轮认定。",
        )
    if backward:
        return StageMove(
            target,
            True,
            f"退回“{there}”补充调查",
            (
                f"案件由“{here}”退回“{there}”：可以再记录调查活动、听取陈述申辩，"
                "然后重新转入“认定”。",
                "调查终结期限照常计算（第十七条）。这是退回，不是办理进度的推进。",
            ),
            f"案件已由“{here}”退回“{there}”补充调查。",
        )
    effects = {
        S.VERIFYING: (
            "案件转入“核实”：调查人员开展调查，调查人员不得少于两人（第十六条）。",
            "转入后不能退回“立案”。",
        ),
        S.DETERMINED: (
            "调查终结，案件转入“认定”：对每一名被调查人作出认定（第九条至第十二条）。",
            "转入后不能再记录调查活动、听取陈述申辩、增加被调查人或移交执法机关；"
            "需要补充调查的，须退回“核实”。",
        ),
        S.NOTIFIED: (
            "签发行政执法监督决定（第十七条），案件转入“反馈”：决定日期记为今天。",
            "决定作出后，应当于7日内告知相关单位及当事人（第十七条）；"
            "各方可以在收到认定决定之日起15日内申请复核（第十九条）。",
            "决定作出后只经复核改变（依本机构工作规则：已作出的监督决定只经复核改变）。",
        ),
        S.CORRECTING: (
            "案件转入“纠错”：纠错对象按纠错要求限期纠正问题、改进工作（第二十条），"
            "执法机关联络员报告整改进展。",
        ),
        S.ARCHIVED: (
            "案件归档：案卷转为只读，此后不能再记录任何事项、上传材料或生成文书。",
            "归档不能撤销。",
        ),
    }[target]
    label = {
        S.NOTIFIED: "签发决定，转入“反馈”",
        S.ARCHIVED: "归档",
    }.get(target, f"转入“{there}”")
    done = {
        S.NOTIFIED: f"案件已由“{here}”转入“{there}”：决定已作出，"
        "应当于7日内告知相关单位及当事人（第十七条）。",
        S.ARCHIVED: "案件已归档，案卷只读。",
    }.get(target, f"案件已由“{here}”转入“{there}”。")
    return StageMove(target, False, label, effects, done)


def stage_moves(user, case: SupervisionCase) -> list[StageMove]:
    """The moves open to ``user`` from the case's stage, forward first."""
    return [
        stage_move(case.stage, target)
        for target in next_stages(case.stage)
        if services.may_move(user, target)
    ]


# --- What a confirmed action will do -------------------------------------------


def effects(action: CaseAction, data: dict, case: SupervisionCase) -> list[str]:
    """What ``action`` with ``data`` will do, for its confirmation page."""
    if action.name == "transition":
        return list(stage_move(case.stage, data["target"]).effects)
    said = {
        "determine": lambda: [
            f"对{data['case_officer'].officer.name}作出认定："
            f"{Outcome(data['outcome']).label}。",
            "依据：" + "；".join(get_item(code).label for code in data["basis"]) + "。",
            "认定记入案卷和办理记录，签发决定时据以制作《行政执法监督决定书》。",
        ],
        "review_decide": lambda: [
            f"复核结果：{_choice(data, 'result', forms.ReviewDecisionForm)}。",
            "复核结果为变更或撤销原决定的，案件退回“认定”重新认定"
            "（依本机构工作规则：已作出的监督决定只经复核改变）。",
            "复核决定作出后不能更改。",
        ],
        "document": lambda: [
            f"生成《{_choice(data, 'kind', forms.DocumentForm)}》，"
            "文书编号一经生成即占用。",
        ],
        "correction": lambda: [
            f"向纠错对象提出纠错要求，整改期限至{_day(data['deadline'])}（第二十条）。",
            "执法机关联络员将看到纠错事项并报告整改进展。",
        ],
        "correction_verify": lambda: [
            "该纠错事项标为整改完成，不再列入待整改事项。",
        ],
        "transfer": lambda: [
            "案件移交执法机关自行调查：执法机关应当于接到移交后30日内处理完成，"
            "并在7日内将处理结果报送备案（第十五条）。",
            "移交期间本机构的办理期限暂停计算（本机构理解：移交期间暂停本机构的办理期限，"
            "见第十五条、第十七条，以区司法局解释为准）。",
        ],
    }
    if action.name in said:
        return said[action.name]()
    if "approve" in data:
        verdict = "批准" if data["approve"] else "不予批准"
        return [f"对{data['target']}作出决定：{verdict}。", "决定作出后不能更改。"]
    return [f"{action.label}，记入办理记录。"]


# --- The next step of the procedure ---------------------------------------------------


def next_step(case: SupervisionCase, facts, offered: list[CaseAction], moves):
    """The action (name, target stage or None) that takes the procedure
    forward now: the work the stage still lacks, else the forward move the
    guards allow; None when neither is open to the user. ``facts`` are the
    case's CaseFacts (None for the agency's view)."""
    names = {action.name for action in offered}
    if facts is None:
        for name in ("transfer_result", "correction_progress"):
            if name in names:
                return name, None
        return None
    stage = case.stage
    wanted = []
    if stage == S.FILED and facts.active_investigator_count < 2:
        wanted.append("assign")
    if stage == S.VERIFYING and facts.officers_with_statement < facts.officers_total:
        wanted.append("statement")
    if stage == S.DETERMINED and facts.officers_determined < facts.officers_total:
        wanted.append("determine")
    if stage in (S.NOTIFIED, S.CORRECTING) and facts.review_pending:
        wanted.append("review_decide")
    if stage == S.NOTIFIED and not facts.notifications_done:
        wanted.append("notify")
    if stage in (S.NOTIFIED, S.CORRECTING) and facts.act_finding_missing:
        wanted.append("act_finding")
    if stage == S.CORRECTING and facts.corrections_open:
        wanted.append("correction_verify")
    for name in wanted:
        if name in names:
            return name, None
    for move, reasons in moves:
        if not move.backward and not reasons:
            return "transition", move.target.value
    return None
