"""Wagtail's database search backend with Chinese word segmentation.

Configure with ``{"BACKEND": "search.backends.database"}``. Like Wagtail's own
``wagtail.search.backends.database`` it picks the implementation for the
default database (SQLite FTS5, PostgreSQL); on PostgreSQL the text-search
configuration defaults to ``simple``, so segmented words are not stemmed as
English. Only two things differ from the stock backend: every value is
segmented before it is written to the index (:class:`SegmentingIndexerMixin`)
and every query before it is compiled (:class:`SegmentedQueryMixin`).
"""

from django.db import connection
from modelsearch.backends.database import SearchBackend as stock_backend_factory


# Wagtail looks the factory up by this name.
def SearchBackend(params):
    """The segmented backend for the default database's vendor."""
    if connection.vendor == "postgresql":
        from search.backends.database_postgres import SegmentedPostgresSearchBackend

        return SegmentedPostgresSearchBackend(params)
    backend = stock_backend_factory(params)
    if type(backend).__name__ == "SQLiteSearchBackend":
        from search.backends.database_sqlite import SegmentedSQLiteSearchBackend

        return SegmentedSQLiteSearchBackend(params)
    # Without FTS5 (or on MySQL) the stock backend matches substrings, which
    # finds Chinese words without segmentation.
    return backend
