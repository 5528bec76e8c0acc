import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor

from portal import backup

VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


class Command(BaseCommand):
    help = (
        "Restore an archive written by 'manage.py backup': verify every member's "
        "checksum, restore the database and the files, then compare every "
        "table's row count and checksum with the manifest. Refuses a database "
        "or file root that already holds data unless --force is given; with "
        "--force, what is replaced is first backed up into BACKUP_DIR/pre-restore "
        "(unless --no-safety-backup). Stop the web and task processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database and files that already hold data",
        )
        parser.add_argument(
            "--no-safety-backup",
            action="store_true",
            help="with --force, do not first back up the data being replaced",
        )
        parser.add_argument(
            "--files-only",
            action="store_true",
            help="restore only the files, not the database (e.g. after a "
            "point-in-time recovery of PostgreSQL)",
        )
        parser.add_argument(
            "--work-dir",
            type=Path,
            default=None,
            help="where to unpack the archive (default: the system temp dir)",
        )

    def handle(self, *args, archive, **options):
        try:
            self._restore(
                archive,
                force=options["force"],
                safety_backup=not options["no_safety_backup"],
                files_only=options["files_only"],
                work_dir=options["work_dir"],
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error

    def _restore(
        self,
        archive: Path,
        *,
        force: bool,
        safety_backup: bool,
        files_only: bool,
        work_dir: Path | None,
    ):
        roots = backup.file_roots()
        with tempfile.TemporaryDirectory(
            prefix="portal-restore-", dir=work_dir
        ) as work:
            staged = backup.unpack_archive(archive, Path(work))
            manifest = staged.manifest
            self.stdout.write(
                f"{archive.name}: verified ({len(manifest['files'])} files, "
                f"{len(manifest['tables'])} tables, made {manifest['created_at']})"
            )
            holds_data = self._check_target(
                manifest, roots, force=force, files_only=files_only
            )
            if holds_data and safety_backup:
                # --force replaces data (audit rows written since the archive,
                # too): keep it first, so a restore is itself undoable.
                kept = backup.create_backup(
                    connection, Path(settings.BACKUP_DIR) / "pre-restore"
                )
                self.stdout.write(f"the data being replaced is kept in {kept.path}")
            if files_only:
                restored = backup.restore_files(staged, roots)
                problems = backup.verify_files(staged, roots)
                if problems:
                    raise backup.BackupError(
                        "The restored files do not match the archive:\n"
                        + "\n".join(f"  {p}" for p in problems)
                    )
                self.stdout.write(f"checked: {restored} files match the manifest")
                self.stdout.write(self.style.SUCCESS("Files restored."))
                return

            vendor = connection.vendor
            if vendor == "postgresql":
                backup.postgresql_restore(connection, staged.database)
            else:
                target = backup.sqlite_path(connection)
                target.parent.mkdir(parents=True, exist_ok=True)
                connections.close_all()
                backup.sqlite_copy(staged.database, target)
            self.stdout.write(f"database restored ({VENDOR_NAMES[vendor]})")
            restored = backup.restore_files(staged, roots)
            self.stdout.write(f"{restored} files restored")

            if vendor == "postgresql":
                actual = backup.postgresql_fingerprints(connection)
            else:
                actual = backup.sqlite_fingerprints(backup.sqlite_path(connection))
            problems = backup.compare_fingerprints(manifest["tables"], actual)
            problems += backup.verify_files(staged, roots)
        if problems:
            raise backup.BackupError(
                "The restored data does not match the archive:\n"
                + "\n".join(f"  {p}" for p in problems)
            )
        rows = sum(table["rows"] for table in actual.values())
        self.stdout.write(
            f"checked: {len(actual)} tables ({rows} rows) and {restored} files "
            "match the manifest"
        )
        self._migration_notice()
        self.stdout.write(self.style.SUCCESS("Restore complete."))

    def _check_target(
        self, manifest: dict, roots: dict, *, force: bool, files_only: bool
    ) -> bool:
        """Refuse what cannot or must not be restored; True when the target
        holds data that --force allows to replace."""
        archived = manifest["database"]["vendor"]
        if archived != connection.vendor and not files_only:
            raise backup.BackupError(
                f"This archive holds a {VENDOR_NAMES.get(archived, archived)} "
                f"database, but the configured database (DATABASE_URL) is "
                f"{VENDOR_NAMES.get(connection.vendor, connection.vendor)}. "
                f"Point DATABASE_URL at a {VENDOR_NAMES.get(archived, archived)} "
                "database and run restore again."
            )
        holding = [] if files_only else sorted(backup.database_contents(connection))
        files = backup.root_file_count(roots)
        if (holding or files) and not force:
            found = []
            if holding:
                shown = ", ".join(holding[:5]) + (", …" if len(holding) > 5 else "")
                found.append(f"{len(holding)} tables with rows ({shown})")
            if files:
                found.append(f"{files} files under the file roots")
            raise backup.BackupError(
                "The target is not empty: "
                + " and ".join(found)
                + ". Restoring replaces it; pass --force if that is what you want."
            )
        return bool(holding or files)

    def _migration_notice(self) -> None:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(plan)} migrations of this code are not applied to the "
                    "restored database: run 'manage.py migrate'."
                )
            )
