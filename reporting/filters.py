import django_filters
from wagtail.admin.filters import WagtailFilterSet

from reporting.models import Report


class ReportFilterSet(WagtailFilterSet):
    disposition = django_filters.ChoiceFilter(
        label="分办", choices=Report.Disposition.choices
    )
    kind = django_filters.ChoiceFilter(label="方式", choices=Report.Kind.choices)
    open = django_filters.BooleanFilter(
        label="未办结", field_name="closed_at", lookup_expr="isnull"
    )
    awaiting = django_filters.BooleanFilter(
        label="举报人有新留言", method="filter_awaiting"
    )

    class Meta:
        model = Report
        fields = ["disposition", "kind"]

    def filter_awaiting(self, queryset, name, value):
        if value is None:
            return queryset
        waiting = queryset.awaiting_office()
        return waiting if value else queryset.exclude(pk__in=waiting.values("pk"))
