"""Transparency statistics (数据公开): aggregate figures from casework, stored
as snapshots by a task so that the public page costs one query."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal import clock


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
        return clock.cn_datetime(self.created_at)


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

    def latest_snapshot(self):
        return StatisticsSnapshot.objects.order_by("-created_at", "-pk").first()

    def figures_for(self, request, snapshot) -> dict:
        """The figures of the period asked for (``?period=2026-Q4``), with
        the selector's options and a Chinese message for a period that
        cannot be shown (the page then shows everything so far)."""
        from publishing import statistics

        chosen = {"snapshot": snapshot, "period": None, "period_error": ""}
        if snapshot is None:
            return chosen
        data = snapshot.data
        periods = data.get("periods", {})
        try:
            key = statistics.parse_period(request.GET.get("period"), list(periods))
        except statistics.PeriodError as error:
            chosen["period_error"] = str(error)
            key = None
        chosen["period"] = key
        chosen["period_label"] = (
            periods[key]["label"] if key else gettext("All (up to the last update)")
        )
        chosen["figures"] = periods[key] if key else data
        chosen["period_options"] = data.get("period_options", [])
        chosen["suppression_note"] = statistics.suppression_note(snapshot.threshold)
        return chosen

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.figures_for(request, self.latest_snapshot()))
        return context

    def serve(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.serve_csv(request)
        response = super().serve(request, *args, **kwargs)
        # A period that cannot be shown: the page with the message, as a 400.
        if (getattr(response, "context_data", None) or {}).get("period_error"):
            response.status_code = 400
        return response

    def serve_csv(self, request):
        """The figures shown for the period, as a CSV (UTF-8 with a BOM for
        Excel, Chinese file name with an ASCII fallback)."""
        import csv
        import io

        from django.http import HttpResponse

        from portal.downloads import content_disposition
        from portal.exports import BOM, safe_row
        from publishing import statistics

        chosen = self.figures_for(request, self.latest_snapshot())
        if chosen["snapshot"] is None or chosen["period_error"]:
            message = chosen["period_error"] or gettext(
                "The statistics are being generated: please download them later."
            )
            return HttpResponse(
                message,
                status=400 if chosen["period_error"] else 503,
                content_type="text/plain; charset=utf-8",
            )
        snapshot = chosen["snapshot"]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                gettext("Data updated at (Beijing time)"),
                clock.cn_datetime(snapshot.created_at),
            ]
        )
        for row in statistics.csv_rows(
            chosen["figures"], chosen["period_label"], snapshot.threshold
        ):
            writer.writerow(safe_row(row))
        key = chosen["period"] or "all"
        label = chosen["period_label"] if chosen["period"] else gettext("all")
        response = HttpResponse(
            BOM + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition(
            gettext("open-data-%(period)s.csv") % {"period": label},
            f"statistics-{key}.csv",
        )
        return response

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
