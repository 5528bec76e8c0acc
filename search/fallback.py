"""Searching on when Elasticsearch is down.

With ``ELASTICSEARCH_URL`` set, the settings configure a second backend,
``"database"`` (the segmented database backend), which Wagtail keeps current
on every save like the first (``AUTO_UPDATE``). When Elasticsearch cannot
answer a query, :class:`FallbackSearchResults` answers it from that database
index instead: the public /search/, the staff search, the API's ``?search=``
and the admin's search boxes keep working, with the database backend's
ranking. A warning is logged once a minute per process, and Elasticsearch is
left alone for ``RETRY_SECONDS`` after a failure, so that every query does
not wait for a connection timeout.
"""

from __future__ import annotations

import logging
import threading
import time

from elastic_transport import TransportError
from elasticsearch import ApiError

from portal.health import classify

logger = logging.getLogger(__name__)

#: The name of the database backend in WAGTAILSEARCH_BACKENDS.
FALLBACK_BACKEND = "database"
#: Errors that mean "Elasticsearch cannot answer": refused, timed out, an
#: index missing or the cluster failing (ApiError covers 4xx/5xx answers).
UNAVAILABLE = (TransportError, ApiError, ConnectionError, OSError)
RETRY_SECONDS = 15.0
LOG_SECONDS = 60.0


class _State:
    def __init__(self):
        self.lock = threading.Lock()
        self.down_until: float | None = None
        self.last_log = float("-inf")

    def available(self) -> bool:
        down_until = self.down_until
        return down_until is None or time.monotonic() >= down_until

    def failed(self, exc: BaseException, what: str) -> None:
        code, _reason = classify(exc)
        with self.lock:
            now = time.monotonic()
            self.down_until = now + RETRY_SECONDS
            should_log = now - self.last_log >= LOG_SECONDS
            if should_log:
                self.last_log = now
        if should_log:
            logger.warning(
                "Elasticsearch unavailable (%s): %s from the database index",
                code,
                what,
            )

    def succeeded(self) -> None:
        if self.down_until is not None:
            with self.lock:
                self.down_until = None
            logger.warning("Elasticsearch answers again")

    def reset(self) -> None:
        with self.lock:
            self.down_until = None
            self.last_log = float("-inf")


state = _State()


def fallback_backend():
    """The database backend that mirrors the Elasticsearch index."""
    from wagtail.search.backends import InvalidSearchBackendError, get_search_backend

    try:
        return get_search_backend(FALLBACK_BACKEND)
    except InvalidSearchBackendError:
        # Not configured (an older settings file): the database backend
        # without a maintained index still answers, if emptier.
        return get_search_backend("search.backends.database")


def call_with_fallback(primary, fallback, what: str):
    """``primary()``, or ``fallback()`` when Elasticsearch cannot answer."""
    if state.available():
        try:
            result = primary()
        except UNAVAILABLE as exc:
            state.failed(exc, what)
        else:
            state.succeeded()
            return result
    return fallback()


def _lower_is_better(backend) -> bool:
    return any(c.__name__ == "SQLiteSearchBackend" for c in type(backend).__mro__)


class FallbackResultsMixin:
    """Search results that ask the database backend when Elasticsearch
    fails (mixed into the Elasticsearch results class)."""

    def _database_results(self, backend=None):
        compiler = self.query_compiler
        backend = backend or fallback_backend()
        method = (
            backend.autocomplete
            if "Autocomplete" in type(compiler).__name__
            else backend.search
        )
        results = method(
            compiler.query,
            compiler.queryset,
            fields=compiler.fields,
            order_by_relevance=compiler.order_by_relevance,
        )
        results = results[self.start : self.stop]
        if self._score_field:
            results = results.annotate_score(self._score_field)
        return results

    def _database_rows(self):
        backend = fallback_backend()
        rows = list(self._database_results(backend))
        if self._score_field and _lower_is_better(backend):
            # Callers of an Elasticsearch backend sort by score descending;
            # SQLite's bm25() is best when lowest.
            for row in rows:
                score = getattr(row, self._score_field, None)
                setattr(row, self._score_field, -(score or 0))
        return rows

    def _do_search(self):
        return call_with_fallback(
            lambda: list(super(FallbackResultsMixin, self)._do_search()),
            self._database_rows,
            "searching",
        )

    def facet(self, field_name):
        return call_with_fallback(
            lambda: super(FallbackResultsMixin, self).facet(field_name),
            lambda: self._database_results().facet(field_name),
            "faceting",
        )

    def _do_count(self):
        return call_with_fallback(
            lambda: super(FallbackResultsMixin, self)._do_count(),
            lambda: self._database_results().count(),
            "counting",
        )
