"""Reports from the public (信访举报) and everything the office does with them
(Art. 22). Reporter identity is stored only encrypted; the receipt code only
as a digest; no client address is stored at all."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.search import index

from casework.models import Agency, SupervisionCase
from portal import clock
from portal.history import history_user
from portal.storage import PrivateStorage

# Report attachments: outside MEDIA_ROOT, no URL at all; staff download
# them through a view that checks who they are.
report_storage = PrivateStorage("REPORTING_PRIVATE_ROOT")


def get_report_storage():
    """Fields take the storage through this callable, so migrations record the
    function rather than a location that differs between machines."""
    return report_storage


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports a user may see: supervision staff with the report
        permission, and of those linked to a case only the ones whose case
        they may see (a recused investigator loses the report too, Art. 16).
        Liaisons, reviewers and the public see none."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm("reporting.view_report"):
            return self.none()
        visible_cases = SupervisionCase.objects.visible_to(user).filter(
            pk=OuterRef("case_id")
        )
        return self.filter(Q(case__isnull=True) | Exists(visible_cases))

    def awaiting_office(self):
        """The reporter wrote last, and nobody in the office has answered."""
        return self.filter(reporter_wrote_at__isnull=False).filter(
            Q(office_wrote_at__isnull=True)
            | Q(office_wrote_at__lt=models.F("reporter_wrote_at"))
        )


class Report(index.Indexed, models.Model):
    """A report about the conduct of an enforcement officer or agency."""

    class Kind(models.TextChoices):
        REAL_NAME = "real_name", _("report under the reporter's name")
        ANONYMOUS = "anonymous", _("anonymous report")

    class Disposition(models.TextChoices):
        PENDING = "pending", _("awaiting triage")
        NEW_CASE = "new_case", _("case filed")
        ATTACHED = "attached", _("joined to an existing case")
        CLOSED = "closed", _("no case filed")

    class Outcome(models.TextChoices):
        """Art. 22: how the report turned out."""

        UNTRUE = "untrue", _("report untrue")
        UNFOUNDED = "unfounded", _("no evidence found")
        EXEMPTED = "exempted", _("exempted under the rules")
        SUBSTANTIATED = "substantiated", _("report substantiated")

    year = models.PositiveIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    number = models.CharField(
        _("report number"), max_length=30, unique=True, editable=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    identity_ciphertext = models.TextField(
        _("reporter identity (encrypted)"), blank=True, editable=False
    )
    receipt_digest = models.CharField(
        _("receipt digest"), max_length=100, unique=True, editable=False
    )
    subject = models.CharField(_("subject"), max_length=100)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("enforcement agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    agency_text = models.CharField(
        _("agency as described by the reporter"), max_length=100, blank=True
    )
    persons = models.CharField(
        _("officers concerned, as described"), max_length=200, blank=True
    )
    occurred_on = models.DateField(_("date of the conduct"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("what happened"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    disposition = models.CharField(
        _("disposition"),
        max_length=20,
        choices=Disposition.choices,
        default=Disposition.PENDING,
    )
    case = models.ForeignKey(
        SupervisionCase,
        verbose_name=_("supervision case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("triaged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.TextField(_("reason for not filing"), blank=True)

    outcome = models.CharField(
        _("outcome (Art. 22)"), max_length=20, choices=Outcome.choices, blank=True
    )
    feedback = models.TextField(
        _("feedback to the reporter"),
        blank=True,
        help_text=_(
            "Real-name report: the result owed to the reporter. Anonymous report: "
            "the general explanation shown on the status page."
        ),
    )
    explained_where = models.CharField(
        _("where the outcome was explained"), max_length=200, blank=True
    )
    explained_to = models.CharField(
        _("to whom the outcome was explained"), max_length=200, blank=True
    )
    explained_on = models.DateField(_("explained on"), null=True, blank=True)
    clarification_warranted = models.BooleanField(
        _("clarification notice warranted"), default=False
    )
    clarification_reason = models.TextField(
        _("why a clarification notice is warranted"), blank=True
    )
    outcome_recorded_at = models.DateTimeField(
        _("outcome recorded at"), null=True, blank=True
    )
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    feedback_released_at = models.DateTimeField(
        _("feedback released at"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    reporter_wrote_at = models.DateTimeField(
        _("reporter last wrote at"), null=True, blank=True
    )
    office_wrote_at = models.DateTimeField(
        _("office last wrote at"), null=True, blank=True
    )

    # The digest and the ciphertext stay out of the history tables: history is
    # read more widely than the identity may be.
    history = HistoricalRecords(
        get_user=history_user,
        excluded_fields=["identity_ciphertext", "receipt_digest"],
    )

    objects = ReportQuerySet.as_manager()

    # Staff search (search plugin, register_staff_search_sources). The
    # reporter's identity is encrypted and so never indexed.
    search_fields = [
        index.SearchField("subject", boost=2),
        index.SearchField("description"),
        index.SearchField("agency_text"),
        index.SearchField("persons"),
        index.SearchField("place"),
        index.FilterField("number"),
    ]

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="report_number_per_year"
            )
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [
            ("view_reporter_identity", _("Can view the reporter's identity")),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    @property
    def is_real_name(self) -> bool:
        return self.kind == self.Kind.REAL_NAME

    @property
    def agency_label(self) -> str:
        return self.agency.name if self.agency_id else self.agency_text

    @property
    def search_title(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def search_url(self) -> str:
        from django.urls import reverse

        return reverse("reporting_report:detail", args=[self.pk])

    @property
    def search_date(self):
        return clock.local_date(self.submitted_at)

    @property
    def search_text(self) -> str:
        return self.description

    @property
    def awaiting_office(self) -> bool:
        return self.reporter_wrote_at is not None and (
            self.office_wrote_at is None
            or self.office_wrote_at < self.reporter_wrote_at
        )

    @property
    def inbox_state(self) -> str:
        """One line for the inbox: where the office stands with the report."""
        if self.closed_at:
            return gettext("closed")
        if self.awaiting_office:
            return gettext("new message from the reporter")
        if self.disposition == self.Disposition.PENDING:
            return gettext("awaiting triage")
        if not self.outcome:
            return gettext("being verified")
        if not self.feedback_released_at:
            return gettext("result to be fed back")
        return gettext("to be closed")


class ReportMessage(models.Model):
    """One message of the two-way thread between reporter and office. Office
    messages are signed by the office, never by a person, on the public side."""

    class Author(models.TextChoices):
        REPORTER = "reporter", _("reporter")
        OFFICE = "office", _("supervision office")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.CharField(_("author"), max_length=20, choices=Author.choices)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report message")
        verbose_name_plural = _("report messages")

    def __str__(self):
        return f"{self.get_author_display()} {clock.cn_datetime(self.created_at)}"


class ReportNote(models.Model):
    """An internal note on a report: never shown to the reporter."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self):
        return gettext("%(number)s note") % {"number": self.report.number}


class ReportAttachment(models.Model):
    """A file the reporter sent, checked and (for images) stripped of metadata
    before it was stored."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        ReportMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), storage=get_report_storage, upload_to="reports/%Y/", max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self):
        return self.original_name


class StagedUpload(models.Model):
    """A checked file from a form that had other errors, kept so the reporter
    does not have to choose it again. Unclaimed ones are purged after a day."""

    token = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(
        storage=get_report_storage, upload_to="staged/%Y/", max_length=200
    )
    original_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("staged upload")
        verbose_name_plural = _("staged uploads")

    def __str__(self):
        return self.original_name


class AuditQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError(gettext("Identity access records cannot be deleted."))


class IdentityAccess(models.Model):
    """Audit log: every time a reporter's identity was shown, to whom and why."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="identity_accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")

    def __str__(self):
        return f"{self.report.number} {clock.cn_datetime(self.viewed_at)}"

    def delete(self, *args, **kwargs):
        raise PermissionError(gettext("Identity access records cannot be deleted."))
