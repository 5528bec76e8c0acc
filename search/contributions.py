"""What the search plugin gives the portal's own pages, registered in
wagtail_hooks.py under the names of ``portal.hooks``: the search page's
link in the site map, its column name, and where the header's and the
dashboard's search boxes send their query."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext


def footer_links(request) -> list[dict]:
    """站内搜索, first in the site map's list of views (before the main-menu
    links, which start at order 90)."""
    return [
        {"label": gettext("Search this site"), "url": reverse("search"), "order": 10}
    ]


def view_columns() -> dict[str, str]:
    """The search page's column name (ColumnName meta tag, breadcrumbs)."""
    return {"search": gettext("Search this site")}


def search_forms(request) -> dict[str, str]:
    return {"public": reverse("search"), "staff": reverse("staff_search:index")}
