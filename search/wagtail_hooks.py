from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.plugins import PUBLIC_URLS_HOOK
from search import views


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
