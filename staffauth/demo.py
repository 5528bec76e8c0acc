"""The demo's second factors (the portal's ``register_demo_content`` hook,
registered by ``staffauth/wagtail_hooks.py`` to run after every plugin's
demo users exist)."""


def demo_second_factor(home, stdout):
    """Every demo account (password = the published demo password) gets a
    confirmed authenticator with the published DEV-ONLY key. Runs last, after
    the plugins created their demo users; load_demo refuses to run with DEBUG
    off unless --allow-production is given."""
    from django.contrib.auth import get_user_model

    from portal.demo import DEMO_ADMIN_PASSWORD
    from staffauth.devices import provision_demo_device

    given = []
    for user in get_user_model().objects.filter(is_active=True).order_by("username"):
        if user.check_password(DEMO_ADMIN_PASSWORD) and provision_demo_device(user):
            given.append(user.get_username())
    if given:
        stdout.write(
            "demo second factor (DEV ONLY key, see README 'Staff sign-in'; "
            "manage.py demo_otp_code <username>): " + ", ".join(given)
        )
