"""The read-only 审计日志 listing in the Wagtail admin, with CSV/XLSX export
(itself audited). There is no add, edit or delete view."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from audit.export import audit_export
from audit.filters import AuditEventFilterSet
from audit.models import Action, AuditEvent
from portal import clock


class AuditIndexView(IndexView):
    def get_base_queryset(self):
        return AuditEvent.objects.select_related("content_type")

    def get_add_url(self):
        return None

    def get_edit_url(self, instance):
        return None

    def get_list_more_buttons(self, instance):
        return []

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            audit_export(self, Action.AUDIT_EXPORT, context["object_list"])
        return super().render_to_response(context, **response_kwargs)


def _time(event):
    """2026年12月2日 06:06:07, Beijing time (the log keeps the seconds)."""
    return f"{clock.cn_datetime(event.timestamp)}:{clock.local(event.timestamp):%S}"


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    name = "audit_log"
    url_prefix = "audit"
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 9000
    add_to_admin_menu = True
    index_view_class = AuditIndexView
    filterset_class = AuditEventFilterSet
    list_per_page = 100
    # No search backend: the log is filtered, not indexed.
    search_fields = None
    list_display = [
        Column("timestamp", label=_("Time"), sort_key="timestamp", accessor=_time),
        Column("username", label=_("User"), sort_key="username"),
        Column("action", label=_("Action"), accessor="get_action_display"),
        Column("object_label", label=_("Object")),
        Column("outcome", label=_("Outcome"), accessor="get_outcome_display"),
        Column("client_address", label=_("Client address")),
        Column("path", label=_("Path")),
    ]
    list_export = [
        "timestamp",
        "username",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "outcome",
        "client_address",
        "request_id",
        "method",
        "path",
        "detail",
    ]
    export_filename = _("audit log")

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


audit_viewset = AuditEventViewSet()
