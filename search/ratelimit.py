"""Per-client rate limiting for the public search: the portal's one search
budget (portal/search_budget.py), which the API's ``?search=`` spends from
too, so the two doors share one counter."""

from __future__ import annotations

from portal.search_budget import allow_search


def allow(request) -> bool:
    """Count this request; False when the client is over the limit of
    ``SEARCH_RATE_LIMIT`` requests per ``SEARCH_RATE_WINDOW`` seconds."""
    return allow_search(request)
