"""The index side of segmentation, shared by the database backends."""

from search.segment import index_text


class SegmentingIndexerMixin:
    """An ObjectIndexer whose text values are segmented (titles included)."""

    def prepare_value(self, value):
        if isinstance(value, (list, dict)):
            # The stock method joins the items, calling back here for each.
            return super().prepare_value(value)
        return index_text(super().prepare_value(value))
