"""Wagtail hooks of the portal itself."""

from wagtail import hooks

from portal.admin_visibility import visible_documents, visible_pages


@hooks.register("construct_document_chooser_queryset")
def hide_restricted_documents(documents, request):
    """The document chooser lists no document of a collection whose view
    restriction the user does not pass (their titles are private too); the
    same rule as the bulk actions (portal/admin_visibility.py)."""
    return visible_documents(documents, request)


@hooks.register("construct_page_chooser_queryset")
def hide_draft_pages(pages, request):
    """The page chooser (browse and search) lists draft and view-restricted
    pages only to users with a page permission over them."""
    return visible_pages(pages, request)
