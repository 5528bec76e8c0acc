"""The report inbox in the Wagtail admin, registered from wagtail_hooks."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet

from audit.models import Action as AuditAction
from portal import clock
from portal.admin_records import DetailPageViewSetMixin, VisibleRecordsIndexView
from reporting import admin_views
from reporting.filters import ReportFilterSet
from reporting.models import Report


class ReportIndexView(VisibleRecordsIndexView):
    """The inbox: only reports the user may see (queryset layer)."""

    list_select_related = ("agency", "case")
    export_audit_action = AuditAction.REPORT_EXPORT

    def get_add_url(self):
        return None


class ReportViewSet(DetailPageViewSetMixin, ModelViewSet):
    model = Report
    name = "reporting_report"
    url_prefix = "reporting/reports"
    icon = "mail"
    menu_label = _("reports")
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = ReportIndexView
    filterset_class = ReportFilterSet
    # ORM search over the permitted queryset; reporter identity is encrypted
    # and so never searchable.
    search_fields = ["number", "subject", "description", "agency_text"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        TitleColumn(
            "number",
            label=_("report number"),
            url_name="reporting_report:detail",
            sort_key="sequence",
        ),
        "subject",
        Column("kind", label=_("manner"), accessor="get_kind_display"),
        Column("agency_label", label=_("unit reported")),
        Column(
            "submitted_at",
            label=_("submitted at"),
            sort_key="submitted_at",
            accessor=lambda report: clock.cn_datetime(report.submitted_at),
        ),
        Column(
            "disposition", label=_("disposition"), accessor="get_disposition_display"
        ),
        Column("inbox_state", label=_("status"), accessor="inbox_state"),
    ]
    list_export = [
        "number",
        "kind",
        "subject",
        "agency_label",
        "submitted_at",
        "disposition",
        "case",
        "outcome",
        "closed_at",
    ]
    export_headings = {
        "number": _("report number"),
        "kind": _("manner"),
        "subject": _("subject"),
        "agency_label": _("unit reported"),
        "submitted_at": _("submitted at"),
        "disposition": _("disposition"),
        "case": _("case"),
        "outcome": _("outcome of the verification"),
        "closed_at": _("closed at"),
    }
    export_filename = _("reports")

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", admin_views.report_detail, name="detail"),
            path(
                "<int:pk>/attachments/<int:attachment_pk>/",
                admin_views.attachment_download,
                name="attachment",
            ),
        ]


report_viewset = ReportViewSet()
