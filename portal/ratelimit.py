"""Counting requests per client and per site in the cache (Redis in
production), for the public endpoints a hostile client would hammer.

A client is known only by a keyed hash of its address, held in the cache for
the length of a window: no address is written to the database or the logs.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address: the peer's, unless the peer is one of our
    reverse proxies (TRUSTED_PROXY_ADDRESSES, portal/proxy.py); then the
    address that proxy added to ``X-Forwarded-For``, and so on for at most
    TRUSTED_PROXY_COUNT hops, each of which must itself be a trusted proxy.

    Walking from the right means whatever a client wrote into its own
    ``X-Forwarded-For`` is never reached: our proxy's entry comes after it."""
    from portal.proxy import is_trusted_proxy

    address = request.META.get("REMOTE_ADDR", "")
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    while hops > 0 and forwarded and is_trusted_proxy(address):
        address = forwarded.pop()
        hops -= 1
    return address


def client_bucket(address: str) -> str:
    """The unit a per-client counter counts: an IPv4 address, or the /64 an
    IPv6 address belongs to. One subscriber is routinely given a whole /64
    (RFC 6177) and can pick any of its 2^64 addresses for each request, so
    counting single IPv6 addresses would give each client endless budgets.
    An IPv4-mapped IPv6 address (``::ffff:192.0.2.1``) counts as its IPv4."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        # Not an address (an empty REMOTE_ADDR, a unix socket): counted as is.
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def client_fingerprint(request) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"),
        client_bucket(client_address(request)).encode("utf-8"),
        hashlib.sha256,
    ).hexdigest()[:32]


def _now() -> float:
    # One place to read the clock, so tests move it instead of sleeping.
    return time.time()


def _add(key: str, amount: int, window: int) -> int:
    """Add ``amount`` to a counter that lives ``window`` seconds from its
    first event; the new value."""
    # add() starts the window only once; incr() is atomic in Redis.
    cache.add(key, 0, window)
    try:
        return cache.incr(key, amount)
    except ValueError:
        # The key expired between add() and incr(): a new window.
        cache.set(key, amount, window)
        return amount


@dataclass(frozen=True)
class Budget:
    """``per_client`` events per client and ``overall`` events for the whole
    site (None: no site-wide budget) within ``window`` seconds. An event may
    weigh more than one (``amount``): staged bytes are counted this way."""

    name: str
    per_client: int
    overall: int | None
    window: int

    def _keys(self, request) -> tuple[str, str]:
        return (
            f"ratelimit:{self.name}:client:{client_fingerprint(request)}",
            f"ratelimit:{self.name}:all",
        )

    def client_exhausted(self, request) -> bool:
        return cache.get(self._keys(request)[0], 0) >= self.per_client

    def site_exhausted(self) -> bool:
        if self.overall is None:
            return False
        return cache.get(f"ratelimit:{self.name}:all", 0) >= self.overall

    def exhausted(self, request) -> bool:
        client_key, all_key = self._keys(request)
        counts = cache.get_many([client_key, all_key])
        return counts.get(client_key, 0) >= self.per_client or (
            self.overall is not None and counts.get(all_key, 0) >= self.overall
        )

    def spend(self, request, amount: int = 1) -> None:
        keys = self._keys(request)
        for key in keys if self.overall is not None else keys[:1]:
            _add(key, amount, self.window)

    def take(self, request, amount: int) -> bool:
        """Spend ``amount`` only if it fits what is left, else spend nothing.

        Counted first and checked after, so two concurrent requests can never
        both fit into the last of a budget (incr is atomic; a check before
        the write would let both through)."""
        client_key, all_key = self._keys(request)
        limits = [(client_key, self.per_client)]
        if self.overall is not None:
            limits.append((all_key, self.overall))
        taken = []
        for key, limit in limits:
            taken.append(key)
            if _add(key, amount, self.window) > limit:
                self._give_back(taken, amount)
                return False
        return True

    def give_back(self, request, amount: int) -> None:
        """Undo a take() whose work then failed (e.g. the disk was full)."""
        client_key, all_key = self._keys(request)
        self._give_back(
            [client_key, all_key] if self.overall is not None else [client_key],
            amount,
        )

    @staticmethod
    def _give_back(keys, amount: int) -> None:
        for key in keys:
            # Expired meanwhile: nothing left to give back.
            with contextlib.suppress(ValueError):
                cache.decr(key, amount)

    def reset(self, request) -> None:
        cache.delete(self._keys(request)[0])


@dataclass(frozen=True)
class WaitTicket:
    """A place in line instead of a refusal: the request is answered "come
    back in ``delay`` seconds" with a signed ticket, and the ticket is honoured
    from then on for ``ttl`` seconds, once.

    Used where a site-wide budget must slow everybody down without letting an
    attacker lock everybody out (the receipt lookup): whoever waits is served.
    Each client holds at most one live ticket (a new one replaces the old), so
    a client cannot stockpile tickets to be served in a burst."""

    name: str
    delay: int
    ttl: int

    def _key(self, request) -> str:
        return f"ratelimit:{self.name}:ticket:{client_fingerprint(request)}"

    def _salt(self) -> str:
        return f"portal.ratelimit.ticket:{self.name}"

    def issue(self, request) -> str:
        nonce = secrets.token_urlsafe(12)
        cache.set(self._key(request), nonce, self.delay + self.ttl + 1)
        return signing.dumps({"n": nonce, "t": int(_now())}, salt=self._salt())

    def seconds_left(self, request, ticket: str) -> int | None:
        """Seconds until the ticket is honoured (0: now); None when it is not
        a live ticket of this client (forged, used, expired, someone else's)."""
        payload = self._payload(request, ticket)
        if payload is None:
            return None
        return max(0, payload["t"] + self.delay - int(_now()))

    def redeem(self, request, ticket: str) -> bool:
        """Use the ticket if it is this client's, live and due."""
        if self.seconds_left(request, ticket) != 0:
            return False
        # delete() reports whether this request removed the key: of two
        # requests redeeming one ticket, one wins.
        return bool(cache.delete(self._key(request)))

    def _payload(self, request, ticket: str) -> dict | None:
        if not ticket or len(ticket) > 200:
            return None
        try:
            payload = signing.loads(ticket, salt=self._salt())
        except signing.BadSignature:
            return None
        if not isinstance(payload, dict):
            return None
        nonce, issued = payload.get("n"), payload.get("t")
        if not isinstance(nonce, str) or type(issued) is not int:
            return None
        if issued + self.delay + self.ttl < _now():
            return None
        if cache.get(self._key(request)) != nonce:
            return None
        return payload
