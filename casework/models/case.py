"""The supervision case (行政执法监督案件) and the persons it concerns."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.search import index

from casework import roles
from casework.models.base import ApprovalRequest, CaseRecord, UndeletableQuerySet
from casework.models.reference import Agency, EnforcementField, Officer
from casework.rules.stages import Stage
from portal.history import history_user


class MatterType(models.TextChoices):
    """The ten kinds of enforcement matter of Art. 4 para. 3."""

    # Plain labels: casework.reports writes them into .xlsx cells, which take
    # only str, not lazy translations.
    PENALTY = "penalty", "行政处罚"
    LICENSING = "licensing", "行政许可"
    COMPULSION = "compulsion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    FEE = "fee", "行政收费"
    CONFIRMATION = "confirmation", "行政确认"
    REGISTRATION = "registration", "行政登记"
    BENEFIT = "benefit", "行政给付"
    ADJUDICATION = "adjudication", "行政裁决"
    EXPROPRIATION = "expropriation", "行政征收征用"


class CaseSource(models.TextChoices):
    REPORT = "report", _("reports")
    INSPECTION = "inspection", _("found by supervision and inspection")
    REFERRAL = "referral", _("referred by another organ")


class ErrorType(models.TextChoices):
    """Kinds of enforcement error, used to match repeats under Art. 12(5)."""

    EVIDENCE = "evidence", _("insufficient evidence or facts wrongly found")
    PROCEDURE = "procedure", _("statutory procedure violated")
    LEGAL_BASIS = "legal_basis", _("wrong legal basis applied")
    DISCRETION = "discretion", _("discretion clearly improper")
    TIME_LIMIT = "time_limit", _("statutory time limit exceeded")
    OMISSION = "omission", _("statutory duty not performed or delayed")
    PUBLICITY = (
        "publicity",
        _("publicity, full-process recording or legal review system not applied"),
    )
    CONDUCT = "conduct", _("irregular enforcement conduct")
    OTHER = "other", _("other")


class ActFinding(models.TextChoices):
    """Art. 18 para. 2: whether the enforcement act under review is unlawful
    or improper (违法或不当行政执法行为), which calls for an opinion letter."""

    LAWFUL = "lawful", _("nothing unlawful or improper found")
    UNLAWFUL = "unlawful", _("unlawful")
    IMPROPER = "improper", _("improper")

    @classmethod
    def calls_for_letter(cls, value: str) -> bool:
        return value in (cls.UNLAWFUL, cls.IMPROPER)


def overdue_q(today: datetime.date | None = None) -> Q:
    """The condition of ``CaseQuerySet.overdue`` as a Q, for filters that
    apply it to a queryset of their own (no self-join); the partial index
    ``casework_case_overdue_idx`` serves it."""
    today = today or timezone.localdate()
    return ~Q(stage=Stage.ARCHIVED) & Q(next_due__lt=today)


class CaseQuerySet(UndeletableQuerySet):
    def visible_to(self, user):
        """The cases a user may see at all (DESIGN.md, "Who uses it").

        - supervision head and officers: every case, except those they are
          recused from (Art. 16: no access once recused);
        - reviewers: cases with a review request (Art. 19);
        - agency liaisons: their own agency's cases (Art. 3);
        - anyone else: nothing.

        Lists, detail pages, exports, choosers and search all start here.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        recused = Recusal.objects.filter(
            case=OuterRef("pk"), person=user, status=Recusal.Status.APPROVED
        )
        qs = self.exclude(Exists(recused))
        if user.is_superuser or roles.is_officer(user):
            return qs
        condition = Q(pk__in=[])
        if roles.is_reviewer(user):
            condition |= Q(reviews__isnull=False)
        if roles.is_liaison(user):
            condition |= Q(agency__liaisons__user=user)
        if condition == Q(pk__in=[]):
            return self.none()
        return qs.filter(condition).distinct()

    def overdue(self, today: datetime.date | None = None):
        """Open cases with a period expired and not met, as the deadline
        engine (casework.services.time_limits) computes them: it stores the
        earliest unmet last day in ``next_due`` on every write and daily."""
        return self.filter(overdue_q(today))


class SupervisionCase(index.Indexed, CaseRecord):
    """A supervision case, which opens the fault-tolerance procedure at the
    same time (Art. 13), moved through the six stages of Art. 14 only by
    casework.services.transition."""

    year = models.PositiveIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    number = models.CharField(
        _("case number"), max_length=40, unique=True, editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("enforcement agency"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    field = models.ForeignKey(
        EnforcementField,
        verbose_name=_("enforcement field"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    matter_type = models.CharField(
        _("enforcement matter"), max_length=20, choices=MatterType.choices
    )
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices)
    summary = models.TextField(_("summary of the enforcement act under review"))
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=Stage.choices(),
        default=Stage.FILED,
        editable=False,
        db_index=True,
    )
    filed_on = models.DateField(_("filed on"), default=timezone.localdate)
    is_major_complex = models.BooleanField(
        _("major and complex (a hearing may be held, Art. 14)"), default=False
    )
    joint_investigation = models.BooleanField(
        _("joint investigation with the discipline inspection organ (Art. 13)"),
        default=False,
    )
    joint_counterpart = models.CharField(
        _("discipline inspection counterpart"), max_length=100, blank=True
    )
    joint_since = models.DateField(
        _("joint investigation since"), null=True, blank=True
    )
    correction_required = models.BooleanField(
        _("correction required (Art. 20)"), default=False, editable=False
    )
    # Denormalised deadlines, kept current by the service layer from
    # casework.rules.periods so lists can filter and sort on them.
    decision_due = models.DateField(_("decision due"), null=True, editable=False)
    decided_on = models.DateField(
        _("decided on"), null=True, blank=True, editable=False
    )
    notification_due = models.DateField(
        _("notification due"), null=True, editable=False
    )
    notified_on = models.DateField(
        _("notified on"), null=True, blank=True, editable=False
    )
    # The earliest last day among the case's unmet periods, written by the
    # deadline engine (casework.services.time_limits) so that the overdue
    # list and filter read the same answer as the case page.
    next_due = models.DateField(_("next period ends"), null=True, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, editable=False)
    # A review that changes or revokes the decision (Art. 19) reopens the
    # determination: a new round, whose determinations, decision notice and
    # service are what count from then on.
    decision_round = models.PositiveIntegerField(
        _("decision round"), default=1, editable=False
    )
    reopened_on = models.DateField(_("reopened on"), null=True, editable=False)
    # Art. 18 para. 2: the opinion letter concerns the enforcement ACT, which
    # is found lawful, unlawful or improper on its own, apart from each
    # officer's outcome (an act can be unlawful while the officer fulfilled
    # duty, Art. 9(2)).
    act_finding = models.CharField(
        _("finding on the enforcement act (Art. 18)"),
        max_length=20,
        choices=ActFinding.choices,
        blank=True,
        editable=False,
    )
    act_finding_reasons = models.TextField(
        _("reasons for the finding on the act"), blank=True, editable=False
    )
    act_found_on = models.DateField(
        _("act finding recorded on"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(get_user=history_user)

    objects = CaseQuerySet.as_manager()

    search_fields = [
        index.SearchField("number"),
        index.SearchField("title"),
        index.SearchField("summary"),
        index.AutocompleteField("title"),
        index.FilterField("stage"),
        index.FilterField("agency_id"),
    ]

    class Meta:
        ordering = ["-year", "-sequence"]
        unique_together = [("year", "sequence")]
        indexes = [
            # The case list's filters and sorting at any number of cases:
            # overdue (a partial index of the open cases with a deadline),
            # filing date and decision deadline.
            models.Index(
                fields=["next_due"],
                name="casework_case_overdue_idx",
                condition=~Q(stage="archived") & Q(next_due__isnull=False),
            ),
            models.Index(fields=["filed_on"], name="casework_case_filed_idx"),
            models.Index(fields=["decision_due"], name="casework_case_due_idx"),
        ]
        verbose_name = _("supervision case")
        verbose_name_plural = _("supervision cases")
        permissions = [
            ("approve_requests", "Can approve extensions, hearings and recusals"),
            ("determine_case", "Can record determinations"),
            ("decide_review", "Can decide review requests"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def is_archived(self) -> bool:
        return self.stage == Stage.ARCHIVED


class CaseOfficer(CaseRecord):
    """A person concerned by the case (被调查人), with the error at issue."""

    case = models.ForeignKey(
        SupervisionCase,
        on_delete=models.PROTECT,
        related_name="case_officers",
        verbose_name=_("case"),
    )
    officer = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        related_name="case_links",
        verbose_name=_("officer"),
    )
    error_type = models.CharField(
        _("error type at issue"), max_length=20, choices=ErrorType.choices
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        unique_together = [("case", "officer")]
        verbose_name = _("officer concerned")
        verbose_name_plural = _("officers concerned")

    def __str__(self):
        return str(self.officer.name)


class StageChange(CaseRecord):
    """One recorded, permitted move between stages (Art. 14)."""

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices())
    to_stage = models.CharField(max_length=20, choices=Stage.choices())
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")


class Recusal(ApprovalRequest):
    """回避 (Art. 16): declared by the person or ordered, approved by the head.
    Once approved the person has no access to the case and cannot be
    assigned to it."""

    class Kind(models.TextChoices):
        DECLARED = "declared", _("recusal requested by the person")
        ORDERED = "ordered", _("recusal ordered")

    case = models.ForeignKey(
        SupervisionCase, on_delete=models.PROTECT, related_name="recusals"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recusals",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("interest in the case"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
