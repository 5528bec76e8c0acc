import pytest


@pytest.fixture
def home_page(db):
    """The demo site tree: a published HomePage as the default site's root."""
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
