"""Admin forms for casework actions. Forms only collect and clean input; the
rules live in casework.rules and are applied by casework.services."""

import json

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model

from casework import roles
from casework.models import (
    ActFinding,
    Activity,
    Agency,
    CaseDocument,
    CaseSource,
    Correction,
    CorrectionExtension,
    EnforcementField,
    ErrorType,
    Extension,
    Hearing,
    MatterType,
    Notification,
    Officer,
    Recusal,
    Review,
    Transfer,
)
from casework.rules.articles import Outcome, basis_articles, load_policy_items
from casework.rules.repeat import RepeatFinding
from portal import uploads

DATE = forms.DateInput(attrs={"type": "date"})
# What staff may attach to a case, checked by the portal's one upload checker.
# Images are kept byte for byte (not re-encoded as a reporter's are): a photo
# taken on site is evidence, and its recorded time and place belong to it.
ATTACHMENT_KINDS = (
    "pdf",
    "jpg",
    "jpeg",
    "png",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "zip",
    "txt",
    "mp3",
    "mp4",
)


def staff_choices(role: str):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role)
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


def user_label(user) -> str:
    return user.get_full_name() or user.get_username()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_label(obj)


def validate_upload(upload) -> None:
    """Refuse files the portal's upload checker refuses: oversized, content
    that does not match the name, active content, macros."""
    try:
        uploads.check(
            upload.name,
            upload,
            kinds=ATTACHMENT_KINDS,
            limits=uploads.Limits(max_bytes=settings.CASEWORK_ATTACHMENT_MAX_BYTES),
            reencode_images=False,
        )
    except uploads.UploadRefused as refused:
        raise forms.ValidationError(str(refused)) from refused
    finally:
        # The checker read the file; whoever saves it reads from the start.
        upload.seek(0)


class CaseFilingForm(forms.Form):
    title = forms.CharField(label="案件名称", max_length=200)
    agency = forms.ModelChoiceField(
        label="执法机关", queryset=Agency.objects.filter(is_active=True)
    )
    field = forms.ModelChoiceField(label="执法领域", queryset=EnforcementField.objects)
    matter_type = forms.ChoiceField(label="行政执法事项", choices=MatterType.choices)
    source = forms.ChoiceField(label="案件来源", choices=CaseSource.choices)
    summary = forms.CharField(label="被监督的执法行为概述", widget=forms.Textarea)
    filed_on = forms.DateField(label="立案日期", widget=DATE)
    is_major_complex = forms.BooleanField(label="重大复杂案件", required=False)
    officers = forms.ModelMultipleChoiceField(
        label="被调查人",
        queryset=Officer.objects.select_related("agency"),
        required=False,
        help_text="须为所选执法机关的人员；也可立案后在核实阶段增加。",
    )
    error_type = forms.ChoiceField(label="涉及的问题类型", choices=ErrorType.choices)

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        officers = cleaned.get("officers") or []
        wrong = [o.name for o in officers if agency and o.agency_id != agency.pk]
        if wrong:
            self.add_error(
                "officers", f"以下人员不属于所选执法机关：{'、'.join(wrong)}"
            )
        return cleaned


class CaseBoundForm(forms.Form):
    """A form for an action on one case; ``case`` and ``user`` are given."""

    def __init__(self, *args, case, user, **kwargs):
        self.case = case
        self.user = user
        super().__init__(*args, **kwargs)


class AssignForm(CaseBoundForm):
    investigator = UserChoiceField(label="调查人员", queryset=None)
    is_lead = forms.BooleanField(label="主办人", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recused = self.case.recusals.filter(status=Recusal.Status.APPROVED).values(
            "person_id"
        )
        active = self.case.assignments.filter(active=True).values("investigator_id")
        self.fields["investigator"].queryset = (
            staff_choices(roles.OFFICER).exclude(pk__in=recused).exclude(pk__in=active)
        )


class AddOfficerForm(CaseBoundForm):
    officer = forms.ModelChoiceField(label="被调查人", queryset=None)
    error_type = forms.ChoiceField(label="涉及的问题类型", choices=ErrorType.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.filter(
            agency=self.case.agency
        ).exclude(case_links__case=self.case)


class RecusalRequestForm(CaseBoundForm):
    person = UserChoiceField(label="回避人员", queryset=None)
    kind = forms.ChoiceField(label="方式", choices=Recusal.Kind.choices)
    reason = forms.CharField(label="与案件的利害关系", widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff_choices(roles.OFFICER) | staff_choices(
            roles.HEAD
        )
        self.fields["person"].initial = self.user.pk


class DecisionForm(CaseBoundForm):
    """Approve or reject a pending request of this case."""

    request_label = "申请"
    target = forms.ModelChoiceField(label="申请", queryset=None)
    approve = forms.TypedChoiceField(
        label="决定",
        choices=[("1", "批准"), ("0", "不予批准")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Subclasses say which pending requests of the case can be decided.
        self.fields["target"].queryset = self.pending()
        self.fields["target"].label = self.request_label


class RecusalDecisionForm(DecisionForm):
    request_label = "回避申请"

    def pending(self):
        return self.case.recusals.filter(status=Recusal.Status.PENDING).select_related(
            "person"
        )


class ExtensionDecisionForm(DecisionForm):
    request_label = "延期申请"

    def pending(self):
        return self.case.extensions.filter(status=Extension.Status.PENDING)


class CorrectionExtensionDecisionForm(DecisionForm):
    request_label = "延长整改期限申请"

    def pending(self):
        return CorrectionExtension.objects.filter(
            correction__case=self.case, status=CorrectionExtension.Status.PENDING
        )


class ActivityForm(CaseBoundForm):
    kind = forms.ChoiceField(label="调查方式", choices=Activity.Kind.choices)
    occurred_on = forms.DateField(label="日期", widget=DATE)
    summary = forms.CharField(label="情况记录", widget=forms.Textarea)
    appraisal_body = forms.CharField(
        label="鉴定（评估、检测）机构", required=False, max_length=100
    )
    appraisal_started_on = forms.DateField(
        label="委托日期", required=False, widget=DATE
    )
    appraisal_ended_on = forms.DateField(
        label="收到鉴定报告日期", required=False, widget=DATE
    )
    attachment = forms.FileField(
        label="附件", required=False, validators=[validate_upload]
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Activity.Kind.APPRAISAL:
            if not cleaned.get("appraisal_body"):
                self.add_error("appraisal_body", "委托鉴定须填写鉴定机构。")
            if not cleaned.get("appraisal_started_on"):
                self.add_error("appraisal_started_on", "委托鉴定须填写委托日期。")
        return cleaned


class FinishAppraisalForm(CaseBoundForm):
    activity = forms.ModelChoiceField(label="鉴定活动", queryset=None)
    ended_on = forms.DateField(label="收到鉴定报告日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = self.case.activities.filter(
            kind=Activity.Kind.APPRAISAL, appraisal_ended_on__isnull=True
        )


class AttachmentForm(CaseBoundForm):
    title = forms.CharField(label="材料名称", max_length=200)
    file = forms.FileField(label="文件", validators=[validate_upload])
    visible_to_agency = forms.BooleanField(label="执法机关联络员可见", required=False)


class StatementForm(CaseBoundForm):
    case_officer = forms.ModelChoiceField(label="被调查人", queryset=None)
    heard_on = forms.DateField(label="听取日期", widget=DATE)
    content = forms.CharField(
        label="陈述申辩内容", widget=forms.Textarea, required=False
    )
    waived = forms.BooleanField(label="本人书面放弃陈述申辩", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_officer"].queryset = self.case.case_officers.filter(
            statement__isnull=True
        ).select_related("officer")


class TransferForm(CaseBoundForm):
    reason = forms.CharField(label="移交理由（初步核查意见）", widget=forms.Textarea)
    received_on = forms.DateField(label="执法机关接收日期", widget=DATE)


class TransferResultForm(CaseBoundForm):
    transfer = forms.ModelChoiceField(label="移交", queryset=None)
    handled_on = forms.DateField(label="处理完成日期", widget=DATE)
    result = forms.CharField(label="处理结果", widget=forms.Textarea)
    result_filed_on = forms.DateField(label="报送备案日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transfer"].queryset = Transfer.objects.filter(
            case=self.case, result_filed_on__isnull=True
        )


class JointInvestigationForm(CaseBoundForm):
    counterpart = forms.CharField(label="纪检监察机关", max_length=100)
    since = forms.DateField(label="联合调查开始日期", widget=DATE)


class HearingForm(CaseBoundForm):
    scheduled_on = forms.DateField(label="听证日期", widget=DATE)
    host_name = forms.CharField(label="听证主持人", max_length=50)
    host_legal_qualification = forms.CharField(
        label="主持人法律知识（资格）", max_length=200
    )
    host_professional_qualification = forms.CharField(
        label="主持人专业知识", max_length=200
    )


class HearingRecordForm(CaseBoundForm):
    hearing = forms.ModelChoiceField(label="听证会", queryset=None)
    held_on = forms.DateField(label="举行日期", widget=DATE)
    minutes = forms.CharField(label="听证笔录", widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = Hearing.objects.filter(
            case=self.case, held_on__isnull=True
        )


class ExtensionForm(CaseBoundForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=30)
    reason = forms.CharField(label="情况复杂的理由", widget=forms.Textarea)


def item_choices():
    groups = []
    titles = {
        9: "第九条 履职尽责",
        10: "第十条 容错免责",
        11: "第十一条 从轻减轻",
        12: "第十二条 不予容错",
    }
    for article, items in load_policy_items().items():
        if article in titles:
            groups.append(
                (
                    titles[article],
                    [(item.code, f"{item.label}：{item.wording}") for item in items],
                )
            )
    return groups


class DeterminationForm(CaseBoundForm):
    case_officer = forms.ModelChoiceField(label="被调查人", queryset=None)
    outcome = forms.ChoiceField(
        label="认定结果", choices=[("", "请选择认定结果"), *Outcome.choices()]
    )
    basis = forms.MultipleChoiceField(
        label="依据的具体情形",
        choices=item_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选第九条至第十二条中所依据的具体项。",
    )
    facts = forms.CharField(label="认定的事实", widget=forms.Textarea)
    distinction_reform = forms.CharField(
        label="改革中因缺乏经验、先行先试出现的失误，还是明知故犯？（第二条）",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    distinction_exploration = forms.CharField(
        label="上级尚无明确限制的探索性试验中的失误，还是明令禁止后我行我素？（第二条）",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    distinction_intent = forms.CharField(
        label="为推动发展的无意过失，还是为谋取私利？（第二条）",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decided_on = forms.DateField(label="认定日期", widget=DATE)
    liability_referred_to = forms.CharField(
        label="不予容错免责（含从轻、减轻）时移送的过错责任追究机关（第十八条）",
        required=False,
        max_length=100,
    )
    repeat_finding = forms.ChoiceField(
        label="是否属于第十二条第（五）项的情形",
        choices=[("", "（未涉及）"), *RepeatFinding.choices()],
        required=False,
        help_text="案件页列出该人员的既往认定；问题类型相同只是提示。"
        "认定属于该项情形的，不能予以免责或依第十条处理，可依第十一条从轻、减轻追究责任。",
    )
    repeat_reasons = forms.CharField(
        label="第十二条第（五）项认定理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    repeat_conduct_on = forms.DateField(
        label="本次失误、错误发生日期（免责后再次出现的情形须填写）",
        required=False,
        widget=DATE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_officer"].queryset = self.case.case_officers.select_related(
            "officer"
        )

    ARTICLE_TITLES = {
        9: "第九条 履职尽责",
        10: "第十条 容错免责",
        11: "第十一条 从轻减轻",
        12: "第十二条 不予容错",
    }

    def chosen_outcome(self) -> str:
        value = (
            self.data.get("outcome") if self.is_bound else self.initial.get("outcome")
        )
        return value if value in Outcome._value2member_map_ else ""

    def basis_groups(self) -> list[dict]:
        """The items of Art. 9-12 by article, with the articles that can
        support the chosen outcome first (the one it must rest on at the
        top) and the rest after, marked; wording exactly as the policy text."""
        outcome = self.chosen_outcome()
        required, supporting = basis_articles(outcome) if outcome else (None, ())
        checked = set(
            self["basis"].value() or ()
            if self.is_bound
            else self.initial.get("basis", ())
        )
        groups = [
            {
                "article": article,
                "title": self.ARTICLE_TITLES[article],
                "required": article == required,
                "supports": article in supporting,
                "items": [
                    {
                        "code": item.code,
                        "label": item.label,
                        "wording": item.wording,
                        "checked": item.code in checked,
                    }
                    for item in items
                ],
            }
            for article, items in load_policy_items().items()
            if article in self.ARTICLE_TITLES
        ]
        if supporting:
            rank = {article: index for index, article in enumerate(supporting)}
            groups.sort(
                key=lambda g: (
                    g["article"] not in rank,
                    rank.get(g["article"], g["article"]),
                )
            )
        return groups

    def outcome_articles_json(self) -> str:
        """For the page's script: outcome -> supporting articles, required
        first (casework.rules.articles.basis_articles)."""
        return json.dumps(
            {value: list(basis_articles(value)[1]) for value, _ in Outcome.choices()}
        )


class ActFindingForm(CaseBoundForm):
    """Art. 18 para. 2: the finding on the enforcement act itself."""

    finding = forms.ChoiceField(
        label="被监督的行政执法行为",
        choices=ActFinding.choices,
        help_text="认定为违法或不当的，应当制发《行政执法监督意见书》（第十八条），"
        "与对各被调查人的认定分别作出。",
    )
    reasons = forms.CharField(label="认定理由", widget=forms.Textarea)
    found_on = forms.DateField(label="认定日期", widget=DATE)


class NotificationForm(CaseBoundForm):
    recipient = forms.CharField(label="送达对象", max_length=100)
    is_party = forms.BooleanField(label="当事人（非单位）", required=False)
    method = forms.ChoiceField(label="送达方式", choices=Notification.Method.choices)
    served_on = forms.DateField(label="送达日期", widget=DATE)


class DocumentForm(CaseBoundForm):
    kind = forms.ChoiceField(label="文书", choices=CaseDocument.Kind.choices)


class ReviewRequestForm(CaseBoundForm):
    applicant = forms.CharField(label="申请人", max_length=100)
    decision_received_on = forms.DateField(label="收到认定决定日期", widget=DATE)
    requested_on = forms.DateField(label="书面申请日期", widget=DATE)
    grounds = forms.CharField(label="申请理由", widget=forms.Textarea)


class ReviewDecisionForm(CaseBoundForm):
    review = forms.ModelChoiceField(label="复核申请", queryset=None)
    result = forms.ChoiceField(label="复核结果", choices=Review.Result.choices)
    reasons = forms.CharField(label="复核理由", widget=forms.Textarea)
    decided_on = forms.DateField(label="决定日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = Review.objects.filter(
            case=self.case, result=""
        )


class CorrectionForm(CaseBoundForm):
    reasons = forms.CharField(label="纠错事由", widget=forms.Textarea)
    items = forms.CharField(label="纠错事项", widget=forms.Textarea)
    requirements = forms.CharField(label="纠错要求或建议", widget=forms.Textarea)
    deadline = forms.DateField(label="整改期限", widget=DATE)


def open_corrections(case):
    return Correction.objects.filter(case=case).exclude(
        status=Correction.Status.VERIFIED
    )


class CorrectionProgressForm(CaseBoundForm):
    correction = forms.ModelChoiceField(label="纠错事项", queryset=None)
    reported_on = forms.DateField(label="报告日期", widget=DATE)
    content = forms.CharField(label="整改进展", widget=forms.Textarea)
    completed = forms.BooleanField(label="报告整改已完成", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction"].queryset = open_corrections(self.case)


class CorrectionExtensionForm(CaseBoundForm):
    correction = forms.ModelChoiceField(label="纠错事项", queryset=None)
    requested_deadline = forms.DateField(label="申请延长至", widget=DATE)
    reason = forms.CharField(label="特殊情况说明", widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction"].queryset = open_corrections(self.case)


class CorrectionVerifyForm(CaseBoundForm):
    correction = forms.ModelChoiceField(label="纠错事项", queryset=None)
    verified_on = forms.DateField(label="核验日期", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction"].queryset = Correction.objects.filter(
            case=self.case, status=Correction.Status.REPORTED
        )


class TransitionForm(CaseBoundForm):
    target = forms.ChoiceField(label="转入阶段")
    note = forms.CharField(
        label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        from casework.actions import stage_moves

        super().__init__(*args, **kwargs)
        # Only the moves this user may make (the head serves the decision
        # while office rule decision_signed_by_head is on), named for what
        # they are: a step back reads 退回…, never like progress.
        self.fields["target"].choices = [
            (move.target.value, move.label)
            for move in stage_moves(self.user, self.case)
        ]
