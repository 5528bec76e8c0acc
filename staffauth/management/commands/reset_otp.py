from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from staffauth import devices
from staffauth.models import SecondFactorReset


class Command(BaseCommand):
    help = (
        "Reset a user's second factor (lost phone): removes their authenticator "
        "and backup codes, so their next sign-in sets up a new authenticator. "
        "Check the person's identity first."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist as error:
            raise CommandError(f"No user named {username!r}.") from error
        record = devices.reset(user, via=SecondFactorReset.Via.COMMAND)
        self.stdout.write(
            self.style.SUCCESS(
                f"Second factor of {username} reset ({record.devices_removed} "
                "devices removed); they set up a new one at their next sign-in."
            )
        )
