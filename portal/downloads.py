"""One way to send a private file (case files, generated documents, periodic
reports, report attachments): always as a download, never sniffed into
something a browser would run, never kept by a shared or browser cache.

And one way to name any download the site produces (these files, the
spreadsheet exports of portal.exports, the public statistics CSV):
:func:`content_disposition` gives the Chinese name as RFC 5987
``filename*=UTF-8''…`` with a plain ASCII ``filename="…"`` in front for
clients that do not read the extended form (RFC 6266 section 4.3)."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import FileResponse

_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_filename(filename: str, default: str = "download") -> str:
    """A plain-ASCII stand-in for ``filename``: letters, digits, dot, dash
    and underscore kept, every other run of characters one dash, the
    extension kept (``2026年第4季度报告.docx`` → ``2026-4.docx``)."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    stem = _NOT_ASCII_NAME.sub("-", stem).strip("-._") or default
    extension = _NOT_ASCII_NAME.sub("", extension)
    return f"{stem}.{extension}" if extension else stem


def content_disposition(
    filename: str, fallback: str | None = None, disposition: str = "attachment"
) -> str:
    """``attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded>``.

    ``fallback`` is the ASCII name old clients save under (derived from
    ``filename`` by :func:`ascii_filename` when not given); every browser in
    use today takes the extended, Chinese one."""
    fallback = ascii_filename(fallback or filename)
    # Only the unreserved characters of RFC 5987's attr-char stay literal.
    encoded = quote(filename, safe="!#$&+-.^_`|~")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def private_download(
    file_field,
    filename: str,
    content_type: str | None = None,
    fallback: str | None = None,
):
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
    response["Content-Disposition"] = content_disposition(filename, fallback)
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
        documents = get_document_model().objects.select_related("collection")
        document = documents.get(pk=document_id)
        disposition = response.get("Content-Disposition", "")
        kind = "inline" if disposition.startswith("inline") else "attachment"
        # The collection's own restrictions and its ancestors'.
        if document.collection.get_view_restrictions().exists():
            # Saved, never shown in the portal's origin (Wagtail shows PDFs
            # inline by default), and never cached.
            kind = "attachment"
            response["X-Content-Type-Options"] = "nosniff"
            response["Cache-Control"] = "private, no-store"
        if disposition:
            # A Chinese file name with the ASCII fallback, like every download.
            response["Content-Disposition"] = content_disposition(
                document.filename, disposition=kind
            )
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
