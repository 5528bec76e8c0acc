"""Admin viewsets of the casework plugin, registered from wagtail_hooks."""

from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from audit.models import Action as AuditAction
from casework import oversight_views, roles, rules_page, views
from casework.filters import CaseFilterSet
from casework.models import (
    Agency,
    CalendarDay,
    CalendarYear,
    EnforcementField,
    LiaisonAssignment,
    MeasureValidity,
    Officer,
    SupervisionCase,
)
from casework.rules.periods import days_left
from portal import clock
from portal.admin_records import DetailPageViewSetMixin, VisibleRecordsIndexView


class DueColumn(Column):
    """Decision deadline with days left; overdue at a glance."""

    cell_template_name = "casework/admin/due_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        due = instance.decision_due
        context["due"] = due
        context["done"] = instance.decided_on is not None
        context["days_left"] = (
            days_left(due, timezone.localdate())
            if due and not context["done"]
            else None
        )
        return context


class CaseIndexView(VisibleRecordsIndexView):
    """The case list: only cases the user may see (queryset layer)."""

    list_select_related = ("agency", "field")
    export_audit_action = AuditAction.CASE_EXPORT

    def get_add_url(self):
        if roles.is_officer(self.request.user):
            return reverse("casework_case:add")
        return None

    def search_queryset(self, queryset):
        # An agency liaison does not see a case's summary, so may not probe
        # it by searching either: number and title only.
        if self.is_searching and views.is_agency_view(self.request.user):
            query = self.search_query
            return queryset.filter(
                Q(number__icontains=query) | Q(title__icontains=query)
            )
        return super().search_queryset(queryset)


class CaseViewSet(DetailPageViewSetMixin, ModelViewSet):
    model = SupervisionCase
    name = "casework_case"
    url_prefix = "casework/cases"
    icon = "folder-open-inverse"
    menu_label = _("Supervision cases")
    menu_order = 100
    index_view_class = CaseIndexView
    filterset_class = CaseFilterSet
    search_fields = ["number", "title", "summary"]
    # ORM substring search over the permitted queryset: a Chinese query finds
    # a word inside a longer phrase, and the visibility filter always applies.
    search_backend_name = None
    list_per_page = 50
    list_display = [
        TitleColumn(
            "number",
            label=_("case number"),
            url_name="casework_case:detail",
            sort_key="sequence",
        ),
        "title",
        "agency",
        "field",
        Column("stage_label", label=_("stage"), sort_key="stage"),
        Column(
            "filed_on",
            label=_("filed on"),
            sort_key="filed_on",
            accessor=lambda case: clock.cn_date(case.filed_on),
        ),
        DueColumn("decision_due", label=_("decision due"), sort_key="decision_due"),
    ]
    list_export = [
        "number",
        "title",
        "agency",
        "field",
        "matter_type",
        "source",
        "stage_label",
        "filed_on",
        "decision_due",
        "decided_on",
        "notified_on",
    ]
    export_headings = {
        "number": _("case number"),
        "title": _("case title"),
        "agency": _("enforcement agency"),
        "field": _("enforcement field"),
        "matter_type": _("enforcement matter"),
        "source": _("case source"),
        "stage_label": _("stage"),
        "filed_on": _("filed on"),
        "decision_due": _("decision due"),
        "decided_on": _("decided on"),
        "notified_on": _("served on"),
    }
    export_filename = _("Supervision cases")

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", views.case_create, name="add"),
            path("<int:pk>/", views.case_detail, name="detail"),
            path("<int:pk>/do/<slug:action>/", views.case_action, name="action"),
            path(
                "<int:pk>/attachments/<int:attachment_pk>/",
                views.attachment_download,
                name="attachment",
            ),
            path(
                "<int:pk>/documents/<int:document_pk>/",
                views.document_download,
                name="document",
            ),
        ]


class AgencyViewSet(ModelViewSet):
    model = Agency
    icon = "group"
    menu_label = _("enforcement agency")
    form_fields = ["name", "kind", "fields", "is_active"]
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    copy_view_enabled = False


class OfficerViewSet(ModelViewSet):
    model = Officer
    icon = "user"
    menu_label = _("officer")
    form_fields = ["name", "agency", "status", "certificate_number", "position"]
    list_display = ["name", "agency", "status", "certificate_number"]
    list_filter = ["agency", "status"]
    search_fields = ["name"]
    copy_view_enabled = False


class FieldViewSet(ModelViewSet):
    model = EnforcementField
    icon = "tag"
    menu_label = _("enforcement field")
    form_fields = ["name"]
    copy_view_enabled = False


class LiaisonViewSet(ModelViewSet):
    model = LiaisonAssignment
    icon = "link"
    menu_label = _("agency liaison accounts")
    form_fields = ["user", "agency"]
    list_display = ["user", "agency"]
    copy_view_enabled = False


class CalendarDayViewSet(ModelViewSet):
    """Holidays and make-up working days the bundled calendar lacks (e.g. the
    2027 arrangement, published by the State Council late each year)."""

    model = CalendarDay
    icon = "date"
    menu_label = _("holiday calendar day")
    form_fields = ["date", "kind", "note"]
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    copy_view_enabled = False


class CalendarYearViewSet(ModelViewSet):
    """The office marks a year's holiday arrangement confirmed once it has
    entered the State Council's 调休 for it: until then, deadlines ending in
    that year say they may still move (casework.services.time_limits)."""

    model = CalendarYear
    icon = "date"
    menu_label = _("holiday calendar year")
    form_fields = ["year", "confirmed", "note"]
    list_display = ["year", "confirmed", "note"]
    copy_view_enabled = False


class MeasureValidityViewSet(ModelViewSet):
    """The periods the measure (and its extensions or successors) apply, as
    data (Art. 24): the head enters an extension notice or a successor
    measure when it is issued; filing, the expiry banner and the periodic
    reports read them (casework.validity). Officers read them."""

    model = MeasureValidity
    icon = "doc-full"
    menu_label = _("measure validity")
    form_fields = [
        "title",
        "document_number",
        "effective_from",
        "effective_until",
        "basis",
    ]
    list_display = ["title", "document_number", "effective_from", "effective_until"]
    copy_view_enabled = False


class RoleMenuItem(MenuItem):
    """A menu item shown only to the roles that may open its pages."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


class RoleViewSet(ViewSet):
    """A plain viewset whose menu item follows casework roles."""

    shown_to = staticmethod(roles.is_casework_staff)

    def get_menu_item(self, order=None):
        return RoleMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
            shown_to=self.shown_to,
        )


class WarningsViewSet(RoleViewSet):
    """我的提醒 and the office's list of deadline warnings (Art. 15-20)."""

    name = "casework_warnings"
    url_prefix = "casework/warnings"
    icon = "warning"
    menu_label = _("My reminders")

    def get_urlpatterns(self):
        return [
            path("", oversight_views.my_warnings, name="index"),
            path("read/", oversight_views.mark_warnings_read, name="mark_read"),
            path("all/", oversight_views.all_warnings, name="all"),
        ]


class ReportsViewSet(RoleViewSet):
    """Periodic reports to the district government (Art. 19)."""

    name = "casework_reports"
    url_prefix = "casework/reports"
    icon = "doc-full"
    menu_label = _("periodic reports")
    shown_to = staticmethod(roles.is_officer)

    def get_urlpatterns(self):
        return [
            path("", oversight_views.report_index, name="index"),
            path("<int:pk>/", oversight_views.report_detail, name="detail"),
            path(
                "<int:pk>/download/<slug:fmt>/",
                oversight_views.report_download,
                name="download",
            ),
        ]


def _sees_risks(user) -> bool:
    return roles.is_officer(user) or roles.is_liaison(user)


class RiskPointsViewSet(RoleViewSet):
    """Risk points and warnings to agencies (Art. 21)."""

    name = "casework_risks"
    url_prefix = "casework/risks"
    icon = "pick"
    menu_label = _("risk points")
    shown_to = staticmethod(_sees_risks)

    def get_urlpatterns(self):
        views_ = oversight_views
        return [
            path("", views_.risk_index, name="index"),
            path("<int:pk>/", views_.risk_detail, name="detail"),
            path("<int:pk>/analyse/", views_.risk_analyse, name="analyse"),
            path("<int:pk>/warn/", views_.risk_warn, name="warn"),
            path("<int:pk>/close/", views_.risk_close, name="close"),
            path(
                "<int:pk>/warnings/<int:warning_pk>/report/",
                views_.risk_warning_report,
                name="warning_report",
            ),
            path(
                "<int:pk>/warnings/<int:warning_pk>/verify/",
                views_.risk_warning_verify,
                name="warning_verify",
            ),
        ]


class OfficeRulesViewSet(RoleViewSet):
    """本机构工作规则与理解: office rules, readings and the measure's validity
    (Art. 23, 24), read-only, for the head and superusers."""

    name = "casework_office_rules"
    url_prefix = "casework/office-rules"
    icon = "list-ul"
    menu_label = _("Office rules and readings")
    shown_to = staticmethod(rules_page.may_see)

    def get_urlpatterns(self):
        return [path("", rules_page.office_rules_view, name="index")]


class CaseworkViewSetGroup(ModelViewSetGroup):
    menu_label = _("Error tolerance and correction")
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = [
        CaseViewSet,
        WarningsViewSet,
        ReportsViewSet,
        RiskPointsViewSet,
        AgencyViewSet,
        OfficerViewSet,
        FieldViewSet,
        LiaisonViewSet,
        CalendarDayViewSet,
        CalendarYearViewSet,
        MeasureValidityViewSet,
        OfficeRulesViewSet,
    ]
