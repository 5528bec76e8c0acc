"""The audit log (issue #8): every view, export and download of sensitive data
(reporter identity, case files) and every decision, with time, user, action,
object and outcome.

Rows are append-only. The model refuses to change or delete a saved row; the
database refuses it too (triggers installed by migration 0002, on PostgreSQL
and SQLite): no UPDATE, no DELETE of a row younger than 180 days, no TRUNCATE.
Only the daily purge (audit.tasks.purge_expired) removes rows, and only those
older than AUDIT_RETENTION_DAYS (at least 180).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import clock


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit row."""


class Action(models.TextChoices):
    # Views, exports and downloads of sensitive data.
    CASE_VIEW = "case.view", _("Case viewed")
    CASE_EXPORT = "case.export", _("Case list exported")
    CASE_FILE_DOWNLOAD = "case.file_download", _("Case file downloaded")
    CASE_DOCUMENT_DOWNLOAD = "case.document_download", _("Case document downloaded")
    PERIODIC_REPORT_DOWNLOAD = (
        "periodic_report.download",
        _("Periodic report downloaded"),
    )
    REPORT_VIEW = "report.view", _("Report viewed")
    REPORT_IDENTITY_REVEAL = "report.identity_reveal", _("Reporter identity shown")
    REPORT_ATTACHMENT_DOWNLOAD = (
        "report.attachment_download",
        _("Report attachment downloaded"),
    )
    REPORT_EXPORT = "report.export", _("Report list exported")
    # Decisions on a supervision case (Art. 13-20).
    CASE_FILE = "case.decision.file", _("Case filed")
    CASE_RECUSAL = "case.decision.recusal", _("Recusal decided")
    CASE_TRANSFER = "case.decision.transfer", _("Case transferred to the agency")
    CASE_HEARING = "case.decision.hearing", _("Hearing approved")
    CASE_EXTENSION = "case.decision.extension", _("Extension decided")
    CASE_DETERMINATION = "case.decision.determination", _("Determination made")
    CASE_STAGE = "case.decision.stage", _("Case stage changed")
    CASE_DOCUMENT = "case.decision.document", _("Supervision document issued")
    CASE_REVIEW = "case.decision.review", _("Review decided")
    CASE_CORRECTION = "case.decision.correction", _("Correction ordered")
    CASE_CORRECTION_EXTENSION = (
        "case.decision.correction_extension",
        _("Correction extension decided"),
    )
    CASE_CORRECTION_VERIFY = (
        "case.decision.correction_verify",
        _("Correction verified"),
    )
    # Decisions on a report (Art. 22).
    REPORT_TRIAGE = "report.decision.triage", _("Report triaged")
    REPORT_OUTCOME = "report.decision.outcome", _("Report outcome recorded")
    REPORT_CLOSE = "report.decision.close", _("Report closed")
    # The audit log itself.
    AUDIT_EXPORT = "audit.export", _("Audit log exported")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    DENIED = "denied", _("Denied")
    ERROR = "error", _("Error")


class AuditEventQuerySet(models.QuerySet):
    """No bulk change or delete through the ORM; the purge has its own path."""

    def update(self, **kwargs):
        raise AppendOnlyError(
            gettext("The audit log can only be appended to, never changed.")
        )

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(
            gettext("The audit log can only be appended to, never changed.")
        )

    def delete(self):
        raise AppendOnlyError(
            gettext(
                "The audit log cannot be deleted: a scheduled task removes expired "
                "entries."
            )
        )

    delete.alters_data = True
    delete.queryset_only = True


class AuditEvent(models.Model):
    # The clock is the database's, not the application's.
    timestamp = models.DateTimeField(_("time"), db_default=Now(), editable=False)
    # A deleted account leaves its username behind (and the database lets
    # exactly this one change through: the reference set to NULL).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, choices=Action.choices)
    # Audit rows outlive the objects they name, so no database constraint:
    # a deleted content type or object leaves the row as it was.
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    # A case or report number, never a reporter's identity or receipt code.
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    client_address = models.CharField(_("client address"), max_length=45, blank=True)
    request_id = models.CharField(_("request ID"), max_length=64, blank=True)
    method = models.CharField(_("method"), max_length=8, blank=True)
    # The path only: a query string may carry what does not belong here.
    path = models.CharField(_("path"), max_length=300, blank=True)
    detail = models.JSONField(
        _("detail"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )

    objects = AuditEventQuerySet.as_manager()

    # Not in Wagtail's reference index: an audit row is no "usage" of the user
    # or object it names, and indexing it would cost three queries a write.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["timestamp"], name="audit_time"),
            models.Index(fields=["user", "timestamp"], name="audit_user_time"),
            models.Index(fields=["content_type", "object_id"], name="audit_object"),
            models.Index(fields=["action", "timestamp"], name="audit_action_time"),
        ]

    def __str__(self):
        return f"{clock.cn_datetime(self.timestamp)} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(
                gettext("The audit log can only be appended to, never changed.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(
            gettext(
                "The audit log cannot be deleted: a scheduled task removes expired "
                "entries."
            )
        )

    @property
    def object_label(self) -> str:
        if self.content_type_id is None:
            return self.object_repr
        model = self.content_type.model_class()
        kind = model._meta.verbose_name if model else self.content_type.model
        return f"{kind} {self.object_repr or self.object_id}".strip()
