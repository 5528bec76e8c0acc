"""Index pages (列表页) with year and type filters and pagination."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from publishing.models.interpretation import InterpretationPage
from publishing.models.notice import ClarificationNoticePage
from publishing.models.policy import PolicyDocumentPage

PAGE_SIZE = 10

#: type key -> (model, date field, public label)
LISTED_TYPES = {
    "policy": (PolicyDocumentPage, "date", "政策文件"),
    "interpretation": (InterpretationPage, "date", "政策解读"),
    "notice": (ClarificationNoticePage, "date", "澄清正名公告"),
}


class PublicationIndexPage(Page):
    """A list of policy documents, interpretations or clarification notices
    (or a mix), newest first, filterable by year and type, ten to a page."""

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = [
        "publishing.PolicyDocumentPage",
        "publishing.InterpretationPage",
        "publishing.ClarificationNoticePage",
    ]
    template = "publishing/publication_index_page.html"

    class Meta:
        verbose_name = _("publication index")
        verbose_name_plural = _("publication indexes")

    def entries(self, year: int | None = None, kind: str | None = None) -> list:
        """Live, public children of the chosen type(s), as (date, page, kind)
        rows sorted newest first. One query per listed type, whatever the
        number of pages."""
        rows = []
        for key, (model, date_field, _label) in LISTED_TYPES.items():
            if kind and key != kind:
                continue
            qs = model.objects.child_of(self).live().public()
            if year:
                qs = qs.filter(**{f"{date_field}__year": year})
            for page in qs.order_by(f"-{date_field}", "-pk"):
                rows.append((getattr(page, date_field), page, key))
        rows.sort(key=lambda row: (row[0] is not None, row[0], row[1].pk), reverse=True)
        return rows

    def available_filters(self) -> tuple[list[int], list[tuple[str, str]]]:
        """The years and types that have something to show."""
        years: set[int] = set()
        kinds = []
        for key, (model, date_field, label) in LISTED_TYPES.items():
            qs = model.objects.child_of(self).live().public()
            found = {d.year for d in qs.dates(date_field, "year")}
            if found or qs.exists():
                kinds.append((key, label))
            years |= found
        return sorted(years, reverse=True), kinds

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        years, kinds = self.available_filters()
        raw_year = request.GET.get("year", "")
        year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else None
        kind = request.GET.get("type", "")
        kind = kind if kind in LISTED_TYPES else None
        paginator = Paginator(self.entries(year=year, kind=kind), PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        query = {}
        if year:
            query["year"] = year
        if kind:
            query["type"] = kind
        context.update(
            {
                "years": years,
                "kinds": kinds,
                "selected_year": year,
                "selected_kind": kind,
                "entries": page_obj,
                "filter_query": query,
                "type_labels": {key: value[2] for key, value in LISTED_TYPES.items()},
            }
        )
        return context
