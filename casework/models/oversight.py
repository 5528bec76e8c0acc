"""Oversight of the procedure (Art. 17, 19, 20, 21): deadline warnings and
their notices, periodic reports to the district government, risk points and
the warnings issued to agencies about them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from casework import roles
from casework.models.base import CaseRecord, UndeletableQuerySet
from casework.models.case import ErrorType, SupervisionCase
from casework.models.investigation import get_private_storage
from casework.models.reference import Agency, EnforcementField
from casework.rules import risk
from casework.rules.periods import WarningLevel
from portal import clock
from portal.history import history_user


@register_setting(icon="warning")
class OversightSettings(BaseGenericSetting):
    """What the office sets for deadline warnings and risk points."""

    warning_days = models.PositiveSmallIntegerField(
        _("yellow warning days before a deadline"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
        help_text=_(
            "A yellow warning is sent this many calendar days before the last "
            "day of a statutory period; a red one once it has passed."
        ),
    )
    risk_threshold = models.PositiveSmallIntegerField(
        _("risk point threshold (cases)"),
        default=3,
        validators=[MinValueValidator(risk.MIN_THRESHOLD), MaxValueValidator(100)],
        help_text=_(
            "A risk point is opened when the same error type is found in at least "
            "this many cases of one enforcement field or one agency (Art. 21)."
        ),
    )
    risk_window_days = models.PositiveSmallIntegerField(
        _("risk point window (days)"),
        default=180,
        validators=[MinValueValidator(30), MaxValueValidator(730)],
        help_text=_("The rolling window, ending today, in which cases are counted."),
    )

    class Meta:
        verbose_name = _("deadline warning and risk point settings")
        verbose_name_plural = verbose_name


class DeadlineWarningQuerySet(UndeletableQuerySet):
    def visible_to(self, user):
        return self.filter(case__in=SupervisionCase.objects.visible_to(user))


class DeadlineWarning(CaseRecord):
    """A yellow or red warning about one statutory period of a case (Art. 15,
    17, 19, 20). Sent once per period and level, however often the daily
    check runs: the unique constraint makes a re-run or retry a no-op."""

    class Level(models.TextChoices):
        YELLOW = WarningLevel.YELLOW, _("yellow warning (due soon)")
        RED = WarningLevel.RED, _("red warning (overdue)")

    case = models.ForeignKey(
        SupervisionCase,
        on_delete=models.PROTECT,
        related_name="deadline_warnings",
        verbose_name=_("case"),
    )
    period = models.CharField(_("period key"), max_length=80)
    label = models.CharField(_("period"), max_length=60)
    article = models.CharField(_("article"), max_length=20)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    due = models.DateField(_("last day of the period"))
    issued_on = models.DateField(_("issued on"))
    agency_facing = models.BooleanField(
        _("concerns the agency (transfer, correction)"), default=False
    )

    objects = DeadlineWarningQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "period", "level"],
                name="casework_warning_once_per_period_and_level",
            )
        ]
        verbose_name = _("deadline warning")
        verbose_name_plural = _("deadline warnings")

    def __str__(self):
        return f"{self.case.number} {self.label}{self.get_level_display()}"

    @property
    def message(self) -> str:
        due = clock.cn_date(self.due)
        values = {"label": self.label, "date": due, "article": self.article}
        if self.level == self.Level.RED:
            return (
                gettext("%(label)s expired on %(date)s and is not done (%(article)s).")
                % values
            )
        return (
            gettext("%(label)s expires on %(date)s (%(article)s); please hurry.")
            % values
        )


class WarningNotice(models.Model):
    """A deadline warning delivered to one person: shown in the admin until
    read, and e-mailed once (``emailed_at`` is set only after the mail left)."""

    warning = models.ForeignKey(
        DeadlineWarning,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("warning"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deadline_notices",
        verbose_name=_("recipient"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["warning", "recipient"],
                name="casework_notice_once_per_recipient",
            )
        ]
        verbose_name = _("warning notice")
        verbose_name_plural = _("warning notices")

    def __str__(self):
        return f"{self.warning} → {self.recipient}"


class PeriodicReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports are the supervision office's own (officers and the head)."""
        if roles.is_officer(user):
            return self
        return self.none()


def report_upload_to(instance, filename):
    return f"reports/{instance.period_start:%Y}/{filename}"


class PeriodicReport(models.Model):
    """The periodic report to the district government (Art. 19 para. 2) for a
    month, quarter or year: its figures as generated, and the .docx and .xlsx
    files, kept with their generation date."""

    class Kind(models.TextChoices):
        MONTH = "month", _("monthly")
        QUARTER = "quarter", _("quarterly")
        YEAR = "year", _("year")

    kind = models.CharField(_("period kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    scheduled = models.BooleanField(_("generated on schedule"), default=False)
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("generated by"),
    )
    figures = models.JSONField(_("figures"), default=dict)
    docx = models.FileField(
        _("Word report"), storage=get_private_storage, upload_to=report_upload_to
    )
    xlsx = models.FileField(
        _("Excel workbook"), storage=get_private_storage, upload_to=report_upload_to
    )

    objects = PeriodicReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-generated_at"]
        constraints = [
            # The schedule produces each period's report once; on-demand
            # reports are kept beside it, each with its generation date.
            models.UniqueConstraint(
                fields=["kind", "period_start"],
                condition=Q(scheduled=True),
                name="casework_scheduled_report_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="casework_report_period_ordered",
            ),
        ]
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")

    def __str__(self):
        return self.title

    @property
    def period_label(self) -> str:
        start = self.period_start
        if self.kind == self.Kind.YEAR:
            return gettext("Year %(year)s") % {"year": start.year}
        if self.kind == self.Kind.QUARTER:
            quarters = (
                gettext("Q1 %(year)s"),
                gettext("Q2 %(year)s"),
                gettext("Q3 %(year)s"),
                gettext("Q4 %(year)s"),
            )
            return quarters[(start.month - 1) // 3] % {"year": start.year}
        return gettext("%(year)s-%(month)s") % {
            "year": start.year,
            "month": start.month,
        }

    @property
    def title(self) -> str:
        return gettext(
            "Report on duty performance, error tolerance and correction in "
            "administrative enforcement in Licheng District (%(period)s)"
        ) % {"period": self.period_label}


class RiskPointQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The office sees every risk point; an agency liaison those a
        warning was issued to their agency about."""
        if roles.is_officer(user):
            return self
        if roles.is_liaison(user):
            return self.filter(warnings__agency__liaisons__user=user).distinct()
        return self.none()


class RiskPoint(models.Model):
    """易错风险点 (Art. 21): an error type recurring in one enforcement field
    or one agency across the rolling window, with the cases behind it."""

    class Scope(models.TextChoices):
        FIELD = risk.FIELD, _("same enforcement field")
        AGENCY = risk.AGENCY, _("same enforcement agency")

    class Status(models.TextChoices):
        OPEN = "open", _("to be analysed")
        WARNED = "warned", _("warned")
        CLOSED = "closed", _("closed out")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    field = models.ForeignKey(
        EnforcementField,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_points",
        verbose_name=_("enforcement field"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_points",
        verbose_name=_("enforcement agency"),
    )
    error_type = models.CharField(
        _("error type"), max_length=20, choices=ErrorType.choices
    )
    cases = models.ManyToManyField(
        SupervisionCase, related_name="risk_points", verbose_name=_("cases")
    )
    case_count = models.PositiveIntegerField(_("number of cases"), default=0)
    threshold = models.PositiveSmallIntegerField(_("threshold when detected"))
    window_days = models.PositiveSmallIntegerField(_("window (days)"))
    first_detected_on = models.DateField(_("first detected on"))
    last_detected_on = models.DateField(_("last detected on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    analysis = models.TextField(_("analysis of the root cause"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user, excluded_fields=["cases"])

    objects = RiskPointQuerySet.as_manager()

    class Meta:
        ordering = ["-last_detected_on", "-pk"]
        constraints = [
            # One live risk point per field/agency and error type: detection
            # runs daily and updates it rather than opening another.
            # (NULLs never clash in a unique index, hence one per scope.)
            models.UniqueConstraint(
                fields=["field", "error_type"],
                condition=Q(scope=risk.FIELD) & ~Q(status="closed"),
                name="casework_one_live_field_risk_point",
            ),
            models.UniqueConstraint(
                fields=["agency", "error_type"],
                condition=Q(scope=risk.AGENCY) & ~Q(status="closed"),
                name="casework_one_live_agency_risk_point",
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope=risk.FIELD, field__isnull=False, agency__isnull=True)
                    | Q(scope=risk.AGENCY, agency__isnull=False, field__isnull=True)
                ),
                name="casework_risk_point_target_matches_scope",
            ),
        ]
        verbose_name = _("risk point")
        verbose_name_plural = _("risk points")

    def __str__(self):
        return f"{self.target}：{self.get_error_type_display()}"

    @property
    def target(self):
        return self.field if self.scope == self.Scope.FIELD else self.agency


class RiskWarningQuerySet(UndeletableQuerySet):
    def visible_to(self, user):
        if roles.is_officer(user):
            return self
        if roles.is_liaison(user):
            return self.filter(agency__liaisons__user=user)
        return self.none()


class RiskWarning(CaseRecord):
    """警示提醒 (Art. 21) to one agency about a risk point, tracked like a
    correction (Art. 20): requirements and a deadline, the agency's report,
    the office's verification."""

    class Status(models.TextChoices):
        OPEN = "open", _("rectification under way")
        REPORTED = "reported", _("reported, to be verified")
        VERIFIED = "verified", _("verified")

    risk_point = models.ForeignKey(
        RiskPoint,
        on_delete=models.PROTECT,
        related_name="warnings",
        verbose_name=_("risk point"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="risk_warnings",
        verbose_name=_("enforcement agency"),
    )
    content = models.TextField(_("warning (risk and root cause)"))
    requirements = models.TextField(_("requirements"))
    deadline = models.DateField(_("deadline for the report"))
    issued_on = models.DateField(_("issued on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    report = models.TextField(_("measures taken"), blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    history = HistoricalRecords(get_user=history_user)

    objects = RiskWarningQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk_point", "agency"],
                name="casework_risk_warning_once_per_agency",
            )
        ]
        verbose_name = _("risk warning")
        verbose_name_plural = _("risk warnings")

    def __str__(self):
        return f"{self.agency}：{self.risk_point}"
