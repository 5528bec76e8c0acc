"""One way to send a private file (case files, generated documents, periodic
reports, report attachments): always as a download, never sniffed into
something a browser would run, never kept by a shared or browser cache."""

from __future__ import annotations

from django.http import FileResponse


def private_download(file_field, filename: str, content_type: str | None = None):
    """A FileResponse for a file only some users may have.

    ``Content-Disposition: attachment`` so the browser saves it rather than
    rendering it in the portal's origin; ``nosniff`` so a file claiming one
    type is not run as another; ``private, no-store`` so neither a proxy nor
    the browser's cache keeps a copy after the user signs out.
    """
    response = FileResponse(
        file_field.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``:
    every document goes through it and its collection view restrictions),
    with a document of a restricted collection marked ``private,
    no-store`` like the portal's other private files."""
    from wagtail.documents import get_document_model
    from wagtail.documents.views.serve import serve

    response = serve(request, document_id, document_filename)
    if response.status_code == 200:
        document = get_document_model().objects.select_related("collection")
        collection = document.get(pk=document_id).collection
        # The collection's own restrictions and its ancestors'.
        if collection.get_view_restrictions().exists():
            # Saved, never shown in the portal's origin (Wagtail shows PDFs
            # inline by default), and never cached.
            disposition = response.get("Content-Disposition", "")
            if disposition.startswith("inline"):
                response["Content-Disposition"] = "attachment" + disposition[6:]
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "private, no-store"
    return response


def document_urlpatterns():
    """wagtail.documents.urls with the serve view above."""
    from django.urls import re_path
    from wagtail.documents import urls as wagtaildocs_urls

    return [
        re_path(r"^(\d+)/(.*)$", serve_document, name="wagtaildocs_serve")
        if pattern.name == "wagtaildocs_serve"
        else pattern
        for pattern in wagtaildocs_urls.urlpatterns
    ]
