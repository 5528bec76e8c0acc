"""Health checks for /healthz: the database always, Redis and Elasticsearch
where configured.

The public gets "ok" or "unavailable" and the status code, nothing more:
which backends a site runs is a map for an attacker. The per-backend details
go to a local probe (the container's own health check) and to a request that
carries HEALTHZ_TOKEN in ``X-Health-Token`` (never in the URL: URLs end up in
logs and browser histories).

A failure is named with a short, safe classification of why (connection
refused, timeout, too many connections…), in Chinese for the people reading
the probe and as a code for the machines. The exception's own text (hosts,
ports, user names) stays in the server log, never in the public response.
"""

import hmac
import ipaddress
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext_lazy as _

from portal.proxy import is_trusted_proxy

logger = logging.getLogger(__name__)

#: (code, words that identify it in an exception's class name or message,
#: what /healthz and the logs say). First match wins, so the specific kinds
#: come before the general "connection lost".
REASONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "too_many_connections",
        ("too many clients", "too many connections", "remaining connection slots"),
        _("too many connections"),
    ),
    (
        "authentication_failed",
        ("authentication failed", "authenticationerror", "invalid password"),
        _("authentication failed"),
    ),
    (
        "database_missing",
        ("does not exist", "unknown database"),
        _("database does not exist"),
    ),
    (
        "host_unknown",
        ("could not translate host", "name or service not known", "nodename nor"),
        _("host name cannot be resolved"),
    ),
    ("connection_refused", ("refused",), _("connection refused")),
    ("timeout", ("timeout", "timed out"), _("connection timed out")),
    (
        "unable_to_open",
        ("unable to open database", "no such file", "permission denied"),
        _("database file cannot be opened"),
    ),
    ("locked", ("database is locked",), _("database is locked")),
    (
        "disk_error",
        ("disk i/o", "disk is full", "database or disk is full", "readonly"),
        _("disk error"),
    ),
    (
        "connection_lost",
        (
            "server closed the connection",
            "terminating connection",
            "connection already closed",
            "connection is closed",
            "connection reset",
            "broken pipe",
            "ssl syscall",
            "connectionerror",
            "connection error",
            "interfaceerror",
        ),
        _("connection lost"),
    ),
)
UNKNOWN = ("unavailable", _("service unavailable"))


def classify(exc: BaseException) -> tuple[str, str]:
    """``(code, reason)`` for a failure to reach a service: a fixed code and
    its Chinese description, never any part of the exception's own text."""
    text = f"{type(exc).__name__} {exc}".lower()
    cause = exc.__cause__ or exc.__context__
    if cause is not None:
        text += f" {type(cause).__name__} {cause}".lower()
    for code, words, reason in REASONS:
        if any(word in text for word in words):
            return code, str(reason)
    return UNKNOWN[0], str(UNKNOWN[1])


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis() -> None:
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
    finally:
        client.close()


def check_elasticsearch() -> None:
    from elasticsearch import Elasticsearch

    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=2, max_retries=0)
    try:
        # info() raises the transport's own error (refused, timed out…),
        # where ping() would only answer False.
        client.info()
    finally:
        client.close()


def configured_checks() -> dict[str, Callable[[], None]]:
    checks: dict[str, Callable[[], None]] = {"database": check_database}
    if settings.REDIS_URL:
        checks["redis"] = check_redis
    if settings.ELASTICSEARCH_URL:
        checks["elasticsearch"] = check_elasticsearch
    return checks


def run_checks() -> tuple[bool, dict[str, dict]]:
    results: dict[str, dict] = {}
    healthy = True
    for name, check in configured_checks().items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:
            healthy = False
            code, reason = classify(exc)
            # The full text (it may name the host) goes to the server log only.
            logger.error("health check %s failed (%s): %s", name, code, exc)
            results[name] = {
                "ok": False,
                "error": type(exc).__name__,
                "code": code,
                "reason": reason,
            }
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return healthy, results


def may_see_details(request) -> bool:
    """A request from this machine that no proxy relayed, or one with the
    health token."""
    token = getattr(settings, "HEALTHZ_TOKEN", "")
    if token:
        sent = request.META.get("HTTP_X_HEALTH_TOKEN", "")
        if hmac.compare_digest(sent.encode(), token.encode()):
            return True
    address = request.META.get("REMOTE_ADDR", "")
    try:
        local = ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
    # Behind a proxy on the same machine every request arrives from the
    # loopback: those carry forwarding headers, or come from the proxy.
    return (
        local
        and not is_trusted_proxy(address)
        and not getattr(request, "forwarding_headers_dropped", False)
        and "HTTP_X_FORWARDED_FOR" not in request.META
    )


def report(request) -> tuple[int, dict]:
    """The /healthz answer: (status code, JSON body)."""
    healthy, checks = run_checks()
    body: dict = {"status": "ok" if healthy else "unavailable"}
    if may_see_details(request):
        body["checks"] = checks
    return (200 if healthy else 503), body
