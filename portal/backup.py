"""Backup archives: the database, the uploaded and private files, a manifest.

``manage.py backup`` writes one ``portal-backup-<Beijing time>+0800.tar.gz``;
``manage.py restore`` brings it back. Both rest on this module:

- **Table fingerprints.** Every table gets a row count and a SHA-256 over its
  rows, in primary-key order (all columns for a table without one), each value
  in a canonical form: PostgreSQL's own text output under fixed session
  settings, SQLite's stored values as read without type converters. The same
  data gives the same fingerprint whichever process or client library reads
  it, so a restore is checked against what the backup saw, table by table.
- **Archive layout.** ``database/postgresql.dump`` (``pg_dump --format=custom``)
  or ``database/sqlite3.db`` (an online copy), ``files/<root>/<path>`` for
  ``MEDIA_ROOT`` and the directories the plugins keep outside it (their
  ``register_backup_roots`` hook, e.g. case files and report attachments, by
  the plugin's own key), and ``manifest.json`` last: format, time, versions,
  migration state, the table fingerprints and every member's size and SHA-256.

The archive holds reporter identities only encrypted; the Fernet keys
(``REPORTER_IDENTITY_KEYS``), ``RECEIPT_SALT`` and ``SECRET_KEY`` are not in it
and must be kept apart. Database passwords reach ``pg_dump``/``pg_restore`` in
their environment only, never on a command line or in output.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings

FORMAT = "licheng-portal-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_MEMBERS = {
    "postgresql": "database/postgresql.dump",
    "sqlite": "database/sqlite3.db",
}
ARCHIVE_PREFIX = "portal-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
_CHUNK = 1024 * 1024
_FETCH_ROWS = 2000


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the operator."""


# --- Table fingerprints ---------------------------------------------------------


def _canonical_value(value):
    # JSON has no bytes; a dict cannot be confused with any stored scalar.
    if isinstance(value, bytes | bytearray | memoryview):
        return {"hex": bytes(value).hex()}
    return value


def canonical_row(values) -> bytes:
    """One row as a canonical line of JSON (UTF-8, no spacing, newline)."""
    return (
        json.dumps(
            [_canonical_value(v) for v in values],
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=True,
        ).encode()
        + b"\n"
    )


@dataclass(frozen=True)
class _Table:
    name: str
    columns: list[str]
    # (column, is_collatable) of the primary key, in key order; empty if none.
    key: list[tuple[str, bool]]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(cursor) -> list[_Table]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    )
    tables = []
    for (name,) in cursor.fetchall():
        cursor.execute(f"PRAGMA table_info({_quote(name)})")
        info = cursor.fetchall()  # cid, name, type, notnull, default, pk
        columns = [row[1] for row in info]
        key = [(row[1], False) for row in sorted(info, key=lambda r: r[5]) if row[5]]
        tables.append(_Table(name, columns, key))
    return tables


def _postgresql_tables(cursor) -> list[_Table]:
    cursor.execute(
        "SELECT c.oid, c.relname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
        "ORDER BY c.relname"
    )
    found = cursor.fetchall()
    tables = []
    for oid, name in found:
        cursor.execute(
            "SELECT attname, attcollation <> 0 FROM pg_attribute "
            "WHERE attrelid = %s AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum",
            [oid],
        )
        attributes = cursor.fetchall()
        cursor.execute(
            "SELECT a.attname, a.attcollation <> 0 FROM pg_index i "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey::int2[]) "
            "WHERE i.indrelid = %s AND i.indisprimary "
            "ORDER BY array_position(i.indkey::int2[], a.attnum)",
            [oid],
        )
        key = [(column, bool(collatable)) for column, collatable in cursor.fetchall()]
        tables.append(_Table(name, [a[0] for a in attributes], key))
    return tables


def list_tables(cursor, vendor: str) -> list[str]:
    return [table.name for table in _tables(cursor, vendor)]


def _tables(cursor, vendor: str) -> list[_Table]:
    if vendor == "sqlite":
        return _sqlite_tables(cursor)
    if vendor == "postgresql":
        return _postgresql_tables(cursor)
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")


def _postgresql_rows(cursor, table: _Table) -> Iterator[tuple]:
    # Every value as PostgreSQL's text output: the same bytes for every
    # client library. A declared cursor streams a large table.
    select = ", ".join(f"{_quote(c)}::text" for c in table.columns) or "NULL"
    # Text keys in byte order: the target database's collation may differ.
    order = ", ".join(
        _quote(c) + (' COLLATE "C"' if collatable else "")
        for c, collatable in table.key
    )
    sql = f"SELECT {select} FROM {_quote(table.name)}"  # noqa: S608 - quoted names
    if order:
        sql += f" ORDER BY {order}"
    cursor.execute(f"DECLARE portal_fingerprint NO SCROLL CURSOR FOR {sql}")
    try:
        while True:
            cursor.execute(f"FETCH {_FETCH_ROWS} FROM portal_fingerprint")
            rows = cursor.fetchall()
            if not rows:
                return
            yield from rows
    finally:
        cursor.execute("CLOSE portal_fingerprint")


def _sqlite_rows(cursor, table: _Table) -> Iterator[tuple]:
    select = ", ".join(_quote(c) for c in table.columns)
    sql = f"SELECT {select} FROM {_quote(table.name)}"  # noqa: S608 - quoted names
    if table.key:
        sql += " ORDER BY " + ", ".join(_quote(c) for c, _ in table.key)
    cursor.execute(sql)
    while rows := cursor.fetchmany(_FETCH_ROWS):
        yield from rows


def _fingerprint_table(cursor, vendor: str, table: _Table) -> dict:
    digest = hashlib.sha256()
    digest.update(canonical_row(table.columns))
    rows = _postgresql_rows if vendor == "postgresql" else _sqlite_rows
    count = 0
    if table.key:
        for row in rows(cursor, table):
            digest.update(canonical_row(row))
            count += 1
    else:
        # No key to order by: order by all columns, as canonical lines.
        lines = sorted(canonical_row(row) for row in rows(cursor, table))
        for line in lines:
            digest.update(line)
        count = len(lines)
    return {"rows": count, "sha256": digest.hexdigest()}


def fingerprint_tables(cursor, vendor: str) -> dict[str, dict]:
    """Row count and SHA-256 of every table of the database, by name.

    ``cursor`` is a DB-API cursor: for PostgreSQL inside a transaction (the
    fingerprint then sees one snapshot), for SQLite from a plain
    ``sqlite3.connect`` without type converters (see ``sqlite_fingerprints``).
    """
    if vendor == "postgresql":
        # Text output depends on these session settings; fix them.
        for statement in (
            "SET LOCAL TimeZone = 'UTC'",
            "SET LOCAL DateStyle = 'ISO, YMD'",
            "SET LOCAL IntervalStyle = 'iso_8601'",
            "SET LOCAL extra_float_digits = 1",
            "SET LOCAL bytea_output = 'hex'",
        ):
            cursor.execute(statement)
    return {
        table.name: _fingerprint_table(cursor, vendor, table)
        for table in _tables(cursor, vendor)
    }


def sqlite_fingerprints(path: Path) -> dict[str, dict]:
    """Fingerprints of a SQLite database file, opened read-only."""
    return _sqlite_read(path, lambda cursor: fingerprint_tables(cursor, "sqlite"))


def _sqlite_read(path: Path, read: Callable):
    # Plain sqlite3, no type converters: values exactly as stored.
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return read(connection.cursor())
    finally:
        connection.close()


def compare_fingerprints(expected: dict, actual: dict) -> list[str]:
    """Human-readable differences, one per table; empty when they agree."""
    problems = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if got is None:
            problems.append(f"{name}: missing after restore")
        elif want is None:
            problems.append(f"{name}: not in the archive ({got['rows']} rows)")
        elif want["rows"] != got["rows"]:
            problems.append(f"{name}: {got['rows']} rows, expected {want['rows']}")
        elif want["sha256"] != got["sha256"]:
            problems.append(f"{name}: {got['rows']} rows, but their contents differ")
    return problems


# --- Files ----------------------------------------------------------------------


#: The archive key of MEDIA_ROOT, the portal's own root.
MEDIA_KEY = "media"


def file_roots() -> dict[str, Path]:
    """The directories whose files a backup holds, by their key in the
    archive: MEDIA_ROOT and each plugin's (``register_backup_roots``). A key
    is the plugin's, unchanged from one release to the next, so that older
    archives restore; two roots under one key would mix their files, and are
    refused."""
    from wagtail import hooks

    from portal.hooks import BACKUP_ROOTS

    roots = {MEDIA_KEY: Path(settings.MEDIA_ROOT)}
    for fn in hooks.get_hooks(BACKUP_ROOTS):
        for key, root in fn().items():
            if key in roots:
                raise BackupError(
                    f"Two file roots share the archive key {key!r} "
                    f"({roots[key]} and {root}); {fn.__module__} must use "
                    "another key."
                )
            roots[key] = Path(root)
    return roots


def iter_root_files(
    roots: dict[str, Path], *, skipped: list[Path] | None = None
) -> Iterator[tuple[str, Path, str]]:
    """``(root key, absolute path, relative POSIX path)`` of every regular file,
    sorted. A root inside another (the compose file keeps report attachments
    under the case files) is walked once, as itself. Symbolic links and other
    non-regular files are not followed; they are appended to ``skipped``."""
    resolved = {key: Path(os.path.abspath(root)) for key, root in roots.items()}
    for key, root in sorted(resolved.items()):
        if not root.is_dir():
            continue
        nested = {
            other
            for other in resolved.values()
            if other != root and root in other.parents
        }
        for directory, dirnames, filenames in os.walk(root):
            here = Path(directory)
            kept = []
            for name in sorted(dirnames):
                path = here / name
                if path in nested:
                    continue
                if path.is_symlink():
                    if skipped is not None:
                        skipped.append(path)
                    continue
                kept.append(name)
            dirnames[:] = kept
            for name in sorted(filenames):
                path = here / name
                if path.is_symlink() or not path.is_file():
                    if skipped is not None:
                        skipped.append(path)
                    continue
                yield key, path, path.relative_to(root).as_posix()


def sha256_file(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


class _HashingReader:
    """Hands tarfile the bytes of a file while hashing exactly those bytes."""

    def __init__(self, handle):
        self._handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self._handle.read(size)
        self.digest.update(data)
        return data


# --- Database access ------------------------------------------------------------

# libpq environment variables for Django's OPTIONS keys.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def postgresql_environment(database: dict) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: connection parameters (and the
    password) travel here, never on the command line."""
    env = dict(os.environ)
    for key, variable in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    for key, variable in _LIBPQ_OPTIONS.items():
        value = (database.get("OPTIONS") or {}).get(key)
        if value:
            env[variable] = str(value)
    return env


def _client(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} is not installed. Install the PostgreSQL client of the "
            "server's version (Debian: apt-get install postgresql-client-15)."
        )
    return path


def _client_major(program: str) -> int:
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [_client(program), "--version"], capture_output=True, text=True, check=False
    )
    match = re.search(r"\)\s+(\d+)", result.stdout)
    if result.returncode != 0 or not match:
        raise BackupError(f"Could not tell the version of {program}.")
    return int(match.group(1))


def _run_client(program: str, arguments: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - arguments built here, no secrets
        [_client(program), *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            f"{program} failed (exit {result.returncode}):\n{result.stderr.strip()}"
        )


def postgresql_dump(connection, path: Path) -> tuple[dict, dict]:
    """Dump the database with pg_dump and fingerprint the same snapshot.

    One REPEATABLE READ transaction exports its snapshot to pg_dump, then
    fingerprints the tables: the manifest describes exactly the dump even
    while the site keeps writing.
    """
    from django.db import transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int / 10000")
        server_major = cursor.fetchone()[0]
    client_major = _client_major("pg_dump")
    if client_major < server_major:
        raise BackupError(
            f"pg_dump {client_major} cannot dump a PostgreSQL {server_major} "
            f"server: install postgresql-client-{server_major}."
        )
    env = postgresql_environment(connection.settings_dict)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run_client(
            "pg_dump",
            [
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={path}",
            ],
            env,
        )
        tables = fingerprint_tables(cursor, "postgresql")
        return tables, migration_state(cursor, "postgresql")


def postgresql_restore(connection, path: Path) -> None:
    """pg_restore into the configured database, in one transaction: a failure
    leaves the database as it was."""
    connection.close()
    _run_client(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        ],
        postgresql_environment(connection.settings_dict),
    )


def postgresql_fingerprints(connection) -> dict[str, dict]:
    from django.db import transaction

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return fingerprint_tables(cursor, "postgresql")


def sqlite_path(connection) -> Path:
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(
            f"The SQLite database {name!r} is not a file; nothing to back up."
        )
    return Path(name)


def sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database, live or not (the online backup
    API: one pass under a read lock), onto ``target``, replacing its contents."""
    source_db = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    target_db = sqlite3.connect(target)
    try:
        source_db.backup(target_db)
    finally:
        target_db.close()
        source_db.close()


def database_contents(connection) -> dict[str, int]:
    """Tables of the configured database that hold rows (name -> at least 1)."""
    if connection.vendor == "sqlite":
        path = sqlite_path(connection)
        if not path.exists():
            return {}
        return _sqlite_read(path, lambda cursor: _nonempty(cursor, "sqlite"))
    with connection.cursor() as cursor:
        return _nonempty(cursor, connection.vendor)


def _nonempty(cursor, vendor: str) -> dict[str, int]:
    found = {}
    for name in list_tables(cursor, vendor):
        cursor.execute(f"SELECT 1 FROM {_quote(name)} LIMIT 1")  # noqa: S608
        if cursor.fetchone():
            found[name] = 1
    return found


def migration_state(cursor, vendor: str) -> dict[str, str]:
    """The last applied migration of each app, as recorded in the database."""
    if "django_migrations" not in list_tables(cursor, vendor):
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    state = dict(cursor.fetchall())  # later rows win: the last applied
    return dict(sorted(state.items()))


# --- Writing an archive ---------------------------------------------------------


def archive_name(moment: datetime.datetime) -> str:
    """``portal-backup-20261127T133005+0800.tar.gz``: named in the site's
    time (portal.clock, Beijing), the offset written out so the name is
    unambiguous; the manifest keeps the UTC instant."""
    from portal import clock

    stamp = clock.local(moment).strftime("%Y%m%dT%H%M%S%z")
    return f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"


def _versions() -> dict[str, str]:
    import django

    versions = {"django": django.get_version()}
    for distribution in ("wagtail", "licheng-portal"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[distribution] = metadata.version(distribution)
    return versions


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    skipped: list[Path]


def create_backup(
    connection,
    output_dir: Path,
    *,
    now: datetime.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> BackupResult:
    """Write one complete archive into ``output_dir`` and return it.

    The archive is written under a hidden temporary name with mode 0600 and
    renamed only once complete, so a crash never leaves a half archive under
    an archive's name.
    """
    progress = progress or (lambda message: None)
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    now = now or datetime.datetime.now(datetime.UTC)
    output_dir = Path(os.path.abspath(output_dir))
    for key, root in file_roots().items():
        root = Path(os.path.abspath(root))
        if output_dir == root or root in output_dir.parents:
            raise BackupError(
                f"The output directory {output_dir} is inside the {key} root "
                f"{root}: the backup would hold itself. Choose another one."
            )
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    final = output_dir / archive_name(now)
    if final.exists():
        raise BackupError(f"{final} already exists.")

    with tempfile.TemporaryDirectory(prefix=".portal-backup-", dir=output_dir) as work:
        dump = Path(work) / Path(DATABASE_MEMBERS[vendor]).name
        progress(f"dumping the {vendor} database")
        if vendor == "postgresql":
            tables, migrations = postgresql_dump(connection, dump)
        else:
            sqlite_copy(sqlite_path(connection), dump)
            tables = sqlite_fingerprints(dump)
            migrations = _sqlite_read(
                dump, lambda cursor: migration_state(cursor, "sqlite")
            )
        size, digest = sha256_file(dump)

        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": now.astimezone(datetime.UTC).isoformat(),
            "versions": _versions(),
            "database": {
                "vendor": vendor,
                "member": DATABASE_MEMBERS[vendor],
                "size": size,
                "sha256": digest,
            },
            "migrations": migrations,
            "tables": tables,
            "roots": {key: str(path) for key, path in file_roots().items()},
            "files": [],
        }
        skipped: list[Path] = []
        partial = output_dir / f".{final.name}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(
                    fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT, compresslevel=6
                ) as tar:
                    tar.add(dump, arcname=DATABASE_MEMBERS[vendor], recursive=False)
                    progress("adding files")
                    for key, path, relative in iter_root_files(
                        file_roots(), skipped=skipped
                    ):
                        try:
                            entry = _add_file(tar, key, path, relative)
                        except FileNotFoundError:
                            skipped.append(path)  # deleted while we walked
                            continue
                        manifest["files"].append(entry)
                    data = json.dumps(
                        manifest, ensure_ascii=False, indent=1, sort_keys=True
                    ).encode()
                    info = tarfile.TarInfo(MANIFEST_NAME)
                    info.size = len(data)
                    info.mtime = int(now.timestamp())
                    info.mode = 0o600
                    tar.addfile(info, io.BytesIO(data))
                raw.flush()
                os.fsync(raw.fileno())
            os.chmod(partial, 0o600)
            if final.exists():
                raise BackupError(f"{final} already exists.")
            os.replace(partial, final)
            _fsync_directory(output_dir)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
            raise
    return BackupResult(final, manifest, skipped)


def _add_file(tar: tarfile.TarFile, key: str, path: Path, relative: str) -> dict:
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(f"files/{key}/{relative}")
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = stat.st_mode & 0o777
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {
        "path": f"{key}/{relative}",
        "size": info.size,
        "sha256": reader.digest.hexdigest(),
    }


def _fsync_directory(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- Reading an archive ---------------------------------------------------------


@dataclass
class StagedArchive:
    """An archive unpacked into a private directory and verified."""

    root: Path
    manifest: dict

    @property
    def database(self) -> Path:
        return self.root / self.manifest["database"]["member"]

    def files(self) -> Iterator[tuple[str, str, Path, dict]]:
        """``(root key, relative path, staged path, manifest entry)``."""
        for entry in self.manifest["files"]:
            key, _, relative = entry["path"].partition("/")
            yield key, relative, self.root / "files" / entry["path"], entry


def _safe_member_name(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        return None
    if name == MANIFEST_NAME:
        return path
    if path.parts[0] == "database" and name in DATABASE_MEMBERS.values():
        return path
    if len(path.parts) >= 3 and path.parts[0] == "files":
        return path
    return None


def unpack_archive(archive: Path, staging: Path) -> StagedArchive:
    """Unpack ``archive`` into ``staging`` and verify every member against the
    manifest (size and SHA-256), before anything is restored.

    Only regular files with plain relative names under ``database/``,
    ``files/`` and the manifest are accepted; anything else, a duplicate
    member, a member missing from the manifest or the reverse, refuses the
    whole archive.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such archive.")
    seen: dict[str, tuple[int, str]] = {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                safe = _safe_member_name(member.name)
                if safe is None or not member.isreg():
                    raise BackupError(
                        f"The archive holds an unexpected entry {member.name!r}; "
                        "refusing it."
                    )
                if member.name in seen:
                    raise BackupError(f"The archive holds {member.name!r} twice.")
                target = staging.joinpath(*safe.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                digest = hashlib.sha256()
                size = 0
                with open(target, "xb") as out:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                os.chmod(target, member.mode & 0o777 or 0o600)
                seen[member.name] = (size, digest.hexdigest())
            # tarfile takes a garbled header after the first for the end of
            # the archive; reading the compressed stream to its end makes
            # gzip check its CRC and length, so damage anywhere is found.
            while tar.fileobj.read(_CHUNK):
                pass
    except (tarfile.TarError, zlib.error, EOFError, OSError) as error:
        raise BackupError(
            f"The archive {archive.name} is damaged or not a portal backup: {error}"
        ) from error

    if MANIFEST_NAME not in seen:
        raise BackupError(
            f"The archive {archive.name} is damaged or not a portal backup: "
            f"it holds no {MANIFEST_NAME}."
        )
    try:
        manifest = json.loads((staging / MANIFEST_NAME).read_text(encoding="utf-8"))
        database = manifest["database"]
        expected = {database["member"]: (database["size"], database["sha256"])}
        for entry in manifest["files"]:
            expected["files/" + entry["path"]] = (entry["size"], entry["sha256"])
        format_name = manifest["format"]
        version = manifest["format_version"]
        manifest["tables"].items()
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"The manifest of {archive.name} is unreadable.") from error
    if format_name != FORMAT or version != FORMAT_VERSION:
        raise BackupError(
            f"{archive.name} is {format_name!r} version {version!r}; this portal "
            f"reads {FORMAT!r} version {FORMAT_VERSION}."
        )
    seen.pop(MANIFEST_NAME)
    problems = []
    for name in sorted(set(expected) | set(seen)):
        if name not in seen:
            problems.append(f"{name}: missing from the archive")
        elif name not in expected:
            problems.append(f"{name}: not listed in the manifest")
        elif seen[name] != tuple(expected[name]):
            problems.append(f"{name}: checksum mismatch")
    if problems:
        raise BackupError(
            f"The archive {archive.name} failed verification; nothing was restored:\n"
            + "\n".join(f"  {p}" for p in problems)
        )
    return StagedArchive(staging, manifest)


def restore_files(staged: StagedArchive, roots: dict[str, Path]) -> int:
    """Put every archived file in place (atomically per file); returns the
    count. Files already in the roots that the archive does not hold are
    left alone."""
    count = 0
    for key, relative, source, _entry in staged.files():
        if key not in roots:
            raise BackupError(
                f"The archive holds files of an unknown root {key!r}: install "
                "the plugin that keeps them (PORTAL_PLUGINS_EXCLUDE) before "
                "restoring."
            )
        target = roots[key].joinpath(*PurePosixPath(relative).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copy2(source, partial)
        os.replace(partial, target)
        count += 1
    return count


def verify_files(staged: StagedArchive, roots: dict[str, Path]) -> list[str]:
    """Differences between the restored files on disk and the manifest."""
    problems = []
    for key, relative, _source, entry in staged.files():
        target = roots[key].joinpath(*PurePosixPath(relative).parts)
        if not target.is_file():
            problems.append(f"{entry['path']}: missing after restore")
        elif sha256_file(target) != (entry["size"], entry["sha256"]):
            problems.append(f"{entry['path']}: contents differ")
    return problems


def root_file_count(roots: dict[str, Path]) -> int:
    return sum(1 for _ in iter_root_files(roots))
