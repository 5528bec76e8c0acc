"""Who may read the audit log: superusers and the members of the groups the
plugins name through the ``register_audit_viewer_groups`` hook (the
supervision head), plus any a deployment adds in AUDIT_VIEWER_GROUPS. Nobody
may add, change or delete through the admin: rows are written only by the
application's own events."""

from django.conf import settings
from wagtail import hooks
from wagtail.permission_policies.base import BasePermissionPolicy

from portal.hooks import AUDIT_VIEWER_GROUPS


def audit_viewer_groups() -> list[str]:
    """The groups whose members read the audit log, besides superusers."""
    names = list(getattr(settings, "AUDIT_VIEWER_GROUPS", []))
    for fn in hooks.get_hooks(AUDIT_VIEWER_GROUPS):
        names.extend(name for name in fn() if name not in names)
    return names


def can_read_audit_log(user) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_audit_viewer", None)
    if cached is None:
        cached = user.groups.filter(name__in=audit_viewer_groups()).exists()
        user._audit_viewer = cached
    return cached


class AuditPermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and can_read_audit_log(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and can_read_audit_log(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        return users.filter(
            Q(is_superuser=True) | Q(groups__name__in=audit_viewer_groups())
        ).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])
