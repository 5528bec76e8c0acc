"""The second-factor steps in the Wagtail admin, as a viewset (registered by
``staffauth/wagtail_hooks.py`` through ``register_admin_viewset``), under
``/admin/second-factor/``:

- ``staffauth:verify`` (``""``): the second step of signing in;
- ``staffauth:enrol`` (``setup/``): setting up the authenticator;
- ``staffauth:reset`` (``reset/<user_id>/``): resetting another user's second
  factor, offered in the user listing (``staffauth.user_admin``).

No menu item: the sign-in leads to the first two, the user listing to the
third. The middleware lets the first two through before the second factor
is verified (``staffauth.middleware.OPEN_ADMIN_VIEWS``)."""

from django.urls import path
from wagtail.admin.viewsets.base import ViewSet

from staffauth import views


class SecondFactorViewSet(ViewSet):
    """The second-factor views of ``staffauth.views``; their permissions are
    checked in the views."""

    name = "staffauth"
    url_prefix = "second-factor"
    icon = "key"

    def get_urlpatterns(self):
        return [
            path("", views.verify, name="verify"),
            path("setup/", views.enrol, name="enrol"),
            path("reset/<int:user_id>/", views.reset, name="reset"),
        ]


second_factor_viewset = SecondFactorViewSet()
