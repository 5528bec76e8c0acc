from django.utils.translation import gettext_lazy as _

from portal.plugins import PortalPluginConfig


class SearchConfig(PortalPluginConfig):
    """Full-text search over the public site."""

    name = "search"
    label = "portal_search"
    verbose_name = _("Search")

    class PortalPluginMeta:
        description = _("Full-text search of the public site.")
        order = 30
