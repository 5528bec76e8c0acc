"""What every public page type of this plugin shares: the fields the search
engineer reads (search_title, search_url, search_date, search_text), and the
public version history (Wagtail revisions that were published)."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models.fields.json import KeyTextTransform
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry, Revision

from portal import pagecache

#: The query parameter of an earlier published version (``?version=<id>``).
VERSION_PARAM = "version"
#: The query parameter of the comparison of a published version with the one
#: before it (``?compare=<id>``, policy documents).
COMPARE_PARAM = "compare"


def revision_id_param(raw: str) -> int:
    """A revision id from a query parameter, or 404 for anything else."""
    # isascii(): "²" passes isdigit() but int() refuses it.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise Http404
    return int(raw)


class PublicationPage(models.Model):
    """Mixin of every public page type: a ``date`` field (set by each type),
    search display properties and the published version history."""

    change_note = models.CharField(
        _("change note"),
        max_length=200,
        blank=True,
        help_text=_("What changed in this version; shown in the public history."),
    )

    class Meta:
        abstract = True

    # --- search (contract with the search plugin) ---------------------------
    @property
    def search_title(self) -> str:
        return self.title

    @property
    def search_url(self) -> str:
        return self.url or ""

    @property
    def search_date(self) -> datetime.date | None:
        return self.date

    @property
    def search_text(self) -> str:
        return strip_tags(self.plain_text())

    # --- page metadata (contract with portal's site_meta template tags) -----
    @property
    def meta_content_source(self) -> str:
        """信息来源 of the page's ContentSource meta tag: the issuing body, or
        who wrote the interpretation; "" lets the portal name the site's
        organizer."""
        return getattr(self, "issuing_body", "") or getattr(self, "source", "")

    def plain_text(self) -> str:
        """The page's text without markup, for search snippets. Each page
        type returns its body; a page type without one offers its title."""
        return self.title

    # --- public version history ----------------------------------------------
    def published_versions(self) -> list[dict]:
        """Every published version, newest first: the revision, when it was
        published and its change note (one query, or none while the page
        cache's generation keeps them: only a publication adds one)."""
        if self.pk is None:  # the preview of a page not yet saved
            return []
        entries = pagecache.remembered(
            f"publishing:versions:{self.pk}", self._published_version_entries
        )
        return [
            {
                "revision_id": revision_id,
                "published_at": timestamp,
                "change_note": note,
                "is_current": revision_id == self.live_revision_id,
                # What a page type adds to its entries (a policy document:
                # the articles changed since the version before).
                "changes": rest[0] if rest else (),
            }
            for revision_id, timestamp, note, *rest in entries
        ]

    def _published_version_entries(self) -> list[tuple]:
        # Only the change note of each revision's content: not the whole
        # page (a policy document's every article) read and decoded.
        entries = (
            PageLogEntry.objects.filter(
                page_id=self.pk, action="wagtail.publish", revision__isnull=False
            )
            .annotate(note=KeyTextTransform("change_note", "revision__content"))
            .order_by("-timestamp", "-pk")
            .values_list("revision_id", "timestamp", "note")
        )
        found, seen = [], set()
        for revision_id, timestamp, note in entries:
            if revision_id not in seen:
                seen.add(revision_id)
                found.append((revision_id, timestamp, note or ""))
        return found

    @staticmethod
    def is_published_view(request) -> bool:
        """Whether ``request`` is a reader's view of the published page: not
        an editor's preview (``is_preview``, a draft's content) nor an
        earlier version (``?version=``). Only those views may read what
        ``portal.pagecache.remembered`` keeps of the page."""
        return not (
            getattr(request, "is_preview", False)
            or (
                request is not None
                and (VERSION_PARAM in request.GET or COMPARE_PARAM in request.GET)
            )
        )

    def published_revision(self, revision_id: int) -> Revision:
        """A revision of this page that was once published, or 404: drafts and
        rejected versions never reach the public."""
        was_published = PageLogEntry.objects.filter(
            page_id=self.pk, action="wagtail.publish", revision_id=revision_id
        ).exists()
        if not was_published:
            raise Http404
        return Revision.page_revisions.get(pk=revision_id, object_id=str(self.pk))

    def serve(self, request, *args, **kwargs):
        """``?version=<revision id>`` shows an earlier published version, with
        a banner saying so (``viewing_revision``, ``current_page`` in the
        context); anything else in that parameter is a 404."""
        raw = request.GET.get(VERSION_PARAM)
        if raw is None:
            return super().serve(request, *args, **kwargs)
        revision = self.published_revision(revision_id_param(raw))
        old = revision.as_object()
        context = old.get_context(request, *args, **kwargs)
        context["viewing_revision"] = revision
        context["current_page"] = self
        return TemplateResponse(request, old.get_template(request), context)

    @property
    def list_date(self) -> datetime.date | None:
        return self.date


# Older name, kept for imports written against it.
PublicPageMixin = PublicationPage
