"""Clarification notices (澄清正名公告, Art. 22): an officer falsely or
maliciously accused is cleared in public, anonymized."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from publishing.anonymize import notice_leaks
from publishing.forms import ClarificationNoticeForm, leak_summary
from publishing.models.base import PublicationPage
from publishing.panels import LeakReportPanel


class ClarificationNoticePage(PublicationPage, Page):
    """A public, anonymized clarification. ``party_names`` (the names to
    redact, taken from the case) and ``source_case`` never leave the admin: neither is
    indexed for search nor exposed by the API."""

    date = models.DateField(_("notice date"), default=timezone.localdate)
    issuing_body = models.CharField(
        _("issued by"), max_length=100, default="历城区行政执法监督机构"
    )
    agency_name = models.CharField(
        _("enforcement agency concerned"), max_length=100, blank=True
    )
    body = models.TextField(
        _("text"), help_text=_("Plain text, one paragraph per line.")
    )
    party_names = models.TextField(
        _("names to anonymize"),
        blank=True,
        help_text=_(
            "The parties of the case, one name per line; never published. "
            "Publishing is refused while the text contains any of them."
        ),
    )
    source_case = models.ForeignKey(
        "casework.SupervisionCase",
        verbose_name=_("supervision case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = ClarificationNoticeForm
    content_panels = [
        *Page.content_panels,
        LeakReportPanel(heading=_("Anonymization check")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("issuing_body")]),
                FieldPanel("agency_name"),
            ],
            heading=_("Notice"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("party_names"), FieldPanel("redact_now")],
            heading=_("Anonymization (not published)"),
        ),
        FieldPanel("change_note"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["publishing.PublicationIndexPage"]
    subpage_types: list[str] = []
    type_key = "notice"
    # Never party_names or source_case: they identify people (Art. 22).
    api_fields = [
        APIField("date"),
        APIField("issuing_body"),
        APIField("agency_name"),
        APIField("body"),
        APIField("change_note"),
    ]
    template = "publishing/clarification_notice_page.html"

    class Meta:
        verbose_name = _("clarification notice")
        verbose_name_plural = _("clarification notices")
        # Newest first (the home page's lists, the index pages): read in
        # this order, the newest few cost a few index entries at any size.
        indexes = [
            models.Index(
                fields=["-date", "-page_ptr"], name="publishing_notice_date_idx"
            )
        ]

    def leaks(self) -> dict[str, list]:
        return notice_leaks({"title": self.title, "body": self.body}, self.party_names)

    def clean(self):
        """The last line of defence: whatever path publishes the page (the
        editor, a workflow approval, scheduled publishing), a live notice
        never identifies anyone (Art. 22)."""
        super().clean()
        if self.live:
            leaks = self.leaks()
            if leaks:
                raise ValidationError(
                    {
                        field: _(
                            "Not anonymized yet, so it cannot be published: %(spans)s."
                        )
                        % {"spans": leak_summary(spans)}
                        for field, spans in leaks.items()
                    }
                )

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.splitlines() if p.strip()]

    def plain_text(self) -> str:
        return self.body
