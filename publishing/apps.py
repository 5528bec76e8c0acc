from django.utils.translation import gettext_lazy as _

from portal.plugins import PortalPluginConfig


class PublishingConfig(PortalPluginConfig):
    """Public pages: policy text, interpretations, clarification notices."""

    name = "publishing"
    label = "publishing"
    verbose_name = _("Publishing")

    class PortalPluginMeta:
        description = _(
            "Policy documents, interpretations, anonymized clarification notices "
            "(Art. 22) and transparency statistics."
        )
        order = 20
        # ClarificationNoticePage.case is a foreign key to
        # casework.SupervisionCase; the statistics count casework's records.
        requires = ("casework",)
