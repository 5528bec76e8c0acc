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


@register_setting(icon="site")
class GovernmentSiteSettings(BaseSiteSetting):
    """The identification a Chinese government website must show in its
    footer (政府网站发展指引, 国办发〔2017〕47号). Editable, since each deployment
    has its own numbers."""

    host_unit = models.CharField(_("host unit"), max_length=100, blank=True)
    organizer_unit = models.CharField(_("organizer unit"), max_length=100, blank=True)
    website_code = models.CharField(
        _("government website identification code"), max_length=20, blank=True
    )
    icp_number = models.CharField(_("ICP filing number"), max_length=60, blank=True)
    public_security_number = models.CharField(
        _("public security filing number"), max_length=60, blank=True
    )
    show_party_government_mark = models.BooleanField(
        _("show the Party and government organ website mark"), default=False
    )
    party_government_mark_url = models.URLField(
        _("Party and government organ mark link"), blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=60, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("host_unit"), FieldPanel("organizer_unit")],
            heading=_("Units"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("website_code"),
                FieldPanel("icp_number"),
                FieldPanel("public_security_number"),
                FieldPanel("show_party_government_mark"),
                FieldPanel("party_government_mark_url"),
            ],
            heading=_("Filing numbers and marks"),
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone")], heading=_("Contact")
        ),
    ]

    class Meta:
        verbose_name = _("government website settings")
