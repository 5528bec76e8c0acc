"""Wagtail hooks of the portal itself."""

from wagtail import hooks

from portal.admin_assets import platform_admin_css
from portal.admin_menu import (
    hide_help_menu_items,
    hide_main_menu_items,
    hide_reports_menu_items,
    hide_settings_menu_items,
    hide_unused_summary_items,
)
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


# --- The admin as the office's platform (issue #17) -------------------------------


hooks.register("construct_main_menu", hide_main_menu_items)
hooks.register("construct_settings_menu", hide_settings_menu_items)
hooks.register("construct_reports_menu", hide_reports_menu_items)
hooks.register("construct_help_menu", hide_help_menu_items)
hooks.register("construct_homepage_summary_items", hide_unused_summary_items, order=100)
hooks.register("insert_global_admin_css", platform_admin_css)
