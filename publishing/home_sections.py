"""The publishing sections of the public home page: the newest clarification
notices, interpretations and policies (the portal's ``register_home_section``
hook, registered by ``publishing/wagtail_hooks.py``), read in one query."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from wagtail.models import Page

from portal import pagecache
from publishing.models import LISTED_TYPES
from publishing.pagequeries import newest_keys, public_q, share_site_root_paths

HOME_ITEMS = 6


def latest_publications(request, home) -> dict[str, list]:
    """The newest live, public publications of each type under ``home``:
    ``{type_key: [(date, page), ...]}``, read once per request for the
    three home sections, from the cache while the page cache's generation
    lasts (only a publication, move or restriction changes them), else in
    one query (``newest_publications``)."""
    cache_key = f"_publishing_latest_{home.pk}"
    if request is not None and hasattr(request, cache_key):
        return getattr(request, cache_key)
    found = pagecache.remembered(
        f"publishing:latest:{home.pk}", lambda: newest_publications(home)
    )
    share_site_root_paths(
        request, [page for items in found.values() for _date, page in items]
    )
    if request is not None:
        setattr(request, cache_key, found)
    return found


def newest_publications(home) -> dict[str, list]:
    """What ``latest_publications`` keeps, in one query: each type's newest
    ``HOME_ITEMS`` come from its own table in the order of its (date, key)
    index, so the query reads a few index entries per type whatever the
    number of publications; the page rows of those few are then read with
    their dates."""
    models = {key: spec[0] for key, spec in LISTED_TYPES.items()}
    content_types = ContentType.objects.get_for_models(*models.values())
    type_of = {content_types[model].pk: key for key, model in models.items()}
    pages = Page.objects.all()
    scope = pages.live_q() & pages.descendant_of_q(home) & public_q()
    newest = [
        keys
        for key, model in models.items()
        for keys in newest_keys(
            model.objects.filter(scope), LISTED_TYPES[key][1], HOME_ITEMS
        )
    ]
    if connection.features.supports_slicing_ordering_in_compound:
        chosen = Q(pk__in=newest[0].union(*newest[1:], all=True))
    else:  # SQLite: no LIMIT inside a UNION's parts, but inside IN (...)
        chosen = Q()
        for top in newest:
            chosen |= Q(pk__in=top)
    dated = Coalesce(
        *[
            F(f"{model._meta.model_name}__{LISTED_TYPES[key][1]}")
            for key, model in models.items()
        ]
    )
    rows = (
        Page.objects.filter(chosen)
        .annotate(list_date=dated)
        .order_by(F("list_date").desc(nulls_last=True), F("pk").desc())
    )
    found: dict[str, list] = {key: [] for key in models}
    for page in rows:
        items = found[type_of[page.content_type_id]]
        if len(items) < HOME_ITEMS:  # a nullable date gives dated and undated
            items.append((page.list_date, page))
    return found


def home_section(type_key: str, order: int):
    """The home-section function of one listed type (a key of
    ``LISTED_TYPES``), placed at ``order`` among the home page's sections."""
    label = LISTED_TYPES[type_key][2]

    def section(request, page):
        items = latest_publications(request, page)[type_key]
        if not items:
            return None
        # Pages live directly under their index, so the index's URL is the
        # item's without its last segment (no query).
        first_url = items[0][1].url or ""
        more_url = first_url.rstrip("/").rsplit("/", 1)[0] + "/" if first_url else ""
        return {
            "title": label,
            "template": "publishing/includes/home_section.html",
            "order": order,
            "items": items,
            "more_url": more_url,
        }

    section.__name__ = f"home_section_{type_key}"
    section.__qualname__ = section.__name__
    return section


# Clarification notices first, then interpretations, then policies.
home_section_notice = home_section("notice", 20)
home_section_interpretation = home_section("interpretation", 21)
home_section_policy = home_section("policy", 22)
