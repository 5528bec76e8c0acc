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
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.models import Page, Site

from portal.plugins import MAIN_MENU_HOOK

#: How many pages of one column the site map lists; the column's own page
#: lists the rest.
SITEMAP_PAGES_PER_COLUMN = 20


def _site_root(request) -> Page:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site.root_page


def _fixed_links(request) -> list[dict]:
    """The site's views that are not pages, by URL name, in the order of the
    footer: search, the plugins' main-menu links, then the site's own pages.
    A plugin that is not installed simply has no entry."""
    links = _named_links((("search", "站内搜索"),))
    for fn in hooks.get_hooks(MAIN_MENU_HOOK):
        link = fn(request)
        if link:
            links.append({"label": link["label"], "url": link["url"]})
    links += _named_links(
        (
            ("reporting:status", "查询举报办理进度"),
            ("publishing_notices_rss", "RSS 订阅"),
            ("portal_contact", "联系我们"),
            ("portal_statement", "网站声明"),
        )
    )
    return links


def _named_links(names) -> list[dict]:
    return [{"label": label, "url": _url(name)} for name, label in names if _url(name)]


def _url(name: str) -> str:
    """The view's URL, or "" when the plugin that has it is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


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
            "column_name": "网站地图",
            "per_column": SITEMAP_PAGES_PER_COLUMN,
        },
    )


@require_safe
def contact(request):
    """联系我们: the office's contact details as the site settings hold them."""
    _site_root(request)
    return render(
        request,
        "portal/contact.html",
        {"column_name": "联系我们", "report_url": _url("reporting:report")},
    )


@require_safe
def statement(request):
    """网站声明: copyright, links, and what the site collects and keeps —
    written from what the code does (see README, "Reporting channel" and
    "Logs name no one")."""
    _site_root(request)
    reporting = getattr(settings, "REPORTING", {})
    return render(
        request,
        "portal/statement.html",
        {
            "column_name": "网站声明",
            "status_minutes": reporting.get("STATUS_SESSION_SECONDS", 1200) // 60,
            # The longest window a client's keyed count lives in the cache.
            "rate_window_minutes": max(
                reporting.get("LOOKUP_WINDOW_SECONDS", 0),
                reporting.get("SUBMISSION_WINDOW_SECONDS", 0),
                reporting.get("STAGING_WINDOW_SECONDS", 0),
                getattr(settings, "SEARCH_RATE_WINDOW", 0),
            )
            // 60,
            "report_url": _url("reporting:report"),
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
