from django.urls import include, path, reverse
from wagtail import hooks

from portal.hooks import (
    BACKUP_ROOTS,
    DEMO_CONTENT,
    FOOTER_LINKS,
    HOME_SECTION,
    MAIN_MENU_LINK,
    PUBLIC_URLS,
    SITE_FACTS,
    STAFF_SEARCH_SOURCES,
)
from reporting import contributions
from reporting.admin_assets import reporting_admin_css
from reporting.demo import load_reporting_demo
from reporting.panels import reporting_dashboard_panel
from reporting.search_sources import reporting_staff_search_sources
from reporting.viewsets import report_viewset


@hooks.register(PUBLIC_URLS)
def reporting_public_urls():
    return [path("report/", include("reporting.urls"))]


@hooks.register(MAIN_MENU_LINK)
def reporting_menu_link(request):
    """互动交流: the reporting channel in the site's main navigation."""
    return {"label": "信访举报", "url": reverse("reporting:report"), "order": 90}


@hooks.register("register_admin_viewset")
def register_reporting_viewsets():
    return report_viewset


hooks.register("insert_global_admin_css", reporting_admin_css)


@hooks.register(HOME_SECTION)
def reporting_home_section(request, page):
    return {
        "title": "信访举报",
        "template": "reporting/home_section.html",
        "order": 40,
    }


hooks.register(STAFF_SEARCH_SOURCES, reporting_staff_search_sources)


hooks.register("construct_homepage_panels", reporting_dashboard_panel)


@hooks.register(DEMO_CONTENT)
def reporting_demo(home, stdout):
    return load_reporting_demo(stdout)


# The portal's plumbing and pages (portal/hooks.py): the attachments in the
# backup, the status page in the site map, the channel on 联系我们 and 网站声明.
hooks.register(BACKUP_ROOTS, contributions.backup_roots)
hooks.register(FOOTER_LINKS, contributions.footer_links)
hooks.register(SITE_FACTS, contributions.site_facts)
