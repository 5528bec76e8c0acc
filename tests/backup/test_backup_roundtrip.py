"""Back up a populated portal, lose it, restore it: every table's row count and
checksum and every file come back (issue #8, Reliability).

The commands run as ``manage.py`` subprocesses against a database of their own,
as an operator runs them, independent of pytest-django's transactions: a
SQLite file under the test's temp directory, or, when the run is on
PostgreSQL (``DATABASE_URL=postgres://…``), a database
``portal_backup_rt_<pid>`` created and dropped on the same server. The
expected fingerprints are read by this test itself (plain sqlite3 or
psycopg), not by the commands. On PostgreSQL the file roots are nested as in
docker/compose.yaml (report attachments under the case files).
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

from portal import backup

ROOT = Path(__file__).resolve().parents[2]
VENDOR = (
    "postgresql"
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    else "sqlite"
)
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
OTHER_VENDOR = "sqlite" if VENDOR == "postgresql" else "postgresql"
REPORTER_NAME = "演练举报人"  # populate_backup_site.py; stored encrypted only


class Site:
    """A portal deployment of its own: database, file roots, environment."""

    def __init__(self, base: Path):
        self.base = base
        private = base / "private"
        self.roots = {
            "media": base / "media",
            "casework_private": private,
            "reporting_private": (
                private / "reports" if VENDOR == "postgresql" else base / "reports"
            ),
        }
        self.backups = base / "backups"
        if VENDOR == "sqlite":
            self.db_path = base / "portal.sqlite3"
            url = f"sqlite:///{self.db_path}"
        else:
            from psycopg.conninfo import make_conninfo

            self.db_name = f"portal_backup_rt_{os.getpid()}"
            server = os.environ["DATABASE_URL"]
            self.conninfo = make_conninfo(server, dbname=self.db_name)
            self.admin_conninfo = make_conninfo(server, dbname="postgres")
            url = server.rsplit("/", 1)[0] + "/" + self.db_name
        clean = {
            k: v
            for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
        }
        self.env = {
            **clean,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "DATABASE_URL": url,
            "PORTAL_VAR_DIR": str(base / "var"),
            "MEDIA_ROOT": str(self.roots["media"]),
            "CASEWORK_PRIVATE_ROOT": str(self.roots["casework_private"]),
            "REPORTING_PRIVATE_ROOT": str(self.roots["reporting_private"]),
            "BACKUP_DIR": str(self.backups),
            "LOG_LEVEL": "WARNING",
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("manage.py", *args, check=check)

    # --- the database, read and changed without the portal's code -------------

    def create_database(self) -> None:
        if VENDOR == "postgresql":
            import psycopg

            with psycopg.connect(self.admin_conninfo, autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
                db.execute(f'CREATE DATABASE "{self.db_name}"')

    def drop_database(self) -> None:
        if VENDOR == "postgresql":
            import psycopg

            with psycopg.connect(self.admin_conninfo, autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        else:
            self.db_path.unlink(missing_ok=True)

    def execute(self, sql: str) -> None:
        if VENDOR == "postgresql":
            import psycopg

            with psycopg.connect(self.conninfo) as db:
                db.execute(sql)
        else:
            db = sqlite3.connect(self.db_path)
            with db:
                db.execute(sql)
            db.close()

    def fingerprints(self) -> dict:
        if VENDOR == "sqlite":
            return backup.sqlite_fingerprints(self.db_path)
        import psycopg

        with psycopg.connect(self.conninfo) as db, db.cursor() as cursor:
            return backup.fingerprint_tables(cursor, "postgresql")

    def files(self) -> dict[str, str]:
        """SHA-256 of every file under the roots, by path below the site."""
        found = {}
        for root in self.roots.values():
            for directory, _dirs, names in os.walk(root):
                for name in names:
                    path = Path(directory) / name
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                    found[path.relative_to(self.base).as_posix()] = digest
        return found

    def wipe_files(self) -> None:
        for root in self.roots.values():
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated, populated portal and one backup of it."""
    site = Site(tmp_path_factory.mktemp("backup-site"))
    site.create_database()
    try:
        site.manage("migrate", "--no-input", "-v0")
        made = site.run(str(ROOT / "tests" / "backup" / "populate_backup_site.py"))
        site.made = json.loads(made.stdout.strip().splitlines()[-1])
        site.tables = site.fingerprints()
        site.original_files = site.files()
        site.backup_output = site.manage("backup").stdout
        (site.archive,) = site.backups.iterdir()
        yield site
    finally:
        site.drop_database()


def read_members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def write_members(archive: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(archive, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
    return archive


def with_manifest(site: Site, path: Path, change) -> Path:
    members = read_members(site.archive)
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    return write_members(path, members)


def test_backup_writes_one_complete_private_archive(site):
    assert re.fullmatch(r"portal-backup-\d{8}T\d{6}\+0800\.tar\.gz", site.archive.name)
    assert site.archive.stat().st_mode & 0o777 == 0o600
    # No temporaries left (pre-restore/ holds the safety backups of restores).
    assert [p for p in site.backups.iterdir() if p.name != "pre-restore"] == [
        site.archive
    ]
    assert str(site.archive) in site.backup_output

    members = read_members(site.archive)
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == backup.FORMAT
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["database"]["vendor"] == VENDOR
    assert manifest["versions"]["django"]
    for app in ("casework", "reporting", "publishing", "wagtailcore", "auth"):
        assert manifest["migrations"][app]
    # Exactly what this test read on its own, table by table.
    assert manifest["tables"] == site.tables
    for table in (
        "casework_supervisioncase",
        "casework_attachment",
        "reporting_report",
        "reporting_reportattachment",
        "wagtailcore_page",
        "wagtaildocs_document",
        "wagtailimages_rendition",
        "django_migrations",
    ):
        assert manifest["tables"][table]["rows"] > 0, table

    archived = {}
    for entry in manifest["files"]:
        key, _, relative = entry["path"].partition("/")
        path = (site.roots[key] / relative).relative_to(site.base).as_posix()
        archived[path] = entry["sha256"]
        data = members["files/" + entry["path"]]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]
    assert archived == site.original_files
    assert f"private/{site.made['attachment']}" in archived
    assert site.made["report_files"]
    for name in site.made["report_files"]:
        path = site.roots["reporting_private"] / name
        assert path.relative_to(site.base).as_posix() in archived
    assert any(p.startswith("media/original_images/") for p in archived)
    assert any(p.startswith("media/images/") for p in archived)  # rendition

    # The reporter's identity is in the archive only encrypted; no key is.
    assert set(members) == {
        "manifest.json",
        manifest["database"]["member"],
        *("files/" + e["path"] for e in manifest["files"]),
    }
    for name, data in members.items():
        assert REPORTER_NAME.encode() not in data, name
        assert b"ZGV2LW9ubHktcmVwb3J0ZXIta2V5LW5vdC1zZWNyZXQ=" not in data, name


def test_restore_refuses_a_damaged_or_tampered_archive(site, tmp_path):
    data = site.archive.read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    flipped = tmp_path / "flipped.tar.gz"
    middle = len(data) // 2
    damaged = bytearray(data)
    damaged[middle] ^= 0xFF
    flipped.write_bytes(bytes(damaged))
    members = read_members(site.archive)
    attachment = f"files/casework_private/{site.made['attachment']}"
    members[attachment] = members[attachment][:-1] + b"!"
    tampered = write_members(tmp_path / "tampered.tar.gz", members)

    for archive, message in [
        (truncated, "is damaged or not a portal backup"),
        (flipped, "damaged or not a portal backup|failed verification"),
        (tampered, re.escape(f"{attachment}: checksum mismatch")),
    ]:
        result = site.manage("restore", "--force", str(archive), check=False)
        assert result.returncode != 0
        assert re.search(message, result.stderr), result.stderr
        assert "database restored" not in result.stdout
    assert "nothing was restored" in result.stderr
    assert site.fingerprints() == site.tables
    assert site.files() == site.original_files


def test_restore_refuses_an_archive_of_another_database_vendor(site, tmp_path):
    def other_vendor(manifest):
        manifest["database"]["vendor"] = OTHER_VENDOR

    archive = with_manifest(site, tmp_path / "other.tar.gz", other_vendor)
    result = site.manage("restore", "--force", str(archive), check=False)
    assert result.returncode != 0
    assert (
        f"This archive holds a {VENDOR_NAMES[OTHER_VENDOR]} database, but the "
        f"configured database (DATABASE_URL) is {VENDOR_NAMES[VENDOR]}"
    ) in result.stderr
    assert site.fingerprints() == site.tables


def test_round_trip_brings_back_every_table_and_file(site):
    # Onto a database that holds data: refused without --force.
    refused = site.manage("restore", str(site.archive), check=False)
    assert refused.returncode != 0
    assert "The target is not empty" in refused.stderr
    assert "--force" in refused.stderr
    assert site.fingerprints() == site.tables

    # With --force over a changed site: rows and files are put back.
    site.execute("INSERT INTO auth_group (name) VALUES ('restore drill intruders')")
    lost = site.roots["casework_private"] / site.made["attachment"]
    lost.unlink()
    document = site.roots["media"] / site.made["document"]
    document.write_bytes(b"overwritten")
    extra = site.roots["media"] / "documents" / "not-in-the-archive.txt"
    extra.write_bytes(b"left alone")
    changed = site.fingerprints()
    assert changed["auth_group"] != site.tables["auth_group"]
    forced = site.manage("restore", "--force", str(site.archive))
    assert "Restore complete." in forced.stdout
    # What --force replaced was kept first, intruders and all.
    (kept,) = (site.backups / "pre-restore").iterdir()
    assert f"the data being replaced is kept in {kept}" in forced.stdout
    assert kept.stat().st_mode & 0o777 == 0o600
    kept_manifest = json.loads(read_members(kept)["manifest.json"])
    assert kept_manifest["tables"] == changed
    assert site.fingerprints() == site.tables
    files = site.files()
    assert files.pop(extra.relative_to(site.base).as_posix())
    assert files == site.original_files
    extra.unlink()

    # Files lost, database fine (as after a point-in-time recovery).
    site.wipe_files()
    site.execute("INSERT INTO auth_group (name) VALUES ('kept by --files-only')")
    changed = site.fingerprints()
    files_only = site.manage("restore", "--files-only", str(site.archive))
    assert "Files restored." in files_only.stdout
    assert site.files() == site.original_files
    assert site.fingerprints() == changed

    # Everything lost: a new empty database and no files. No --force needed.
    site.drop_database()
    site.create_database()
    site.wipe_files()
    restored = site.manage("restore", str(site.archive))
    assert f"checked: {len(site.tables)} tables" in restored.stdout
    assert site.fingerprints() == site.tables
    assert site.files() == site.original_files
    # The restored portal works: the demo's pages and cases are there.
    check = site.manage(
        "shell",
        "-c",
        "from casework.models import SupervisionCase;"
        "from wagtail.models import Page;"
        "print(SupervisionCase.objects.count(), Page.objects.live().count())",
    )
    cases, pages = map(int, check.stdout.strip().splitlines()[-1].split())
    assert cases == site.tables["casework_supervisioncase"]["rows"]
    assert pages > 5


def test_restore_names_the_tables_that_differ_from_the_manifest(site, tmp_path):
    def falsify(manifest):
        manifest["tables"]["casework_supervisioncase"]["sha256"] = "0" * 64
        manifest["tables"]["auth_user"]["rows"] += 1

    archive = with_manifest(site, tmp_path / "falsified.tar.gz", falsify)
    (site.backups / "pre-restore").mkdir(exist_ok=True)
    kept_before = set((site.backups / "pre-restore").iterdir())
    result = site.manage(
        "restore", "--force", "--no-safety-backup", str(archive), check=False
    )
    assert result.returncode != 0
    assert "does not match the archive" in result.stderr
    assert set((site.backups / "pre-restore").iterdir()) == kept_before
    users = site.tables["auth_user"]["rows"]
    assert f"auth_user: {users} rows, expected {users + 1}" in result.stderr
    assert "casework_supervisioncase: " in result.stderr
    assert "contents differ" in result.stderr
    assert result.stderr.count("\n  ") == 2  # only those two
    assert site.fingerprints() == site.tables
