"""The public page cache (portal/pagecache.py): hits cost no query, every
public change purges, and nothing personal is ever stored or served."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal import pagecache

NOTICES = "/notices/"


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(public_site, cached):
    return public_site


def _index():
    from publishing.models import PublicationIndexPage

    return PublicationIndexPage.objects.get(slug="notices")


def _publish_notice(title, day=datetime.date(2025, 6, 1)):
    from publishing.models import ClarificationNoticePage

    notice = ClarificationNoticePage(
        title=title, body="经核查，反映的问题不属实，予以澄清。", date=day
    )
    _index().add_child(instance=notice)
    notice.save_revision().publish()
    return notice


def test_second_request_is_a_hit_without_a_query(
    client, site, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200
    assert second["X-Cache"] == "hit"
    assert int(second["Age"]) >= 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # The security headers above the cache still run on a hit.
    assert "Content-Security-Policy" not in first or (
        second["Content-Security-Policy"] == first["Content-Security-Policy"]
    )


def test_every_public_page_type_is_cached(client, site, django_assert_num_queries):
    from publishing.models import (
        ClarificationNoticePage,
        InterpretationPage,
        PolicyDocumentPage,
        TransparencyStatisticsPage,
    )

    urls = [
        "/",
        NOTICES,
        PolicyDocumentPage.objects.get().url,
        InterpretationPage.objects.first().url,
        ClarificationNoticePage.objects.first().url,
        TransparencyStatisticsPage.objects.get().url,
        reverse("publishing_notices_rss"),
        reverse("publishing_interpretations_atom"),
    ]
    for url in urls:
        assert client.get(url)["X-Cache"] == "miss", url
    with django_assert_num_queries(0):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["X-Cache"] == "hit", url


def test_publishing_a_notice_shows_it_in_the_index_at_once(client, site):
    assert "新发布的澄清公告" not in client.get(NOTICES).content.decode()
    assert client.get(NOTICES)["X-Cache"] == "hit"
    assert client.get(reverse("publishing_notices_rss"))["X-Cache"] == "miss"

    _publish_notice("新发布的澄清公告")

    response = client.get(NOTICES)
    assert response["X-Cache"] == "miss"
    assert "新发布的澄清公告" in response.content.decode()
    feed = client.get(reverse("publishing_notices_rss"))
    assert feed["X-Cache"] == "miss"
    assert "新发布的澄清公告" in feed.content.decode()
    assert "新发布的澄清公告" in client.get("/").content.decode()


@pytest.mark.parametrize("change", ["unpublish", "delete", "move", "restrict"])
def test_withdrawing_a_notice_removes_it_at_once(client, site, change):
    from wagtail.models import PageViewRestriction

    from publishing.models import PublicationIndexPage

    notice = _publish_notice("将被撤回的公告")
    url = notice.url
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Cache"] == "hit"
    assert "将被撤回的公告" in client.get(NOTICES).content.decode()

    if change == "unpublish":
        notice.unpublish()
    elif change == "delete":
        notice.delete()
    elif change == "move":
        other = PublicationIndexPage.objects.get(slug="interpretations")
        notice.move(other, pos="last-child")
    else:
        PageViewRestriction.objects.create(
            page=notice, restriction_type=PageViewRestriction.LOGIN
        )

    response = client.get(url)
    # 301: Wagtail leaves a redirect where a moved page was.
    assert response.status_code in (301, 302, 404)
    assert "将被撤回的公告" not in client.get(NOTICES).content.decode()


def test_a_draft_does_not_purge_but_its_publication_does(client, site):
    from publishing.models import ClarificationNoticePage

    notice = ClarificationNoticePage.objects.live().first()
    client.get(notice.url)
    notice.title = "修改后的标题"
    revision = notice.save_revision()
    assert client.get(notice.url)["X-Cache"] == "hit"
    revision.publish()
    response = client.get(notice.url)
    assert response["X-Cache"] == "miss"
    assert "修改后的标题" in response.content.decode()


def test_site_settings_and_statistics_purge(client, site):
    from wagtail.models import Site

    from portal.models import GovernmentSiteSettings
    from publishing.tasks import refresh_statistics

    client.get("/")
    footer = GovernmentSiteSettings.for_site(Site.objects.get(is_default_site=True))
    footer.icp_number = "鲁ICP备99999999号"
    footer.save()
    response = client.get("/")
    assert response["X-Cache"] == "miss"
    assert "鲁ICP备99999999号" in response.content.decode()

    assert client.get("/")["X-Cache"] == "hit"
    refresh_statistics()
    assert client.get("/")["X-Cache"] == "miss"


def test_case_and_report_writes_do_not_purge(client, site):
    """Casework is not public: its writes leave the cache alone."""
    from tests.testkit.factories import SupervisionCaseFactory

    client.get("/")
    SupervisionCaseFactory()
    assert client.get("/")["X-Cache"] == "hit"


def test_signed_in_users_neither_get_nor_poison_the_cache(client, site):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_superuser(
        "cache-editor", "editor@example.org", "x-cache-editor-pass"
    )
    anonymous = client.get("/")
    assert "wagtail-userbar" not in anonymous.content.decode()

    client.force_login(editor)
    signed_in = client.get("/")
    assert "X-Cache" not in signed_in
    assert "wagtail-userbar" in signed_in.content.decode()

    client.logout()
    client.cookies.clear()
    again = client.get("/")
    assert again["X-Cache"] == "hit"
    assert "wagtail-userbar" not in again.content.decode()


def test_a_page_rendered_for_a_signed_in_user_is_never_stored(rf, site):
    """Whatever authenticated the user (not only a session cookie)."""
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_superuser(
        "cache-editor2", "editor2@example.org", "x-cache-editor-pass"
    )

    def view(request):
        from django.http import HttpResponse
        from django.urls import resolve

        request.resolver_match = resolve("/")
        request.user = editor
        return HttpResponse("personal")

    middleware = pagecache.PageCacheMiddleware(view)
    assert middleware(rf.get("/"))["X-Cache"] == "miss"
    assert middleware(rf.get("/"))["X-Cache"] == "miss"


def test_session_and_message_cookies_bypass(client, site, settings):
    client.get("/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert "X-Cache" not in client.get("/")
    client.cookies.clear()
    client.cookies["messages"] = "anything"
    assert "X-Cache" not in client.get("/")
    client.cookies.clear()
    assert "X-Cache" not in client.get("/", HTTP_AUTHORIZATION="Basic eDp5")


def test_query_strings_are_part_of_the_key_in_any_order(client, site):
    client.get(NOTICES, {"year": "2025", "type": "notice"})
    same = client.get(NOTICES + "?type=notice&year=2025")
    assert same["X-Cache"] == "hit"
    other = client.get(NOTICES + "?type=policy")
    assert other["X-Cache"] == "miss"
    assert other.content != same.content
    # Absurdly long query strings are served, never stored.
    long = NOTICES + "?x=" + "a" * 400
    assert client.get(long).status_code == 200
    assert "X-Cache" not in client.get(long)


def test_head_is_served_from_the_cached_get(client, site, django_assert_num_queries):
    assert client.head("/")["X-Cache"] == "miss"
    assert client.head("/")["X-Cache"] == "miss"  # HEAD never stores
    full = client.get("/")
    with django_assert_num_queries(0):
        head = client.head("/")
    assert head["X-Cache"] == "hit"
    assert head.content == b""
    assert head["Content-Type"] == full["Content-Type"]


def test_what_is_never_cached(client, site):
    for url in [
        reverse("reporting:report"),
        reverse("reporting:status"),
        "/search/?q=容错",
        "/api/v2/pages/",
        "/no-such-page/",
        "/admin/",
    ]:
        client.get(url)
        response = client.get(url)
        assert response.get("X-Cache") != "hit", url
    assert client.post("/", {}).get("X-Cache") != "hit"


def test_a_form_page_that_sets_the_csrf_cookie_is_not_stored(client, site):
    response = client.get(reverse("reporting:report"))
    assert response.cookies  # the CSRF cookie
    assert client.get(reverse("reporting:report")).get("X-Cache") != "hit"


def test_zero_seconds_switches_the_cache_off(client, site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert "X-Cache" not in client.get("/")


def test_a_purge_during_rendering_keeps_the_stale_page_out(rf, cached):
    """The generation is read before the view: a page rendered from rows a
    purge replaced is stored under the old generation and never served."""
    from django.http import HttpResponse
    from django.urls import resolve

    def rendering(purge_meanwhile):
        def view(request):
            request.resolver_match = resolve("/")
            if purge_meanwhile:
                pagecache.purge()
            return HttpResponse("page")

        return pagecache.PageCacheMiddleware(view)

    assert rendering(True)(rf.get("/"))["X-Cache"] == "miss"
    assert rendering(False)(rf.get("/"))["X-Cache"] == "miss"
    assert rendering(False)(rf.get("/"))["X-Cache"] == "hit"


def test_an_evicted_generation_invalidates_everything(client, site):
    client.get("/")
    cache.delete(pagecache.GENERATION_KEY)
    assert client.get("/")["X-Cache"] == "miss"
    assert client.get("/")["X-Cache"] == "hit"


@pytest.mark.django_db
def test_redis_cache_shared_between_processes(client, site, settings):
    """With Redis (production) the entry is pickled and the purge made by
    another process (the task cluster) is seen by this one."""
    redis = pytest.importorskip("redis")
    url = settings.TEST_REDIS_URL.rsplit("/", 1)[0] + "/12"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on " + url)
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "pagecache-test",
        }
    }
    cache.clear()
    client.get(NOTICES)
    assert client.get(NOTICES)["X-Cache"] == "hit"
    # Another process bumps the generation directly in Redis.
    raw = redis.Redis.from_url(url)
    keys = raw.keys("pagecache-test:*" + pagecache.GENERATION_KEY)
    assert keys
    raw.delete(*keys)
    assert client.get(NOTICES)["X-Cache"] == "miss"
    cache.clear()


def test_placement_and_defaults():
    """Right after WhiteNoise: a hit answers before sessions, CSRF and
    authentication; the security headers (above it) still apply."""
    from portal.settings import base

    middleware = base.MIDDLEWARE
    position = middleware.index("portal.pagecache.PageCacheMiddleware")
    assert middleware[position - 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    for later in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ):
        assert middleware.index(later) > position
    assert base.PAGE_CACHE_SECONDS == 300
    names = pagecache.cacheable_url_names()
    assert "wagtail_serve" in names
    assert not any("search" in name for name in names)


def test_cacheable_views_and_purge_models_come_from_the_plugins(monkeypatch):
    """The portal names no plugin (issue #18): the feeds and the statistics
    snapshot are publishing's, through its hooks; with no plugin hooking in
    only Wagtail's page serving is kept."""
    from wagtail import hooks

    from portal.hooks import PAGE_CACHE_PURGE_MODELS, PAGE_CACHE_URL_NAMES
    from publishing.models import StatisticsSnapshot

    assert "publishing_notices_rss" in pagecache.cacheable_url_names()
    assert StatisticsSnapshot in pagecache._purge_models()
    hooks.get_hooks(PAGE_CACHE_URL_NAMES)  # every wagtail_hooks module loaded
    monkeypatch.setitem(hooks._hooks, PAGE_CACHE_URL_NAMES, [])
    monkeypatch.setitem(hooks._hooks, PAGE_CACHE_PURGE_MODELS, [])
    assert pagecache.cacheable_url_names() == {"wagtail_serve"}
    assert pagecache._purge_models() == ()


def test_remembered_values_last_until_the_next_purge(cached, db):
    """What pages keep beside the page cache (menu, policy text, version
    history, home lists) lasts exactly as long as a cached page would."""
    calls = []

    def compute():
        calls.append(len(calls) + 1)
        return calls[-1]

    assert pagecache.remembered("test:kept", compute) == 1
    assert pagecache.remembered("test:kept", compute) == 1
    pagecache.purge()
    assert pagecache.remembered("test:kept", compute) == 2
    # An evicted generation (Redis restarted) keeps nothing either.
    cache.delete(pagecache.GENERATION_KEY)
    assert pagecache.remembered("test:kept", compute) == 3
    assert calls == [1, 2, 3]
