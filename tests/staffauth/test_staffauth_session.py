"""Idle session timeout (STAFF_IDLE_TIMEOUT, 30 minutes by default), in every
environment, enforced on the server."""

import time

import pytest
from django.conf import settings as django_settings

from staffauth.signals import LAST_SEEN_SESSION_KEY


def age_session(client, seconds):
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_timeout_is_thirty_minutes_and_bounds_every_session():
    assert django_settings.STAFF_IDLE_TIMEOUT == 30 * 60
    assert django_settings.SESSION_COOKIE_AGE == django_settings.STAFF_IDLE_TIMEOUT


@pytest.mark.parametrize("module", ["dev", "test"])
def test_timeout_holds_outside_production_too(module):
    import importlib

    loaded = importlib.import_module(f"portal.settings.{module}")
    assert loaded.STAFF_IDLE_TIMEOUT == 30 * 60
    assert "staffauth.middleware.StaffSignInMiddleware" in loaded.MIDDLEWARE


def test_idle_session_is_signed_out(client, officer):
    client.force_login(officer)
    assert client.get("/admin/").status_code == 200
    age_session(client, 30 * 60 + 5)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    # Signed out for good: the next request is anonymous too.
    assert client.get("/admin/").status_code == 302
    page = client.get(response["Location"])
    assert "未操作" in page.content.decode()


def test_activity_keeps_the_session(client, officer):
    client.force_login(officer)
    age_session(client, 29 * 60)
    assert client.get("/admin/").status_code == 200
    # The request renewed the clock.
    assert time.time() - client.session[LAST_SEEN_SESSION_KEY] < 5
    assert client.get("/admin/").status_code == 200


def test_timeout_follows_the_setting(client, officer, settings):
    settings.STAFF_IDLE_TIMEOUT = 120
    client.force_login(officer)
    age_session(client, 100)
    assert client.get("/admin/").status_code == 200
    age_session(client, 121)
    assert client.get("/admin/").status_code == 302


def test_idle_session_on_a_public_page_ends_quietly(client, officer, home_page):
    client.force_login(officer)
    age_session(client, 31 * 60)
    assert client.get("/").status_code == 200
    assert "_auth_user_id" not in client.session


def test_idle_admin_json_gets_401(client, officer):
    client.force_login(officer)
    age_session(client, 31 * 60)
    response = client.get("/admin/api/main/pages/")
    assert response.status_code == 401
    assert response.json()["error"] == "signed_out"


def test_clock_is_written_at_most_once_a_minute(
    client, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    client.get("/admin/")
    stamp = client.session[LAST_SEEN_SESSION_KEY]
    client.get("/admin/")
    assert client.session[LAST_SEEN_SESSION_KEY] == stamp


def test_reporting_status_session_is_untouched(client, db):
    """An anonymous session (the reporting status page) has no idle clock."""
    session = client.session
    session["reporting_probe"] = 1
    session.save()
    client.get("/admin/login/")
    assert LAST_SEEN_SESSION_KEY not in client.session
    assert client.session["reporting_probe"] == 1
