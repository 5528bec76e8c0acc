"""Policy documents (政策文件): a measure's text as chapters and articles."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page, Revision
from wagtail.search import index

from portal import pagecache
from publishing import policydiff
from publishing.models.base import COMPARE_PARAM, PublicationPage, revision_id_param
from publishing.pagequeries import public_q, share_site_root_paths


class Validity(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    NOT_YET = "not_yet", _("Not yet in force")
    EXPIRED = "expired", _("Expired")
    UNKNOWN = "unknown", _("Validity not stated")


class MeasureForm(models.TextChoices):
    """The forms portal.measures reads (portal.measures.model.FORMS); the
    label names the text that publishes the measure, shown above it."""

    NOTICE = "notice", _("covering notice")
    ORDER = "order", _("promulgation order")
    ANNOUNCEMENT = "announcement", _("announcement")
    REGULATION = "regulation", _("adoption and amendments")
    DECISION = "decision", _("promulgation order")
    BARE = "bare", _("adoption and amendments")


class PolicyDocumentPage(PublicationPage, Page):
    """The text of a measure, each article addressable (``#art-16``), with
    document number, issuing body and the dates that decide whether it is in
    force (for the Licheng measures: 2025-03-01 to 2027-02-28, Art. 24)."""

    document_number = models.CharField(
        _("document number"), max_length=60, blank=True, db_index=True
    )
    issuing_body = models.CharField(_("issuing body"), max_length=100)
    date = models.DateField(_("issue date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    preamble = models.TextField(
        _("covering notice"),
        blank=True,
        help_text=_("The notice that issues the measure, shown above its text."),
    )
    form = models.CharField(
        _("form of publication"),
        max_length=20,
        choices=MeasureForm.choices,
        default=MeasureForm.NOTICE,
        help_text=_(
            "How the measure was published; names the covering text. The "
            "office's own measures come with a covering notice (印发通知)."
        ),
    )
    lead = models.TextField(
        _("introductory paragraphs"),
        blank=True,
        help_text=_(
            "Paragraphs of the text before its first article or point (a "
            "decision's reasons), shown above the articles."
        ),
    )
    closing = models.TextField(
        _("closing paragraphs"),
        blank=True,
        help_text=_("Text after the last point of a decision (本决定自…起施行)."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("document_number"), FieldPanel("issuing_body")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("date"),
                        FieldPanel("effective_date"),
                        FieldPanel("expiry_date"),
                    ]
                ),
            ],
            heading=_("Document"),
        ),
        FieldRowPanel([FieldPanel("form")]),
        FieldPanel("preamble"),
        FieldPanel("lead"),
        InlinePanel("articles", heading=_("Articles"), label=_("article")),
        FieldPanel("closing"),
        FieldPanel("change_note"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("document_number"),
        index.SearchField("issuing_body"),
        index.SearchField("preamble"),
        index.SearchField("lead"),
        index.SearchField("closing"),
        index.FilterField("date"),
    ]
    parent_page_types = ["publishing.PublicationIndexPage"]
    subpage_types: list[str] = []
    type_key = "policy"
    api_fields = [
        APIField("document_number"),
        APIField("issuing_body"),
        APIField("date"),
        APIField("effective_date"),
        APIField("expiry_date"),
        APIField("form"),
        APIField("preamble"),
        APIField("lead"),
        APIField("articles"),
        APIField("closing"),
        APIField("change_note"),
    ]
    template = "publishing/policy_document_page.html"

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        # Newest first (the home page's lists, the index pages): read in
        # this order, the newest few cost a few index entries at any size.
        indexes = [
            models.Index(
                fields=["-date", "-page_ptr"], name="publishing_policy_date_idx"
            )
        ]

    def clean(self):
        super().clean()
        if (
            self.effective_date
            and self.expiry_date
            and self.expiry_date < self.effective_date
        ):
            raise ValidationError(
                {"expiry_date": _("The expiry date is before the effective date.")}
            )

    def validity(self, today: datetime.date | None = None) -> str:
        """Whether the measure is in force on ``today`` (both ends included)."""
        today = today or timezone.localdate()
        if self.effective_date is None:
            return Validity.UNKNOWN
        if today < self.effective_date:
            return Validity.NOT_YET
        if self.expiry_date is not None and today > self.expiry_date:
            return Validity.EXPIRED
        return Validity.IN_FORCE

    @property
    def validity_label(self) -> str:
        return Validity(self.validity()).label

    # --- versions, article by article ---------------------------------------
    def _published_version_entries(self) -> list[tuple]:
        """The published versions (see PublicationPage), each with what
        changed in its articles since the version before: 修改第三条；新增第
        二十五条. One more query, for the published revisions' contents,
        kept with the entries until the next publication."""
        entries = super()._published_version_entries()
        contents = dict(
            Revision.page_revisions.filter(
                pk__in=[entry[0] for entry in entries]
            ).values_list("pk", "content")
        )
        found = []
        for position, (revision_id, timestamp, note) in enumerate(entries):
            older = entries[position + 1][0] if position + 1 < len(entries) else None
            changes = ()
            if older is not None and older in contents and revision_id in contents:
                changes = policydiff.summary(
                    policydiff.article_changes(
                        policydiff.articles_of_content(contents[older]),
                        policydiff.articles_of_content(contents[revision_id]),
                    )
                )
            found.append((revision_id, timestamp, note, changes))
        return found

    def serve(self, request, *args, **kwargs):
        """``?compare=<revision id>``: a published version against the one
        published before it, article by article, with the deleted and
        inserted words marked; 404 for a version never published or the
        first one."""
        raw = request.GET.get(COMPARE_PARAM)
        if raw is None:
            return super().serve(request, *args, **kwargs)
        revision = self.published_revision(revision_id_param(raw))
        versions = [v["revision_id"] for v in self.published_versions()]
        position = versions.index(revision.pk) if revision.pk in versions else -1
        if position < 0 or position + 1 >= len(versions):
            raise Http404
        previous = Revision.page_revisions.get(pk=versions[position + 1])
        changes = policydiff.article_changes(
            policydiff.articles_of_content(previous.content),
            policydiff.articles_of_content(revision.content),
        )
        context = Page.get_context(self, request, *args, **kwargs)
        context.update(
            compare_revision=revision,
            compare_previous=previous,
            compare_published_at=self._published_at(revision.pk),
            previous_published_at=self._published_at(previous.pk),
            changes=changes,
        )
        return TemplateResponse(request, "publishing/policy_compare.html", context)

    def _published_at(self, revision_id: int):
        return next(
            (
                v["published_at"]
                for v in self.published_versions()
                if v["revision_id"] == revision_id
            ),
            None,
        )

    def chapters(self) -> list[dict]:
        """Articles grouped by chapter, in order, for the template and the
        table of contents."""
        articles = list(self.articles.all())
        grouped = []
        for (number, title), members in groupby(
            articles, key=lambda a: (a.chapter_number, a.chapter_title)
        ):
            grouped.append(
                {
                    "number": number,
                    "title": title,
                    "anchor": f"chapter-{number}",
                    "articles": list(members),
                }
            )
        return grouped

    def plain_text(self) -> str:
        return "\n".join(
            [
                self.preamble,
                self.lead,
                *(f"{a.label} {a.body}" for a in self.articles.all()),
                self.closing,
            ]
        ).strip()

    @property
    def issue_date(self) -> datetime.date | None:
        return self.date

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # 撰写本条解读 beside each article, for those who may write
        # interpretations (no query for anonymous readers).
        from publishing.editorial import interpretation_index_for

        user = getattr(request, "user", None)
        can_write = bool(user is not None and interpretation_index_for(user))
        if self.is_published_view(request):
            # The text, its table of contents and interpretation links
            # change only with a publication: kept under the page cache's
            # generation for every reader, signed in or not.
            key = f"publishing:policy-text:{self.pk}:{get_language()}:{int(can_write)}"
            parts = pagecache.remembered(
                key, lambda: self._text_parts(request, can_write)
            )
        else:
            parts = self._text_parts(request, can_write)
        share_site_root_paths(request, [self, *parts["interpretations"]])
        context.update(parts)
        context["can_write_interpretation"] = can_write
        return context

    def _text_parts(self, request, can_write: bool) -> dict:
        """The articles by chapter, the live public interpretations (also by
        article) and the text's HTML: two queries."""
        from publishing.policytext import policy_text_html

        interpretations = list(
            self.interpretations.live().filter(public_q()).order_by("-date", "-pk")
        )
        share_site_root_paths(request, interpretations)
        by_article: dict[int, list] = {}
        for item in interpretations:
            for number in item.article_list:
                by_article.setdefault(number, []).append(item)
        chapters = self.chapters()
        write_url = None
        if can_write:

            def write_url(number):
                return reverse(
                    "publishing:write_interpretation", args=[self.pk, number]
                )

        return {
            "interpretations": interpretations,
            "interpretations_by_article": by_article,
            "chapters": chapters,
            "policy_text": policy_text_html(chapters, by_article, write_url),
        }


class PolicyArticleQuerySet(models.QuerySet):
    def public(self):
        """Articles of live, public policy pages (what search may show)."""
        pages = PolicyDocumentPage.objects.live().public()
        return self.filter(page__in=pages.values("pk"))


class PolicyArticle(index.Indexed, Orderable):
    """One article (条) of a policy document, with its items intact. Kept as a
    child row so that revisions keep the text as it was."""

    page = ParentalKey(
        PolicyDocumentPage, on_delete=models.CASCADE, related_name="articles"
    )
    chapter_number = models.PositiveSmallIntegerField(_("chapter number"), default=0)
    chapter_title = models.CharField(_("chapter title"), max_length=100, blank=True)
    number = models.PositiveSmallIntegerField(_("article number"))
    label = models.CharField(_("label"), max_length=20, help_text=_("e.g. 第十六条"))
    body = models.TextField(
        _("text"), help_text=_("One paragraph or item per line, e.g. （一）…")
    )
    anchor = models.SlugField(_("anchor"), max_length=20, editable=False)

    objects = PolicyArticleQuerySet.as_manager()

    api_fields = [
        APIField("chapter_number"),
        APIField("chapter_title"),
        APIField("number"),
        APIField("label"),
        APIField("anchor"),
        APIField("body"),
    ]

    panels = [
        FieldRowPanel(
            [
                FieldPanel("chapter_number"),
                FieldPanel("chapter_title"),
                FieldPanel("number"),
                FieldPanel("label"),
            ]
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        index.SearchField("body"),
        index.SearchField("label"),
        index.FilterField("page_id"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "number"]
        verbose_name = _("policy article")
        verbose_name_plural = _("policy articles")

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        # The anchor follows the number, so #art-16 always means Art. 16.
        self.anchor = f"art-{self.number}"
        super().save(*args, **kwargs)

    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n") if p.strip()]

    @property
    def search_title(self) -> str:
        return f"《{self.page.title}》{self.label}"

    @property
    def search_url(self) -> str:
        return f"{self.page.url or ''}#art-{self.number}"

    @property
    def search_date(self) -> datetime.date | None:
        return self.page.search_date

    @property
    def search_text(self) -> str:
        return self.body.replace("\n", " ")
