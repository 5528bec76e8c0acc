"""Wagtail hooks of the portal itself."""

from fnmatch import fnmatchcase

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.html import format_html
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


# --- The admin as the office's platform (issue #17) -------------------------------


def _hidden(menu: str, name: str) -> bool:
    patterns = settings.PORTAL_ADMIN_HIDDEN_MENU_ITEMS.get(menu, ())
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def _hide_menu_items(menu: str):
    def hide(request, menu_items):
        menu_items[:] = [item for item in menu_items if not _hidden(menu, item.name)]

    return hide


hooks.register("construct_main_menu", _hide_menu_items("main"))
hooks.register("construct_settings_menu", _hide_menu_items("settings"))
hooks.register("construct_reports_menu", _hide_menu_items("reports"))
hooks.register("construct_help_menu", _hide_menu_items("help"))


@hooks.register("construct_homepage_summary_items", order=100)
def hide_unused_summary_items(request, items):
    """The dashboard counts only what the menu shows: no "0 张图片 / 0 个文档"
    when images and documents are hidden (after Wagtail's own hooks)."""
    from wagtail.documents.wagtail_hooks import DocumentsSummaryItem
    from wagtail.images.wagtail_hooks import ImagesSummaryItem

    hidden = {
        ImagesSummaryItem: _hidden("main", "images"),
        DocumentsSummaryItem: _hidden("main", "documents"),
    }
    items[:] = [item for item in items if not hidden.get(type(item), False)]


@hooks.register("insert_global_admin_css")
def platform_admin_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("portal/admin-platform.css")
    )


@receiver(user_logged_in)
def drop_unoffered_admin_language(sender, request, user, **kwargs):
    """A preference stored for a language the admin no longer offers
    (WAGTAILADMIN_PERMITTED_LANGUAGES is Chinese only) falls back to the
    server's language: Wagtail would otherwise still apply it."""
    from wagtail.admin.localization import get_available_admin_languages
    from wagtail.users.models import UserProfile

    offered = {code for code, _name in get_available_admin_languages()}
    UserProfile.objects.filter(user=user).exclude(preferred_language="").exclude(
        preferred_language__in=offered
    ).update(preferred_language="")
