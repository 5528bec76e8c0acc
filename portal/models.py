import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The public front page. Plugins add their own sections below it."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


#: The registry of the Party and government organ website mark
#: (党政机关网站标识): the mark links to the site's entry there, named by the
#: identifier the registry issued.
CONAC_REGISTRY_URL = "https://bszs.conac.cn/sitename?method=show&id={}"
#: Where an ICP filing number is looked up (工业和信息化部备案管理系统).
ICP_REGISTRY_URL = "https://beian.miit.gov.cn/"
#: Where a public security filing is looked up (全国互联网安全管理服务平台).
PUBLIC_SECURITY_REGISTRY_URL = (
    "https://www.beian.gov.cn/portal/registerSystemInfo?recordcode={}"
)
_RECORD_CODE_RE = re.compile(r"\d{10,}")


@register_setting(icon="site")
class GovernmentSiteSettings(BaseSiteSetting):
    """The identification a Chinese government website must show in its
    footer and page metadata (政府网站发展指引, 国办发〔2017〕47号). Editable,
    since each deployment has its own numbers."""

    site_name = models.CharField(
        _("website name"),
        max_length=100,
        blank=True,
        help_text=_("As registered; empty: the portal's own name."),
    )
    site_domain = models.CharField(
        _("website domain"),
        max_length=100,
        blank=True,
        help_text=_("e.g. www.licheng.gov.cn"),
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9.-]+$",
                _("Enter the domain name only, without http:// or a path."),
            )
        ],
    )
    host_unit = models.CharField(_("host unit"), max_length=100, blank=True)
    organizer_unit = models.CharField(_("organizer unit"), max_length=100, blank=True)
    website_code = models.CharField(
        _("government website identification code"), max_length=20, blank=True
    )
    icp_number = models.CharField(_("ICP filing number"), max_length=60, blank=True)
    public_security_number = models.CharField(
        _("public security filing number"),
        max_length=60,
        blank=True,
        help_text=_("e.g. 鲁公网安备 37011202000000号; it links to its record."),
    )
    conac_id = models.CharField(
        _("Party and government organ website mark identifier"),
        max_length=64,
        blank=True,
        help_text=_(
            "The identifier the mark's registry issued (bszs.conac.cn); "
            "the mark is shown once it is entered."
        ),
        validators=[
            RegexValidator(r"^[A-Za-z0-9]+$", _("Letters and digits only, as issued."))
        ],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("Six digits."))],
    )
    phone = models.CharField(_("contact phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.CharField(_("office hours"), max_length=100, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("site_name"),
                FieldPanel("site_domain"),
                FieldPanel("host_unit"),
                FieldPanel("organizer_unit"),
            ],
            heading=_("Units"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("website_code"),
                FieldPanel("icp_number"),
                FieldPanel("public_security_number"),
                FieldPanel("conac_id"),
            ],
            heading=_("Filing numbers and marks"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("postcode"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("office_hours"),
            ],
            heading=_("Contact"),
        ),
    ]

    class Meta:
        verbose_name = _("government website settings")

    @property
    def conac_url(self) -> str:
        """The mark's entry in its registry, or "" while no identifier is set."""
        return CONAC_REGISTRY_URL.format(self.conac_id) if self.conac_id else ""

    @property
    def icp_url(self) -> str:
        return ICP_REGISTRY_URL if self.icp_number else ""

    @property
    def public_security_url(self) -> str:
        """The filing's record (its digits, 鲁公网安备 37011202000000号 →
        recordcode=37011202000000), or "" when the number holds none."""
        match = _RECORD_CODE_RE.search(self.public_security_number)
        return PUBLIC_SECURITY_REGISTRY_URL.format(match.group()) if match else ""
