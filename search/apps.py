from django.utils.translation import gettext_lazy as _

from portal.plugins import PortalPluginConfig


class SearchConfig(PortalPluginConfig):
    """Chinese full-text search: segmentation, backends, public and staff
    search pages. Plugins register what they make searchable."""

    name = "search"
    label = "portal_search"
    verbose_name = _("Search")

    class PortalPluginMeta:
        description = _(
            "Chinese full-text search (jieba segmentation) of the public site "
            "and, for staff, of cases and reports."
        )
        order = 30

    def ready(self):
        from search import documents

        documents.connect_signals()
