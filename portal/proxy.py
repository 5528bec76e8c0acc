"""Which peers may speak for the client: the reverse proxy, nobody else.

``X-Forwarded-For``, ``X-Forwarded-Proto`` and their kin are believed only
when the connection comes from an address in ``TRUSTED_PROXY_ADDRESSES``
(addresses or networks). From anyone else they are forged by definition:
``ForwardedHeadersMiddleware`` removes them before any other code reads the
request, so a direct client cannot choose its own address for the rate
limits, the sign-in lockout and the audit log, nor make a plain request pass
for HTTPS. ``portal.ratelimit.client_address`` applies the same rule for code
that runs without the middleware.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: The request headers (as META keys) only a trusted proxy may set.
FORWARDING_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_FORWARDED_PROTOCOL",
    "HTTP_FORWARDED",
    "HTTP_X_REAL_IP",
    # audit matches its rows to the proxy's log lines by this id.
    "HTTP_X_REQUEST_ID",
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXY_ADDRESSES holds a value that is not an address or "
            f"network: {error}"
        ) from error


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXY_ADDRESSES", ())))


def is_trusted_proxy(address: str) -> bool:
    """Whether a peer at ``address`` is one of our reverse proxies."""
    try:
        peer = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    # An IPv4 peer seen through an IPv6 socket (::ffff:a.b.c.d).
    if isinstance(peer, ipaddress.IPv6Address) and peer.ipv4_mapped:
        peer = peer.ipv4_mapped
    return any(peer in network for network in trusted_networks())


def from_trusted_proxy(request) -> bool:
    return is_trusted_proxy(request.META.get("REMOTE_ADDR", ""))


class ForwardedHeadersMiddleware:
    """First in MIDDLEWARE: forwarding headers from a peer that is not a
    trusted proxy are dropped before SecurityMiddleware (HTTPS), the health
    check, the rate limits, axes or the audit log read them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request):
            dropped = [key for key in FORWARDING_HEADERS if key in request.META]
            for key in dropped:
                del request.META[key]
            # Someone tried to speak for another client, or a proxy we were
            # not told about relays this request: it is not a local one.
            request.forwarding_headers_dropped = bool(dropped)
        return self.get_response(request)
