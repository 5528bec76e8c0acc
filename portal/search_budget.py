"""The one budget for public full-text searches.

The public search page (the search plugin's /search/) and ``?search=`` on the
API (portal/api.py) reach the same search backend, so they spend from the
same per-client counter (portal/ratelimit.py: Django's cache, Redis in
production; clients known only by a keyed hash of their address): a client
cannot double its searches by switching from one door to the other. It lives
in the portal because the API is the portal's and the portal imports no
plugin; the search plugin calls it.
"""

from __future__ import annotations

from django.conf import settings

from portal.ratelimit import Budget


def search_budget() -> Budget | None:
    """``SEARCH_RATE_LIMIT`` searches per client per ``SEARCH_RATE_WINDOW``
    seconds (None: unlimited, a limit of 0)."""
    limit = getattr(settings, "SEARCH_RATE_LIMIT", 30)
    if limit <= 0:
        return None
    return Budget(
        "site_search", limit, None, getattr(settings, "SEARCH_RATE_WINDOW", 60)
    )


def allow_search(request) -> bool:
    """Count this search; False when the client is over its budget."""
    budget = search_budget()
    if budget is None:
        return True
    if budget.exhausted(request):
        return False
    budget.spend(request)
    return True
