"""Interpretations (政策解读): staff-written explanations linked to the
articles they explain, and from the policy page back to them."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from publishing.models.base import PublicationPage
from publishing.models.policy import PolicyDocumentPage

_NUMBER_SPLIT = re.compile(r"[\s,，、;；]+")


def parse_article_numbers(raw: str) -> list[int]:
    """``"9, 10、16"`` -> ``[9, 10, 16]``; raises ValueError on anything else."""
    numbers = []
    for part in _NUMBER_SPLIT.split((raw or "").strip()):
        if not part:
            continue
        if not part.isdigit() or len(part) > 3:
            raise ValueError(part)
        if int(part) not in numbers:
            numbers.append(int(part))
    return numbers


class InterpretationPage(PublicationPage, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    source = models.CharField(
        _("interpreted by"), max_length=100, blank=True, help_text=_("e.g. 区司法局")
    )
    policy = models.ForeignKey(
        PolicyDocumentPage,
        verbose_name=_("policy document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
    )
    article_numbers = models.CharField(
        _("articles explained"),
        max_length=200,
        blank=True,
        help_text=_("Article numbers, separated by commas, e.g. 9, 10, 16"),
    )
    summary = models.TextField(pgettext_lazy("interpretation", "summary"), blank=True)
    body = RichTextField(
        _("body"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"]
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("source")]),
                FieldPanel("policy"),
                FieldPanel("article_numbers"),
            ],
            heading=_("Policy explained"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("change_note"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["publishing.PublicationIndexPage"]
    subpage_types: list[str] = []
    type_key = "interpretation"
    api_fields = [
        APIField("date"),
        APIField("source"),
        APIField("policy"),
        APIField("article_numbers"),
        APIField("summary"),
        APIField("body"),
        APIField("change_note"),
    ]
    template = "publishing/interpretation_page.html"

    class Meta:
        verbose_name = _("interpretation")
        verbose_name_plural = _("interpretations")
        # Newest first (the home page's lists, the index pages): read in
        # this order, the newest few cost a few index entries at any size.
        indexes = [
            models.Index(
                fields=["-date", "-page_ptr"], name="publishing_interp_date_idx"
            )
        ]

    @property
    def article_list(self) -> list[int]:
        try:
            return parse_article_numbers(self.article_numbers)
        except ValueError:
            return []

    def clean(self):
        super().clean()
        try:
            numbers = parse_article_numbers(self.article_numbers)
        except ValueError as exc:
            raise ValidationError(
                {"article_numbers": _("Write article numbers like: 9, 10, 16")}
            ) from exc
        if numbers and self.policy_id is None:
            raise ValidationError(
                {"policy": _("Choose the policy document these articles belong to.")}
            )
        if numbers:
            known = set(
                self.policy.articles.values_list("number", flat=True)
                if self.policy.pk
                else []
            )
            unknown = [n for n in numbers if n not in known]
            if unknown:
                raise ValidationError(
                    {
                        "article_numbers": _(
                            "The policy document has no article %(numbers)s."
                        )
                        % {"numbers": "、".join(str(n) for n in unknown)}
                    }
                )
        self.article_numbers = ", ".join(str(n) for n in numbers)

    def linked_articles(self) -> list:
        """The policy articles explained, in the order given."""
        if self.policy_id is None or not self.article_list:
            return []
        rows = {a.number: a for a in self.policy.articles.all()}
        return [rows[n] for n in self.article_list if n in rows]

    def plain_text(self) -> str:
        return f"{self.summary}\n{strip_tags(self.body)}"
