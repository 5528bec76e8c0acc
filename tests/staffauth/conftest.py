"""Fixtures for staff sign-in: staff accounts with a known password and a
client that signs in the way a browser does (password form, then code)."""

import pytest
from staffauth_helpers import PASSWORD

from tests.testkit.factories import HeadFactory, SupervisionOfficerFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def officer(db):
    return SupervisionOfficerFactory(username="officer-a")


@pytest.fixture
def head(db):
    return HeadFactory(username="head-a")


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        username="root-a", email="root@example.org", password=PASSWORD
    )


@pytest.fixture
def enrolled(officer):
    """The officer with a confirmed authenticator; returns the device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
