import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from reporting.models import Report


class ReportFilterSet(WagtailFilterSet):
    disposition = django_filters.ChoiceFilter(
        label=_("disposition"), choices=Report.Disposition.choices
    )
    kind = django_filters.ChoiceFilter(label=_("manner"), choices=Report.Kind.choices)
    open = django_filters.BooleanFilter(
        label=_("not closed"), field_name="closed_at", lookup_expr="isnull"
    )
    awaiting = django_filters.BooleanFilter(
        label=_("new message from the reporter"), method="filter_awaiting"
    )

    class Meta:
        model = Report
        fields = ["disposition", "kind"]

    def filter_awaiting(self, queryset, name, value):
        if value is None:
            return queryset
        waiting = queryset.awaiting_office()
        return waiting if value else queryset.exclude(pk__in=waiting.values("pk"))
