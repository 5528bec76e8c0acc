"""What the publishing plugin gives the portal's own plumbing, registered in
wagtail_hooks.py under the names of ``portal.hooks``: the feeds the page
cache may keep, the model whose saves purge it, and the feed's footer link."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext

#: The feeds: the same for every anonymous reader, and changed only when a
#: notice or interpretation page is published (which purges the cache).
CACHEABLE_URL_NAMES = (
    "publishing_notices_rss",
    "publishing_notices_atom",
    "publishing_interpretations_rss",
    "publishing_interpretations_atom",
)


def page_cache_url_names() -> tuple[str, ...]:
    return CACHEABLE_URL_NAMES


def page_cache_purge_models() -> list[type]:
    """The statistics snapshot: the public statistics page shows it, and it
    is neither a page nor a snippet."""
    from publishing.models import StatisticsSnapshot

    return [StatisticsSnapshot]


def footer_links(request) -> list[dict]:
    """The notices' RSS feed, in the site map after the reporting links."""
    return [
        {
            "label": gettext("RSS feeds"),
            "url": reverse("publishing_notices_rss"),
            "order": 300,
        }
    ]
