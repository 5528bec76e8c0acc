"""Redis down: the site keeps serving from a per-process local cache, logs
it, and the security controls kept in the cache (rate limits, single-use
proofs of work) keep working instead of turning off."""

import logging
import time

import pytest
import redis
from django.core.cache import caches
from faults_helpers import DEAD_REDIS_URL, RedisServer

from portal.cache import ResilientRedisCache
from reporting import challenge, receipts
from reporting.models import Report
from tests.testkit.factories import AgencyFactory

LIVE_REDIS_URL = "redis://127.0.0.1:6379/13"


def make_cache(location, **options):
    return ResilientRedisCache(
        location,
        {
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
                **options,
            },
            "KEY_PREFIX": "faults",
        },
    )


@pytest.fixture
def live_redis():
    client = redis.Redis.from_url(LIVE_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def test_with_redis_up_the_values_live_in_redis(live_redis):
    cache = make_cache(LIVE_REDIS_URL)
    cache.set("greeting", "你好", 60)
    assert cache.get("greeting") == "你好"
    assert cache.add("once", 1, 60) is True
    assert cache.add("once", 1, 60) is False
    assert cache.incr("once") == 2
    assert cache.get_many(["greeting", "once", "absent"]) == {
        "greeting": "你好",
        "once": 2,
    }
    assert not cache.degraded
    # Really in Redis: another client sees them.
    assert live_redis.exists("faults:1:greeting", "faults:1:once") == 2


def test_with_redis_down_the_cache_answers_locally_and_logs_once(caplog):
    cache = make_cache(DEAD_REDIS_URL)
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        started = time.perf_counter()
        for n in range(50):
            cache.set(f"k{n}", n, 60)
            assert cache.get(f"k{n}") == n
        elapsed = time.perf_counter() - started
    assert cache.degraded
    # add() keeps its meaning (the single-use mark of a proof of work)...
    assert cache.add("used", 1, 60) is True
    assert cache.add("used", 1, 60) is False
    # ...and so do counters (rate limits).
    cache.add("count", 0, 60)
    assert cache.incr("count") == 1
    assert cache.incr("count") == 2
    with pytest.raises(ValueError):
        cache.incr("missing")
    # One warning for the outage, naming the reason and not the address.
    warnings = [r.getMessage() for r in caplog.records if r.name == "portal.cache"]
    assert len(warnings) == 1
    assert "connection_refused" in warnings[0] and "127.0.0.1" not in warnings[0]
    # Redis is not asked again on every call: 100 calls take no time.
    assert elapsed < 2


def test_after_an_outage_redis_is_used_again_and_stale_keys_are_cleared(caplog):
    server = RedisServer()
    server.start()
    try:
        cache = make_cache(server.url, FALLBACK_RETRY_SECONDS=0.2)
        cache.set("page", "old", 300)
        cache.set("untouched", "kept", 300)
        server.stop()
        # The outage: a publish purges the page, a counter moves on.
        with caplog.at_level(logging.WARNING, logger="portal.cache"):
            cache.delete("page")
            assert cache.get("page") is None
            assert cache.degraded
            server.start()
            time.sleep(0.3)
            # The first call after the retry delay finds Redis back.
            assert cache.get("page") is None
        assert not cache.degraded
        # The delete made during the outage reached Redis: no stale page.
        direct = redis.Redis(port=server.port)
        assert direct.exists("faults:1:page") == 0
        # (A restarted Redis without persistence has lost everything anyway;
        # what matters is that writes go to Redis again.)
        cache.set("after", "new", 60)
        assert direct.get("faults:1:after") is not None
        messages = " ".join(r.getMessage() for r in caplog.records)
        assert "unavailable" in messages and "reachable again" in messages
    finally:
        server.stop()


def test_stale_values_written_before_the_outage_are_not_served_after_it():
    # Redis stays up but the portal cannot reach it for a while (a network
    # cut); a value changed meanwhile must not come back from Redis.
    server = RedisServer()
    server.start()
    try:
        cache = make_cache(server.url, FALLBACK_RETRY_SECONDS=0.2)
        cache.set("settings", "v1", 300)
        real_port = server.port
        # Cut: point the client at nothing by tripping it on a real error.
        cache.primary._server = DEAD_REDIS_URL
        cache.primary._client = None
        cache.set("settings", "v2", 300)
        assert cache.degraded and cache.get("settings") == "v2"
        # The network is back.
        cache.primary._server = f"redis://127.0.0.1:{real_port}/0"
        cache.primary._client = None
        time.sleep(0.3)
        assert cache.get("settings") is None  # v1 was cleared, not served
        assert not cache.degraded
    finally:
        server.stop()


@pytest.fixture
def dead_redis_cache(settings):
    """The portal's cache configured as production configures it, with Redis
    down."""
    settings.REDIS_URL = DEAD_REDIS_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
            "KEY_PREFIX": "portal",
        }
    }
    cache = caches["default"]
    assert isinstance(cache, ResilientRedisCache)
    yield cache
    cache.clear()


def report_data(agency):
    return {
        "kind": Report.Kind.ANONYMOUS,
        "subject": "执法人员检查时未出示执法证件",
        "agency": str(agency.pk),
        "agency_text": "",
        "persons": "",
        "occurred_on": "2026-11-20",
        "place": "花园路早市",
        "description": "检查时未出示执法证件，对摊主大声呵斥。",
        "pledge": "on",
    }


@pytest.mark.django_db
def test_with_redis_down_reports_are_filed_and_proofs_stay_single_use(
    client, dead_redis_cache, settings
):
    settings.REPORTING = {**settings.REPORTING, "SUBMISSIONS_PER_CLIENT": 1}
    agency = AgencyFactory()
    data = report_data(agency)
    assert client.get("/report/").status_code == 200
    solution = challenge.solve(challenge.issue())
    filed = client.post("/report/", {**data, "proof": solution})
    assert filed.status_code == 200
    assert "data-receipt-code" in filed.content.decode()
    assert Report.objects.count() == 1
    # The same proof again: refused, not accepted for lack of a cache.
    replay = client.post("/report/", {**data, "proof": solution})
    assert "安全验证" in replay.content.decode()
    assert Report.objects.count() == 1
    # The submission budget still holds (1 per client in this test).
    fresh = challenge.solve(challenge.issue())
    assert client.post("/report/", {**data, "proof": fresh}).status_code == 429
    assert dead_redis_cache.degraded


@pytest.mark.django_db
def test_with_redis_down_status_lookups_are_still_throttled(
    client, dead_redis_cache, settings
):
    settings.REPORTING = {**settings.REPORTING, "LOOKUP_FAILURES_PER_CLIENT": 3}
    # Well-formed codes that match no report: a malformed one costs nothing
    # and counts for nothing, so it could never reach the limit.
    wrong = [receipts.new_code() for _ in range(4)]
    for code in wrong[:3]:
        response = client.post("/report/status/", {"code": code})
        assert response.status_code == 200
    assert client.post("/report/status/", {"code": wrong[3]}).status_code == 429


@pytest.mark.django_db
def test_with_redis_down_search_serves_and_its_limit_applies(
    client, dead_redis_cache, settings
):
    settings.SEARCH_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/search/", {"q": "容错"}).status_code == 200
    assert client.get("/search/", {"q": "容错"}).status_code == 429


@pytest.mark.django_db
def test_healthz_names_redis_while_the_site_serves(client, dead_redis_cache):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["reason"] == "连接被拒绝"
    assert client.get("/report/").status_code == 200
