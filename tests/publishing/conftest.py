"""A small site for the publishing tests: a HomePage as the default site's
root (without the whole demo), and the Licheng measures imported under it."""

from pathlib import Path

import pytest
from wagtail.models import Page, Site

ROOT = Path(__file__).resolve().parents[2]
POLICY_TEXT = ROOT / "casework/data/licheng_measures_2025.txt"


@pytest.fixture
def site_home(db):
    from portal.models import HomePage

    root = Page.get_first_root_node()
    # Wagtail's own welcome page (slug "home") makes way, as in load_demo.
    root.get_children().filter(content_type__app_label="wagtailcore").delete()
    home = HomePage(title="历城区行政执法履职尽责容错纠错平台", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )
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
