"""The postings of the public search: one row per (word, object), with the
word's weight in the object and the object's year.

The database backends keep them beside Wagtail's index entries (every
``add_items``/``delete_item`` of :mod:`search.backends` writes both, see
:mod:`search.postings`). A query for a word reads that word's rows from one
B-tree index, already scored, on PostgreSQL and SQLite alike: no document
is decompressed or ranked at query time, and the counts per type and year
come from the same rows.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Longer words are not indexed (the tokenizer makes none this long).
MAX_TERM_LENGTH = 64


class Posting(models.Model):
    term = models.CharField(_("word"), max_length=MAX_TERM_LENGTH)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.BigIntegerField(_("object id"))
    weight = models.FloatField(_("weight"))
    year = models.SmallIntegerField(_("year"), null=True)

    class Meta:
        verbose_name = _("search posting")
        verbose_name_plural = _("search postings")
        constraints = [
            # Covers every query: the rows of a word, with all they carry,
            # come from the index alone (index-only scans).
            models.UniqueConstraint(
                fields=["term", "content_type", "object_id", "weight", "year"],
                name="search_posting_term_object",
            )
        ]
        indexes = [
            # Rewriting or deleting one object's postings.
            models.Index(
                fields=["content_type", "object_id"], name="search_posting_object"
            )
        ]

    def __str__(self):
        return f"{self.term} {self.content_type_id}:{self.object_id}"
