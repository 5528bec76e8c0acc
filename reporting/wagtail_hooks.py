from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks

from portal.hooks import BACKUP_ROOTS, FOOTER_LINKS, SITE_FACTS
from portal.plugins import (
    DEMO_CONTENT_HOOK,
    HOME_SECTIONS_HOOK,
    MAIN_MENU_HOOK,
    PUBLIC_URLS_HOOK,
)
from reporting import contributions
from reporting.viewsets import report_viewset


@hooks.register(PUBLIC_URLS_HOOK)
def reporting_public_urls():
    return [path("report/", include("reporting.urls"))]


@hooks.register(MAIN_MENU_HOOK)
def reporting_menu_link(request):
    """互动交流: the reporting channel in the site's main navigation."""
    return {"label": "信访举报", "url": reverse("reporting:report"), "order": 90}


@hooks.register("register_admin_viewset")
def register_reporting_viewsets():
    return report_viewset


@hooks.register("insert_global_admin_css")
def reporting_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("reporting/admin.css")
    )


@hooks.register(HOME_SECTIONS_HOOK)
def reporting_home_section(request, page):
    return {
        "title": "信访举报",
        "template": "reporting/home_section.html",
        "order": 40,
    }


@hooks.register("register_staff_search_sources")
def reporting_staff_search_sources():
    """Reports in the staff search, through the inbox's permission queryset."""
    from reporting.models import Report

    return [
        {
            "key": "report",
            "label": "信访举报",
            "model": Report,
            "queryset": lambda user: Report.objects.visible_to(user),
        }
    ]


@hooks.register("construct_homepage_panels")
def reporting_dashboard_panel(request, panels):
    """Reports waiting for the office: untriaged, or the reporter wrote."""
    from reporting.panels import ReportInboxPanel

    if request.user.has_perm("reporting.view_report"):
        panels.append(ReportInboxPanel(request.user))


@hooks.register(DEMO_CONTENT_HOOK)
def reporting_demo(home, stdout):
    from reporting.demo import load_reporting_demo

    load_reporting_demo(stdout)


# The portal's plumbing and pages (portal/hooks.py): the attachments in the
# backup, the status page in the site map, the channel on 联系我们 and 网站声明.
hooks.register(BACKUP_ROOTS, contributions.backup_roots)
hooks.register(FOOTER_LINKS, contributions.footer_links)
hooks.register(SITE_FACTS, contributions.site_facts)
