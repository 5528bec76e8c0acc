from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail import hooks

from portal.demo import (
    DEMO_ADMIN_PASSWORD,
    DEMO_ADMIN_USERNAME,
    site_settings,
    site_tree,
)
from portal.hooks import DEMO_CONTENT


class Command(BaseCommand):
    help = (
        "Load demo content: the home page and site settings, then each plugin's "
        "demo content (hook 'register_demo_content'), then the search index. "
        "Idempotent: running it again changes nothing. Refuses to run with "
        "DEBUG off unless --allow-production is given, since it creates a "
        f"superuser '{DEMO_ADMIN_USERNAME}' with a published demo password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--allow-production", action="store_true")
        parser.add_argument("--no-index", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "load_demo creates a demo superuser; refusing with DEBUG off. "
                "Pass --allow-production if this really is a demo deployment."
            )
        with transaction.atomic():
            home = site_tree()
            site_settings(home)
            self._demo_admin()
            for fn in hooks.get_hooks(DEMO_CONTENT):
                self.stdout.write(f"demo content: {fn.__module__}.{fn.__name__}")
                fn(home=home, stdout=self.stdout)
        if not options["no_index"]:
            call_command("update_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))

    def _demo_admin(self) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
            user_model.objects.create_superuser(
                username=DEMO_ADMIN_USERNAME,
                email="admin@example.invalid",
                password=DEMO_ADMIN_PASSWORD,
                first_name="管理员",
            )
            self.stdout.write(
                f"demo superuser: {DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD}"
            )
