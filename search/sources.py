"""What is searchable: sources registered by the plugins, and searching them.

Search is infrastructure: it imports no plugin. A plugin makes its content
findable by returning source dicts from a Wagtail hook:

``register_search_sources`` (the public site, ``/search/`` and the API)::

    {"key": "article", "label": "政策条文", "model": PolicyArticle,
     "queryset": lambda: PolicyArticle.objects.public()}

``register_staff_search_sources`` (the admin's staff search)::

    {"key": "case", "label": "监督案件", "model": SupervisionCase,
     "queryset": lambda user: SupervisionCase.objects.visible_to(user)}

Objects are shown through their ``search_title``, ``search_url``,
``search_date`` and ``search_text`` properties; a source may instead give
callables under ``"title"``, ``"url"``, ``"date"``, ``"text"`` (taking the
object). A staff source may give ``"match_text"`` (taking the object and the
user): a hit is kept only when the query's words are all in that text, for
users who may not probe the rest of the object (an agency liaison and a
case's summary).

A public source whose objects are parts of a page (a policy document's
articles) gives ``"page_id"`` (the object's page id) and ``"page_match"``
(a small JSON-able description of the object, e.g. the article's number,
label and anchor): :func:`ranked_pages` then counts a hit on the object as a
hit on its page, which is how the API's ``?search=`` finds a policy by the
text of its articles.

The backend finds candidate ids over the whole model; the source's queryset
(the permission layer) then decides which of them the user sees, so no
permission ever has to be expressed as a search filter.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import strip_tags
from wagtail import hooks
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError

from portal import clock
from portal.hooks import SEARCH_SOURCES, STAFF_SEARCH_SOURCES
from search import documents, fallback, postings, segment
from search.query import build_query

#: Candidates taken from the index per source before the permission filter.
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    model: type
    queryset: Callable[..., Any]
    options: dict = field(default_factory=dict, compare=False, hash=False)
    staff: bool = False

    @classmethod
    def from_dict(cls, data: dict, staff: bool = False) -> Source:
        known = {"key", "label", "model", "queryset"}
        return cls(
            key=data["key"],
            label=str(data["label"]),
            model=data["model"],
            queryset=data["queryset"],
            options={k: v for k, v in data.items() if k not in known},
            staff=staff,
        )


def _collect(hook_name: str) -> list[Source]:
    sources: dict[str, Source] = {}
    staff = hook_name == STAFF_SEARCH_SOURCES
    for fn in hooks.get_hooks(hook_name):
        for data in fn():
            source = Source.from_dict(data, staff=staff)
            sources.setdefault(source.key, source)
    return list(sources.values())


def public_sources() -> list[Source]:
    return _collect(SEARCH_SOURCES)


def staff_sources() -> list[Source]:
    return _collect(STAFF_SEARCH_SOURCES)


@dataclass
class Hit:
    source: Source
    obj: Any
    score: float
    user: Any = None

    def _value(self, name: str, fallback):
        getter = self.source.options.get(name)
        if getter is not None:
            if self.source.staff:
                return getter(self.obj, self.user)
            return getter(self.obj)
        value = getattr(self.obj, f"search_{name}", None)
        return fallback() if value is None else value

    @property
    def title(self) -> str:
        return str(self._value("title", lambda: getattr(self.obj, "title", self.obj)))

    @property
    def url(self) -> str:
        return self._value("url", lambda: getattr(self.obj, "url", "") or "")

    @property
    def date(self) -> datetime.date | None:
        def page_date():
            published = getattr(self.obj, "first_published_at", None)
            return clock.local_date(published) if published else None

        value = self._value("date", page_date)
        if isinstance(value, datetime.datetime):
            return clock.local_date(value)
        return value

    @property
    def text(self) -> str:
        def page_text():
            return strip_tags(getattr(self.obj, "search_description", "") or "")

        return self._value("text", page_text) or ""


def _higher_is_better(backend) -> bool:
    # SQLite's bm25() is negative, best first in ascending order. (By name:
    # the SQLite module cannot be imported on other databases.)
    return not any(c.__name__ == "SQLiteSearchBackend" for c in type(backend).__mro__)


def _hits_for_source(
    backend, text: str, source: Source, args, operator: str = "and"
) -> list[tuple]:
    """(object, score) of the source's visible matches, best first.

    On the database backends the permission queryset goes into the search
    itself (one or two statements, whatever the number of hits). Where the
    backend cannot filter on the queryset's fields (Elasticsearch, filters
    that are not indexed) or the source has its own Elasticsearch document,
    the index proposes candidates over the whole model and the queryset
    decides which of them are visible.
    """
    query = build_query(text, operator)
    if query is None:
        return []
    document = source.options.get("document")
    scores = None
    if document is not None and documents.is_configured():
        # Elasticsearch down: the database index answers (search/fallback.py).
        scores = fallback.call_with_fallback(
            lambda: dict(documents.search_ids(document, text, MAX_CANDIDATES)),
            lambda: None,
            f"searching {source.key}",
        )
        if scores is None:
            backend = fallback.fallback_backend()
    sign = 1.0 if _higher_is_better(backend) else -1.0
    if scores is None:
        try:
            results = backend.search(query, source.queryset(*args))
        except FilterFieldError:
            results = None
        if results is not None:
            rows = results.annotate_score("_score")[:MAX_CANDIDATES]
            return [(obj, sign * float(obj._score or 0)) for obj in rows]
        results = backend.search(query, source.model._default_manager.only("pk"))
        rows = results.annotate_score("_score")[:MAX_CANDIDATES]
        scores = {obj.pk: sign * float(obj._score or 0) for obj in rows}
    if not scores:
        return []
    visible = source.queryset(*args).filter(pk__in=list(scores))
    return [(obj, scores[obj.pk]) for obj in visible]


def _words_match(
    groups: list[segment.QueryGroup], text: str, operator: str = "and"
) -> bool:
    tokens = set(segment.index_tokens(text))
    combine = any if operator == "or" else all
    return combine(
        any(all(word in tokens for word in alt) for alt in group.alternatives)
        for group in groups
    )


def uses_postings(backend, sources: list[Source]) -> bool:
    """Whether the postings answer (search/postings.py): the segmented
    PostgreSQL backend (which writes them) and sources it can serve. SQLite
    keeps its FTS5 path, which was the faster one there."""
    names = {c.__name__ for c in type(backend).__mro__}
    database = "SegmentedPostgresSearchBackend" in names
    return database and all(postings.applies_to(s) for s in sources)


def _load(rows, querysets: dict, user=None) -> list[Hit]:
    """The hits of ``rows`` ((source, pk, score), best first): one query per
    source among them, through the source's permission queryset."""
    wanted: dict[str, list] = defaultdict(list)
    for source, pk, _score in rows:
        wanted[source.key].append(pk)
    objects = {}
    site_root_paths = None
    for key, pks in wanted.items():
        for obj in querysets[key].filter(pk__in=pks):
            if isinstance(obj, Page):
                # A page's URL reads the sites' root paths from the cache
                # (one round trip per page); the page's copy is read first.
                if site_root_paths is None:
                    site_root_paths = Site.get_site_root_paths()
                obj._wagtail_cached_site_root_paths = site_root_paths
            objects[(key, obj.pk)] = obj
    return [
        Hit(source, objects[(source.key, pk)], score, user)
        for source, pk, score in rows
        if (source.key, pk) in objects
    ]


class RankedResults(Sequence):
    """The visible matches of a query, answered by the postings: counted per
    source and year in the statement that ranks them, and loaded only for
    the slice a paginator asks for (the page). A Sequence, so that Django's
    Paginator takes it as it is."""

    def __init__(self, text, sources, *args, key=None, year=None, user=None):
        self.text, self.sources, self.user = text, sources, user
        self.key, self.year = key, year
        self.querysets = {s.key: s.queryset(*args) for s in sources}
        self.ranked = postings.Ranked()
        self._window: tuple[int, int] | None = None
        self._hits: list[Hit] = []

    def prefetch(self, offset: int, limit: int) -> RankedResults:
        """Count, and load the hits of [offset, offset + limit): one
        statement, then one query per source on that page."""
        self.ranked = postings.ranked(
            self.text,
            self.sources,
            self.querysets,
            key=self.key,
            year=self.year,
            offset=offset,
            limit=limit,
        )
        self._window = (offset, offset + limit)
        self._hits = _load(self.ranked.rows, self.querysets, self.user)
        return self

    def __len__(self) -> int:
        return self.ranked.total(self.key, self.year)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        if self._window is not None and (start, stop) == (
            self._window[0],
            min(self._window[1], len(self)),
        ):
            return self._hits
        # Another page than the one prefetched (a page number past the last).
        ranked = postings.ranked(
            self.text,
            self.sources,
            self.querysets,
            key=self.key,
            year=self.year,
            offset=start,
            limit=max(stop - start, 0),
            counts=False,
        )
        return _load(ranked.rows, self.querysets, self.user)

    def total(self) -> int:
        """Every visible match, whatever the filters."""
        return self.ranked.total()

    def by_type(self) -> Counter:
        """Matches per source key, under the year filter."""
        counts: Counter = Counter()
        for (key, year), n in self.ranked.counts.items():
            if self.year is None or year == self.year:
                counts[key] += n
        return counts

    def years(self) -> list[tuple[int, int]]:
        """(year, matches) under the type filter, newest first."""
        counts: Counter = Counter()
        for (key, year), n in self.ranked.counts.items():
            if year is not None and self.key in (None, key):
                counts[year] += n
        return sorted(counts.items(), reverse=True)


def search(
    text: str,
    sources: list[Source],
    *args,
    backend=None,
    user=None,
    operator: str = "and",
) -> list[Hit]:
    """Every visible hit of every source, best first (at most
    ``MAX_CANDIDATES`` per source).

    ``args`` are passed to each source's queryset callable (the user, for
    staff sources). ``operator`` "or" finds what matches any word group of
    the query rather than every one (the API's ``search_operator``; a
    source's own Elasticsearch document always matches every word).
    Answered by the postings where they apply (one ranking statement, one
    load per source); otherwise two queries per source whatever the number
    of hits: the index lookup and the load (see ``_hits_for_source``).
    """
    if not segment.query_groups(text):
        return []
    backend = backend or get_search_backend()
    if uses_postings(backend, sources):
        querysets = {s.key: s.queryset(*args) for s in sources}
        ranked = postings.ranked(
            text,
            sources,
            querysets,
            limit=MAX_CANDIDATES * len(sources),
            counts=False,
            operator=operator,
        )
        return _load(ranked.rows, querysets, user)
    groups = segment.query_groups(text)
    hits: list[Hit] = []
    for source in sources:
        match_text = source.options.get("match_text")
        for obj, score in _hits_for_source(backend, text, source, args, operator):
            if match_text is not None and not _words_match(
                groups, match_text(obj, user), operator
            ):
                continue
            hits.append(Hit(source, obj, score, user))
    hits.sort(key=lambda hit: (-hit.score, hit.source.key, -hit.obj.pk))
    return hits


@dataclass
class PageHit:
    """A page among a query's public hits: its id, the score of its best
    hit, and what of it matched (the ``page_match`` of each hit on one of
    its parts, best first; empty when only the page itself matched)."""

    page_id: int
    score: float
    matches: list = field(default_factory=list)


def page_sources(all_sources: list[Source]) -> list[Source]:
    """The sources whose hits are pages or parts of one (``page_id``)."""
    return [
        s
        for s in all_sources
        if issubclass(s.model, Page) or s.options.get("page_id") is not None
    ]


def ranked_pages(text: str, operator: str = "and") -> list[PageHit]:
    """The pages the public search finds for ``text``, in its rank order:
    the hits of :func:`search` over the public page sources, a hit on a
    part of a page (a policy's article) counted as a hit on that page. A
    page appears once, where its best hit ranks.

    The public /search/ page's engine, segmentation and permission
    querysets, so the API shows what an anonymous visitor finds there; the
    same queries too (the ranking statement and one load per source with
    hits, whatever their number)."""
    pages: dict[int, PageHit] = {}
    for hit in search(text, page_sources(public_sources()), operator=operator):
        get_page_id = hit.source.options.get("page_id")
        page_id = hit.obj.pk if get_page_id is None else get_page_id(hit.obj)
        found = pages.get(page_id)
        if found is None:
            found = pages[page_id] = PageHit(page_id, hit.score)
        describe = hit.source.options.get("page_match")
        if get_page_id is not None and describe is not None:
            found.matches.append(describe(hit.obj))
    return list(pages.values())
