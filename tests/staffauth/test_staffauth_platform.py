"""The sign-in pages and the admin as the office's platform (issue #17):
its name in the heading and the tab, labels in Chinese, Chinese whatever
language a user once chose."""

import re

import pytest
from django.conf import settings
from staffauth_helpers import code_of, password_sign_in

VERIFY = "/admin/second-factor/"


def test_sign_in_page_names_the_platform_in_chinese(client, db):
    text = client.get("/admin/login/").content.decode()
    name = settings.WAGTAIL_SITE_NAME
    assert f"<title>登录 - {name}</title>" in text
    assert f"登录{name}" in text
    assert re.search(r'for="id_password"[^>]*>\s*密码', text)
    assert "Password" not in text
    assert "Wagtail" not in text.split("</head>")[1]


def test_second_factor_page_is_branded_and_offers_no_backup_codes_it_lacks(
    client, enrolled
):
    password_sign_in(client, "officer-a")
    text = client.get(VERIFY).content.decode()
    assert f"- {settings.WAGTAIL_SITE_NAME}</title>" in text
    assert "备用码" not in text
    assert "请系统管理员重置您的两步验证" in text


@pytest.mark.parametrize("stored", ["en", "zh-hans", ""], ids=["en", "zh", "none"])
def test_a_stored_language_the_admin_no_longer_offers_is_dropped(
    client, enrolled, officer, stored
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = stored
    profile.save()
    password_sign_in(client, "officer-a")
    response = client.post(VERIFY, {"otp_token": code_of(enrolled)})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.preferred_language == ("" if stored == "en" else stored)
    text = client.get("/admin/").content.decode()
    assert '<html lang="zh-hans"' in text
    assert f"控制面板 - {settings.WAGTAIL_SITE_NAME}" in text
