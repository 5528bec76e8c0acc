"""Per-client counters bucket IPv6 clients by /64 (portal/ratelimit.py): one
subscriber holds a whole /64 and could otherwise take a fresh budget for every
request. Counters live in the cache; these tests use the test cache."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from portal.ratelimit import Budget, client_bucket, client_fingerprint


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(address: str):
    return RequestFactory().get("/", REMOTE_ADDR=address)


@pytest.mark.parametrize(
    "address,bucket",
    [
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:0db8:0001:0002:0000:0000:0000:0009", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("192.0.2.7", "192.0.2.7"),
        ("", ""),
        ("unix:/run/socket", "unix:/run/socket"),
    ],
)
def test_bucket_of_an_address(address, bucket):
    assert client_bucket(address) == bucket


def test_two_addresses_in_one_slash_64_share_a_budget():
    budget = Budget("bucket-test", 3, None, 60)
    for address in ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:f:f:f:f"):
        budget.spend(request_from(address))
    assert budget.client_exhausted(request_from("2001:db8:1:2:abcd::42"))
    assert budget.exhausted(request_from("2001:db8:1:2:abcd::42"))
    # Neighbouring /64s are other clients.
    assert not budget.exhausted(request_from("2001:db8:1:3::1"))
    assert not budget.exhausted(request_from("2001:db8:1:1::1"))


def test_fingerprints_follow_the_bucket():
    same = {
        client_fingerprint(request_from(a))
        for a in ("2001:db8:9:9::1", "2001:db8:9:9:1:2:3:4")
    }
    assert len(same) == 1
    assert client_fingerprint(request_from("2001:db8:9:8::1")) not in same
    assert client_fingerprint(request_from("192.0.2.1")) != client_fingerprint(
        request_from("192.0.2.2")
    )


def test_ipv4_mapped_addresses_count_as_their_ipv4():
    budget = Budget("bucket-test-v4", 1, None, 60)
    budget.spend(request_from("::ffff:198.51.100.3"))
    assert budget.exhausted(request_from("198.51.100.3"))
    assert not budget.exhausted(request_from("198.51.100.4"))
