from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal import backup


class Command(BaseCommand):
    help = (
        "Write one dated archive (portal-backup-<Beijing time>+0800.tar.gz, mode 0600) "
        "holding the database, MEDIA_ROOT, the plugins' private file roots "
        "(case files, report attachments) and a manifest with every table's "
        "row count and checksum and every file's checksum. The encryption "
        "keys, salts and SECRET_KEY are not in it: keep them apart. See "
        "README, 'Backups and recovery'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=None,
            help="directory for the archive (default: BACKUP_DIR, var/backups)",
        )

    def handle(self, *args, output_dir=None, **options):
        output_dir = output_dir or Path(settings.BACKUP_DIR)
        verbose = options["verbosity"] > 1
        try:
            result = backup.create_backup(
                connection,
                output_dir,
                progress=self.stdout.write if verbose else None,
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        for path in result.skipped:
            self.stderr.write(f"skipped (not a regular file, or gone): {path}")
        manifest = result.manifest
        rows = sum(table["rows"] for table in manifest["tables"].values())
        size = result.path.stat().st_size
        self.stdout.write(
            f"{len(manifest['tables'])} tables ({rows} rows), "
            f"{len(manifest['files'])} files, {size / 1024 / 1024:.1f} MiB"
        )
        self.stdout.write(self.style.SUCCESS(str(result.path)))
