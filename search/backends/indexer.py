"""The index side of segmentation, shared by the database backends."""

from search import postings
from search.segment import index_text


class SegmentingIndexerMixin:
    """An ObjectIndexer whose text values are segmented (titles included)."""

    def prepare_value(self, value):
        if isinstance(value, (list, dict)):
            # The stock method joins the items, calling back here for each.
            return super().prepare_value(value)
        return index_text(super().prepare_value(value))


class PostingIndexMixin:
    """An index that writes the public search's postings (search/postings.py)
    with its entries, through the same segmenting indexer."""

    def _posting_alias(self):
        return self.write_connection.alias

    def write_postings(self, model, objs):
        """Called by the index's ``add_items`` once its entries are written."""
        if objs:
            prepare = self.indexer_class(objs[0], self.backend).prepare_value
            postings.write(model, objs, prepare, using=self._posting_alias())

    def delete_item(self, item):
        super().delete_item(item)
        postings.delete(item, using=self._posting_alias())

    def delete_stale_model_entries(self, model):
        super().delete_stale_model_entries(model)
        postings.delete_stale(model, using=self._posting_alias())

    def reset(self):
        super().reset()
        postings.reset(using=self._posting_alias())
