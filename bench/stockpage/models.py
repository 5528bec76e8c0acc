"""A stock Wagtail page: a RichTextField and a plain template, nothing else.
The benchmark serves the measured notice and policy document as one of these
to see what the portal's page types cost beyond Wagtail itself."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class StockPage(Page):
    body = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    template = "stockpage/stock_page.html"
