"""The fixed pages every government website has beside its columns
(政府网站发展指引): 网站地图, 联系我们, 网站声明 and the favicon.

They are views, not Wagtail pages: their content comes from the page tree,
the site settings (GovernmentSiteSettings) and what the code does, so there
is nothing for an editor to keep in step by hand.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.models import Page, Site

from portal.hooks import FOOTER_LINKS, MAIN_MENU_LINK, SITE_FACTS

#: How many pages of one column the site map lists; the column's own page
#: lists the rest.
SITEMAP_PAGES_PER_COLUMN = 20


def _site_root(request) -> Page:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site.root_page


#: The portal's own pages in the site map, after every plugin's link.
OWN_LINKS = (
    ("portal_contact", gettext_lazy("Contact us"), 900),
    ("portal_statement", gettext_lazy("Site statement"), 910),
)


def _fixed_links(request) -> list[dict]:
    """The site's views that are not pages: the plugins' main-menu links and
    footer links (search, a status page, a feed) and the site's own pages,
    by their order. A plugin that is not installed simply has no entry."""
    links = []
    for fn in hooks.get_hooks(MAIN_MENU_LINK):
        link = fn(request)
        if link:
            links.append(link)
    for fn in hooks.get_hooks(FOOTER_LINKS):
        links.extend(fn(request) or ())
    links += [
        {"label": label, "url": reverse(name), "order": order}
        for name, label, order in OWN_LINKS
    ]
    links.sort(key=lambda link: link.get("order", 100))
    return [{"label": link["label"], "url": link["url"]} for link in links]


def _site_facts(request) -> dict:
    """What the plugins state about themselves on 联系我们 and 网站声明
    (``register_site_facts``); the largest rate window of all."""
    facts: dict = {}
    windows = [getattr(settings, "SEARCH_RATE_WINDOW", 0)]
    for fn in hooks.get_hooks(SITE_FACTS):
        given = dict(fn(request) or {})
        windows.append(given.pop("rate_window_seconds", 0))
        for key, value in given.items():
            facts.setdefault(key, value)
    facts["rate_window_seconds"] = max(windows)
    return facts


@require_safe
def sitemap(request):
    """网站地图: the site's columns (the root's live, public children) with
    their pages, newest first, and the views that are not pages. One query
    for the tree, whatever its size."""
    root = _site_root(request)
    pages = list(
        Page.objects.live()
        .public()
        .descendant_of(root)
        .filter(depth__in=(root.depth + 1, root.depth + 2))
        .only("id", "path", "depth", "title", "url_path", "first_published_at")
        .order_by("path")
    )
    columns, by_path = [], {}
    for page in pages:
        if page.depth == root.depth + 1:
            column = {"page": page, "children": []}
            columns.append(column)
            by_path[page.path] = column
        else:
            parent = by_path.get(page.path[: -Page.steplen])
            if parent is not None:  # under a column that is not public
                parent["children"].append(page)
    for column in columns:
        children = sorted(
            column["children"],
            key=lambda page: (
                page.first_published_at is not None,
                page.first_published_at or 0,
            ),
            reverse=True,
        )
        column["count"] = len(children)
        column["children"] = children[:SITEMAP_PAGES_PER_COLUMN]
    return render(
        request,
        "portal/sitemap.html",
        {
            "home": root,
            "columns": columns,
            "fixed_links": _fixed_links(request),
            "column_name": gettext("Site map"),
            "per_column": SITEMAP_PAGES_PER_COLUMN,
        },
    )


@require_safe
def contact(request):
    """联系我们: the office's contact details as the site settings hold them."""
    _site_root(request)
    facts = _site_facts(request)
    return render(
        request,
        "portal/contact.html",
        {
            "column_name": gettext("Contact us"),
            "report_url": facts.get("report_url", ""),
        },
    )


@require_safe
def statement(request):
    """网站声明: copyright, links, and what the site collects and keeps —
    written from what the code does (see README, "Reporting channel" and
    "Logs name no one")."""
    _site_root(request)
    facts = _site_facts(request)
    return render(
        request,
        "portal/statement.html",
        {
            "column_name": gettext("Site statement"),
            "status_minutes": facts.get("status_session_seconds", 0) // 60,
            # The longest window a client's keyed count lives in the cache.
            "rate_window_minutes": facts["rate_window_seconds"] // 60,
            "report_url": facts.get("report_url", ""),
        },
    )


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    found = finders.find("favicon.ico")
    if not found:
        raise Http404
    with open(found, "rb") as handle:
        return handle.read()


@require_safe
def favicon(request):
    """/favicon.ico, where browsers look for it whatever the page says."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def urlpatterns() -> list:
    return [
        path("favicon.ico", favicon, name="portal_favicon"),
        path("sitemap/", sitemap, name="portal_sitemap"),
        path("contact/", contact, name="portal_contact"),
        path("statement/", statement, name="portal_statement"),
    ]
