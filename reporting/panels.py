from django.db.models import Q
from wagtail.admin.ui.components import Component

from reporting.models import Report


class ReportInboxPanel(Component):
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
