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
def _empty_cache():
    """Each test starts with an empty default cache (local memory in the
    test settings, shared by the tests of one worker): what an earlier test
    cached (the main menu, rate-limit counts, the page cache's generation)
    belongs to rows its rollback took away."""
    from django.core.cache import cache

    cache.clear()


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
    from tests.testkit.sites import build_public_site

    return build_public_site()


_SNAPSHOTS: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases; the snapshot serialized_rollback
    restores from is kept here too. Django keeps it on the connection object,
    and after a browser module (Playwright's event loop) the tests get fresh
    connection objects without it: a transactional test after one would
    find the migrations' data gone."""
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            _SNAPSHOTS[alias] = contents


@pytest.fixture
def _serialized_snapshots(django_db_setup):
    from django.db import connections

    for alias, contents in _SNAPSHOTS.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture
def _django_db_helper(_serialized_snapshots, _django_db_helper):
    """pytest-django's database set-up for each test, after the snapshot is
    handed to the connection object the test will use."""
    return _django_db_helper


def pytest_collection_modifyitems(config, items):
    """A transactional test must ask for serialized_rollback, in a file of
    transactional tests only. Its flush then leaves the tables empty for the
    next one to load the migrations' data back (groups, agencies, the page
    tree, content types). One that does not lets the flush write content
    types again, and every later transactional test on its worker fails to
    load its data (duplicate content types)."""
    wrong, kinds = [], {}
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction"))
        if transactional and not marker.kwargs.get("serialized_rollback"):
            wrong.append(item.nodeid)
        if marker or "db" in item.fixturenames:
            kinds.setdefault(item.nodeid.split("::")[0], set()).add(transactional)
    if wrong:
        raise pytest.UsageError(
            "transactional tests without serialized_rollback=True: "
            + ", ".join(wrong[:5])
        )
    # scripts/test hands out whole files (--dist loadfile): a file's
    # transactional test would flush the database under the database tests
    # of the files its worker runs after it.
    mixed = sorted(path for path, found in kinds.items() if found == {True, False})
    if mixed:
        raise pytest.UsageError(
            "files mixing transactional and database tests (give the "
            "transactional ones a file of their own): " + ", ".join(mixed)
        )
