"""Reference data: enforcement agencies, fields, officers, liaisons (Art. 3-4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.search import index

from portal.history import history_user


class EnforcementField(models.Model):
    """执法领域: e.g. market regulation, urban management, ecology."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enforcement field")
        verbose_name_plural = _("enforcement fields")

    def __str__(self):
        return self.name


class Agency(index.Indexed, models.Model):
    """行政执法机关 (Art. 4): a street office or district department."""

    class Kind(models.TextChoices):
        STREET = "street", _("street office")
        DEPARTMENT = "department", _("district department")
        AUTHORIZED = "authorized", _("authorized or entrusted organization")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    fields = models.ManyToManyField(
        EnforcementField, verbose_name=_("enforcement fields"), blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(get_user=history_user)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("enforcement agency")
        verbose_name_plural = _("enforcement agencies")

    def __str__(self):
        return self.name


class Officer(index.Indexed, models.Model):
    """行政执法人员 (Art. 4): certified, or uncertified staff and auxiliaries to
    whom the measures apply by reference."""

    class Status(models.TextChoices):
        CERTIFIED = "certified", _("certified enforcement officer")
        UNCERTIFIED = "uncertified", _("staff without enforcement certificate")
        AUXILIARY = "auxiliary", _("enforcement auxiliary")

    name = models.CharField(_("name"), max_length=50)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="officers",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CERTIFIED
    )
    certificate_number = models.CharField(
        _("enforcement certificate number"), max_length=40, blank=True
    )
    position = models.CharField(_("position"), max_length=50, blank=True)
    history = HistoricalRecords(get_user=history_user)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("agency_id"),
    ]

    class Meta:
        ordering = ["agency__name", "name"]
        verbose_name = _("enforcement officer")
        verbose_name_plural = _("enforcement officers")

    def __str__(self):
        return f"{self.name}（{self.agency}）"


class LiaisonAssignment(models.Model):
    """Links an agency liaison (Art. 3 para. 2) to the agency they act for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="liaison_assignments",
        verbose_name=_("user"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="liaisons",
        verbose_name=_("agency"),
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        unique_together = [("user", "agency")]
        verbose_name = _("agency liaison")
        verbose_name_plural = _("agency liaisons")

    def __str__(self):
        return f"{self.user} → {self.agency}"


class CalendarDay(models.Model):
    """A day whose working status the office sets by hand: the State Council's
    holiday arrangement for a year the bundled calendar does not cover yet
    (e.g. 2027), or a correction. Periods (Civil Code Art. 203) use it."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("statutory holiday (day off)")
        WORKDAY = "workday", _("adjusted working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """The office's confirmation that a year's holiday arrangement is complete.

    For a year the bundled calendar does not cover, the statutory holidays are
    computed (casework.rules.periods.statutory_holidays) and the office enters
    the State Council's 调休 as CalendarDay rows; only this record, marked
    confirmed, tells the engine the year is whole. One entered day does not."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed = models.BooleanField(_("arrangement confirmed"), default=False)
    note = models.CharField(
        _("note (e.g. the State Council notice)"), max_length=200, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["year"]
        verbose_name = _("holiday calendar year")
        verbose_name_plural = _("holiday calendar years")

    def __str__(self):
        if self.confirmed:
            return gettext("%(year)s (confirmed)") % {"year": self.year}
        return gettext("%(year)s (not confirmed)") % {"year": self.year}
