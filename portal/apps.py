from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The project itself: settings, plugin registry, home page, site settings."""

    name = "portal"
    label = "portal"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import checks, pagecache  # noqa: F401 (checks register)

        pagecache.connect_signals()

        from portal import sanitize

        sanitize.connect()

        from portal import exports

        exports.install()

        from django.contrib.auth.signals import user_logged_in

        from portal.admin_language import drop_unoffered_admin_language

        user_logged_in.connect(
            drop_unoffered_admin_language, dispatch_uid="portal_admin_language"
        )
