import pytest


@pytest.fixture
def home_page(db):
    """The demo site tree: a published HomePage as the default site's root,
    with the demo site settings, and nothing of the plugins' demo content
    (``demo_site`` loads that)."""
    from portal.demo import site_settings, site_tree

    home = site_tree()
    site_settings(home)
    return home


@pytest.fixture
def demo_site(db):
    """The whole demo (``load_demo``, without the search index): the site
    tree, the demo admin and every plugin's demo content, as ``manage.py
    load_demo`` leaves it. About 3-6 s per test: use ``home_page`` where the
    site tree is enough."""
    from django.core.management import call_command

    from portal.models import HomePage

    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)
    return HomePage.objects.get()


def verify_second_factor(client, user):
    """Mark ``client``'s signed-in session as having passed the second factor,
    with a real confirmed TOTP device of ``user`` (created when missing)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(request, monkeypatch):
    """``client.force_login(user)`` means "skip authentication": it skips the
    second factor too (staffauth). Tests of the second factor itself sign in
    with a password (``client.post`` to the login page), or mark themselves
    ``@pytest.mark.password_only`` to get a password-only session from
    force_login."""
    if request.node.get_closest_marker("password_only"):
        return
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "password_only: force_login leaves the session without a second factor",
    )


@pytest.fixture
def public_site(db):
    """A small public site (the page cache and query-count tests): the
    publishing demo and one clarification notice, without the casework demo
    the whole ``load_demo`` brings."""
    import datetime
    import io

    from wagtail.models import Page, Site

    from portal.models import GovernmentSiteSettings, HomePage
    from publishing.demo import load_publishing_demo
    from publishing.models import ClarificationNoticePage, PublicationIndexPage

    root = Page.get_first_root_node()
    root.get_children().filter(content_type__app_label="wagtailcore").delete()
    home = HomePage(title="历城区行政执法履职尽责容错纠错平台", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname="testserver", port=80, root_page=home, is_default_site=True
    )
    footer = GovernmentSiteSettings.for_site(site)
    footer.host_unit = "历城区司法局"
    footer.save()
    load_publishing_demo(home=home, stdout=io.StringIO())
    notice = ClarificationNoticePage(
        title="关于某执法人员被举报问题的澄清正名公告",
        body="经核查，反映的问题查无实据，予以澄清。",
        date=datetime.date(2025, 5, 1),
    )
    PublicationIndexPage.objects.get(slug="notices").add_child(instance=notice)
    notice.save_revision().publish()
    return home


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test databases, and, where a collected test asks for
    ``migration_data``, what the migrations wrote into them (groups,
    agencies, workflows, the page tree), serialized once per process."""
    if any("migration_data" in item.fixturenames for item in request.session.items):
        from django.db import connection

        with django_db_blocker.unblock():
            connection.migration_data = connection.creation.serialize_db_to_string()


@pytest.fixture
def migration_data(transactional_db):
    """A transactional test on the database as the migrations left it: a
    transactional test before it on the same worker has flushed the tables,
    so they are emptied once more (content types and permissions too, which
    a flush writes again with new keys) and the serialized migration data
    loaded back. Costs about a second; for the few tests that hand the
    database to another process (a task cluster, a server) and need that
    process to find the migrations' data."""
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(connection.migration_data)
