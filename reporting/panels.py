"""The reporting panel of the admin dashboard, and the function that adds it
(Wagtail's ``construct_homepage_panels`` hook, registered by
``reporting/wagtail_hooks.py``)."""

from django.db.models import Q
from wagtail.admin.ui.components import Component

from reporting.models import Report


class ReportInboxPanel(Component):
    """Reports waiting for the office: untriaged, or the reporter wrote."""

    name = "reporting_inbox"
    order = 120
    template_name = "reporting/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        visible = Report.objects.visible_to(self.user).filter(closed_at__isnull=True)
        waiting = visible.filter(
            Q(disposition=Report.Disposition.PENDING)
            | Q(pk__in=visible.awaiting_office().values("pk"))
        ).select_related("agency")[:10]
        return {"reports": list(waiting)}


def reporting_dashboard_panel(request, panels):
    """Reports waiting for the office: untriaged, or the reporter wrote."""
    if request.user.has_perm("reporting.view_report"):
        panels.append(ReportInboxPanel(request.user))
