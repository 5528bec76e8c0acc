"""Counting requests per client and per site in the cache (Redis in
production), for the public endpoints a hostile client would hammer.

A client is known only by a keyed hash of its address, held in the cache for
the length of a window: no address is written to the database or the logs.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address, trusting as many ``X-Forwarded-For`` hops as
    there are reverse proxies in front of the portal (TRUSTED_PROXY_COUNT)."""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def client_fingerprint(request) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"),
        client_address(request).encode("utf-8"),
        hashlib.sha256,
    ).hexdigest()[:32]


@dataclass(frozen=True)
class Budget:
    """``per_client`` events per client and ``overall`` events for the whole
    site (None: no site-wide budget) within ``window`` seconds."""

    name: str
    per_client: int
    overall: int | None
    window: int

    def _keys(self, request) -> tuple[str, str]:
        return (
            f"ratelimit:{self.name}:client:{client_fingerprint(request)}",
            f"ratelimit:{self.name}:all",
        )

    def exhausted(self, request) -> bool:
        client_key, all_key = self._keys(request)
        counts = cache.get_many([client_key, all_key])
        return counts.get(client_key, 0) >= self.per_client or (
            self.overall is not None and counts.get(all_key, 0) >= self.overall
        )

    def spend(self, request) -> None:
        keys = self._keys(request)
        for key in keys if self.overall is not None else keys[:1]:
            # add() starts the window only once; incr() is atomic in Redis.
            cache.add(key, 0, self.window)
            try:
                cache.incr(key)
            except ValueError:
                # The key expired between add() and incr(): a new window.
                cache.set(key, 1, self.window)

    def reset(self, request) -> None:
        cache.delete(self._keys(request)[0])
