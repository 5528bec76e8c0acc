"""Index pages (列表页) with year and type filters and pagination."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from publishing.models.interpretation import InterpretationPage
from publishing.models.notice import ClarificationNoticePage
from publishing.models.policy import PolicyDocumentPage
from publishing.pagequeries import newest_first, specific_child

PAGE_SIZE = 10

#: type key -> (model, date field, public label)
LISTED_TYPES = {
    "policy": (PolicyDocumentPage, "date", _("Policy documents")),
    "interpretation": (InterpretationPage, "date", _("interpretations")),
    "notice": (ClarificationNoticePage, "date", _("Clarification notices")),
}


class MergedEntries:
    """Several dated querysets read as one list sorted by (date, pk) newest
    first. ``len()`` is one COUNT per type; a slice reads the (date, pk) keys
    of at most ``stop`` rows per type, merges them, and loads only the pages
    of the slice (one query per type)."""

    def __init__(self, querysets: dict):
        self.querysets = querysets
        self._count = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(qs.count() for qs, _ in self.querysets.values())
        return self._count

    def count(self) -> int:
        return len(self)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            rows = self[item : item + 1]
            if not rows:
                raise IndexError(item)
            return rows[0]
        start, stop = item.start or 0, item.stop
        if stop is None:
            stop = len(self)
        if stop <= start:
            return []
        keys = []
        for key, (qs, date_field) in self.querysets.items():
            ordered = qs.order_by(*newest_first(qs.model, date_field)).values_list(
                date_field, "pk"
            )[:stop]
            keys.extend((date, pk, key) for date, pk in ordered)
        keys.sort(key=lambda row: (row[0] is not None, row[0], row[1]), reverse=True)
        chosen = keys[start:stop]
        pages = {}
        for key, (qs, _date_field) in self.querysets.items():
            wanted = [pk for _date, pk, kind in chosen if kind == key]
            if wanted:
                pages.update({(key, p.pk): p for p in qs.filter(pk__in=wanted)})
        return [(date, pages[(key, pk)], key) for date, pk, key in chosen]


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

    def route(self, request, path_components):
        # A publication is read as its own type in one query (Wagtail: two).
        if path_components:
            child = specific_child(
                self,
                path_components[0],
                [model for model, _date, _label in LISTED_TYPES.values()],
            )
            if child is None:
                raise Http404
            return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def entries(self, year: int | None = None, kind: str | None = None):
        """Live, public children of the chosen type(s), as (date, page, kind)
        rows, newest first, undated last: a lazy sequence for the paginator,
        so a page of it costs the same few queries with 20 children or
        20,000."""
        querysets = {}
        for key, (model, date_field, _label) in LISTED_TYPES.items():
            if kind and key != kind:
                continue
            qs = model.objects.child_of(self).live().public()
            if year:
                qs = qs.filter(**{f"{date_field}__year": year})
            querysets[key] = (qs, date_field)
        return MergedEntries(querysets)

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
        is_year = raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4
        year = int(raw_year) if is_year else None
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
