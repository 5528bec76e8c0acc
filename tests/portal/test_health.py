from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_ok_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert "redis" not in body["checks"]
    assert response["Cache-Control"] == "no-store"


def test_healthz_ignores_the_host_header_check(client):
    # Load balancers probe by IP; ALLOWED_HOSTS must not turn that into a 400.
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200


def test_healthz_checks_a_real_redis_when_configured(client, settings):
    settings.REDIS_URL = settings.TEST_REDIS_URL
    body = client.get("/healthz").json()
    assert body["checks"]["redis"]["ok"] is True


def test_healthz_names_redis_when_it_is_down(client, settings):
    # Nothing listens on port 1: a real refused connection, not a mock.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"] == {
        "ok": False,
        "error": "ConnectionError",
        "code": "connection_refused",
        "reason": "连接被拒绝",
        "ms": body["checks"]["redis"]["ms"],
    }
    assert body["checks"]["database"]["ok"] is True
    # The public answer never carries connection details.
    assert "127.0.0.1" not in response.content.decode()


def test_healthz_names_elasticsearch_when_it_is_down(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["elasticsearch"]["ok"] is False


def test_healthz_names_the_database_when_it_is_down(client):
    with mock.patch(
        "portal.health.check_database", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


# Issue #14: the public learns ok or not, never which backends the site runs.
PUBLIC = {"REMOTE_ADDR": "198.51.100.4"}


def test_the_public_gets_only_the_status(client, settings):
    settings.REDIS_URL = settings.TEST_REDIS_URL
    response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert b"redis" not in response.content


def test_the_public_gets_only_the_status_when_a_backend_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_a_request_relayed_by_the_proxy_is_public(client, settings):
    # The proxy on the same machine connects from the loopback too.
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1"]
    relayed = client.get("/healthz", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert relayed.json() == {"status": "ok"}
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_loopback_request_claiming_to_be_forwarded_is_public(client):
    # A proxy nobody declared (TRUSTED_PROXY_ADDRESSES empty) relays from the
    # loopback with X-Forwarded-For: not a local probe.
    response = client.get("/healthz", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert response.json() == {"status": "ok"}


def test_the_health_token_opens_the_details(client, settings):
    settings.HEALTHZ_TOKEN = "t" * 40
    assert (
        "checks"
        in client.get("/healthz", HTTP_X_HEALTH_TOKEN="t" * 40, **PUBLIC).json()
    )
    wrong = client.get("/healthz", HTTP_X_HEALTH_TOKEN="t" * 39 + "u", **PUBLIC)
    assert wrong.json() == {"status": "ok"}
    # Never from the URL: it would end up in logs and histories.
    in_url = client.get("/healthz", {"token": "t" * 40}, **PUBLIC)
    assert in_url.json() == {"status": "ok"}
