"""The staff search in the Wagtail admin, as a viewset (registered by
``search/wagtail_hooks.py`` through ``register_admin_viewset``): one view at
``/admin/search/staff/``, named ``staff_search:index``, and its main-menu item.

Everyone who reaches the admin gets the menu item: the view searches each
source through its permission queryset, so it shows each user only what
they may see (a user who may see nothing finds nothing)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from search import views


class StaffSearchViewSet(ViewSet):
    """Search over cases and reports, for staff (``search.views.staff_search``)."""

    name = "staff_search"
    url_prefix = "search/staff"
    icon = "search"
    menu_label = _("Staff search")
    menu_name = "staff-search"
    menu_order = 150
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [path("", views.staff_search, name="index")]


staff_search_viewset = StaffSearchViewSet()
