"""The report inbox in the Wagtail admin, registered from wagtail_hooks."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from audit.export import audit_export
from audit.models import Action as AuditAction
from portal import clock
from reporting import admin_views
from reporting.filters import ReportFilterSet
from reporting.models import Report


class ReportIndexView(IndexView):
    """The inbox: only reports the user may see (queryset layer)."""

    def get_base_queryset(self):
        return Report.objects.visible_to(self.request.user).select_related(
            "agency", "case"
        )

    def get_edit_url(self, instance):
        return reverse("reporting_report:detail", args=[instance.pk])

    def get_add_url(self):
        return None

    def get_list_more_buttons(self, instance):
        return []

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            audit_export(self, AuditAction.REPORT_EXPORT, context["object_list"])
        return super().render_to_response(context, **response_kwargs)


class ReportViewSet(ModelViewSet):
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

    @property
    def url_finder_class(self):
        return type(
            "ReportURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("detail")},
        )

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
