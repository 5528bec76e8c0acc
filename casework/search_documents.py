"""Casework's contribution to search: the staff case source and its
Elasticsearch document.

Registered from casework/wagtail_hooks.py::

    from casework.search_documents import (
        search_documents,
        staff_search_sources,
    )

    hooks.register(STAFF_SEARCH_SOURCES, staff_search_sources)
    hooks.register(SEARCH_DOCUMENTS, search_documents)

Who sees what stays in ``SupervisionCase.objects.visible_to(user)``: search
only proposes candidates, the queryset decides. An agency liaison does not
see a case's summary, so may not probe it by searching either: for them a
case matches on its number and title only, and no summary is shown.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from elasticsearch.dsl import Date, Document, Keyword, Text

from casework.models import SupervisionCase
from casework.views import is_agency_view
from search.documents import index_name
from search.segment import index_text


class CaseDocument(Document):
    """The staff case index: text segmented by search.segment, ``cjk``
    analyzer; keywords for stage, agency and field (aggregations, filters)."""

    number = Keyword()
    title = Text(analyzer="cjk", fields={"raw": Keyword()})
    summary = Text(analyzer="cjk")
    agency = Keyword()
    agency_name = Text(analyzer="cjk")
    enforcement_field = Text(analyzer="cjk")
    matter_type = Keyword()
    stage = Keyword()
    filed_on = Date()

    model = SupervisionCase
    text_fields = ("number", "title^2", "summary", "agency_name", "enforcement_field")

    class Index:
        name = index_name("cases")
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    @classmethod
    def get_queryset(cls):
        return SupervisionCase.objects.select_related("agency", "field").order_by("pk")

    @classmethod
    def from_object(cls, case: SupervisionCase) -> CaseDocument:
        return cls(
            meta={"id": case.pk},
            number=case.number,
            title=index_text(case.title),
            summary=index_text(case.summary),
            agency=str(case.agency_id),
            agency_name=index_text(case.agency.name),
            enforcement_field=index_text(case.field.name),
            matter_type=case.matter_type,
            stage=case.stage,
            filed_on=case.filed_on,
        )


def _case_text(case, user):
    return "" if is_agency_view(user) else case.summary


def _case_match_text(case, user):
    if is_agency_view(user):
        return f"{case.number} {case.title}"
    return f"{case.number} {case.title} {case.summary}"


def staff_search_sources():
    return [
        {
            "key": "case",
            "label": _("Supervision cases"),
            "model": SupervisionCase,
            "queryset": lambda user: SupervisionCase.objects.visible_to(
                user
            ).select_related("agency"),
            "title": lambda case, user: f"{case.number} {case.title}",
            "url": lambda case, user: reverse("casework_case:detail", args=[case.pk]),
            "date": lambda case, user: case.filed_on,
            "text": _case_text,
            "match_text": _case_match_text,
            "document": CaseDocument,
        }
    ]


def search_documents():
    return [CaseDocument]
