"""What the publishing plugin contributes to the portal, through hooks."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import include, path
from wagtail import hooks
from wagtail.models import Page

from portal.hooks import FOOTER_LINKS, PAGE_CACHE_PURGE_MODELS, PAGE_CACHE_URL_NAMES
from portal.plugins import DEMO_CONTENT_HOOK, HOME_SECTIONS_HOOK, PUBLIC_URLS_HOOK
from publishing import contributions, editorial, urls
from publishing.guards import refuse_bulk_publishing_of_unanonymized_notices
from publishing.models import (
    LISTED_TYPES,
    ClarificationNoticePage,
    InterpretationPage,
    PolicyArticle,
    PolicyDocumentPage,
)
from publishing.pagequeries import newest_keys, public_q, share_site_root_paths

HOME_ITEMS = 6


@hooks.register("register_admin_urls")
def register_publishing_admin_urls():
    return [
        path(
            "publishing/",
            include((urls.admin_urlpatterns, "publishing"), namespace="publishing"),
        )
    ]


@hooks.register(PUBLIC_URLS_HOOK)
def register_publishing_public_urls():
    # Flat patterns (names prefixed "publishing_") so the portal's plugin
    # listing shows each public URL.
    return list(urls.public_urlpatterns)


# The page listing's bulk "publish" bypasses the editor's form: a notice that
# still identifies someone is refused there too (Art. 22).
hooks.register("before_bulk_action", refuse_bulk_publishing_of_unanonymized_notices)


@hooks.register("register_search_sources")
def register_publishing_search_sources():
    """What the public search shows from this plugin (contract with the
    search plugin): live, public pages, and the articles of live policies."""
    return [
        {
            "key": "policy",
            "label": "政策文件",
            "model": PolicyDocumentPage,
            "queryset": lambda: (
                PolicyDocumentPage.objects.live().public().prefetch_related("articles")
            ),
        },
        {
            "key": "article",
            "label": "政策条文",
            "model": PolicyArticle,
            "queryset": lambda: PolicyArticle.objects.public().select_related("page"),
        },
        {
            "key": "interpretation",
            "label": "政策解读",
            "model": InterpretationPage,
            "queryset": lambda: InterpretationPage.objects.live().public(),
        },
        {
            "key": "notice",
            "label": "澄清正名公告",
            "model": ClarificationNoticePage,
            "queryset": lambda: ClarificationNoticePage.objects.live().public(),
        },
    ]


@hooks.register("register_periodic_report_figures")
def clarification_notices_published(start, end):
    """Clarification notices (Art. 22) first published within [start, end],
    for the periodic report to the district government (Art. 19)."""
    count = ClarificationNoticePage.objects.filter(
        first_published_at__date__gte=start, first_published_at__date__lte=end
    ).count()
    return [("澄清正名公告发布数", count)]


def latest_publications(request, home) -> dict[str, list]:
    """The newest live, public publications of each type under ``home``:
    ``{type_key: [(date, page), ...]}``, computed once per request for the
    three home sections, in one query.

    Each type's newest ``HOME_ITEMS`` come from its own table in the order
    of its (date, key) index, so the query reads a few index entries per
    type whatever the number of publications; the page rows of those few
    are then read with their dates."""
    cache_key = f"_publishing_latest_{home.pk}"
    if request is not None and hasattr(request, cache_key):
        return getattr(request, cache_key)
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
    share_site_root_paths(
        request, [page for items in found.values() for _date, page in items]
    )
    if request is not None:
        setattr(request, cache_key, found)
    return found


def _home_section(type_key: str, order: int):
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


for _key, _order in (("notice", 20), ("interpretation", 21), ("policy", 22)):
    hooks.register(HOME_SECTIONS_HOOK, _home_section(_key, _order))


@hooks.register(DEMO_CONTENT_HOOK)
def publishing_demo(home, stdout):
    from publishing.demo import load_publishing_demo

    load_publishing_demo(home=home, stdout=stdout)


# The interpretation desk (issue #17): the editor reads the reviewer's
# request for changes on opening the page; desk editors add interpretations
# only, and find the policies to interpret on their dashboard; publishing
# goes through the reviewer's approval.
hooks.register("before_create_page", editorial.interpretations_only_for_desk_editors)
hooks.register("before_edit_page", editorial.reviewer_comment_on_open)
hooks.register("construct_homepage_panels", editorial.interpretation_desk_panel)
hooks.register("construct_page_action_menu", editorial.publish_by_approval_only)


# The portal's plumbing (portal/hooks.py): the feeds the page cache keeps,
# the statistics snapshot that purges it, the feed in the site map.
hooks.register(PAGE_CACHE_URL_NAMES, contributions.page_cache_url_names)
hooks.register(PAGE_CACHE_PURGE_MODELS, contributions.page_cache_purge_models)
hooks.register(FOOTER_LINKS, contributions.footer_links)
