"""A Redis cache that survives Redis going away.

The portal keeps more than page fragments in its cache: the rate limits of
the public forms and the search (portal/ratelimit.py) and the single-use mark
of each proof-of-work solution (reporting/challenge.py) live there too. With
django-redis' ``IGNORE_EXCEPTIONS`` alone, a Redis outage turns those
security controls off without a word: ``get_many`` answers ``{}`` (no client
is ever over its limit) and ``add`` answers ``None`` (every proof of work is
"already used", so nobody can file a report at all).

:class:`ResilientRedisCache` decides instead: when Redis cannot be reached it
answers from a per-process local-memory cache, logs a warning (once per
``FALLBACK_LOG_SECONDS``), and leaves Redis alone for
``FALLBACK_RETRY_SECONDS`` so that requests do not each wait for a connection
timeout. The controls keep working, per process rather than per site:

- rate limits still apply, counted by each worker process from zero: a client
  gets at most (number of processes) x its budget during the outage;
- a proof-of-work solution is still single-use within a process; a replay
  could succeed once in each other process, and each replay still spends the
  client's rate-limit budget there.

Both are bounded and short-lived, which we prefer to refusing every report or
to no limit at all. When Redis answers again, the keys this process wrote
during the outage are deleted from Redis (their values there are older than
what the site has since seen, e.g. a page purged on publish), the local copy
is dropped and Redis is the one cache again.

Configure with ``"BACKEND": "portal.cache.ResilientRedisCache"`` and
django-redis' own options; ``IGNORE_EXCEPTIONS`` is ignored (this class
handles the errors).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections import defaultdict

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from portal.health import classify

logger = logging.getLogger(__name__)

#: What a Redis outage looks like through django-redis (which wraps most
#: errors in ConnectionInterrupted) and through the redis client directly.
OUTAGE = (
    ConnectionInterrupted,
    RedisConnectionError,
    RedisTimeoutError,
    socket.timeout,
    ConnectionError,
)
#: Keys written during an outage that are remembered for the clean-up.
MAX_DIRTY_KEYS = 10_000


class ResilientRedisCache(BaseCache):
    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("FALLBACK_RETRY_SECONDS", 15))
        self.log_seconds = float(options.pop("FALLBACK_LOG_SECONDS", 60))
        fallback_entries = int(options.pop("FALLBACK_MAX_ENTRIES", 10_000))
        options["IGNORE_EXCEPTIONS"] = False
        self.primary = RedisCache(server, {**params, "OPTIONS": options})
        shared = ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
        self.fallback = LocMemCache(
            f"portal-cache-fallback:{id(self)}",
            {
                **{key: params[key] for key in shared if key in params},
                "OPTIONS": {"MAX_ENTRIES": fallback_entries},
            },
        )
        self._lock = threading.Lock()
        self._down_until: float | None = None
        self._last_log = float("-inf")
        self._dirty: dict[int | None, set] = defaultdict(set)
        self._dirty_count = 0
        self._dirty_overflow = False

    # --- state -------------------------------------------------------------

    @property
    def degraded(self) -> bool:
        """True while this process answers from its local-memory cache."""
        return self._down_until is not None

    def _trip(self, exc: BaseException) -> None:
        code, _reason = classify(exc)
        with self._lock:
            now = time.monotonic()
            first = self._down_until is None
            self._down_until = now + self.retry_seconds
            should_log = first or now - self._last_log >= self.log_seconds
            if should_log:
                self._last_log = now
        if should_log:
            # The classification only: the driver's message names the host.
            logger.warning(
                "Redis cache unavailable (%s): answering from this process's "
                "local-memory cache, retrying Redis every %ss",
                code,
                int(self.retry_seconds),
            )

    def _primary_usable(self) -> bool:
        down_until = self._down_until
        if down_until is None:
            return True
        if time.monotonic() < down_until:
            return False
        return self._recover()

    def _recover(self) -> bool:
        """Redis may be back: clear what went stale there, then use it again."""
        with self._lock:
            dirty, self._dirty = self._dirty, defaultdict(set)
            overflow, self._dirty_overflow = self._dirty_overflow, False
            self._dirty_count = 0
        try:
            self.primary.client.get_client(write=True).ping()
            for version, keys in dirty.items():
                if keys:
                    self.primary.delete_many(list(keys), version=version)
        except OUTAGE as exc:
            with self._lock:
                for version, keys in dirty.items():
                    self._dirty[version] |= keys
                    self._dirty_count += len(keys)
                self._dirty_overflow |= overflow
            self._trip(exc)
            return False
        with self._lock:
            self._down_until = None
        self.fallback.clear()
        logger.warning(
            "Redis cache reachable again: %d keys written during the outage "
            "cleared from it%s",
            sum(len(keys) for keys in dirty.values()),
            " (more were written than remembered: some may be stale)"
            if overflow
            else "",
        )
        return True

    def _remember(self, keys, version) -> None:
        with self._lock:
            for key in keys:
                if self._dirty_count >= MAX_DIRTY_KEYS:
                    self._dirty_overflow = True
                    return
                if key not in self._dirty[version]:
                    self._dirty[version].add(key)
                    self._dirty_count += 1

    def _call(self, method: str, *args, written=(), version=None, **kwargs):
        if version is not None:
            kwargs["version"] = version
        if self._primary_usable():
            try:
                return getattr(self.primary, method)(*args, **kwargs)
            except OUTAGE as exc:
                self._trip(exc)
        if written:
            self._remember(written, version)
        return getattr(self.fallback, method)(*args, **kwargs)

    # --- Django's cache API -----------------------------------------------

    def add(self, key, value, timeout=None, version=None):
        kwargs = {} if timeout is None else {"timeout": timeout}
        # Not remembered: an add that wins locally leaves Redis' value (if
        # any) as it was, which is still the truth there.
        return self._call("add", key, value, version=version, **kwargs)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    def set(self, key, value, timeout=None, version=None):
        kwargs = {} if timeout is None else {"timeout": timeout}
        return self._call("set", key, value, written=[key], version=version, **kwargs)

    def touch(self, key, timeout=None, version=None):
        kwargs = {} if timeout is None else {"timeout": timeout}
        return self._call("touch", key, written=[key], version=version, **kwargs)

    def delete(self, key, version=None):
        return self._call("delete", key, written=[key], version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def set_many(self, data, timeout=None, version=None):
        kwargs = {} if timeout is None else {"timeout": timeout}
        result = self._call(
            "set_many", data, written=list(data), version=version, **kwargs
        )
        # django-redis answers None; Django's API promises the failed keys.
        return result or []

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call("delete_many", keys, written=keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, written=[key], version=version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta, written=[key], version=version)

    def clear(self):
        self.fallback.clear()
        if self._primary_usable():
            try:
                return self.primary.clear()
            except OUTAGE as exc:
                self._trip(exc)
        return None

    def close(self, **kwargs):
        with contextlib.suppress(*OUTAGE):
            self.primary.close(**kwargs)
