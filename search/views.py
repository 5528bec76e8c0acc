"""The public search page and the staff search in the admin."""

from __future__ import annotations

from collections import Counter

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.search.backends import get_search_backend

from search import ratelimit, sources
from search.highlight import mark_title, snippet

MAX_QUERY_LENGTH = 100
PER_PAGE = 10
#: Shown when nothing matched: words the user dictionary knows, found in the
#: policy text.
SUGGESTIONS = (
    "容错免责",
    "履职尽责",
    "澄清正名",
    "行政执法监督意见书",
    "复核",
    "第十条",
)


def clean_query(request, name: str = "q") -> str:
    """The query as typed, trimmed to a length the index can answer quickly."""
    return " ".join(request.GET.get(name, "").split())[:MAX_QUERY_LENGTH]


def _int_param(request, name: str, low: int, high: int) -> int | None:
    raw = request.GET.get(name, "")
    # isascii(): "²" passes isdigit() but int() refuses it.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        return None
    value = int(raw)
    return value if low <= value <= high else None


def _result_rows(hits, query):
    return [
        {
            "title": mark_title(hit.title, query),
            "url": hit.url,
            "date": hit.date,
            "snippet": snippet(hit.text, query),
            "label": hit.source.label,
            "key": hit.source.key,
        }
        for hit in hits
    ]


def _paginate(request, items):
    paginator = Paginator(items, PER_PAGE)
    number = _int_param(request, "page", 1, 10**6) or 1
    return paginator, paginator.get_page(number)


def _filter_links(hits, active_type, active_year):
    """Facets: each type's count under the year filter and each year's under
    the type filter, so every link shows how many results it leads to."""
    by_type = Counter(
        h.source.key for h in hits if active_year is None or _year(h) == active_year
    )
    by_year = Counter(
        _year(h) for h in hits if active_type in (None, h.source.key) and _year(h)
    )
    return by_type, sorted(by_year.items(), reverse=True)


def _year(hit):
    return hit.date.year if hit.date else None


@require_GET
def search(request):
    """Public search over policy articles, interpretations and notices."""
    if not ratelimit.allow(request):
        return render(request, "search/rate_limited.html", status=429)
    query = clean_query(request)
    all_sources = sources.public_sources()
    keys = {s.key for s in all_sources}
    active_type = request.GET.get("type") if request.GET.get("type") in keys else None
    active_year = _int_param(request, "year", 1900, 2999)
    number = _int_param(request, "page", 1, 10**6) or 1
    if query and sources.uses_postings(get_search_backend(), all_sources):
        # One ranking statement (facets included), one load per source on
        # the page, whatever the number of matches.
        results = sources.RankedResults(
            query, all_sources, key=active_type, year=active_year
        ).prefetch((number - 1) * PER_PAGE, PER_PAGE)
        by_type, years, total = results.by_type(), results.years(), results.total()
        filtered = results
    else:
        hits = sources.search(query, all_sources) if query else []
        by_type, years = _filter_links(hits, active_type, active_year)
        total = len(hits)
        filtered = [
            h
            for h in hits
            if active_type in (None, h.source.key) and active_year in (None, _year(h))
        ]
    paginator, page_obj = _paginate(request, filtered)
    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "page_obj": page_obj,
            "paginator": paginator,
            "results": _result_rows(page_obj.object_list, query),
            "types": [
                {"key": s.key, "label": s.label, "count": by_type.get(s.key, 0)}
                for s in all_sources
            ],
            "years": years,
            "active_type": active_type,
            "active_year": active_year,
            "total_unfiltered": total,
            "suggestions": SUGGESTIONS,
            "max_length": MAX_QUERY_LENGTH,
        },
    )


STAFF_PAGE_TITLE = _("Staff search")


def staff_search(request):
    """Search over cases and reports, each through its source's permission
    queryset (a liaison finds only their agency's cases, a recused
    investigator nothing of the case)."""
    query = clean_query(request)
    all_sources = sources.staff_sources()
    keys = {s.key for s in all_sources}
    active_type = request.GET.get("type") if request.GET.get("type") in keys else None
    hits = (
        sources.search(query, all_sources, request.user, user=request.user)
        if query
        else []
    )
    counts = Counter(h.source.key for h in hits)
    filtered = [h for h in hits if active_type in (None, h.source.key)]
    paginator, page_obj = _paginate(request, filtered)
    return render(
        request,
        "search/admin/staff_search.html",
        {
            "page_title": STAFF_PAGE_TITLE,
            "header_title": STAFF_PAGE_TITLE,
            "header_icon": "search",
            "search_query": query,
            "page_obj": page_obj,
            "paginator": paginator,
            "results": _result_rows(page_obj.object_list, query),
            "types": [
                {"key": s.key, "label": s.label, "count": counts.get(s.key, 0)}
                for s in all_sources
            ],
            "active_type": active_type,
            "total_unfiltered": len(hits),
            "max_length": MAX_QUERY_LENGTH,
        },
    )
