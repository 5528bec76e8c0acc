"""Admin forms for casework actions. Forms only collect and clean input; the
rules live in casework.rules and are applied by casework.services."""

import json

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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


def attachment_limits() -> uploads.Limits:
    """The cap of one case file (settings.CASEWORK_ATTACHMENT_MAX_BYTES)."""
    return uploads.Limits(max_bytes=settings.CASEWORK_ATTACHMENT_MAX_BYTES)


ATTACHMENT_POLICY = uploads.Policy(
    kinds=ATTACHMENT_KINDS, limits=attachment_limits, reencode_images=False
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
    ATTACHMENT_POLICY.validate(upload)


class CaseFilingForm(forms.Form):
    title = forms.CharField(label=_("case title"), max_length=200)
    agency = forms.ModelChoiceField(
        label=_("enforcement agency"), queryset=Agency.objects.filter(is_active=True)
    )
    field = forms.ModelChoiceField(
        label=_("enforcement field"), queryset=EnforcementField.objects
    )
    matter_type = forms.ChoiceField(
        label=_("administrative enforcement matter"), choices=MatterType.choices
    )
    source = forms.ChoiceField(label=_("source"), choices=CaseSource.choices)
    summary = forms.CharField(
        label=_("summary of the enforcement act under review"), widget=forms.Textarea
    )
    filed_on = forms.DateField(label=_("filed on"), widget=DATE)
    is_major_complex = forms.BooleanField(
        label=_("major or complex case"), required=False
    )
    officers = forms.ModelMultipleChoiceField(
        label=_("officer concerned"),
        queryset=Officer.objects.select_related("agency"),
        required=False,
        help_text=_(
            "Must be people of the chosen agency; they can also be added "
            "in the verification stage after filing."
        ),
    )
    error_type = forms.ChoiceField(
        label=_("error type at issue"), choices=ErrorType.choices
    )

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        officers = cleaned.get("officers") or []
        wrong = [o.name for o in officers if agency and o.agency_id != agency.pk]
        if wrong:
            self.add_error(
                "officers",
                gettext("These people are not of the chosen agency: %(names)s")
                % {"names": "、".join(wrong)},
            )
        return cleaned


class CaseBoundForm(forms.Form):
    """A form for an action on one case; ``case`` and ``user`` are given."""

    def __init__(self, *args, case, user, **kwargs):
        self.case = case
        self.user = user
        super().__init__(*args, **kwargs)


class AssignForm(CaseBoundForm):
    investigator = UserChoiceField(label=_("investigator"), queryset=None)
    is_lead = forms.BooleanField(label=_("lead investigator"), required=False)

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
    officer = forms.ModelChoiceField(label=_("officer concerned"), queryset=None)
    error_type = forms.ChoiceField(
        label=_("error type at issue"), choices=ErrorType.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.filter(
            agency=self.case.agency
        ).exclude(case_links__case=self.case)


class RecusalRequestForm(CaseBoundForm):
    person = UserChoiceField(label=_("person to recuse"), queryset=None)
    kind = forms.ChoiceField(label=_("manner"), choices=Recusal.Kind.choices)
    reason = forms.CharField(label=_("interest in the case"), widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff_choices(roles.OFFICER) | staff_choices(
            roles.HEAD
        )
        self.fields["person"].initial = self.user.pk


class DecisionForm(CaseBoundForm):
    """Approve or reject a pending request of this case."""

    request_label = _("request")
    target = forms.ModelChoiceField(label=_("request"), queryset=None)
    approve = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("Approved")), ("0", _("Not approved"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Subclasses say which pending requests of the case can be decided.
        self.fields["target"].queryset = self.pending()
        self.fields["target"].label = self.request_label


class RecusalDecisionForm(DecisionForm):
    request_label = _("recusal request")

    def pending(self):
        return self.case.recusals.filter(status=Recusal.Status.PENDING).select_related(
            "person"
        )


class ExtensionDecisionForm(DecisionForm):
    request_label = _("extension request")

    def pending(self):
        return self.case.extensions.filter(status=Extension.Status.PENDING)


class CorrectionExtensionDecisionForm(DecisionForm):
    request_label = _("request to extend the rectification period")

    def pending(self):
        return CorrectionExtension.objects.filter(
            correction__case=self.case, status=CorrectionExtension.Status.PENDING
        )


class ActivityForm(CaseBoundForm):
    kind = forms.ChoiceField(
        label=_("investigation method"), choices=Activity.Kind.choices
    )
    occurred_on = forms.DateField(label=_("date"), widget=DATE)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea)
    appraisal_body = forms.CharField(
        label=_("appraisal body"), required=False, max_length=100
    )
    appraisal_started_on = forms.DateField(
        label=_("appraisal commissioned on"), required=False, widget=DATE
    )
    appraisal_ended_on = forms.DateField(
        label=_("appraisal report received on"), required=False, widget=DATE
    )
    attachment = forms.FileField(
        label=_("attached file"), required=False, validators=[validate_upload]
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Activity.Kind.APPRAISAL:
            if not cleaned.get("appraisal_body"):
                self.add_error(
                    "appraisal_body",
                    gettext("A commissioned appraisal needs the appraisal body."),
                )
            if not cleaned.get("appraisal_started_on"):
                self.add_error(
                    "appraisal_started_on",
                    gettext("A commissioned appraisal needs the date commissioned."),
                )
        return cleaned


class FinishAppraisalForm(CaseBoundForm):
    activity = forms.ModelChoiceField(label=_("appraisal activity"), queryset=None)
    ended_on = forms.DateField(label=_("appraisal report received on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = self.case.activities.filter(
            kind=Activity.Kind.APPRAISAL, appraisal_ended_on__isnull=True
        )


class AttachmentForm(CaseBoundForm):
    title = forms.CharField(label=_("material title"), max_length=200)
    file = forms.FileField(label=_("file"), validators=[validate_upload])
    visible_to_agency = forms.BooleanField(
        label=_("visible to the agency liaison"), required=False
    )


class StatementForm(CaseBoundForm):
    case_officer = forms.ModelChoiceField(label=_("officer concerned"), queryset=None)
    heard_on = forms.DateField(label=_("heard on"), widget=DATE)
    content = forms.CharField(
        label=_("statement and defence"), widget=forms.Textarea, required=False
    )
    waived = forms.BooleanField(
        label=_("waived the statement and defence in writing"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_officer"].queryset = self.case.case_officers.filter(
            statement__isnull=True
        ).select_related("officer")


class TransferForm(CaseBoundForm):
    reason = forms.CharField(
        label=_("reason for the transfer (preliminary verification opinion)"),
        widget=forms.Textarea,
    )
    received_on = forms.DateField(label=_("received by the agency on"), widget=DATE)


class TransferResultForm(CaseBoundForm):
    transfer = forms.ModelChoiceField(label=_("transfer"), queryset=None)
    handled_on = forms.DateField(label=_("handled on"), widget=DATE)
    result = forms.CharField(label=_("handling result"), widget=forms.Textarea)
    result_filed_on = forms.DateField(label=_("date the result was filed"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transfer"].queryset = Transfer.objects.filter(
            case=self.case, result_filed_on__isnull=True
        )


class JointInvestigationForm(CaseBoundForm):
    counterpart = forms.CharField(
        label=_("discipline inspection counterpart"), max_length=100
    )
    since = forms.DateField(label=_("joint investigation since"), widget=DATE)


class HearingForm(CaseBoundForm):
    scheduled_on = forms.DateField(label=_("scheduled on"), widget=DATE)
    host_name = forms.CharField(label=_("host"), max_length=50)
    host_legal_qualification = forms.CharField(
        label=_("host's legal qualification"), max_length=200
    )
    host_professional_qualification = forms.CharField(
        label=_("host's professional knowledge"), max_length=200
    )


class HearingRecordForm(CaseBoundForm):
    hearing = forms.ModelChoiceField(label=_("hearing session"), queryset=None)
    held_on = forms.DateField(label=_("held on"), widget=DATE)
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hearing"].queryset = Hearing.objects.filter(
            case=self.case, held_on__isnull=True
        )


class ExtensionForm(CaseBoundForm):
    days = forms.IntegerField(label=_("days of extension"), min_value=1, max_value=30)
    reason = forms.CharField(
        label=_("reason (why the case is complex)"), widget=forms.Textarea
    )


def item_choices():
    groups = []
    titles = {
        9: gettext("Art. 9 Duties performed"),
        10: gettext("Art. 10 Error tolerance and exemption"),
        11: gettext("Art. 11 Lighter or mitigated liability"),
        12: gettext("Art. 12 No error tolerance"),
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
    case_officer = forms.ModelChoiceField(label=_("officer concerned"), queryset=None)
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=[("", _("Choose the outcome")), *Outcome.choices()]
    )
    basis = forms.MultipleChoiceField(
        label=_("items relied on"),
        choices=item_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the items of Arts. 9 to 12 relied on."),
    )
    facts = forms.CharField(label=_("facts found"), widget=forms.Textarea)
    distinction_reform = forms.CharField(
        label=_(
            "A mistake from lack of experience or pioneering in reform, "
            "or a knowing violation? (Art. 2)"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    distinction_exploration = forms.CharField(
        label=_(
            "A mistake in an exploratory trial the higher level had not "
            "clearly restricted, or persisting after an express "
            "prohibition? (Art. 2)"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    distinction_intent = forms.CharField(
        label=_(
            "An unintended fault in promoting development, or for "
            "private gain? (Art. 2)"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decided_on = forms.DateField(label=_("date of determination"), widget=DATE)
    liability_referred_to = forms.CharField(
        label=_(
            "Organ the fault liability is referred to where no tolerance "
            "or exemption is granted (incl. lighter or mitigated) (Art. "
            "18)"
        ),
        required=False,
        max_length=100,
    )
    repeat_finding = forms.ChoiceField(
        label=_("Whether the Art. 12(5) case applies"),
        choices=[("", _("(not at issue)")), *RepeatFinding.choices()],
        required=False,
        help_text=_(
            "The case page lists this person's earlier determinations; "
            "the same error type is only a hint. Where this case is "
            "found to apply, no exemption or handling under Art. 10 is "
            "possible; liability may be lightened or mitigated under "
            "Art. 11."
        ),
    )
    repeat_reasons = forms.CharField(
        label=_("reasons for the Art. 12(5) finding"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    repeat_conduct_on = forms.DateField(
        label=_(
            "Date of this mistake or error (required where it recurs "
            "after an exemption)"
        ),
        required=False,
        widget=DATE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_officer"].queryset = self.case.case_officers.select_related(
            "officer"
        )

    ARTICLE_TITLES = {
        9: _("Art. 9 Duties performed"),
        10: _("Art. 10 Error tolerance and exemption"),
        11: _("Art. 11 Lighter or mitigated liability"),
        12: _("Art. 12 No error tolerance"),
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
        label=_("supervised administrative enforcement act"),
        choices=ActFinding.choices,
        help_text=_(
            "Where it is found unlawful or improper, an 《Administrative "
            "Enforcement Supervision Opinion》 is to be issued (Art. 18), "
            "separately from the determinations on the officers "
            "concerned."
        ),
    )
    reasons = forms.CharField(label=_("reasons for the finding"), widget=forms.Textarea)
    found_on = forms.DateField(label=_("date of determination"), widget=DATE)


class NotificationForm(CaseBoundForm):
    recipient = forms.CharField(label=_("recipient"), max_length=100)
    is_party = forms.BooleanField(label=_("party (not a unit)"), required=False)
    method = forms.ChoiceField(label=_("method"), choices=Notification.Method.choices)
    served_on = forms.DateField(label=_("served on"), widget=DATE)


class DocumentForm(CaseBoundForm):
    kind = forms.ChoiceField(label=_("document"), choices=CaseDocument.Kind.choices)


class ReviewRequestForm(CaseBoundForm):
    applicant = forms.CharField(label=_("applicant"), max_length=100)
    decision_received_on = forms.DateField(
        label=_("date the decision was received"), widget=DATE
    )
    requested_on = forms.DateField(
        label=_("date of the written application"), widget=DATE
    )
    grounds = forms.CharField(label=_("grounds"), widget=forms.Textarea)


class ReviewDecisionForm(CaseBoundForm):
    review = forms.ModelChoiceField(label=_("review application"), queryset=None)
    result = forms.ChoiceField(label=_("review result"), choices=Review.Result.choices)
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea)
    decided_on = forms.DateField(label=_("decided on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = Review.objects.filter(
            case=self.case, result=""
        )


class CorrectionForm(CaseBoundForm):
    reasons = forms.CharField(label=_("reasons (纠错事由)"), widget=forms.Textarea)
    items = forms.CharField(label=_("items (纠错事项)"), widget=forms.Textarea)
    requirements = forms.CharField(
        label=_("requirements or suggestions"), widget=forms.Textarea
    )
    deadline = forms.DateField(label=_("rectification deadline"), widget=DATE)


def open_corrections(case):
    return Correction.objects.filter(case=case).exclude(
        status=Correction.Status.VERIFIED
    )


class CorrectionProgressForm(CaseBoundForm):
    correction = forms.ModelChoiceField(label=_("items (纠错事项)"), queryset=None)
    reported_on = forms.DateField(label=_("reported on"), widget=DATE)
    content = forms.CharField(label=_("rectification progress"), widget=forms.Textarea)
    completed = forms.BooleanField(
        label=_("report rectification complete"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction"].queryset = open_corrections(self.case)


class CorrectionExtensionForm(CaseBoundForm):
    correction = forms.ModelChoiceField(label=_("items (纠错事项)"), queryset=None)
    requested_deadline = forms.DateField(label=_("extend to"), widget=DATE)
    reason = forms.CharField(
        label=_("explanation of special circumstances"), widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction"].queryset = open_corrections(self.case)


class CorrectionVerifyForm(CaseBoundForm):
    correction = forms.ModelChoiceField(label=_("items (纠错事项)"), queryset=None)
    verified_on = forms.DateField(label=_("verified on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction"].queryset = Correction.objects.filter(
            case=self.case, status=Correction.Status.REPORTED
        )


class TransitionForm(CaseBoundForm):
    target = forms.ChoiceField(label=_("move to stage"))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
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
