"""Segmented PostgreSQL backend, ``simple`` configuration by default
(imported only on PostgreSQL)."""

from django.contrib.postgres.search import SearchRank
from django.db.models import F
from django.db.models.sql.subqueries import InsertQuery
from django.utils.functional import cached_property
from modelsearch.backends.database.postgres import postgres
from modelsearch.index import SearchField
from modelsearch.query import Fuzzy, MatchAll, Not
from modelsearch.utils import get_content_type_pk

from search import postings
from search.backends.base import SegmentedQueryMixin
from search.backends.indexer import PostingIndexMixin, SegmentingIndexerMixin

DEFAULT_POSTGRES_CONFIG = "simple"


class SegmentingPostgresIndexer(SegmentingIndexerMixin, postgres.ObjectIndexer):
    @cached_property
    def body(self):
        # Every searchable field, the title included: a query whose words are
        # split between title and body then matches the body vector alone,
        # which its GIN index serves (the title vector still adds its boost
        # to the rank).
        texts = [
            (value, boost)
            for field in self.search_fields
            for current, boost, value in self.prepare_field(self.obj, field)
            if isinstance(current, SearchField)
        ]
        return self.as_vector(texts)


class SegmentedPostgresIndex(PostingIndexMixin, postgres.PostgresIndex):
    indexer_class = SegmentingPostgresIndexer

    def add_items(self, model, objs):
        # The stock method (one upsert for the batch) with the segmenting
        # indexer; it builds its indexer from a module global, so there is no
        # smaller seam to use.
        if not model.get_search_fields():
            return
        objs = list(objs)
        indexers = [self.indexer_class(obj, self.backend) for obj in objs]
        if not indexers:
            return
        entry = postgres.IndexEntry
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(entry).get_compiler(connection=self.write_connection)
        rows, params = [], []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(
                    entry._meta.get_field(name), getattr(indexer, name)
                )
                sql, value_params = value.as_sql(compiler, self.write_connection)
                vectors.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows.append(
                f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)"
            )
        table = entry._meta.db_table
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (content_type_id, object_id, title,"
                " autocomplete, body, title_norm, title_text, body_text)"
                f" (VALUES {', '.join(rows)})"
                " ON CONFLICT (content_type_id, object_id) DO UPDATE SET"
                " title = EXCLUDED.title, title_norm = 1.0,"
                " autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,"
                " title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                params,
            )
        self._refresh_title_norms()
        self.write_postings(model, objs)


class SegmentedPostgresQueryCompiler(postgres.PostgresSearchQueryCompiler):
    """Matched through the body's GIN index, ranked once per column.

    The stock compiler matches ``title || body`` (no index can serve that)
    and ranks every leaf of the query separately; a segmented query has many
    leaves (a word, its parts, its synonyms), so at 20,000 documents that
    took seconds. Here the body vector holds every field, title included
    (:class:`SegmentingPostgresIndexer`), so the whole query is one tsquery
    matched against one GIN-indexed column, and ranked once per column.
    """

    def check(self):
        # The queryset's filters become SQL around the match, so any filter
        # works (the permission querysets of the search sources among them);
        # only Elasticsearch needs them declared as FilterFields.
        return None

    def search(self, config, start, stop, score_field=None, backend=None):
        if self.fields is not None or isinstance(self.query, (MatchAll, Not, Fuzzy)):
            return super().search(config, start, stop, score_field, backend)
        tsquery = self.build_tsquery(self.query, config=config)
        queryset = self.queryset.filter(index_entries__body=tsquery)
        rank = SearchRank(
            F("index_entries__title"), tsquery, weights=self.sql_weights
        ) * F("index_entries__title_norm") + SearchRank(
            F("index_entries__body"), tsquery, weights=self.sql_weights
        )
        return self._apply_ordering_and_scoring(
            queryset, rank, start, stop, score_field
        )


class _RefreshPostingStatistics:
    """A full rebuild (``update_index``) ends with the postings' planner
    statistics and visibility map fresh (:func:`postings.refresh_statistics`)."""

    def finish(self):
        super().finish()
        postings.refresh_statistics(using=self.index.write_connection.alias)


class SegmentedPostgresRebuilder(
    _RefreshPostingStatistics, postgres.PostgresSearchRebuilder
):
    pass


class SegmentedPostgresAtomicRebuilder(
    _RefreshPostingStatistics, postgres.PostgresSearchAtomicRebuilder
):
    pass


class SegmentedPostgresSearchBackend(
    SegmentedQueryMixin, postgres.PostgresSearchBackend
):
    index_class = SegmentedPostgresIndex
    query_compiler_class = SegmentedPostgresQueryCompiler
    rebuilder_class = SegmentedPostgresRebuilder
    atomic_rebuilder_class = SegmentedPostgresAtomicRebuilder

    def __init__(self, params):
        params = {"SEARCH_CONFIG": DEFAULT_POSTGRES_CONFIG, **params}
        super().__init__(params)
