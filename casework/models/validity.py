"""The validity of the measure the office works under (Art. 24).

Art. 24: "本规定自2025年3月1日起施行，有效期至2027年2月28日止." The dates are data,
not code: a notice extending this trial measure, or a successor measure, is
entered here when issued (publishing may fill or mirror it from the policy
document's effective and expiry dates; casework never imports publishing).
"""

import datetime

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal import clock
from portal.history import history_user


class MeasureValidityQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        """The measures in force on ``day``."""
        return self.filter(effective_from__lte=day).filter(
            models.Q(effective_until__isnull=True) | models.Q(effective_until__gte=day)
        )


class MeasureValidity(models.Model):
    """One measure (or an extension of one) and the period it applies."""

    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=60)
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("Empty: no expiry date is set."),
    )
    basis = models.CharField(
        _("where the dates come from"),
        max_length=200,
        help_text=_("e.g. Art. 24 of the measure, or the extension notice."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    objects = MeasureValidityQuerySet.as_manager()

    class Meta:
        ordering = ["effective_from", "pk"]
        verbose_name = _("measure validity")
        verbose_name_plural = _("measure validities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="measure_validity_order",
                violation_error_message=_("The period cannot end before it begins."),
            )
        ]

    def __str__(self):
        return f"{self.title}（{self.document_number}）"

    @property
    def period_label(self) -> str:
        start = self.effective_from
        if self.effective_until:
            return gettext("in force from %(start)s, valid until %(end)s") % {
                "start": clock.cn_date(start),
                "end": clock.cn_date(self.effective_until),
            }
        return gettext("in force from %(start)s") % {"start": clock.cn_date(start)}
