from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from staffauth import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("second-factor/", views.verify, name="staffauth_verify"),
        path("second-factor/setup/", views.enrol, name="staffauth_enrol"),
        path("second-factor/reset/<int:user_id>/", views.reset, name="staffauth_reset"),
    ]


@hooks.register("register_user_listing_buttons")
def reset_second_factor_button(user, request_user):
    """ "Reset second factor" in the user list's "more" menu, for those who
    may (staffauth.devices.resettable_users decides; the view checks again)."""
    if not request_user.has_perm("staffauth.reset_second_factor"):
        return []
    if user.pk == request_user.pk or (
        user.is_superuser and not request_user.is_superuser
    ):
        return []
    return [
        Button(
            _("Reset second factor"),
            reverse("staffauth_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )
    ]


@hooks.register("register_permissions")
def register_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="staffauth", codename="reset_second_factor"
    )


@hooks.register("register_demo_content", order=1000)
def demo_second_factor(home, stdout):
    """Every demo account (password = the published demo password) gets a
    confirmed authenticator with the published DEV-ONLY key. Runs last, after
    the plugins created their demo users; load_demo refuses to run with DEBUG
    off unless --allow-production is given."""
    from django.contrib.auth import get_user_model

    from portal.management.commands.load_demo import DEMO_ADMIN_PASSWORD
    from staffauth.devices import provision_demo_device

    given = []
    for user in get_user_model().objects.filter(is_active=True).order_by("username"):
        if user.check_password(DEMO_ADMIN_PASSWORD) and provision_demo_device(user):
            given.append(user.get_username())
    if given:
        stdout.write(
            "demo second factor (DEV ONLY key, see README 'Staff sign-in'; "
            "manage.py demo_otp_code <username>): " + ", ".join(given)
        )
