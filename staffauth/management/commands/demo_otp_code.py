from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from staffauth import devices


class Command(BaseCommand):
    help = (
        "DEVELOPMENT ONLY (refuses with DEBUG off): print the code a user's "
        "authenticator would show now, so a demo site can be signed into "
        "without a phone."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_otp_code prints second-factor codes; it runs only with "
                "DEBUG on (development and demo machines)."
            )
        user_model = get_user_model()
        user = user_model.objects.filter(
            **{user_model.USERNAME_FIELD: username}
        ).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        device = devices.confirmed_totp(user)
        if device is None:
            raise CommandError(
                f"{username} has no authenticator yet: they set one up at "
                "their next sign-in (or run load_demo for demo accounts)."
            )
        self.stdout.write(devices.code_for_next_sign_in(device))
