"""Wagtail's Elasticsearch 8 backend with Chinese segmentation.

Configure with ``{"BACKEND": "search.backends.elasticsearch", "URLS": [...]}``
(the settings do so when ``ELASTICSEARCH_URL`` is set). Text is segmented by
:mod:`search.segment` before it is sent, exactly as for the database backend,
and analysed by Elasticsearch's built-in ``cjk`` analyzer (no plugin): the
segmented words arrive separated by spaces, so the analyzer's bigrams never
cross a word boundary, and a query segmented the same way meets the same
terms. Autocomplete prefixes are cut from the segmented words.
"""

from modelsearch.backends.base import EmptySearchResults
from modelsearch.backends.elasticsearch8 import (
    Elasticsearch8AutocompleteQueryCompiler,
    Elasticsearch8Index,
    Elasticsearch8Mapping,
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchQueryCompiler,
    Elasticsearch8SearchResults,
)
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import PlainText
from modelsearch.utils import deep_update

from search.backends.base import SegmentedQueryMixin
from search.fallback import FallbackResultsMixin
from search.segment import index_text, index_tokens

#: Analysis settings merged into Wagtail's: ``cjk`` is the default analyzer of
#: every text field, and autocomplete edge n-grams start at word boundaries.
CJK_ANALYSIS = {
    "settings": {
        "analysis": {
            "analyzer": {
                "default": {"type": "cjk"},
                "edgengram_analyzer": {
                    "type": "custom",
                    "tokenizer": "whitespace",
                    "filter": ["cjk_width", "lowercase", "edgengram"],
                },
            },
        }
    }
}


def _segment(value):
    if isinstance(value, str):
        return index_text(value)
    if isinstance(value, (list, tuple)):
        return [_segment(item) for item in value]
    return value


class SegmentedMapping(Elasticsearch8Mapping):
    edgengram_analyzer_config = {
        "analyzer": "edgengram_analyzer",
        "search_analyzer": "cjk",
    }

    def _get_document_field_data(self, field, obj):
        name, value, edgengrams = super()._get_document_field_data(field, obj)
        if isinstance(field, (SearchField, AutocompleteField)):
            value = _segment(value)
            edgengrams = [_segment(v) for v in edgengrams]
        return name, value, edgengrams


class SegmentedIndex(Elasticsearch8Index):
    pass


class SegmentedQueryCompiler(Elasticsearch8SearchQueryCompiler):
    mapping_class = SegmentedMapping


class SegmentedAutocompleteQueryCompiler(Elasticsearch8AutocompleteQueryCompiler):
    mapping_class = SegmentedMapping


class FallbackSearchResults(FallbackResultsMixin, Elasticsearch8SearchResults):
    """Answered by the database index while Elasticsearch is down
    (search/fallback.py)."""


class SegmentedElasticsearchBackend(SegmentedQueryMixin, Elasticsearch8SearchBackend):
    mapping_class = SegmentedMapping
    index_class = SegmentedIndex
    query_compiler_class = SegmentedQueryCompiler
    autocomplete_query_compiler_class = SegmentedAutocompleteQueryCompiler
    results_class = FallbackSearchResults

    def __init__(self, params):
        super().__init__(params)
        self.settings = deep_update(self.settings, CJK_ANALYSIS)

    def autocomplete(self, query, model_or_queryset, **kwargs):
        """Wagtail's Elasticsearch autocomplete takes plain text only, not
        the Or/And tree segmentation builds (synonyms): the words are sent as
        one plain text, all of them required (the admin's search boxes)."""
        if isinstance(query, str):
            words = index_tokens(query)
            if not words:
                return EmptySearchResults()
            query = PlainText(" ".join(words), operator="and")
        return super().autocomplete(query, model_or_queryset, **kwargs)

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if query_compiler_class is self.autocomplete_query_compiler_class:
            # Already flattened by autocomplete(): not segmented again.
            return Elasticsearch8SearchBackend._search(
                self, query_compiler_class, query, model_or_queryset, **kwargs
            )
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


SearchBackend = SegmentedElasticsearchBackend
