"""A whole-page cache for what anonymous readers see (Speed, issue #8).

Public pages are the same for every reader without a session, so the rendered
response of a Wagtail page (and of the views the plugins name through the
``register_page_cache_url_names`` hook, e.g. feeds) is kept in the default
cache (Redis in production) and served again without touching the
database. It is purged when anything public changes: a page is published,
unpublished, moved, deleted or saved in place; a view restriction, a site,
a site setting (footer numbers), a snippet, an image or a model a plugin
names through the ``register_page_cache_purge_models`` hook (e.g. a
statistics snapshot) is saved or deleted.

Purging bumps a generation number instead of deleting keys: one cache write,
whatever the number of cached pages. Each entry carries the generation it was
rendered under and is served only while that generation is current. The
generation is read before the view runs, so a page rendered from data older
than a purge is stored under the old generation and never served. Generations
are random, never counters, so a generation key evicted by the cache cannot
bring old entries back.

What is never cached, so that nothing personal or secret is ever shared:
- requests with a session or messages cookie or an Authorization header (a
  signed-in editor and the Wagtail userbar, a reporter with an open status
  page, a flash message);
- responses that set a cookie (a page whose form called ``csrf_token``), that
  vary on anything but Cookie, that say private/no-store/no-cache, that are
  not 200 or are streamed; responses to a user who is signed in by any means;
- views outside the allow-list: the admin, public forms, search (rate limited
  per client, with an unbounded key space), the API and documents.

The cache must be shared by every process (Redis): with the local-memory cache
a purge reaches only the process that made it, and other processes serve their
copy until ``PAGE_CACHE_SECONDS`` pass.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re
from wagtail import hooks

from portal.hooks import PAGE_CACHE_PURGE_MODELS, PAGE_CACHE_URL_NAMES

GENERATION_KEY = "pagecache:generation"
ENTRY_PREFIX = "pagecache:entry:"
# Longer query strings are served uncached: they are never links of the site
# and would only fill the cache.
MAX_QUERY_LENGTH = 256
# Page fields Wagtail writes when a draft is saved; the public page is the
# same before and after.
_DRAFT_FIELDS = frozenset(
    {
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)
_UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})
# Response headers that belong to one request and are never replayed.
_PER_REQUEST_HEADERS = frozenset({"set-cookie", "age", "x-cache", "date"})


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


# --- generation ---------------------------------------------------------------
def _new_generation() -> str:
    return secrets.token_hex(8)


def current_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First use, or the key was evicted: start a generation no stored
        # entry can carry.
        cache.add(GENERATION_KEY, _new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    # No cache at all (Redis down): a generation nothing was stored under.
    return generation or _new_generation()


def read(key: str) -> tuple[str, object]:
    """The current generation and what is stored under ``key``, in one
    cache round trip; the caller serves the stored value only if it was
    stored under that generation (the page entries here, the main menu in
    portal_tags)."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
    return generation, found.get(key)


def remembered(key: str, compute):
    """``compute()``, kept in the cache under the page cache's generation:
    the purge that follows any publication, move or view restriction renews
    it, like the cached pages. One cache round trip while it is kept (the
    main menu, a policy document's text, a page's version history).

    Only for what every reader of the key may see, computed from published
    content: never a preview or a draft."""
    generation, entry = read(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    cache.set(key, (generation, value), cache_seconds() or None)
    return value


def purge() -> None:
    """Invalidate every cached page at once (one cache write)."""
    cache.set(GENERATION_KEY, _new_generation(), None)


def purge_now_and_on_commit() -> None:
    """Purge now, and again once the transaction that changed the content
    commits: a request that read the old rows before the commit may have
    stored them under the generation of the first purge."""
    purge()
    transaction.on_commit(purge, robust=True)


# --- what changes public output -------------------------------------------------
#: The portal's own cacheable view: Wagtail's page serving.
PORTAL_URL_NAMES = frozenset({"wagtail_serve"})


def cacheable_url_names() -> frozenset[str]:
    """Wagtail's page serving and the views the plugins name (hooks are
    read on each call, so a plugin left out names nothing)."""
    names = set(PORTAL_URL_NAMES)
    for fn in hooks.get_hooks(PAGE_CACHE_URL_NAMES):
        names.update(fn())
    return frozenset(names)


def _purge_models() -> tuple[type, ...]:
    found = []
    for fn in hooks.get_hooks(PAGE_CACHE_PURGE_MODELS):
        found.extend(fn())
    return tuple(found)


def _affects_public_pages(instance) -> bool:
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.images import get_image_model
    from wagtail.models import BaseViewRestriction, Site
    from wagtail.snippets.models import get_snippet_models

    watched = (
        BaseSiteSetting,
        BaseGenericSetting,
        BaseViewRestriction,
        Site,
        get_image_model(),
        *_purge_models(),
    )
    return isinstance(instance, watched) or type(instance) in get_snippet_models()


def _on_save(sender, instance, update_fields=None, raw=False, **kwargs):
    from wagtail.models import Page

    if raw:
        return
    if isinstance(instance, Page):
        if update_fields is not None and set(update_fields) <= _DRAFT_FIELDS:
            return
        purge_now_and_on_commit()
    elif _affects_public_pages(instance):
        purge_now_and_on_commit()


def _on_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page) or _affects_public_pages(instance):
        purge_now_and_on_commit()


def _on_page_change(sender, **kwargs):
    purge_now_and_on_commit()


def connect_signals() -> None:
    """Called from PortalConfig.ready(), so that every process purges: web
    workers, the task cluster (scheduled publishing, statistics) and
    management commands."""
    from wagtail import signals as wagtail_signals

    post_save.connect(_on_save, dispatch_uid="portal.pagecache.save")
    post_delete.connect(_on_delete, dispatch_uid="portal.pagecache.delete")
    for signal in (
        wagtail_signals.page_published,
        wagtail_signals.page_unpublished,
        wagtail_signals.post_page_move,
        wagtail_signals.published,
        wagtail_signals.unpublished,
    ):
        signal.connect(_on_page_change, dispatch_uid=f"portal.pagecache.{id(signal)}")


# --- the middleware -----------------------------------------------------------
def _cookie_names() -> tuple[str, ...]:
    return (
        settings.SESSION_COOKIE_NAME,
        getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
    )


def _eligible(request) -> bool:
    if request.method not in ("GET", "HEAD") or cache_seconds() <= 0:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if any(name in request.COOKIES for name in _cookie_names()):
        return False
    return len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH


def entry_key(request) -> str:
    """Scheme, host, path and the query parameters in a fixed order, hashed
    (paths may hold any character; cache keys may not)."""
    query = urlencode(
        sorted(
            (name, value) for name, values in request.GET.lists() for value in values
        )
    )
    canonical = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return ENTRY_PREFIX + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _view_allowed(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in cacheable_url_names()


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
        if part.strip()
    }
    if directives & _UNCACHEABLE_DIRECTIVES:
        return False
    vary = {
        part.strip().lower()
        for part in cc_delim_re.split(response.get("Vary", ""))
        if part.strip()
    }
    if vary - {"cookie"}:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return _view_allowed(request)


class PageCacheMiddleware:
    """Serves and stores anonymous public pages; placed right after WhiteNoise,
    so a hit answers before sessions, authentication or the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        key = entry_key(request)
        generation, entry = read(key)
        if entry is not None and entry.get("generation") == generation:
            return self._replay(entry, head=request.method == "HEAD")

        response = self.get_response(request)
        if request.method == "GET" and _storable(request, response):
            self._store(key, generation, response)
        response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _store(key: str, generation: str, response) -> None:
        entry = {
            "generation": generation,
            "stored_at": time.time(),
            "status": response.status_code,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _PER_REQUEST_HEADERS
            ],
            "content": response.content,
        }
        cache.set(key, entry, cache_seconds())

    @staticmethod
    def _replay(entry: dict, *, head: bool) -> HttpResponse:
        # HEAD: the headers of the GET (Content-Length included), no body.
        body = b"" if head else entry["content"]
        response = HttpResponse(body, status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["Age"] = str(max(0, int(time.time() - entry["stored_at"])))
        response["X-Cache"] = "hit"
        return response
