"""Recovery after a lost phone: a superuser or the head resets another
user's second factor (admin view or ``manage.py reset_otp``); demo accounts;
``demo_otp_code``."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from staffauth_helpers import code_of, password_sign_in

from staffauth import devices
from staffauth.models import SecondFactorReset

VERIFY = "/admin/second-factor/"


def reset_url(user):
    return f"/admin/second-factor/reset/{user.pk}/"


def test_superuser_resets_a_users_second_factor(client, superuser, officer, enrolled):
    devices.issue_backup_codes(officer)
    officer_browser = Client()
    officer_browser.force_login(officer)
    assert officer_browser.get("/admin/").status_code == 200

    client.force_login(superuser)
    page = client.get(reset_url(officer))
    assert page.status_code == 200
    assert "重置两步验证" in page.content.decode()
    response = client.post(reset_url(officer))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    record = SecondFactorReset.objects.get()
    assert (record.user, record.reset_by, record.via, record.devices_removed) == (
        officer,
        superuser,
        "admin",
        2,
    )
    # The officer's open session lost its verification with the device.
    response = officer_browser.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert officer_browser.get(VERIFY)["Location"].startswith(VERIFY + "setup/")


def test_user_list_offers_the_reset(client, superuser, officer):
    client.force_login(superuser)
    text = client.get("/admin/users/").content.decode()
    assert reset_url(officer) in text
    assert reset_url(superuser) not in text


def test_head_resets_officers_but_not_superusers(client, head, officer, superuser):
    client.force_login(head)
    assert client.get(reset_url(officer)).status_code == 200
    assert client.post(reset_url(superuser)).status_code == 404
    assert client.post(reset_url(head)).status_code == 404
    assert SecondFactorReset.objects.count() == 0


def test_officer_may_not_reset(client, officer, head):
    TOTPDevice.objects.create(user=head, name="phone", confirmed=True)
    client.force_login(officer)
    # Wagtail turns the PermissionDenied into its "no permission" redirect.
    response = client.post(reset_url(head), follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "权限" in response.content.decode()
    assert TOTPDevice.objects.filter(user=head).exists()
    assert list(devices.resettable_users(officer)) == []


def test_reset_otp_command(officer, enrolled):
    out = io.StringIO()
    call_command("reset_otp", "officer-a", stdout=out)
    assert "officer-a" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert SecondFactorReset.objects.get().via == "command"
    with pytest.raises(CommandError, match="No user"):
        call_command("reset_otp", "nobody")


def test_demo_otp_code_refuses_without_debug(officer, enrolled):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_otp_code", "officer-a")


def test_demo_otp_code_prints_a_code_that_signs_in(client, officer, enrolled, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_otp_code", "officer-a", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    settings.DEBUG = False
    password_sign_in(client, "officer-a")
    assert client.post(VERIFY, {"otp_token": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
    # Used: the command now prints the next code, which is accepted too.
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_otp_code", "officer-a", stdout=out)
    assert out.getvalue().strip() != code
    settings.DEBUG = False
    other = Client()
    password_sign_in(other, "officer-a")
    assert other.post(VERIFY, {"otp_token": out.getvalue().strip()}).status_code == 302


def test_demo_otp_code_without_a_device(officer, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_otp_code", "officer-a")


def test_demo_accounts_get_the_published_demo_key(officer, demo_site):
    from portal.demo import DEMO_ADMIN_USERNAME

    admin_device = TOTPDevice.objects.get(user__username=DEMO_ADMIN_USERNAME)
    assert admin_device.confirmed
    assert devices.secret_base32(admin_device).replace(" ", "") == (
        "NRUWG2DFNZTS2ZDFNVXS233UOAWWWZLZ"
    )
    demo_users = TOTPDevice.objects.filter(key=devices.DEMO_TOTP_KEY).count()
    assert demo_users > 1  # the plugins' demo staff too
    # An account with another password gets no known secret.
    assert not TOTPDevice.objects.filter(user=officer).exists()
    # Idempotent, and an account that enrolled its own phone keeps it.
    own = TOTPDevice.objects.get(user__username=DEMO_ADMIN_USERNAME)
    own.key = "ab" * 20
    own.save()
    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)
    assert (
        TOTPDevice.objects.filter(key=devices.DEMO_TOTP_KEY).count() == demo_users - 1
    )
    own.refresh_from_db()
    assert own.key == "ab" * 20


def test_demo_admin_signs_in_with_the_demo_key(client, demo_site):
    from portal.demo import (
        DEMO_ADMIN_PASSWORD,
        DEMO_ADMIN_USERNAME,
    )

    password_sign_in(client, DEMO_ADMIN_USERNAME, DEMO_ADMIN_PASSWORD)
    device = TOTPDevice.objects.get(user__username=DEMO_ADMIN_USERNAME)
    assert client.post(VERIFY, {"otp_token": code_of(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200
