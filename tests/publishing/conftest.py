"""A small site for the publishing tests: a HomePage as the default site's
root (without the whole demo), and the Licheng measures imported under it."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POLICY_TEXT = ROOT / "casework/data/licheng_measures_2025.txt"


@pytest.fixture
def site_home(db):
    from tests.testkit.sites import make_home

    home, _site = make_home(hostname="localhost")
    return home


@pytest.fixture
def policy_page(site_home):
    from publishing.services import import_policy_text

    return import_policy_text(POLICY_TEXT.read_text(encoding="utf-8")).page


@pytest.fixture
def admin_user(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        username="pubadmin", email="pubadmin@example.org", password="x-pub-admin-pass"
    )
