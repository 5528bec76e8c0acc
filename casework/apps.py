from django.utils.translation import gettext_lazy as _

from portal.plugins import PortalPluginConfig


class CaseworkConfig(PortalPluginConfig):
    """Supervision cases through the six stages of Art. 14."""

    name = "casework"
    label = "casework"
    verbose_name = _("Casework")

    class PortalPluginMeta:
        description = _(
            "Supervision cases from filing to archive (Art. 13-21): deadlines, "
            "recusal, investigations, determinations, review and correction."
        )
        order = 10
