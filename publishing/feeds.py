"""RSS 2.0 and Atom feeds of clarification notices and interpretations, for
readers and for other government sites that aggregate them."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from publishing.models import LISTED_TYPES

FEED_SIZE = 20
SUMMARY_LENGTH = 200


class _PublicationFeed(Feed):
    type_key = ""
    link = "/"
    item_guid_is_permalink = False

    def items(self):
        model, date_field, _label = LISTED_TYPES[self.type_key]
        return (
            model.objects.live().public().order_by(f"-{date_field}", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        text = " ".join(item.search_text.split())
        if len(text) > SUMMARY_LENGTH:
            return text[:SUMMARY_LENGTH] + "…"
        return text

    def item_link(self, item):
        return item.url or "/"

    def item_guid(self, item):
        return f"licheng-portal-page-{item.pk}"

    def item_pubdate(self, item):
        _model, date_field, _label = LISTED_TYPES[self.type_key]
        day = getattr(item, date_field)
        if day is None:
            return item.first_published_at
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))

    def item_updateddate(self, item):
        return item.last_published_at


class NoticeRssFeed(_PublicationFeed):
    type_key = "notice"
    title = _("Licheng law enforcement supervision · Clarification notices")
    description = _(
        "Clarification notices published under Art. 22 of the Licheng District "
        "measures for tolerating and correcting errors in the performance of law "
        "enforcement duties (trial)"
    )


class NoticeAtomFeed(NoticeRssFeed):
    feed_type = Atom1Feed
    subtitle = NoticeRssFeed.description


class InterpretationRssFeed(_PublicationFeed):
    type_key = "interpretation"
    title = _("Licheng law enforcement supervision · Policy interpretations")
    description = _(
        "Interpretations of the policy documents on tolerating and correcting errors "
        "in the performance of law enforcement duties"
    )


class InterpretationAtomFeed(InterpretationRssFeed):
    feed_type = Atom1Feed
    subtitle = InterpretationRssFeed.description
