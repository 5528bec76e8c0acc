import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import (
    ContentTypeFilter,
    DateRangePickerWidget,
    WagtailFilterSet,
)

from audit.models import Action, AuditEvent, Outcome


class AuditEventFilterSet(WagtailFilterSet):
    username = django_filters.CharFilter(label=_("User"), lookup_expr="iexact")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=Action.choices)
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=Outcome.choices)
    timestamp = django_filters.DateFromToRangeFilter(
        label=_("Date"), widget=DateRangePickerWidget
    )
    content_type = ContentTypeFilter(
        label=_("Object type"),
        queryset=ContentType.objects.filter(
            app_label__in=["casework", "reporting"]
        ).order_by("app_label", "model"),
    )
    object_id = django_filters.CharFilter(label=_("Object ID"), lookup_expr="exact")
    object_repr = django_filters.CharFilter(
        label=_("Object (number)"), lookup_expr="icontains"
    )

    class Meta:
        model = AuditEvent
        fields = []
