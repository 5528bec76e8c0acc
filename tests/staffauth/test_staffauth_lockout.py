"""Lockout after repeated failures (django-axes): 5 failures of one username,
from any addresses, lock it everywhere for 30 minutes; wrong codes count as
failures."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from staffauth_helpers import PASSWORD, code_of, password_sign_in, wrong_code

VERIFY = "/admin/second-factor/"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def fail_passwords(client, username, times, **extra):
    for _ in range(times):
        response = password_sign_in(client, username, "wrong-password", **extra)
    return response


def assert_lockout_page(response):
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录失败次数过多" in text
    assert "30 分钟" in text
    # The sign-in page itself, with the reason on it: not a bare error text.
    assert 'name="username"' in text and 'name="password"' in text
    assert "no-store" in response["Cache-Control"]


def test_settings_are_five_failures_and_thirty_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert datetime.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_four_failures_still_allow_the_right_password(client, enrolled):
    response = fail_passwords(client, "officer-a", 4)
    assert response.status_code == 200
    assert "登录失败次数过多" not in response.content.decode()
    assert password_sign_in(client, "officer-a").status_code == 302


def test_fifth_failure_locks_even_the_right_password_out(client, enrolled):
    assert_lockout_page(fail_passwords(client, "officer-a", 5))
    response = password_sign_in(client, "officer-a")
    assert_lockout_page(response)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_locked_account_is_refused_from_another_address(enrolled):
    """Issue #14: five failures from address A, then the right password from
    address B during the cool-off: refused, with the Chinese 429 page."""
    here = Client(REMOTE_ADDR="192.0.2.10")
    assert_lockout_page(fail_passwords(here, "officer-a", 5))
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    response = password_sign_in(elsewhere, "officer-a")
    assert_lockout_page(response)
    assert "在任何设备上均暂不能登录" in response.content.decode()
    assert "_auth_user_id" not in elsewhere.session
    assert elsewhere.get("/admin/").status_code == 302


def test_failures_spread_over_addresses_add_up(enrolled):
    for number in range(4):
        fail_passwords(Client(REMOTE_ADDR=f"192.0.2.{number + 1}"), "officer-a", 1)
    last = fail_passwords(Client(REMOTE_ADDR="192.0.2.5"), "officer-a", 1)
    assert_lockout_page(last)
    assert_lockout_page(password_sign_in(Client(REMOTE_ADDR="192.0.2.6"), "officer-a"))


def test_the_lockout_is_the_account_s_alone(client, enrolled, head):
    fail_passwords(client, "officer-a", 5)
    # Another account from the same address still signs in.
    assert password_sign_in(client, head.username).status_code == 302


def test_lockout_ends_after_the_cool_off(client, enrolled):
    fail_passwords(client, "officer-a", 5)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert password_sign_in(client, "officer-a").status_code == 302


def test_wrong_codes_count_and_lock_out(client, enrolled):
    fail_passwords(client, "officer-a", 3)
    assert password_sign_in(client, "officer-a").status_code == 302
    first = client.post(VERIFY, {"otp_token": wrong_code(enrolled)})
    assert first.status_code == 200
    second = client.post(VERIFY, {"otp_token": wrong_code(enrolled)})
    assert_lockout_page(second)
    # Signed out, and the right code no longer helps.
    assert "_auth_user_id" not in client.session
    assert_lockout_page(password_sign_in(client, "officer-a"))


def test_five_wrong_codes_alone_lock_out(client, enrolled):
    password_sign_in(client, "officer-a")
    for _ in range(4):
        assert client.post(VERIFY, {"otp_token": "000000x"}).status_code == 200
    assert_lockout_page(client.post(VERIFY, {"otp_token": wrong_code(enrolled)}))


def test_a_locked_out_unverified_session_is_signed_out(client, enrolled):
    password_sign_in(client, "officer-a")
    other = Client()
    fail_passwords(other, "officer-a", 5)
    assert_lockout_page(client.get(VERIFY))
    assert "_auth_user_id" not in client.session


def test_verified_sign_in_clears_the_failures(client, enrolled):
    fail_passwords(client, "officer-a", 4)
    password_sign_in(client, "officer-a")
    client.post(VERIFY, {"otp_token": code_of(enrolled)})
    assert client.get("/admin/").status_code == 200
    assert not AccessAttempt.objects.filter(username="officer-a").exists()


def test_a_correct_password_alone_does_not_clear_failures(client, enrolled):
    fail_passwords(client, "officer-a", 4)
    password_sign_in(client, "officer-a")
    assert AccessAttempt.objects.get(username="officer-a").failures_since_start == 4


def test_no_secret_is_stored_with_the_attempts(client, enrolled):
    fail_passwords(client, "officer-a", 2)
    password_sign_in(client, "officer-a")
    typed = wrong_code(enrolled)
    client.post(VERIFY, {"otp_token": typed})
    attempt = AccessAttempt.objects.get(username="officer-a")
    assert "wrong-password" not in attempt.post_data
    assert PASSWORD not in attempt.post_data
    assert typed not in attempt.post_data
    assert "csrfmiddlewaretoken=*" in attempt.post_data or (
        "csrfmiddlewaretoken" not in attempt.post_data
    )


def test_lockout_for_ajax_is_json(client, enrolled):
    response = fail_passwords(
        client, "officer-a", 5, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 429
    assert response.json()["error"] == "locked_out"
    assert "登录失败次数过多" in response.json()["message"]


def test_trusted_proxy_address_is_the_client(client, enrolled, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1"]
    fail_passwords(client, "officer-a", 5, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    # The account is locked behind the proxy for every client.
    response = password_sign_in(
        client, "officer-a", HTTP_X_FORWARDED_FOR="203.0.113.10"
    )
    assert_lockout_page(response)
