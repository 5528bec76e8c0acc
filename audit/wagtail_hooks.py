from wagtail import hooks
from wagtail.permissions import register_permission_policy

from audit.models import AuditEvent
from audit.permissions import AuditPermissionPolicy
from audit.viewsets import audit_viewset

register_permission_policy(AuditEvent, AuditPermissionPolicy(AuditEvent))


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return audit_viewset
