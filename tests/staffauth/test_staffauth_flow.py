"""Sign-in with a second factor (TOTP, django-otp): enrolment, codes,
backup codes, and that a password alone opens nothing of the admin."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from staffauth_helpers import code_of, password_sign_in, wrong_code

from staffauth import devices

VERIFY = "/admin/second-factor/"
ENROL = "/admin/second-factor/setup/"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp's throttle (1 s, 2 s, 4 s… after a wrong code) is tested on
    # its own below; elsewhere a right code may follow a wrong one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_password_step_leads_to_the_code_step(client, enrolled):
    response = password_sign_in(client, "officer-a")
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "输入动态验证码" in text
    assert 'autocomplete="one-time-code"' in text


def test_right_code_opens_the_admin(client, enrolled):
    password_sign_in(client, "officer-a")
    response = client.post(VERIFY, {"otp_token": code_of(enrolled), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_code_step_cycles_the_session_key(client, enrolled):
    password_sign_in(client, "officer-a")
    before = client.cookies["sessionid"].value
    client.post(VERIFY, {"otp_token": code_of(enrolled)})
    assert client.cookies["sessionid"].value != before


def test_wrong_or_reused_code_is_refused(client, enrolled):
    password_sign_in(client, "officer-a")
    response = client.post(VERIFY, {"otp_token": wrong_code(enrolled)})
    assert response.status_code == 200
    assert "验证码不正确或已被使用" in response.content.decode()
    assert client.get("/admin/").status_code == 302

    code = code_of(enrolled)
    assert client.post(VERIFY, {"otp_token": code}).status_code == 302
    # The same code again, in a second browser: replays are refused.
    from django.test import Client

    other = Client()
    password_sign_in(other, "officer-a")
    enrolled.refresh_from_db()
    response = other.post(VERIFY, {"otp_token": code})
    assert response.status_code == 200
    assert other.get("/admin/").status_code == 302


@pytest.mark.parametrize("typed", ["12345", "abcdef", "1234567", "", "١٢٣٤٥٦"])
@pytest.mark.parametrize("has_backup_codes", [False, True], ids=["no-backup", "backup"])
def test_malformed_code_gets_a_chinese_message(
    client, enrolled, officer, typed, has_backup_codes
):
    """The message names backup codes only to a user who has some left
    (issue #17: no "备用码（还剩 0 个）")."""
    if has_backup_codes:
        devices.issue_backup_codes(officer)
    password_sign_in(client, "officer-a")
    response = client.post(VERIFY, {"otp_token": typed})
    assert response.status_code == 200
    text = response.content.decode()
    if has_backup_codes:
        assert "请输入6位数字验证码或8位备用码" in text
        assert "还剩 10 个" in text
    else:
        assert "请输入6位数字验证码。" in text
        assert "备用码" not in text
        assert "请系统管理员重置您的两步验证" in text


def test_full_width_digits_from_a_chinese_input_method_work(client, enrolled):
    password_sign_in(client, "officer-a")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code_of(enrolled))
    assert client.post(VERIFY, {"otp_token": full_width}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_throttle_after_a_wrong_code(client, enrolled, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    password_sign_in(client, "officer-a")
    client.post(VERIFY, {"otp_token": wrong_code(enrolled)})
    # Within the throttle delay even the right code is refused.
    assert client.post(VERIFY, {"otp_token": code_of(enrolled)}).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_first_sign_in_enrols_an_authenticator(client, officer):
    password_sign_in(client, "officer-a")
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(ENROL)
    text = response.content.decode()
    assert "设置两步验证" in text
    assert "<svg" in text and "<?xml" not in text
    secret = re.search(r"data-staffauth-secret>([A-Z2-7 ]+)<", text).group(1)
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    assert secret.replace(" ", "") in devices.secret_base32(device).replace(" ", "")
    # The secret is in the page, never in a URL.
    assert all(secret.replace(" ", "") not in url for url, _ in response.redirect_chain)

    # The same secret on every visit until it is confirmed.
    again = client.get(ENROL).content.decode()
    assert secret in again

    wrong = client.post(ENROL, {"otp_token": wrong_code(device)})
    assert "验证码不匹配" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    done = client.post(ENROL, {"otp_token": code_of(device), "next": "/admin/"})
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == devices.BACKUP_CODE_COUNT == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    # Enrolled: the setup page now leads to the code step.
    client.logout()
    password_sign_in(client, "officer-a")
    assert client.get(ENROL)["Location"].startswith(VERIFY)


def test_backup_code_signs_in_once(client, enrolled, officer):
    codes = devices.issue_backup_codes(officer)
    password_sign_in(client, "officer-a")
    response = client.post(
        VERIFY, {"otp_token": codes[0].upper()[:4] + " " + codes[0][4:]}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert devices.backup_codes_left(officer) == 9

    client.logout()
    password_sign_in(client, "officer-a")
    response = client.post(VERIFY, {"otp_token": codes[0]})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302
    assert "还剩 9 个" in client.get(VERIFY).content.decode()


def test_issuing_backup_codes_replaces_the_old_ones(officer):
    first = devices.issue_backup_codes(officer)
    second = devices.issue_backup_codes(officer)
    stored = set(
        StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)
    )
    assert stored == set(second)
    assert not stored & set(first)


def test_next_must_stay_on_the_site(client, enrolled):
    password_sign_in(client, "officer-a")
    response = client.post(
        VERIFY, {"otp_token": code_of(enrolled), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


@pytest.mark.password_only
@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/users/",
        "/admin/pages/",
        "/admin/account/",
        "/admin/documents/",
        "/admin/reports/site-history/",
    ],
)
def test_password_only_session_reaches_no_admin_page(client, superuser, url):
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY + "?next=")


@pytest.mark.password_only
@pytest.mark.parametrize(
    "url,headers",
    [
        ("/admin/api/main/pages/", {}),
        ("/admin/api/main/pages/?child_of=root", {"HTTP_ACCEPT": "application/json"}),
        ("/admin/choose-page/", {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}),
        ("/admin/tag-autocomplete/?term=a", {"HTTP_ACCEPT": "application/json"}),
    ],
)
def test_password_only_session_gets_json_403_from_admin_json(
    client, superuser, url, headers
):
    client.force_login(superuser)
    response = client.get(url, **headers)
    assert response.status_code == 403
    body = response.json()
    assert body["error"] == "second_factor_required"
    assert body["verify_url"] == VERIFY
    assert "验证码" in body["message"]


@pytest.mark.password_only
def test_password_only_session_cannot_post_to_the_admin(client, superuser, officer):
    client.force_login(superuser)
    response = client.post(
        f"/admin/users/{officer.pk}/delete/", {}, HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert type(officer).objects.filter(pk=officer.pk).exists()


@pytest.mark.password_only
def test_password_only_session_is_anonymous_on_private_pages(
    client, home_page, superuser
):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=home_page, restriction_type=PageViewRestriction.LOGIN
    )
    client.force_login(superuser)
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response["Location"]
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    client.post(VERIFY, {"otp_token": code_of(device)})
    assert client.get("/").status_code == 200


def test_public_api_stays_public(client, home_page):
    assert client.get("/api/v2/pages/").status_code == 200


@pytest.mark.password_only
def test_the_sign_out_works_before_the_code(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_force_login_in_tests_passes_the_second_factor(client, officer):
    client.force_login(officer)
    assert client.get("/admin/").status_code == 200


def test_user_without_admin_access_gets_no_step(client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("public-a", password="x-Y-1234567890")
    password_sign_in(client, "public-a", "x-Y-1234567890")
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not TOTPDevice.objects.exists()


def test_verify_and_enrol_pages_have_a_fixed_query_count(
    client, enrolled, officer, django_assert_max_num_queries
):
    password_sign_in(client, "officer-a")
    client.get(VERIFY)
    with django_assert_max_num_queries(12):
        assert client.get(VERIFY).status_code == 200
    devices.reset(officer, via="command")
    client.get(ENROL)
    with django_assert_max_num_queries(14):
        assert client.get(ENROL).status_code == 200


def test_reset_permission_is_granted_to_the_head_group(head):
    assert head.has_perm("staffauth.reset_second_factor")
    assert Permission.objects.filter(
        codename="reset_second_factor", group__name="监督机构负责人"
    ).exists()
