from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.hooks import FOOTER_LINKS, VIEW_COLUMNS
from portal.plugins import PUBLIC_URLS_HOOK
from search import contributions, views


@hooks.register(PUBLIC_URLS_HOOK)
def public_search_urls():
    return [path("search/", views.search, name="search")]


@hooks.register("register_admin_urls")
def staff_search_urls():
    return [path("search/staff/", views.staff_search, name="portal_search_staff")]


@hooks.register("register_admin_menu_item")
def staff_search_menu_item():
    return MenuItem(
        _("Staff search"),
        reverse("portal_search_staff"),
        icon_name="search",
        order=150,
        name="staff-search",
    )


# The portal's own pages (portal/hooks.py): the search page in the site map
# and its column name.
hooks.register(FOOTER_LINKS, contributions.footer_links)
hooks.register(VIEW_COLUMNS, contributions.view_columns)
