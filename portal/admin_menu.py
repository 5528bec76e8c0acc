"""The admin menus and dashboard counts show only what the office uses
(issue #17): the items named in ``settings.PORTAL_ADMIN_HIDDEN_MENU_ITEMS``
(``fnmatch`` patterns per menu) are left out of the main, settings, reports
and help menus, and the dashboard does not count what those menus hide.
Registered on Wagtail's ``construct_*_menu`` and
``construct_homepage_summary_items`` hooks by ``portal/wagtail_hooks.py``."""

from fnmatch import fnmatchcase

from django.conf import settings


def is_hidden(menu: str, name: str) -> bool:
    """Whether the item ``name`` of ``menu`` ("main", "settings", "reports",
    "help") is hidden by ``PORTAL_ADMIN_HIDDEN_MENU_ITEMS``."""
    patterns = settings.PORTAL_ADMIN_HIDDEN_MENU_ITEMS.get(menu, ())
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def hide_menu_items(menu: str):
    """A ``construct_<menu>_menu`` hook function that drops ``menu``'s hidden
    items."""

    def hide(request, menu_items):
        menu_items[:] = [item for item in menu_items if not is_hidden(menu, item.name)]

    return hide


hide_main_menu_items = hide_menu_items("main")
hide_settings_menu_items = hide_menu_items("settings")
hide_reports_menu_items = hide_menu_items("reports")
hide_help_menu_items = hide_menu_items("help")


def hide_unused_summary_items(request, items):
    """The dashboard counts only what the menu shows: no "0 张图片 / 0 个文档"
    when images and documents are hidden (after Wagtail's own hooks)."""
    from wagtail.documents.wagtail_hooks import DocumentsSummaryItem
    from wagtail.images.wagtail_hooks import ImagesSummaryItem

    hidden = {
        ImagesSummaryItem: is_hidden("main", "images"),
        DocumentsSummaryItem: is_hidden("main", "documents"),
    }
    items[:] = [item for item in items if not hidden.get(type(item), False)]
