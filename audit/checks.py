"""System checks: the retention the issue requires cannot be configured away."""

from django.conf import settings
from django.core.checks import Error, register

from audit.database import MINIMUM_RETENTION_DAYS


@register()
def retention_check(app_configs, **kwargs):
    days = getattr(settings, "AUDIT_RETENTION_DAYS", None)
    if not isinstance(days, int) or days < MINIMUM_RETENTION_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS must be a whole number of days, at least "
                f"{MINIMUM_RETENTION_DAYS} (got {days!r}).",
                id="audit.E001",
            )
        ]
    return []
