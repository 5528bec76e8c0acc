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
