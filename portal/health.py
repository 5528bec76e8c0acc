"""Health checks for /healthz: the database always, Redis and Elasticsearch
where configured. Failures are named but their details (hosts, credentials)
stay in the server log, never in the public response."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)


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

    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=2)
    try:
        if not client.ping():
            raise ConnectionError("ping failed")
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
            logger.error("health check %s failed: %s", name, exc)
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return healthy, results
