"""Segmented SQLite FTS5 backend (imported only on SQLite: the FTS model
exists only there)."""

from django.db.models import TextField
from django.db.models.functions import Cast
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from search.backends.base import SegmentedQueryMixin
from search.backends.indexer import SegmentingIndexerMixin


class SegmentingSQLiteIndexer(SegmentingIndexerMixin, sqlite.ObjectIndexer):
    pass


class SegmentedSQLiteIndex(sqlite.SQLiteIndex):
    # No postings here: on SQLite the FTS5 path below answers faster (measured
    # on the 100k bench: median 387 ms against 952 ms through the postings).

    indexer_class = SegmentingSQLiteIndexer

    def add_items(self, model, objs):
        # The stock method with the segmenting indexer; it builds its indexer
        # from a module global, so there is no smaller seam to use.
        if not model.get_search_fields():
            return
        objs = list(objs)
        indexers = [self.indexer_class(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {i.id: (i.title, i.autocomplete, i.body) for i in indexers}
        entries_for_ct = self.entries.filter(content_type_id=content_type_pk)
        indexed_ids = frozenset(
            entries_for_ct.filter(object_id__in=data.keys()).values_list(
                "object_id", flat=True
            )
        )
        for object_id in indexed_ids:
            title, autocomplete, body = data[object_id]
            entries_for_ct.filter(object_id=object_id).update(
                title=title, autocomplete=autocomplete, body=body
            )
        self.entries.bulk_create(
            [
                sqlite.IndexEntry(
                    content_type_id=content_type_pk,
                    object_id=object_id,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                )
                for object_id, (title, autocomplete, body) in data.items()
                if object_id not in indexed_ids
            ]
        )
        self._refresh_title_norms()


class SegmentedSQLiteQueryCompiler(sqlite.SQLiteSearchQueryCompiler):
    """Ranked in the FTS table, then joined to the model.

    The stock compiler annotates each matching object with a correlated
    subquery that runs the FTS match again, once per row: a common word
    (thousands of matches) took a second. Here one statement matches, ranks
    and limits in the index, restricted to the ids of the caller's queryset
    (so its filters and permissions apply), and a second loads that page of
    objects.
    """

    def check(self):
        # The queryset's filters become SQL around the match, so any filter
        # works (the permission querysets of the search sources among them);
        # only Elasticsearch needs them declared as FilterFields.
        return None

    def _fast(self):
        return self.order_by_relevance and self.fields is None

    def _ranked(self, config):
        query = sqlite.normalize(self.query)
        if isinstance(query, (MatchAll, Not)):
            return None
        match = sqlite.MatchExpression(
            self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config)
        )
        allowed = (
            self.queryset.order_by()
            .annotate(_pk_text=Cast("pk", TextField()))
            .values("_pk_text")
        )
        content_types = get_descendants_content_types_pks(self.queryset.model)
        matches = sqlite.SQLiteFTSIndexEntry.objects.filter(match).filter(
            index_entry__content_type__in=content_types,
            index_entry__object_id__in=allowed,
        )
        rank = self._build_rank_expression(self.get_search_vectors(), config)
        return matches.annotate(score=rank)

    def search(self, config, start, stop, score_field=None):
        ranked = self._ranked(config) if self._fast() else None
        if ranked is None:
            return super().search(config, start, stop, score_field)
        rows = list(
            ranked.order_by("score", "-index_entry__object_id").values_list(
                "index_entry__object_id", "score"
            )[start:stop]
        )
        if not rows:
            return []
        objects = {
            str(obj.pk): obj
            for obj in self.queryset.filter(pk__in=[object_id for object_id, _ in rows])
        }
        results = []
        for object_id, score in rows:
            obj = objects.get(object_id)
            if obj is None:
                continue
            if score_field is not None:
                setattr(obj, score_field, score)
            results.append(obj)
        return results

    def count(self, config):
        ranked = self._ranked(config) if self._fast() else None
        if ranked is None:
            return None
        # Ordered by score, SQLite drives the statement from the FTS match;
        # a bare COUNT lets it run the match once per index entry instead.
        return len(
            ranked.order_by("score").values_list("index_entry__object_id", flat=True)
        )


class SegmentedSQLiteSearchResults(sqlite.SQLiteSearchResults):
    def _do_count(self):
        count = self.query_compiler.count(self.query_compiler.get_config(self.backend))
        return super()._do_count() if count is None else count


class SegmentedSQLiteAutocompleteQueryCompiler(sqlite.SQLiteAutocompleteQueryCompiler):
    def count(self, config):
        return None


class SegmentedSQLiteSearchBackend(SegmentedQueryMixin, sqlite.SQLiteSearchBackend):
    index_class = SegmentedSQLiteIndex
    query_compiler_class = SegmentedSQLiteQueryCompiler
    autocomplete_query_compiler_class = SegmentedSQLiteAutocompleteQueryCompiler
    results_class = SegmentedSQLiteSearchResults
