"""Wagtail hooks of the portal itself."""

from wagtail import hooks
from wagtail.api.v2.utils import get_restricted_collection_ids


@hooks.register("construct_document_chooser_queryset")
def hide_restricted_documents(documents, request):
    """The document chooser lists no document of a collection whose view
    restriction the user does not pass (their titles are private too)."""
    restricted = get_restricted_collection_ids(request)
    if restricted:
        documents = documents.exclude(collection__in=restricted)
    return documents
