"""Elasticsearch documents (``elasticsearch.dsl``) that plugins register.

Wagtail's backend indexes every ``index.Indexed`` model; a plugin that wants
its own index (its own mapping, fields kept as keywords for aggregations…)
defines an ``elasticsearch.dsl`` Document and returns it from the
``register_search_documents`` hook. The Document class provides:

- ``model``: the Django model it mirrors;
- ``from_object(obj)``: the document for one object (text segmented with
  :func:`search.segment.index_text`, analysed by the ``cjk`` analyzer);
- ``get_queryset()``: the objects to index (bulk reindex);
- ``text_fields``: the fields a query searches.

This module manages them: index names under ``ELASTICSEARCH_INDEX``, index
creation, bulk reindex, updates on save (through django-q2) and the query
built from user input with the same segmentation as everywhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django_tasks import task
from elasticsearch.dsl import Q, connections
from elasticsearch.helpers import bulk
from wagtail import hooks

from portal.hooks import SEARCH_DOCUMENTS
from search import segment

CONNECTION_ALIAS = "portal"
BULK_CHUNK = 500

logger = logging.getLogger(__name__)


def is_configured() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def index_name(base: str) -> str:
    """``cases`` -> ``portal-cases`` (the deployment's ELASTICSEARCH_INDEX)."""
    return f"{getattr(settings, 'ELASTICSEARCH_INDEX', 'portal')}-{base}"


def get_connection():
    """The client for ELASTICSEARCH_URL, created on first use."""
    try:
        return connections.get_connection(CONNECTION_ALIAS)
    except KeyError:
        return connections.create_connection(
            alias=CONNECTION_ALIAS,
            hosts=[settings.ELASTICSEARCH_URL],
            request_timeout=5,
        )


def registered_documents() -> list[type]:
    documents: list[type] = []
    for fn in hooks.get_hooks(SEARCH_DOCUMENTS):
        for document in fn():
            if document not in documents:
                documents.append(document)
    return documents


def document_for_label(label: str):
    for document in registered_documents():
        if document.model._meta.label_lower == label.lower():
            return document
    return None


def build_query(text: str, fields: Iterable[str]):
    """The Elasticsearch query for user input, or None when no word is left.

    Every word group must match (``bool.must``); a group matches when all the
    words of one of its alternatives are found in the fields (``should`` of
    ``multi_match`` with operator ``and``).
    """
    fields = list(fields)
    musts = []
    for group in segment.query_groups(text):
        options = [
            Q("multi_match", query=" ".join(words), fields=fields, operator="and")
            for words in group.alternatives
        ]
        musts.append(
            options[0]
            if len(options) == 1
            else Q("bool", should=options, minimum_should_match=1)
        )
    if not musts:
        return None
    return Q("bool", must=musts)


def search_ids(document, text: str, limit: int = 200) -> list[tuple[int, float]]:
    """(pk, score) of the best matches of a document index, best first."""
    query = build_query(text, document.text_fields)
    if query is None:
        return []
    response = (
        document.search(using=get_connection())
        .query(query)
        .source(False)[:limit]
        .execute()
    )
    return [(int(hit.meta.id), float(hit.meta.score or 0)) for hit in response]


def create_index(document) -> None:
    document.init(using=get_connection())


def delete_index(document) -> None:
    document._index.delete(using=get_connection(), ignore_unavailable=True)


def bulk_actions(document, objects) -> Iterable[dict]:
    for obj in objects:
        yield document.from_object(obj).to_dict(include_meta=True)


def rebuild(document, stdout=None) -> int:
    """Recreate a document's index and load every object, in chunks."""
    delete_index(document)
    create_index(document)
    queryset = document.get_queryset()
    total = queryset.count()
    done = 0
    connection = get_connection()
    for start in range(0, total, BULK_CHUNK):
        chunk = list(queryset[start : start + BULK_CHUNK])
        bulk(connection, bulk_actions(document, chunk), refresh=False)
        done += len(chunk)
        if stdout is not None:
            stdout.write(f"  {document.model._meta.label}: {done}/{total}")
    document._index.refresh(using=connection)
    return done


@task()
def update_documents_task(label: str, pks: list) -> int:
    """Bring a document index up to date for these objects (django-q2)."""
    document = document_for_label(label)
    if document is None or not is_configured():
        return 0
    objects = list(document.get_queryset().filter(pk__in=pks))
    found = {obj.pk for obj in objects}
    connection = get_connection()
    actions = list(bulk_actions(document, objects))
    actions += [
        {"_op_type": "delete", "_index": document._index._name, "_id": pk}
        for pk in pks
        if pk not in found
    ]
    if actions:
        bulk(connection, actions, raise_on_error=False)
    return len(actions)


def _on_change(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    for document in registered_documents():
        if isinstance(instance, document.model):
            update_documents_task.enqueue(
                document.model._meta.label_lower, [instance.pk]
            )


def connect_signals() -> None:
    """Keep registered document indexes current (only with Elasticsearch)."""
    if not is_configured():
        return
    post_save.connect(_on_change, dispatch_uid="portal_search_documents_save")
    post_delete.connect(_on_change, dispatch_uid="portal_search_documents_delete")
