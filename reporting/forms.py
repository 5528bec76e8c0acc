"""Public and staff forms of the reporting channel. Business rules live in
reporting.rules and reporting.services; these only parse input."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.models import Agency, EnforcementField, MatterType, SupervisionCase
from reporting import challenge, receipts, uploads
from reporting.models import Report, StagedUpload

STAGED_SALT = "reporting.staged-uploads"
FILES_NOT_RECEIVED_WITHOUT_PROOF = _(
    "The security check is not complete, so the attachments chosen were not received. "
    "Please choose them again once the security check is complete."
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
        label=_("attached file"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": uploads.ACCEPT}),
        help_text=_(
            "You can upload images (JPG, PNG, WEBP), PDF and Word/Excel documents "
            "(.docx/.xlsx); up to 10MB each, 5 files at most. Where a photo was taken "
            "and who wrote a document, among other properties, are removed "
            "automatically."
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
            errors.append(
                gettext(
                    "At most %(maximum)s attachments: please remove some and submit "
                    "again."
                )
                % {"maximum": maximum}
            )
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
                gettext(
                    "The security check is not complete or has expired. Please make "
                    "sure JavaScript is enabled in your browser, wait a moment, and "
                    "submit once the page shows “安全验证完成”."
                )
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
        label=_("way of reporting"),
        choices=Report.Kind.choices,
        widget=forms.RadioSelect,
        initial=Report.Kind.REAL_NAME,
        help_text=_(
            "If you report under your name, we give you the result of the "
            "verification as required; if you report anonymously, the matter is "
            "explained within a certain scope (Art. 22 of the measure)."
        ),
    )
    name = forms.CharField(label=_("full name"), max_length=50, required=False)
    contact = forms.CharField(
        label=_("Contact"),
        max_length=100,
        required=False,
        help_text=_(
            "Mobile phone, landline or email. Only the head of the supervision office "
            "can see it, and each look is recorded."
        ),
    )
    subject = forms.CharField(
        label=_("subject"),
        max_length=100,
        error_messages={
            "required": _("Please state the problem you report in one sentence.")
        },
        help_text=_(
            "The problem in one sentence, e.g. “an officer did not show a law "
            "enforcement ID during an inspection”."
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("enforcement agency reported"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label=_("Not sure, or not in the list"),
        help_text=_(
            "If you do not know which enforcement agency it was, leave this empty: "
            "the supervision office finds out when it verifies the report."
        ),
    )
    agency_text = forms.CharField(
        label=_("enforcement agency (if not in the list)"),
        max_length=100,
        required=False,
    )
    persons = forms.CharField(
        label=_("officers involved"),
        max_length=200,
        required=False,
        help_text=_(
            "Their names, ID numbers or what they looked like, if you know; otherwise "
            "leave it empty."
        ),
    )
    occurred_on = forms.DateField(
        label=_("date of the conduct"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    description = forms.CharField(
        label=_("what happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
        error_messages={"required": _("Please describe what happened.")},
        help_text=_(
            "Please give the time, place, what happened and the evidence you have; "
            "5000 characters at most."
        ),
    )
    pledge = forms.BooleanField(
        label=_(
            "I pledge that what I report is true; if I knowingly make up facts or "
            "falsely accuse anyone, I accept the liability that follows."
        ),
        error_messages={
            "required": _("Please read and tick the pledge before submitting.")
        },
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
            raise forms.ValidationError(
                _("The date it happened cannot be later than today.")
            )
        return day

    def clean(self):
        data = super().clean()
        if data.get("kind") == Report.Kind.REAL_NAME:
            if not (data.get("name") or "").strip():
                self.add_error("name", _("A report under your name needs your name."))
            if not (data.get("contact") or "").strip():
                self.add_error(
                    "contact",
                    _(
                        "A report under your name needs a contact, so that we can "
                        "give you the result."
                    ),
                )
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
SUMMARY_NAMES = {"pledge": _("pledge of truthfulness")}


MALFORMED_CODE = _(
    "A receipt code has 16 digits, the last of them a check digit. Please check for a "
    "digit copied wrongly."
)


class ReceiptLookupForm(forms.Form):
    """The receipt code, checked for shape and check digit here: input that
    cannot be a code never reaches a rate budget or an Argon2 digest."""

    code = forms.CharField(
        label=_("receipt code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "inputmode": "numeric",
                "spellcheck": "false",
                "placeholder": _("16 digits, e.g. 1234 5678 9012 3456"),
            }
        ),
        error_messages={
            "required": _("Please enter the receipt code."),
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
        label=_("further information or reply"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 3000}),
    )


# --- Staff forms -------------------------------------------------------------------


class NewCaseForm(forms.Form):
    title = forms.CharField(label=_("case title"), max_length=200)
    agency = forms.ModelChoiceField(
        label=_("enforcement agency"), queryset=Agency.objects.all()
    )
    field = forms.ModelChoiceField(
        label=_("enforcement field"), queryset=EnforcementField.objects.all()
    )
    matter_type = forms.ChoiceField(
        label=_("enforcement matter"), choices=MatterType.choices
    )
    summary = forms.CharField(
        label=_("summary of the enforcement action supervised"), widget=forms.Textarea
    )
    filed_on = forms.DateField(
        label=_("filed on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class AttachCaseForm(forms.Form):
    case = forms.ModelChoiceField(
        label=_("case"), queryset=SupervisionCase.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = (
            SupervisionCase.objects.visible_to(user)
            .exclude(stage="archived")
            .order_by("-year", "-sequence")
        )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for not filing a case (internal)"), widget=forms.Textarea
    )
    feedback = forms.CharField(
        label=_("feedback to the reporter (shown on the lookup page)"),
        widget=forms.Textarea,
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome of the verification"),
        choices=[("", _("Please choose")), *list(Report.Outcome.choices)],
        required=False,
    )
    feedback = forms.CharField(
        label=_("feedback (shown to the reporter on the lookup page)"),
        widget=forms.Textarea,
        required=False,
    )
    explained_where = forms.CharField(
        label=_("where the outcome was explained"), max_length=200, required=False
    )
    explained_to = forms.CharField(
        label=_("to whom the outcome was explained"), max_length=200, required=False
    )
    explained_on = forms.DateField(
        label=_("explained on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    clarification_warranted = forms.BooleanField(
        label=_(
            "The officers reported were maliciously slandered or falsely accused and "
            "need to be cleared"
        ),
        required=False,
    )
    clarification_reason = forms.CharField(
        label=_("why a clarification notice is warranted"),
        widget=forms.Textarea,
        required=False,
    )
    release = forms.BooleanField(
        label=_("release the feedback to the reporter at the same time"),
        required=False,
        initial=True,
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("message to the reporter"), widget=forms.Textarea)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("internal note (not shown to the reporter)"), widget=forms.Textarea
    )


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("purpose"),
        max_length=200,
        help_text=_("The viewing is recorded in the audit log."),
    )


class ConfirmForm(forms.Form):
    """A step with nothing to fill in, only a button."""
