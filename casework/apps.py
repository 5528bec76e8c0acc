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

    def ready(self):
        # Registers the system check that every configured office rule is
        # described (casework.office_rules).
        from casework import office_rules  # noqa: F401

        # Connects the receivers that keep each case's stored dues current
        # whatever path a write takes (casework.services.time_limits).
        from casework.services import time_limits  # noqa: F401
