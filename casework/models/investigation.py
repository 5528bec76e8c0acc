"""Investigation (核实): investigators, activities, statements, transfers,
hearings and extensions (Art. 13-17)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.base import ApprovalRequest, CaseRecord
from casework.models.case import CaseOfficer, SupervisionCase
from casework.models.reference import Agency
from portal.history import history_user
from portal.storage import PrivateStorage

# Case files and generated documents: outside MEDIA_ROOT, no URL at all,
# served only through views that check casework permissions.
private_storage = PrivateStorage("CASEWORK_PRIVATE_ROOT")


def get_private_storage():
    """Fields take the storage through this callable, so migrations record the
    function rather than a location that differs between machines."""
    return private_storage


class Assignment(CaseRecord):
    """An investigator assigned to a case (Art. 16: at least two)."""

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="assignments"
    )
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_assignments",
        verbose_name=_("investigator"),
    )
    is_lead = models.BooleanField(_("lead investigator"), default=False)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        unique_together = [("case", "investigator")]
        verbose_name = _("investigator assignment")
        verbose_name_plural = _("investigator assignments")


class Activity(CaseRecord):
    """An investigation activity of one of the four kinds of Art. 16. A
    commissioned appraisal's days (start to end) are not counted in the
    30-day period."""

    class Kind(models.TextChoices):
        WRITTEN_REVIEW = "written_review", _("documentary review")
        INQUIRY = "inquiry", _("questioning and evidence taking")
        ON_SITE = "on_site", _("on-site investigation or inspection")
        APPRAISAL = "appraisal", _("commissioned appraisal (assessment, testing)")

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    appraisal_body = models.CharField(_("appraisal body"), max_length=100, blank=True)
    appraisal_started_on = models.DateField(
        _("appraisal commissioned on"), null=True, blank=True
    )
    appraisal_ended_on = models.DateField(
        _("appraisal report received on"), null=True, blank=True
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name = _("investigation activity")
        verbose_name_plural = _("investigation activities")


class Attachment(CaseRecord):
    """A file in the case file (evidence, reports, generated documents)."""

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="attachments"
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to="cases/%Y/"
    )
    visible_to_agency = models.BooleanField(
        _("visible to the agency liaison"), default=False
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class Statement(CaseRecord):
    """陈述申辩 (Art. 16): the person's statement and defense, heard in full
    before any determination; a documented waiver counts as heard."""

    case_officer = models.OneToOneField(
        CaseOfficer, on_delete=models.PROTECT, related_name="statement"
    )
    heard_on = models.DateField(_("heard on"))
    content = models.TextField(_("statement and defense"), blank=True)
    waived = models.BooleanField(_("the person waived in writing"), default=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("statement and defense")
        verbose_name_plural = _("statements and defenses")


class Transfer(CaseRecord):
    """移交 (Art. 15): the agency investigates itself, handles within 30 days
    of receipt, then files the result with the office within 7 days."""

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="transfers"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason for transfer"))
    received_on = models.DateField(_("received by the agency on"))
    handling_due = models.DateField(_("handling due"), editable=False)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    filing_due = models.DateField(_("result filing due"), null=True, editable=False)
    result = models.TextField(_("handling result"), blank=True)
    result_filed_on = models.DateField(_("result filed on"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("transfer to the agency")
        verbose_name_plural = _("transfers to the agency")

    @property
    def pending(self) -> bool:
        return self.result_filed_on is None


class Hearing(CaseRecord):
    """听证 (Art. 14) for a major, complex case, hosted by someone with the
    legal and professional knowledge the article requires."""

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="hearings"
    )
    scheduled_on = models.DateField(_("scheduled on"))
    host_name = models.CharField(_("host"), max_length=50)
    host_legal_qualification = models.CharField(
        _("host's legal qualification"), max_length=200
    )
    host_professional_qualification = models.CharField(
        _("host's professional knowledge"), max_length=200
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")


class Extension(ApprovalRequest):
    """Art. 17: an extension approved by the head, within the running period,
    at most 30 days in total; the number of requests is an office rule."""

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("days"))
    reason = models.TextField(_("reason (why the case is complex)"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
