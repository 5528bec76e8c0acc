"""What staffauth adds to Wagtail's user administration (hook-only features,
registered by ``staffauth/wagtail_hooks.py``): the "reset second factor"
button in the user listing and its permission in the group editor."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets.button import Button


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
            reverse("staffauth:reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )
    ]


def second_factor_permissions():
    """The permission to reset others' second factor, offered in the group
    editor (Wagtail's ``register_permissions`` hook)."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="staffauth", codename="reset_second_factor"
    )
