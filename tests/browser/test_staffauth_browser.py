"""A new staff member sets up the authenticator at first sign-in, then signs
in with password and code, in Chromium."""

import base64

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth.devices import code_for_next_sign_in
from tests.testkit.factories import SupervisionOfficerFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple"  # the factories' password


def password_step(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_enrolment_then_sign_in_with_a_code(live_server, page, screenshot):
    SupervisionOfficerFactory(username="newcomer", first_name="新", last_name="李")

    password_step(page, live_server, "newcomer")
    page.wait_for_url("**/admin/second-factor/setup/**")
    assert page.get_by_role("heading", name="设置两步验证").is_visible()
    qr = page.locator("[data-staffauth-qr] svg")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["height"] >= 150
    screenshot("enrol", full_page=True)

    # What a phone does with the secret: RFC 6238 from the base32 key.
    secret = page.locator("[data-staffauth-secret]").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_otp_token", str((TOTP(key).token() + 1) % 10**6).zfill(6))
    page.get_by_role("button", name="确认并登录").click()
    page.locator("[data-staffauth-error]", has_text="验证码不匹配").wait_for()
    # django-otp refuses every code for 1 s after a wrong one (2 s, 4 s… after
    # more); a person takes longer than that to type the right one.
    page.wait_for_timeout(1100)
    page.fill("#id_otp_token", str(TOTP(key).token()).zfill(6))
    page.get_by_role("button", name="确认并登录").click()

    page.get_by_role("heading", name="两步验证已设置完成").wait_for()
    codes = page.locator("[data-staffauth-backup-codes] li").all_inner_texts()
    assert len(codes) == 10
    screenshot("backup-codes", full_page=True)
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert page.locator("#wagtail-sidebar").count() == 1

    # Next day, another browser session: password, then the code.
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/")
    page.wait_for_url("**/admin/login/**")
    password_step(page, live_server, "newcomer")
    page.wait_for_url("**/admin/second-factor/?next=**")
    assert page.get_by_role("heading", name="输入动态验证码").is_visible()
    otp_field = page.locator("#id_otp_token")
    assert otp_field.get_attribute("autocomplete") == "one-time-code"
    screenshot("verify", full_page=True)
    page.fill("#id_otp_token", "12")
    page.get_by_role("button", name="验证").click()
    page.locator("[data-staffauth-error]", has_text="请输入6位数字验证码").wait_for()
    device = TOTPDevice.objects.get(user__username="newcomer")
    page.fill("#id_otp_token", code_for_next_sign_in(device))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(live_server.url + "/admin/")

    # A backup code works once, in place of the phone.
    page.context.clear_cookies()
    password_step(page, live_server, "newcomer")
    page.wait_for_url("**/admin/second-factor/**")
    page.fill("#id_otp_token", codes[0])
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_lockout_page_after_five_wrong_passwords(live_server, page, screenshot):
    SupervisionOfficerFactory(username="typo")
    for _ in range(5):
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "typo")
        page.fill("#id_password", "not-the-password")
        page.click("button[type=submit]")
    lockout = page.locator("[data-staffauth-lockout]")
    lockout.wait_for()
    assert "登录失败次数过多" in lockout.inner_text()
    assert page.locator("#id_username").is_visible()
    screenshot("lockout", full_page=True)
