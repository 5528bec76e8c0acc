from django.urls import path
from wagtail import hooks

from portal.plugins import PUBLIC_URLS_HOOK
from search import views


@hooks.register(PUBLIC_URLS_HOOK)
def public_search_urls():
    return [path("search/", views.search, name="search")]
