"""The counters and tickets of portal/ratelimit.py on a real Redis, as in
production, raced by threads with connections of their own (issue #14): a
budget's last bytes go to one request, a ticket is redeemed once."""

import threading
import uuid

import pytest
from django.test import RequestFactory

from portal.ratelimit import Budget, WaitTicket


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    url = settings.TEST_REDIS_URL
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on " + url)
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"ratelimit-test-{uuid.uuid4().hex}",
        }
    }
    yield
    from django.core.cache import cache

    cache.clear()


def race(count: int, work) -> list:
    """Run ``work`` in ``count`` threads released together; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait()
        results[index] = work()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def request_from(address):
    return RequestFactory().post("/report/", REMOTE_ADDR=address)


def test_only_one_concurrent_request_fits_into_the_last_bytes(redis_cache):
    budget = Budget("race-bytes", 100, None, 60)
    results = race(8, lambda: budget.take(request_from("192.0.2.44"), 60))
    assert results.count(True) == 1
    # The refused ones gave their bytes back: 40 still fit, 41 do not.
    assert not budget.take(request_from("192.0.2.44"), 41)
    assert budget.take(request_from("192.0.2.44"), 40)


def test_the_site_wide_part_of_a_take_is_shared_by_all_clients(redis_cache):
    budget = Budget("race-site", 1000, 100, 60)
    results = race(
        6, lambda: budget.take(request_from(f"2001:db8:{uuid.uuid4().hex[:4]}::1"), 60)
    )
    assert results.count(True) == 1


def test_a_ticket_is_redeemed_once_under_a_race(redis_cache, monkeypatch):
    from portal import ratelimit

    now = [1_800_000_000.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    queue = WaitTicket("race-ticket", 10, 600)
    request = request_from("2001:db8:5:6::1")
    ticket = queue.issue(request)
    assert queue.seconds_left(request, ticket) == 10
    now[0] += 10
    # Another address in the same /64 is the same client and may use it.
    results = race(8, lambda: queue.redeem(request_from("2001:db8:5:6::99"), ticket))
    assert results.count(True) == 1
    assert queue.seconds_left(request, ticket) is None
