import json

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.hooks import HOOKS
from portal.plugins import installed_plugin_configs


class Command(BaseCommand):
    help = (
        "List the installed portal plugins: what each requires and what it "
        "registers on every hook of portal.hooks. With --contract, list the "
        "hooks themselves."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="machine-readable")
        parser.add_argument(
            "--contract",
            action="store_true",
            help="list every hook a plugin may register (portal/hooks.py): "
            "name, signature, contract, read by",
        )

    def handle(self, *args, **options):
        if options["contract"]:
            self._contract(options["json"])
            return
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
                    "requires": list(config.requires),
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
            self.stdout.write(f"  requires: {', '.join(row['requires']) or '-'}")
            contributes = row["contributes"]
            for kind in ("page_types", "admin_viewsets", "admin_menu_items"):
                if contributes[kind]:
                    label = kind.replace("_", " ")
                    self.stdout.write(f"  {label}: {', '.join(contributes[kind])}")
            if contributes["public_urls"]:
                self.stdout.write(
                    f"  public urls: {', '.join(contributes['public_urls'])}"
                )
            self.stdout.write("  hooks (portal/hooks.py):")
            for spec in HOOKS:
                functions = contributes["hooks"].get(spec.name, [])
                self.stdout.write(f"    {spec.name}: {', '.join(functions) or '-'}")

    def _contract(self, as_json: bool) -> None:
        rows = [
            {
                "name": spec.name,
                "signature": spec.signature,
                "contract": spec.contract,
                "read_by": spec.read_by,
            }
            for spec in HOOKS
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(self.style.SUCCESS(row["name"]))
            self.stdout.write(f"  signature: {row['signature']}")
            self.stdout.write(f"  contract:  {row['contract']}")
            self.stdout.write(f"  read by:   {row['read_by']}")
