"""Transparency statistics (数据公开): aggregate figures from casework, stored
as snapshots by a task so that the public page costs one query."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class StatisticsSnapshot(models.Model):
    """One computation of the public figures (see publishing.statistics)."""

    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    threshold = models.PositiveSmallIntegerField(_("smallest group shown"))
    data = models.JSONField(_("figures"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class TransparencyStatisticsPage(Page):
    """The public page of aggregate casework figures. No figure below the
    threshold is ever shown: it could identify a person."""

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "publishing/transparency_statistics_page.html"

    class Meta:
        verbose_name = _("transparency statistics page")
        verbose_name_plural = _("transparency statistics pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["snapshot"] = StatisticsSnapshot.objects.order_by(
            "-created_at", "-pk"
        ).first()
        return context

    @property
    def search_title(self) -> str:
        return self.title

    @property
    def search_url(self) -> str:
        return self.url or ""

    @property
    def search_date(self):
        return None

    @property
    def search_text(self) -> str:
        from django.utils.html import strip_tags

        return strip_tags(self.intro)
