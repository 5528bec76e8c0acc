"""Per-client rate limiting for the public search, on the portal's shared
counters (portal/ratelimit.py: Django's cache, Redis in production; clients
known only by a keyed hash of their address, proxies per TRUSTED_PROXY_COUNT)."""

from __future__ import annotations

from django.conf import settings

from portal.ratelimit import Budget


def allow(request) -> bool:
    """Count this request; False when the client is over the limit of
    ``SEARCH_RATE_LIMIT`` requests per ``SEARCH_RATE_WINDOW`` seconds."""
    limit = getattr(settings, "SEARCH_RATE_LIMIT", 30)
    if limit <= 0:
        return True
    budget = Budget("search", limit, None, getattr(settings, "SEARCH_RATE_WINDOW", 60))
    if budget.exhausted(request):
        return False
    budget.spend(request)
    return True
