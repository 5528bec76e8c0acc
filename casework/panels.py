"""The casework panels of the admin dashboard, and the functions that add them
(registered on Wagtail's ``construct_homepage_panels`` hook by
``casework/wagtail_hooks.py``).

The case lists' queries live in :mod:`casework.dashboard`; the panels here
only choose, by role, which panels a user gets.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from casework import dashboard, deadlines, roles
from casework.models import PeriodicReport, RiskPoint


class CasePanel(Component):
    """A list of cases with its title and its empty-list sentence."""

    template_name = "casework/admin/dashboard_panel.html"

    def __init__(self, name, title, cases, empty):
        self.name = name
        self.title = title
        self.cases = cases
        self.empty = empty
        self.order = 50

    def get_context_data(self, parent_context):
        return {
            "title": self.title,
            "cases": self.cases,
            "empty": self.empty,
            "today": timezone.localdate(),
        }


def casework_dashboard_panels(request, panels):
    """ "My cases" (for those who investigate or file cases) and "overdue"
    on the admin dashboard (Art. 17 deadlines); queries in casework.dashboard."""
    user = request.user
    if not roles.is_casework_staff(user):
        return
    if roles.is_officer(user):
        panels.append(
            CasePanel(
                "casework_mine",
                _("My cases"),
                dashboard.my_cases(user),
                _(
                    "You have no open cases (cases you investigate or filed are "
                    "listed here)."
                ),
            )
        )
    panels.append(
        CasePanel(
            "casework_overdue",
            _("Overdue cases"),
            dashboard.overdue_cases(user),
            _("No overdue cases."),
        )
    )


class WarningsPanel(Component):
    """The user's unread deadline warnings (Art. 15, 17, 19, 20)."""

    name = "casework_warnings"
    template_name = "casework/admin/oversight/warnings_panel.html"
    order = 40

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        unread = deadlines.notices_for(self.user).filter(read_at__isnull=True)
        notices = list(unread.order_by("-created_at", "-pk")[:8])
        return {
            "notices": notices,
            "unread_count": len(notices) if len(notices) < 8 else unread.count(),
        }


class RiskPanel(Component):
    """Live risk points and the monthly trend (Art. 21); the latest report."""

    name = "casework_risks"
    template_name = "casework/admin/oversight/risk_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        from casework.risk_points import risk_trend

        trend = risk_trend(months=6)
        return {
            "points": list(
                RiskPoint.objects.exclude(status=RiskPoint.Status.CLOSED)
                .select_related("field", "agency")
                .order_by("-last_detected_on", "-pk")[:5]
            ),
            "per_month": trend["per_month"],
            "caption": _(
                "Cases with problems in the last six months (by month of determination)"
            ),
            "latest_report": PeriodicReport.objects.order_by("-generated_at").first(),
        }


def casework_oversight_panels(request, panels):
    """Deadline warnings for everyone in casework; risk points for the office."""
    user = request.user
    if not roles.is_casework_staff(user):
        return
    panels.append(WarningsPanel(user))
    if roles.is_officer(user):
        panels.append(RiskPanel())


def casework_validity_banner(request, panels):
    """The measure's expiry ahead (Art. 24), first on the admin home."""
    if not roles.is_casework_staff(request.user):
        return
    from casework.rules_page import validity_banner

    if banner := validity_banner(request.user):
        panels.insert(0, banner)
