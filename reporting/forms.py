"""Public and staff forms of the reporting channel. Business rules live in
reporting.rules and reporting.services; these only parse input."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone

from casework.models import Agency, EnforcementField, MatterType, SupervisionCase
from reporting import challenge, receipts, uploads
from reporting.models import Report, StagedUpload

STAGED_SALT = "reporting.staged-uploads"
FILES_NOT_RECEIVED_WITHOUT_PROOF = (
    "安全验证未完成，本次选择的附件没有接收。请待安全验证完成后重新选择附件。"
)


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [file for file in files if file]


class AttachmentsMixin(forms.Form):
    """Files, checked by content; files that passed are kept (staged) when the
    form fails on something else, so the reporter never chooses them twice."""

    attachments = MultipleFileField(
        label="附件",
        required=False,
        widget=MultipleFileInput(attrs={"accept": uploads.ACCEPT}),
        help_text=(
            "可上传图片（JPG、PNG、WEBP）、PDF 和 Word"
            "/Excel 文档（.docx/.xlsx）；每个文件不超过10MB，最多5个。"
            "图片中的拍摄位置等信息、文档中的作者等属性会被自动清除。"
        ),
    )
    staged = forms.CharField(required=False, widget=forms.HiddenInput)
    proof = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The proof of work is judged first (fields are cleaned in this
        # order): a request without a valid one never gets a file read,
        # decoded or kept.
        self.fields = {"proof": self.fields.pop("proof"), **self.fields}
        self.checked_files: list[uploads.CheckedFile] = []
        self.staged_uploads: list[StagedUpload] = self._load_staged()
        # Set by the view before is_valid() when the client is over its
        # submission budget: the files of such a request are not examined.
        self.files_refused = ""

    def _load_staged(self) -> list[StagedUpload]:
        if not self.is_bound:
            return []
        try:
            tokens = signing.loads(
                self.data.get("staged", "") or "", salt=STAGED_SALT, max_age=86400
            )
        except signing.BadSignature:
            return []
        # Signed by us, so a list of tokens; still, anything else is ignored
        # rather than reaching the UUID lookup.
        if not isinstance(tokens, list):
            return []
        removed = set(self.data.getlist("remove_staged"))
        tokens = [
            token
            for token in tokens
            if isinstance(token, str) and _is_uuid(token) and token not in removed
        ][:20]
        found = {str(s.token): s for s in StagedUpload.objects.filter(pk__in=tokens)}
        return [found[token] for token in tokens if token in found]

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if not files:
            return files
        if self.files_refused or "proof" in self._errors:
            # Neither read nor kept: the files of an unproven or over-budget
            # request cost the site nothing beyond receiving them.
            raise forms.ValidationError(
                self.files_refused or FILES_NOT_RECEIVED_WITHOUT_PROOF
            )
        errors = []
        maximum = settings.REPORTING["ATTACHMENT_MAX_FILES"]
        room = max(0, maximum - len(self.staged_uploads))
        if len(files) > room:
            # Counted before any is read: extra files are never decoded.
            errors.append(f"附件最多{maximum}个，请删去一些再提交。")
            files = files[:room]
        for upload in files:
            try:
                self.checked_files.append(uploads.check(upload))
            except uploads.UploadRefused as refused:
                errors.append(str(refused))
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean_proof(self):
        try:
            challenge.verify(self.cleaned_data.get("proof") or "")
        except challenge.ChallengeFailed as failed:
            raise forms.ValidationError(
                "安全验证未完成或已失效。请确认浏览器已启用JavaScript，"
                "稍候片刻，待页面显示“安全验证完成”后再提交。"
            ) from failed
        return ""

    def keep_checked_files(self, stage) -> str:
        """Stage the files that passed; the signed list for the hidden field.

        ``stage`` takes the checked files and returns the staged uploads and a
        reason (Chinese) for those it did not keep, shown with the form."""
        kept, refusal = stage(self.checked_files)
        self.staged_uploads.extend(kept)
        self.checked_files = []
        if refusal:
            self.add_error(None, refusal)
        return signing.dumps(
            [str(item.token) for item in self.staged_uploads], salt=STAGED_SALT
        )


class ReportForm(AttachmentsMixin):
    kind = forms.ChoiceField(
        label="举报方式",
        choices=Report.Kind.choices,
        widget=forms.RadioSelect,
        initial=Report.Kind.REAL_NAME,
        help_text="实名举报的，我们按规定向您反馈核查结果；匿名举报的，在一定范围内说明情况（《实施办法》第二十二条）。",
    )
    name = forms.CharField(label="姓名", max_length=50, required=False)
    contact = forms.CharField(
        label="联系方式",
        max_length=100,
        required=False,
        help_text="手机号码、固定电话或电子邮箱。仅监督机构负责人经登记后可查看。",
    )
    subject = forms.CharField(
        label="事由",
        max_length=100,
        error_messages={"required": "请用一句话写明所反映的问题。"},
        help_text="一句话概括所反映的问题，例如“某执法人员检查时未出示执法证件”。",
    )
    agency = forms.ModelChoiceField(
        label="被反映的执法机关",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label="不清楚或不在列表中",
        help_text="不清楚是哪个执法机关的，可以不选也不填，由监督机构核实后确定。",
    )
    agency_text = forms.CharField(
        label="执法机关（列表中没有时填写）", max_length=100, required=False
    )
    persons = forms.CharField(
        label="涉及的执法人员",
        max_length=200,
        required=False,
        help_text="知道的填写姓名、执法证号或体貌特征；不知道可不填。",
    )
    occurred_on = forms.DateField(
        label="发生日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    place = forms.CharField(label="发生地点", max_length=200, required=False)
    description = forms.CharField(
        label="具体情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
        error_messages={"required": "请写明具体情况。"},
        help_text="请写明时间、地点、经过和您掌握的证据，最多5000字。",
    )
    pledge = forms.BooleanField(
        label="我承诺所反映的情况真实；如故意捏造事实、诬告陷害他人，愿承担相应责任。",
        error_messages={"required": "请阅读并勾选承诺后再提交。"},
    )

    field_order = [
        "kind",
        "name",
        "contact",
        "subject",
        "agency",
        "agency_text",
        "persons",
        "occurred_on",
        "place",
        "description",
        "attachments",
        "pledge",
    ]

    def clean_occurred_on(self):
        day = self.cleaned_data.get("occurred_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError("发生日期不能晚于今天。")
        return day

    def clean(self):
        data = super().clean()
        if data.get("kind") == Report.Kind.REAL_NAME:
            if not (data.get("name") or "").strip():
                self.add_error("name", "实名举报请填写姓名。")
            if not (data.get("contact") or "").strip():
                self.add_error("contact", "实名举报请填写联系方式，以便向您反馈结果。")
        # A reporter who does not know the agency still reports: the office
        # (Art. 3: 区政府行政执法监督机构负责具体实施) finds the agency when it
        # files or joins a case from its inbox.
        return data

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, short name, first message) of each field in error, for
        the list at the top of the page: names without their own closing
        punctuation, so that "名称：消息" reads cleanly."""
        rows = []
        for field in self.visible_fields():
            if field.errors:
                name = SUMMARY_NAMES.get(field.name, field.label).rstrip("。；;.：:")
                rows.append((f"{field.auto_id}-group", name, field.errors[0]))
        return rows


# The pledge's label is a whole sentence: the summary names it shortly.
SUMMARY_NAMES = {"pledge": "真实性承诺"}


MALFORMED_CODE = "回执码应为16位数字，且最后一位是校验位。请核对是否有抄错的数字。"


class ReceiptLookupForm(forms.Form):
    """The receipt code, checked for shape and check digit here: input that
    cannot be a code never reaches a rate budget or an Argon2 digest."""

    code = forms.CharField(
        label="回执码",
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "spellcheck": "false",
                "placeholder": "16位数字，例如 1234 5678 9012 3456",
            }
        ),
        error_messages={
            "required": "请输入回执码。",
            "max_length": MALFORMED_CODE,
        },
    )
    # A place in line while the site is over its lookup budget
    # (portal.ratelimit.WaitTicket); signed, so only read, never trusted.
    ticket = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_code(self):
        try:
            return receipts.normalize(self.cleaned_data["code"])
        except receipts.MalformedCode:
            raise forms.ValidationError(MALFORMED_CODE) from None


class ReplyForm(AttachmentsMixin):
    body = forms.CharField(
        label="补充情况或答复",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 3000}),
    )


# --- Staff forms -------------------------------------------------------------------


class NewCaseForm(forms.Form):
    title = forms.CharField(label="案件名称", max_length=200)
    agency = forms.ModelChoiceField(label="执法机关", queryset=Agency.objects.all())
    field = forms.ModelChoiceField(
        label="执法领域", queryset=EnforcementField.objects.all()
    )
    matter_type = forms.ChoiceField(label="执法事项", choices=MatterType.choices)
    summary = forms.CharField(label="被监督的执法行为概要", widget=forms.Textarea)
    filed_on = forms.DateField(
        label="立案日期", widget=forms.DateInput(attrs={"type": "date"})
    )


class AttachCaseForm(forms.Form):
    case = forms.ModelChoiceField(label="案件", queryset=SupervisionCase.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = (
            SupervisionCase.objects.visible_to(user)
            .exclude(stage="archived")
            .order_by("-year", "-sequence")
        )


class CloseForm(forms.Form):
    reason = forms.CharField(label="不予立案的理由（内部）", widget=forms.Textarea)
    feedback = forms.CharField(
        label="向举报人反馈的内容（举报人在查询页面可见）", widget=forms.Textarea
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="核查结果",
        choices=[("", "请选择"), *list(Report.Outcome.choices)],
        required=False,
    )
    feedback = forms.CharField(
        label="反馈内容（举报人在查询页面可见）", widget=forms.Textarea, required=False
    )
    explained_where = forms.CharField(
        label="说明情况的范围或场合", max_length=200, required=False
    )
    explained_to = forms.CharField(label="说明对象", max_length=200, required=False)
    explained_on = forms.DateField(
        label="说明日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    clarification_warranted = forms.BooleanField(
        label="被反映的执法人员受到恶意中伤或诬告陷害，需要澄清正名", required=False
    )
    clarification_reason = forms.CharField(
        label="澄清正名的理由", widget=forms.Textarea, required=False
    )
    release = forms.BooleanField(
        label="同时向举报人发布反馈", required=False, initial=True
    )


class MessageForm(forms.Form):
    body = forms.CharField(label="发给举报人的内容", widget=forms.Textarea)


class NoteForm(forms.Form):
    body = forms.CharField(label="内部备注（举报人不可见）", widget=forms.Textarea)


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label="查看用途",
        max_length=200,
        help_text="查看记录将写入审计日志。",
    )


class ConfirmForm(forms.Form):
    """A step with nothing to fill in, only a button."""
