"""What every segmented backend shares: the query side of segmentation."""

from wagtail.search.backends.base import EmptySearchResults

from search.query import segment_query


class SegmentedQueryMixin:
    """Segments every query (``search()``, ``autocomplete()``, the API's
    ``?search=``, the admin's search boxes) before the backend compiles it."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        query = segment_query(query, kwargs.get("operator"))
        if query is None:
            return EmptySearchResults()
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)
