"""Determination (认定), notification (反馈), review, correction (纠错) and
the generated documents (Art. 9-12, 17-20)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.base import ApprovalRequest, CaseRecord
from casework.models.case import CaseOfficer, SupervisionCase
from casework.models.investigation import get_private_storage
from casework.rules.articles import Outcome
from casework.rules.repeat import RepeatFinding
from portal.history import history_user


class Determination(CaseRecord):
    """The determination for one person concerned: the outcome, the exact
    items of Art. 9-12 it rests on, the three distinctions of Art. 2 with
    reasons, and the Art. 18 effects."""

    case_officer = models.OneToOneField(
        CaseOfficer, on_delete=models.PROTECT, related_name="determination"
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices())
    basis = models.JSONField(_("items relied on"), default=list)
    facts = models.TextField(_("facts found"))
    # Art. 2: 三个区分开来, each answered with its reason.
    distinction_reform = models.TextField(
        _("reform and pilot mistake, or knowing violation? (Art. 2)")
    )
    distinction_exploration = models.TextField(
        _("exploration without explicit limits, or defiance of a ban? (Art. 2)")
    )
    distinction_intent = models.TextField(
        _("unintentional fault for development, or private gain? (Art. 2)")
    )
    counts_as_error = models.BooleanField(
        _("counted as an enforcement error"), editable=False
    )
    # Art. 12(5): the person's earlier determinations, as the system found
    # them when this one was made (case numbers of the exemptions, and every
    # earlier determination), and the office's recorded finding on whether a
    # limb of Art. 12(5) applies, with its reasons. The finding is the test;
    # nobody overrides it (casework.rules.repeat).
    prior_exemptions = models.JSONField(default=list, editable=False)
    prior_determinations = models.JSONField(default=list, editable=False)
    repeat_finding = models.CharField(
        _("finding on Art. 12(5)"),
        max_length=20,
        choices=RepeatFinding.choices(),
        blank=True,
    )
    repeat_reasons = models.TextField(
        _("reasons for the Art. 12(5) finding"), blank=True
    )
    repeat_conduct_on = models.DateField(
        _("date of the error at issue (Art. 12(5), second limb)"),
        null=True,
        blank=True,
    )
    liability_referred_on = models.DateField(
        _("handed to the error-liability procedure on (Art. 18)"), null=True, blank=True
    )
    liability_referred_to = models.CharField(_("handed to"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"))
    round = models.PositiveIntegerField(_("decision round"), default=1, editable=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("determination")
        verbose_name_plural = _("determinations")


class Notification(CaseRecord):
    """送达 (Art. 17): the decision told to units and parties within 7 days."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("served in person")
        POST = "post", _("served by post")
        ELECTRONIC = "electronic", _("served electronically")

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="notifications"
    )
    recipient = models.CharField(_("recipient"), max_length=100)
    is_party = models.BooleanField(_("party (not a unit)"), default=False)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    served_on = models.DateField(_("served on"))
    round = models.PositiveIntegerField(_("decision round"), default=1, editable=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")


class CaseDocument(CaseRecord):
    """A numbered document generated from the case (Art. 18)."""

    class Kind(models.TextChoices):
        OPINION_LETTER = (
            "opinion_letter",
            _("administrative law enforcement supervision opinion"),
        )
        DECISION_NOTICE = (
            "decision_notice",
            _("administrative law enforcement supervision decision"),
        )

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    number = models.CharField(_("document number"), max_length=60, unique=True)
    file = models.FileField(storage=get_private_storage, upload_to="documents/%Y/")
    round = models.PositiveIntegerField(_("decision round"), default=1, editable=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        unique_together = [("kind", "year", "sequence")]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")


class Review(CaseRecord):
    """复核 (Art. 19): requested in writing within 15 days of receiving the
    decision, decided within 30 days."""

    class Result(models.TextChoices):
        UPHELD = "upheld", _("upheld")
        CHANGED = "changed", _("changed")
        REVOKED = "revoked", _("revoked")

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="reviews"
    )
    applicant = models.CharField(_("applicant"), max_length=100)
    decision_received_on = models.DateField(_("decision received on"))
    requested_on = models.DateField(_("requested on"))
    grounds = models.TextField(_("grounds"))
    decision_due = models.DateField(editable=False)
    result = models.CharField(
        _("result"), max_length=20, choices=Result.choices, blank=True
    )
    reasons = models.TextField(_("reasons"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")


class Correction(CaseRecord):
    """纠错 (Art. 20): reasons, items, requirements and a deadline for the
    agency; progress reports; extension on application; verification."""

    class Status(models.TextChoices):
        OPEN = "open", _("rectification under way")
        REPORTED = "reported", _("reported complete, to be verified")
        VERIFIED = "verified", _("verified complete")

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="corrections"
    )
    reasons = models.TextField(_("reasons (纠错事由)"))
    items = models.TextField(_("items (纠错事项)"))
    requirements = models.TextField(_("requirements or suggestions"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.OPEN
    )
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")


class CorrectionProgress(CaseRecord):
    correction = models.ForeignKey(
        Correction, on_delete=models.PROTECT, related_name="progress_reports"
    )
    reported_on = models.DateField(_("reported on"))
    content = models.TextField(_("progress"))
    completed = models.BooleanField(_("reports completion"), default=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["reported_on", "pk"]
        verbose_name = _("correction progress report")
        verbose_name_plural = _("correction progress reports")


class CorrectionExtension(ApprovalRequest):
    """Art. 20: an extension of the correction deadline on application."""

    correction = models.ForeignKey(
        Correction, on_delete=models.PROTECT, related_name="extensions"
    )
    requested_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("special circumstances"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("correction extension")
        verbose_name_plural = _("correction extensions")
