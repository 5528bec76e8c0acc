from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail import hooks
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from portal.hooks import DEMO_CONTENT
from portal.models import GovernmentSiteSettings, HomePage

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "demo-admin-2025"  # noqa: S105 - demo sites only, see --help


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
            home = self._site_tree()
            self._site_settings(home)
            self._demo_admin()
            for fn in hooks.get_hooks(DEMO_CONTENT):
                self.stdout.write(f"demo content: {fn.__module__}.{fn.__name__}")
                fn(home=home, stdout=self.stdout)
        if not options["no_index"]:
            call_command("update_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))

    def _site_tree(self) -> HomePage:
        root = Page.get_first_root_node()
        if root is None:
            # A flushed database (as in transactional tests) has lost what
            # Wagtail's migrations created: the default locale and tree root.
            Locale.objects.get_or_create(
                language_code=get_supported_content_language_variant(
                    settings.LANGUAGE_CODE
                )
            )
            root = Page.add_root(instance=Page(title="Root", slug="root"))
        # Wagtail's initial migration leaves a plain "Welcome" page at depth 2
        # (and a site pointing at it); the demo serves the portal's home page.
        root.get_children().filter(content_type__app_label="wagtailcore").delete()
        home = HomePage.objects.first()
        if home is None:
            home = HomePage(
                title="历城区行政执法履职尽责容错纠错平台",
                slug="home",
                intro=(
                    "<p>依据《历城区行政执法履职尽责容错纠错实施办法（试行）》"
                    "（济历城政发〔2025〕1号），公开政策文件与解读、发布澄清正名公告，"
                    "受理对行政执法行为的信访举报。</p>"
                ),
            )
            root.add_child(instance=home)
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
        elif site.root_page_id != home.pk or not site.site_name:
            site.root_page = home
            site.site_name = settings.WAGTAIL_SITE_NAME
            site.save()
        return home

    def _site_settings(self, home: HomePage) -> None:
        site = Site.objects.get(root_page=home)
        values = GovernmentSiteSettings.for_site(site)
        if not values.host_unit:
            values.host_unit = "济南市历城区人民政府"
            values.organizer_unit = "历城区司法局（区政府行政执法监督机构）"
            values.website_code = "3701120000"
            values.icp_number = "鲁ICP备00000000号（演示）"
            values.public_security_number = "鲁公网安备 37011200000000号（演示）"
            values.address = "济南市历城区（演示地址）"
            values.phone = "0531-00000000（演示）"
            values.save()
        # Demo values of the page metadata, the mark's registry entry and the
        # contact page; each filled only while empty, so a re-run changes
        # nothing and an office's own values stay.
        demo = {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_domain": "demo.invalid",
            "conac_id": "DEMO0000000000000000000000000000",
            "postcode": "250100",
            "email": "demo@example.invalid",
            "office_hours": "工作日 上午9:00-12:00，下午13:30-17:00（演示）",
        }
        missing = [name for name in demo if not getattr(values, name)]
        for name in missing:
            setattr(values, name, demo[name])
        if missing:
            values.save(update_fields=missing)

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
