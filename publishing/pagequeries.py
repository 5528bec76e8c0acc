"""Page queries of the public pages in as few round trips as a stock Wagtail
page needs (issue #15): the public condition inside the query that uses it,
a child page read as its own type in one query, and newest-first orders that
the (date, key) indexes serve."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageViewRestriction, Site


def public_q():
    """Pages outside every private section (no view restriction on the page
    or an ancestor), as a condition of the page query itself. Wagtail's
    ``.public()`` reads every restriction first: one more query each time."""
    restricted = PageViewRestriction.objects.filter(
        StartsWith(OuterRef("path"), F("page__path"))
    )
    return ~Exists(restricted)


def newest_first(model, date_field: str) -> list:
    """Order by ``date_field`` newest first, undated last, then newest key.
    For a column that cannot be null the plain descending order is the same
    and matches the model's ("-date", "-page_ptr") index on PostgreSQL."""
    nullable = model._meta.get_field(date_field).null
    return [
        F(date_field).desc(nulls_last=True) if nullable else F(date_field).desc(),
        F("pk").desc(),
    ]


def newest_keys(queryset, date_field: str, count: int) -> list:
    """The keys of the newest ``count`` rows of ``queryset`` by
    ``date_field``, as subqueries each read in the order of the model's
    ("-date", "-page_ptr") index: for a nullable date the dated and the
    undated rows separately (at most ``count`` of each; the caller keeps the
    first ``count`` in the order of ``newest_first``), since one "undated
    last" order cannot use that index on PostgreSQL."""
    order = [F(date_field).desc(), F("pk").desc()]
    if not queryset.model._meta.get_field(date_field).null:
        return [queryset.order_by(*order).values("pk")[:count]]
    return [
        queryset.filter(**{f"{date_field}__isnull": undated})
        .order_by(*order)
        .values("pk")[:count]
        for undated in (False, True)
    ]


def specific_child(parent: Page, slug: str, models) -> Page | None:
    """The child ``slug`` of ``parent`` as its own type, read in one query
    (Wagtail's routing reads the page, then its type's row: two), or None.
    ``models`` are the child types expected; another type is read as
    Wagtail does."""
    names = [model._meta.model_name for model in models]
    child = (
        Page.objects.child_of(parent).filter(slug=slug).select_related(*names).first()
    )
    if child is None:
        return None
    model = ContentType.objects.get_for_id(child.content_type_id).model_class()
    if model in models:
        specific = getattr(child, model._meta.model_name)
    else:
        specific = child.specific
    specific._cached_parent_obj = parent
    return specific


def share_site_root_paths(request, pages) -> None:
    """Let ``pages`` use the request's copy of the site root paths for their
    ``url``: a page asked for ``page.url`` (as a template does) without a
    request reads them from the cache once per page instance, one Redis
    round trip each; with this, once per request."""
    if request is None:
        return
    cached = getattr(request, "_wagtail_cached_site_root_paths", None)
    if cached is None:
        cached = Site.get_site_root_paths()
        request._wagtail_cached_site_root_paths = cached
    for page in pages:
        page._wagtail_cached_site_root_paths = cached
