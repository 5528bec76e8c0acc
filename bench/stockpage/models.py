"""Stock Wagtail baselines for the benchmark.

- ``StockPage``: a RichTextField and a plain template, nothing else. The
  benchmark serves the measured home page, notice and policy document as one
  of these to see what the portal's page types cost beyond Wagtail itself.
- ``StockRecord``: a plain model listed by a stock ``ModelViewSet``
  (wagtail_hooks), as many rows as the bench has cases: what a Wagtail admin
  listing of that size costs, against which the case list is measured.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class StockPage(Page):
    body = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    template = "stockpage/stock_page.html"


class StockRecord(models.Model):
    """A row of the stock admin listing: the case list's columns as plain
    fields (no foreign keys, no permission queryset, no computed columns)."""

    number = models.CharField("编号", max_length=40, unique=True)
    title = models.CharField("名称", max_length=200)
    category = models.CharField("类别", max_length=40)
    status = models.CharField("状态", max_length=20)
    filed_on = models.DateField("日期")
    due_on = models.DateField("期限", null=True, blank=True)

    class Meta:
        verbose_name = "基准记录"
        verbose_name_plural = "基准记录"

    def __str__(self):
        return self.number
