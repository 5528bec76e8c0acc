"""Issue #14: forwarding headers count only from the reverse proxy.

The attack: with ``TRUSTED_PROXY_COUNT=1`` and gunicorn published directly,
any client wrote its own ``X-Forwarded-For`` (a fresh rate-limit budget and
lockout count per request, a forged address in the audit log) and
``X-Forwarded-Proto: https``. Now only a peer in TRUSTED_PROXY_ADDRESSES is
believed (portal/proxy.py, portal.ratelimit.client_address).
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from audit import record
from audit.models import Action
from portal.proxy import ForwardedHeadersMiddleware, is_trusted_proxy
from portal.ratelimit import client_address, client_fingerprint

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = [PROXY]
    return settings


def request_from(peer, **headers):
    return RequestFactory().get("/search/", REMOTE_ADDR=peer, **headers)


def test_a_direct_client_cannot_choose_its_address(behind_proxy):
    forged = request_from("198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(forged) == "198.51.100.4"
    other = request_from("198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.10")
    # Same budget whatever it claims.
    assert client_fingerprint(forged) == client_fingerprint(other)


def test_the_proxys_entry_is_the_client_and_the_clients_own_is_ignored(
    behind_proxy,
):
    relayed = request_from(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4")
    assert client_address(relayed) == "198.51.100.4"


def test_two_hops_each_must_be_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    settings.TRUSTED_PROXY_ADDRESSES = ["10.0.0.0/24"]
    chain = "203.0.113.9, 198.51.100.4, 10.0.0.7"
    assert client_address(request_from(PROXY, HTTP_X_FORWARDED_FOR=chain)) == (
        "198.51.100.4"
    )
    # The second hop is not one of ours: its word about the client is not taken.
    chain = "203.0.113.9, 198.51.100.4"
    assert client_address(request_from(PROXY, HTTP_X_FORWARDED_FOR=chain)) == (
        "198.51.100.4"
    )
    assert client_address(request_from(PROXY)) == PROXY


def test_a_count_without_addresses_trusts_nobody(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = []
    request = request_from("127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "127.0.0.1"


def test_ipv4_mapped_peers_and_networks(settings):
    settings.TRUSTED_PROXY_ADDRESSES = ["172.30.80.0/24", "fd00::1"]
    assert is_trusted_proxy("172.30.80.2")
    assert is_trusted_proxy("::ffff:172.30.80.2")
    assert is_trusted_proxy("fd00::1")
    assert not is_trusted_proxy("172.30.81.2")
    assert not is_trusted_proxy("")
    assert not is_trusted_proxy("unix:/run/x")


def test_a_malformed_setting_is_a_configuration_error(settings):
    settings.TRUSTED_PROXY_ADDRESSES = ["*"]
    with pytest.raises(ImproperlyConfigured):
        is_trusted_proxy("10.0.0.2")


def test_the_audit_log_records_the_peer_not_the_forged_address(behind_proxy, db):
    request = request_from("198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9")
    request.user = AnonymousUser()
    event = record(Action.REPORT_VIEW, request=request)
    event.refresh_from_db()
    assert event.client_address == "198.51.100.4"


def _seen_by_the_view(peer, **headers):
    seen = {}

    def view(request):
        seen.update(request.META)
        seen["secure"] = request.is_secure()
        return HttpResponse()

    ForwardedHeadersMiddleware(view)(request_from(peer, **headers))
    return seen


FORGED_HEADERS = {
    "HTTP_X_FORWARDED_FOR": "203.0.113.9",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_HOST": "evil.example",
    "HTTP_FORWARDED": "for=203.0.113.9;proto=https",
    "HTTP_X_REAL_IP": "203.0.113.9",
    "HTTP_X_REQUEST_ID": "forged-id",
}


def test_the_middleware_drops_forwarding_headers_of_a_direct_client(behind_proxy):
    behind_proxy.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen = _seen_by_the_view("198.51.100.4", **FORGED_HEADERS)
    assert not set(FORGED_HEADERS) & set(seen)
    assert seen["secure"] is False


def test_the_middleware_keeps_the_proxys_headers(behind_proxy):
    behind_proxy.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen = _seen_by_the_view(PROXY, **FORGED_HEADERS)
    assert seen["HTTP_X_FORWARDED_FOR"] == "203.0.113.9"
    assert seen["secure"] is True


def test_the_middleware_comes_first(settings):
    assert settings.MIDDLEWARE[0] == "portal.proxy.ForwardedHeadersMiddleware"


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_lift_the_search_limit(client, settings):
    """Through the whole stack: every request claims a new address."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = [PROXY]
    settings.SEARCH_RATE_LIMIT = 2
    from django.core.cache import cache

    cache.clear()
    codes = [
        client.get(
            "/search/", {"q": "回避"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(4)
    ]
    cache.clear()
    assert codes[:2] == [200, 200]
    assert codes[2:] == [429, 429]
