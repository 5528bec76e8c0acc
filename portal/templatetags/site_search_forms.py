"""Where the site's search boxes send their query, as the plugins say
(``register_search_forms``): the public header's box and the admin
dashboard's. Without a plugin that gives an address, the box is left out
rather than pointing at a page that is not there."""

from __future__ import annotations

from django import template
from wagtail import hooks

from portal.hooks import SEARCH_FORMS

register = template.Library()


def search_form_urls(request) -> dict[str, str]:
    urls: dict[str, str] = {}
    for fn in hooks.get_hooks(SEARCH_FORMS):
        for area, url in (fn(request) or {}).items():
            urls.setdefault(area, url)
    return urls


@register.simple_tag(takes_context=True)
def search_form_url(context, area: str) -> str:
    """``{% search_form_url "public" as url %}``: the address, or ""."""
    return search_form_urls(context.get("request")).get(area, "")
