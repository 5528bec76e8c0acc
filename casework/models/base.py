from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CaseRecordError(Exception):
    """Raised when code tries to destroy part of a case file."""


class UndeletableQuerySet(models.QuerySet):
    def delete(self):
        raise CaseRecordError(
            gettext(
                "Case records cannot be deleted: a record is kept and "
                "withdrawn or corrected instead (the whole history stays "
                "visible)."
            )
        )


class CaseRecord(models.Model):
    """Base of every casework record: never hard-deleted, stamped with its
    author. Full history is kept per model by django-simple-history."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise CaseRecordError(
            gettext(
                "Case records cannot be deleted: a record is kept and "
                "withdrawn or corrected instead (the whole history stays "
                "visible)."
            )
        )


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("pending approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("Not approved")


class ApprovalRequest(CaseRecord):
    """A request the supervision head approves or rejects: a recusal (Art. 16),
    an extension of the investigation (Art. 17) or of a correction (Art. 20).
    casework.services decides them all the same way."""

    Status = ApprovalStatus

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        abstract = True
