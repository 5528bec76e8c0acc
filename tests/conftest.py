import pytest


@pytest.fixture
def home_page(db):
    """The demo site tree: a published HomePage as the default site's root."""
    from django.core.management import call_command

    from portal.models import HomePage

    call_command("load_demo", "--no-index", "--allow-production", verbosity=0)
    return HomePage.objects.get()
