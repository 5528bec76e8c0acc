from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffAuthConfig(AppConfig):
    """Second factor, lockout and idle timeout for staff sign-in."""

    name = "staffauth"
    label = "staffauth"
    verbose_name = _("Staff sign-in")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from staffauth import signals

        signals.connect()
