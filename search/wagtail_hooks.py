from django.urls import path
from wagtail import hooks

from portal.hooks import (
    API_PAGE_SEARCH,
    FOOTER_LINKS,
    PUBLIC_URLS,
    SEARCH_FORMS,
    VIEW_COLUMNS,
)
from search import contributions, sources, views
from search.viewsets import staff_search_viewset


@hooks.register(PUBLIC_URLS)
def public_search_urls():
    return [path("search/", views.search, name="search")]


@hooks.register("register_admin_viewset")
def register_staff_search_viewset():
    return staff_search_viewset


# The portal's own pages (portal/hooks.py): the search page in the site map,
# its column name, and the header's and dashboard's search boxes.
hooks.register(FOOTER_LINKS, contributions.footer_links)
hooks.register(VIEW_COLUMNS, contributions.view_columns)
hooks.register(SEARCH_FORMS, contributions.search_forms)

# The API's page search (portal/api.py) answered by the public search's
# engine, so both find the same pages.
hooks.register(API_PAGE_SEARCH, sources.ranked_pages)
