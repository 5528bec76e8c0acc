"""Rebuild the public search's postings (search/postings.py) from the
indexed objects of the models they serve, leaving the index entries alone:
after upgrading to the release that added them, or to check they are
complete. ``update_index`` writes them too."""

from django.core.management.base import BaseCommand
from django.db import transaction
from modelsearch.index import get_indexed_models

from search import fallback, postings
from search.backends.indexer import PostingIndexMixin
from search.models import Posting


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=500)

    def handle(self, *args, chunk_size, **options):
        backend = fallback.fallback_backend()
        total = 0
        with transaction.atomic():
            postings.reset()
            for model in get_indexed_models():
                index = backend.get_index_for_model(model)
                if not isinstance(index, PostingIndexMixin) or not postings.serves(
                    model
                ):
                    continue
                queryset = model.get_indexed_objects().order_by("pk")
                done, last = 0, None
                while True:
                    page = queryset if last is None else queryset.filter(pk__gt=last)
                    chunk = list(page[:chunk_size])
                    if not chunk:
                        break
                    index.write_postings(model, chunk)
                    done += len(chunk)
                    last = chunk[-1].pk
                if done:
                    self.stdout.write(f"{model._meta.label}: {done}")
                total += done
        postings.refresh_statistics()
        self.stdout.write(f"{total} objects, {Posting.objects.count()} postings")
