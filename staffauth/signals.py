"""Signal receivers, connected in StaffAuthConfig.ready()."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate

LAST_SEEN_SESSION_KEY = "staffauth_last_seen"


def stamp_sign_in(sender, request, user, **kwargs):
    """A fresh session starts its idle clock at sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_SESSION_KEY] = int(time.time())


def grant_reset_permission(sender, app_config=None, using="default", **kwargs):
    """Give the groups named in STAFF_OTP_RESET_GROUPS (the supervision head
    by default) the permission to reset another user's second factor. Runs
    after every migrate, once the groups exist; groups that do not exist are
    skipped."""
    if app_config is None or app_config.label != "staffauth":
        return
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    names = getattr(settings, "STAFF_OTP_RESET_GROUPS", [])
    if not names:
        return
    # Django creates permissions in its own post_migrate receiver, which may
    # run after this one; creating them here first is idempotent.
    create_permissions(app_config, verbosity=0, using=using)
    permission = (
        Permission.objects.using(using)
        .filter(content_type__app_label="staffauth", codename="reset_second_factor")
        .first()
    )
    if permission is None:
        return
    for group in Group.objects.using(using).filter(name__in=names):
        group.permissions.add(permission)


def connect():
    user_logged_in.connect(stamp_sign_in, dispatch_uid="staffauth.stamp_sign_in")
    post_migrate.connect(
        grant_reset_permission, dispatch_uid="staffauth.grant_reset_permission"
    )
