"""The page metadata of a government website (政府网站网页设计规范, under the
政府网站发展指引): SiteName, SiteDomain, SiteIDCode and ColumnName on every
page; ArticleTitle, PubDate and ContentSource on article pages.

``{% government_meta as meta %}`` in base.html. An article page is one that
offers ``meta_content_source`` (the publishing plugin's policy documents,
interpretations and notices); its PubDate is when it first went on the site,
in Beijing time (portal.clock), ``YYYY-MM-DD HH:MM``.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.models import Page, Site

from portal import clock
from portal.hooks import VIEW_COLUMNS
from portal.models import GovernmentSiteSettings

register = template.Library()

HOME_COLUMN = gettext_lazy("Home")


def view_columns() -> dict[str, str]:
    """Columns of the views that are neither pages nor main-menu links, by
    URL name, as the plugins give them (``register_view_columns``); a view
    may also put ``column_name`` in its context."""
    columns: dict[str, str] = {}
    for fn in hooks.get_hooks(VIEW_COLUMNS):
        columns.update(fn())
    return columns


def _column_name(context, request, page, site) -> str:
    if context.get("column_name"):
        return context["column_name"]
    if page is not None and site is not None:
        # The header's menu has the columns already (base.html asks once),
        # and with them the root's depth.
        menu = context.get("menu_pages") or ()
        root_depth = menu[0].depth - 1 if menu else site.root_page.depth
        if page.depth <= root_depth:
            return HOME_COLUMN
        column_path = page.path[: (root_depth + 1) * Page.steplen]
        if page.path == column_path:
            return page.title
        for item in menu:
            if item.path == column_path:
                return item.title
        column = Page.objects.filter(path=column_path).only("title").first()
        return column.title if column else page.title
    path = getattr(request, "path", "")
    if path == "/":
        return HOME_COLUMN
    from portal.templatetags.portal_tags import main_menu_links

    for link in main_menu_links(context):
        if link["current"]:
            return link["label"]
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return view_columns().get(match.view_name, "")
    return ""


def pub_date(value) -> str:
    """2025-02-21 09:30: the meta tags' format, in Beijing time."""
    return f"{clock.local(value):%Y-%m-%d %H:%M}" if value else ""


@register.simple_tag(takes_context=True)
def government_meta(context) -> dict:
    request = context.get("request")
    gov = GovernmentSiteSettings.for_request(request) if request else None
    site = Site.find_for_request(request) if request else None
    page = context.get("page")
    if not isinstance(page, Page):
        page = None
    site_name = (gov and gov.site_name) or settings.WAGTAIL_SITE_NAME
    meta = {
        "site_name": site_name,
        "site_domain": (gov and gov.site_domain) or (site.hostname if site else ""),
        "site_id_code": gov.website_code if gov else "",
        "column_name": _column_name(context, request, page, site) or site_name,
        "article": None,
    }
    source = getattr(page, "meta_content_source", None)
    if page is not None and source is not None:
        meta["article"] = {
            "title": page.title,
            "pub_date": pub_date(page.first_published_at),
            "source": source or (gov.organizer_unit if gov else "") or site_name,
        }
    return meta
