"""The database down: every page answers 503 with a friendly Chinese page and
/healthz says why, on the real driver's errors (PostgreSQL: a closed port;
SQLite: a file that cannot be opened)."""

import logging

import pytest
from django.core.cache import cache
from faults_helpers import database_down

from publishing.models import PolicyDocumentPage

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = ["/", "/report/", "/report/status/", "/search/?q=容错"]


@pytest.fixture
def pages(demo_site):
    cache.clear()
    policy = PolicyDocumentPage.objects.live().first()
    assert policy is not None
    return [*PUBLIC_PATHS, policy.url]


def assert_friendly_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "服务暂时不可用" in body
    assert "请在 30 秒后重试" in body
    assert "历城区行政执法容错纠错平台" in body
    # Nothing of the failure leaks to the visitor.
    for secret in ("127.0.0.1", "OperationalError", "sqlite", "Traceback"):
        assert secret not in body


def test_public_pages_answer_503_when_the_database_is_down(
    client, pages, tmp_path, caplog
):
    # The site works before the fault...
    for path in pages:
        assert client.get(path).status_code == 200, path
    with database_down(tmp_path), caplog.at_level(logging.ERROR):
        for path in pages:
            assert_friendly_503(client.get(path))
        # A report submitted while the database is away is refused with the
        # same page: nothing half-stored, the reporter told to come back.
        assert_friendly_503(client.post("/report/", {"kind": "anonymous"}))
    # ...and again after it, with nothing left over from the outage.
    for path in pages:
        assert client.get(path).status_code == 200, path
    logged = [r for r in caplog.records if r.name == "portal.middleware"]
    assert logged, "the outage is logged"
    # Logged once per burst, with the classification and no connection details.
    assert len(logged) == 1
    message = logged[0].getMessage()
    assert "database unavailable" in message
    assert "127.0.0.1" not in message and "password" not in message


def test_admin_answers_503_when_the_database_is_down(client, demo_site, tmp_path):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    # Here the session and the user are loaded by middleware (staffauth's
    # idle check), outside the view; Django turns that error into a 500 which
    # DatabaseUnavailableMiddleware replaces. The test client would re-raise
    # the error instead, unlike a real server.
    client.raise_request_exception = False
    assert client.get("/admin/").status_code == 200
    with database_down(tmp_path):
        for path in ("/admin/", "/admin/pages/", "/admin/login/"):
            assert_friendly_503(client.get(path))


def test_healthz_says_why_the_database_is_down(client, tmp_path, settings):
    with database_down(tmp_path) as dead:
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    database = body["checks"]["database"]
    assert database["ok"] is False
    assert database["error"] == "OperationalError"
    if dead.vendor == "sqlite":
        assert (database["code"], database["reason"]) == (
            "unable_to_open",
            "无法打开数据库文件",
        )
    else:
        assert (database["code"], database["reason"]) == (
            "connection_refused",
            "连接被拒绝",
        )
    assert "127.0.0.1" not in response.content.decode()
    # Healthy again once the database is back.
    assert client.get("/healthz").status_code == 200


def test_a_database_error_that_is_not_an_outage_stays_a_500(client, db):
    # Integrity and programming errors are bugs: they must not hide behind
    # the friendly "come back later" page.
    from django.db import IntegrityError

    from portal.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(None, IntegrityError("dup")) is None
