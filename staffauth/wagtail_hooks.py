from wagtail import hooks

from portal.hooks import DEMO_CONTENT
from staffauth.demo import demo_second_factor
from staffauth.user_admin import reset_second_factor_button, second_factor_permissions
from staffauth.viewsets import second_factor_viewset


@hooks.register("register_admin_viewset")
def register_second_factor_viewset():
    return second_factor_viewset


hooks.register("register_user_listing_buttons", reset_second_factor_button)
hooks.register("register_permissions", second_factor_permissions)


hooks.register(DEMO_CONTENT, demo_second_factor, order=1000)
