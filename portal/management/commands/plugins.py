import json

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.plugins import installed_plugin_configs


class Command(BaseCommand):
    help = "List the installed portal plugins and what each contributes."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="machine-readable")

    def handle(self, *args, **options):
        specs = {spec.module: spec for spec in settings.PORTAL_PLUGINS}
        rows = []
        for config in installed_plugin_configs():
            spec = specs.get(config.name)
            rows.append(
                {
                    "name": spec.name if spec else config.label,
                    "app_label": config.label,
                    "module": config.name,
                    "distribution": spec.distribution if spec else "",
                    "version": spec.version if spec else "",
                    "verbose_name": str(config.verbose_name),
                    "description": str(config.plugin_meta.description),
                    "contributes": config.contributions().as_dict(),
                }
            )
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No portal plugins are installed.")
            return
        for row in rows:
            self.stdout.write(
                self.style.SUCCESS(f"{row['name']} {row['version']}")
                + f"  ({row['distribution']}, app label {row['app_label']})"
            )
            self.stdout.write(f"  {row['verbose_name']}: {row['description']}")
            for kind, items in row["contributes"].items():
                if items:
                    label = kind.replace("_", " ")
                    self.stdout.write(f"  {label}: {', '.join(items)}")
