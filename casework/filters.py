import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from casework import roles
from casework.models import Agency, Assignment, EnforcementField, SupervisionCase
from casework.models.case import overdue_q
from casework.rules.stages import Stage


class CaseFilterSet(WagtailFilterSet):
    stage = django_filters.ChoiceFilter(label=_("stage"), choices=Stage.choices())
    agency = django_filters.ModelChoiceFilter(
        label=_("enforcement agency"), queryset=Agency.objects.all()
    )
    field = django_filters.ModelChoiceFilter(
        label=_("enforcement field"), queryset=EnforcementField.objects.all()
    )
    overdue = django_filters.BooleanFilter(label=_("overdue"), method="filter_overdue")
    investigator = django_filters.ModelChoiceFilter(
        label=_("investigator"),
        queryset=get_user_model().objects.filter(groups__name=roles.OFFICER).distinct(),
        method="filter_investigator",
    )

    class Meta:
        model = SupervisionCase
        fields = ["stage", "agency", "field"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        # Who investigates is internal to the office (Art. 16).
        if (
            user is not None
            and not roles.is_officer(user)
            and not roles.is_reviewer(user)
        ):
            self.filters.pop("investigator", None)

    def filter_overdue(self, queryset, name, value):
        # The condition itself, not "pk in (overdue cases)": no self-join,
        # and the partial index of open cases serves the count.
        if value is None:
            return queryset
        overdue = overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_investigator(self, queryset, name, value):
        # EXISTS, not a join with DISTINCT over every column of the case.
        if value is None:
            return queryset
        active = Assignment.objects.filter(
            case=OuterRef("pk"), investigator=value, active=True
        )
        return queryset.filter(Exists(active))
