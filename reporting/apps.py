from django.utils.translation import gettext_lazy as _

from portal.plugins import PortalPluginConfig


class ReportingConfig(PortalPluginConfig):
    """The public reporting channel (信访举报) and its staff inbox (Art. 22)."""

    name = "reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    class PortalPluginMeta:
        description = _(
            "Reports from the public with receipt codes, status and feedback to "
            "the reporter, and the staff inbox that triages them (Art. 22)."
        )
        order = 15
        # Report.case is a foreign key to casework.SupervisionCase, and the
        # inbox files cases through casework's services.
        requires = ("casework",)
