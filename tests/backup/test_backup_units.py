"""The pieces of portal/backup.py on their own: table fingerprints, the file
walk, and the archive reader's refusals. No Django database involved."""

import hashlib
import io
import json
import sqlite3
import tarfile

import pytest

from portal import backup


def _db(rows, *, key=True):
    db = sqlite3.connect(":memory:")
    pk = "PRIMARY KEY" if key else ""
    db.execute(f"CREATE TABLE t (id INTEGER {pk}, name TEXT, data BLOB, x REAL)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    db.execute("CREATE TABLE empty (id INTEGER PRIMARY KEY)")
    return db


ROWS = [
    (1, "张某", b"\x00\xff", 1.5),
    (2, None, None, None),
    (3, "1", b"1", 1.0),
]


def _fingerprints(db):
    return backup.fingerprint_tables(db.cursor(), "sqlite")


def test_fingerprint_counts_rows_and_ignores_insertion_order():
    first = _fingerprints(_db(ROWS))
    second = _fingerprints(_db(list(reversed(ROWS))))
    assert first == second
    assert first["t"]["rows"] == 3
    assert first["empty"] == {
        "rows": 0,
        "sha256": hashlib.sha256(backup.canonical_row(["id"])).hexdigest(),
    }


@pytest.mark.parametrize(
    "changed",
    [
        (3, "1", b"1", 1.0000001),  # a float's last digits
        (3, "1", 1, 1.0),  # the same digit as a number, not bytes
        (3, "1", "1", 1.0),  # text instead of bytes
        (3, "1 ", b"1", 1.0),  # trailing space
        (4, "1", b"1", 1.0),  # another key
    ],
)
def test_fingerprint_sees_any_change_of_value_or_type(changed):
    original = _fingerprints(_db(ROWS))["t"]
    other = _fingerprints(_db([*ROWS[:2], changed]))["t"]
    assert other["rows"] == original["rows"]
    assert other["sha256"] != original["sha256"]


def test_fingerprint_of_a_table_without_key_orders_by_all_columns():
    rows = [(1, "a", None, 0.0), (1, "a", None, 0.0), (0, "b", b"", None)]
    first = _fingerprints(_db(rows, key=False))["t"]
    second = _fingerprints(_db(list(reversed(rows)), key=False))["t"]
    assert first == second
    assert first["rows"] == 3  # duplicates count
    fewer = _fingerprints(_db(rows[1:], key=False))["t"]
    assert fewer["rows"] == 2 and fewer["sha256"] != first["sha256"]


def test_fingerprint_includes_column_names():
    db = _db(ROWS)
    before = _fingerprints(db)["t"]["sha256"]
    db.execute("ALTER TABLE t RENAME COLUMN name TO title")
    assert _fingerprints(db)["t"]["sha256"] != before


def test_compare_fingerprints_names_each_table_and_what_differs():
    expected = {
        "a": {"rows": 1, "sha256": "x"},
        "b": {"rows": 2, "sha256": "y"},
        "c": {"rows": 3, "sha256": "z"},
        "same": {"rows": 0, "sha256": "s"},
    }
    actual = {
        "a": {"rows": 1, "sha256": "other"},
        "b": {"rows": 5, "sha256": "y"},
        "d": {"rows": 4, "sha256": "w"},
        "same": {"rows": 0, "sha256": "s"},
    }
    assert backup.compare_fingerprints(expected, actual) == [
        "a: 1 rows, but their contents differ",
        "b: 5 rows, expected 2",
        "c: missing after restore",
        "d: not in the archive (4 rows)",
    ]
    assert backup.compare_fingerprints(expected, expected) == []


def test_file_walk_takes_nested_roots_once_and_skips_links(tmp_path):
    private = tmp_path / "private"
    reports = private / "reports"  # as in docker/compose.yaml
    (private / "cases").mkdir(parents=True)
    (reports / "2026").mkdir(parents=True)
    (private / "cases" / "a.pdf").write_bytes(b"a")
    (reports / "2026" / "b.pdf").write_bytes(b"b")
    (private / "link.pdf").symlink_to(private / "cases" / "a.pdf")
    (private / "dirlink").symlink_to(private / "cases")
    skipped = []
    found = list(
        backup.iter_root_files(
            {"casework_private": private, "reporting_private": reports},
            skipped=skipped,
        )
    )
    assert [(key, relative) for key, _path, relative in found] == [
        ("casework_private", "cases/a.pdf"),
        ("reporting_private", "2026/b.pdf"),
    ]
    assert sorted(p.name for p in skipped) == ["dirlink", "link.pdf"]


def _archive(path, members, manifest=None):
    """A tar.gz with the given (name, bytes) members and a manifest listing
    them (or the manifest given)."""
    database = members.get("database/sqlite3.db", b"")
    if manifest is None:
        manifest = {
            "format": backup.FORMAT,
            "format_version": backup.FORMAT_VERSION,
            "created_at": "2026-01-01T00:00:00+00:00",
            "database": {
                "vendor": "sqlite",
                "member": "database/sqlite3.db",
                "size": len(database),
                "sha256": hashlib.sha256(database).hexdigest(),
            },
            "tables": {},
            "files": [
                {
                    "path": name.removeprefix("files/"),
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
                for name, data in members.items()
                if name.startswith("files/")
            ],
        }
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*members.items(), ("manifest.json", None)]:
            data = json.dumps(manifest).encode() if data is None else data
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


GOOD = {"database/sqlite3.db": b"db", "files/media/a.txt": b"a"}


def test_unpack_accepts_a_consistent_archive(tmp_path):
    staging = tmp_path / "staging"
    staging.mkdir()
    staged = backup.unpack_archive(_archive(tmp_path / "ok.tar.gz", GOOD), staging)
    assert staged.database.read_bytes() == b"db"
    assert [(k, r, p.read_bytes()) for k, r, p, _ in staged.files()] == [
        ("media", "a.txt", b"a")
    ]


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "/etc/evil", "files/media/../../evil", "other/x", "files/x"],
)
def test_unpack_refuses_names_outside_the_layout(tmp_path, name):
    archive = _archive(tmp_path / "bad.tar.gz", {**GOOD, name: b"x"})
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(backup.BackupError, match="unexpected entry"):
        backup.unpack_archive(archive, staging)
    assert not (tmp_path / "evil.txt").exists()


def test_unpack_refuses_links(tmp_path):
    archive = tmp_path / "link.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("files/media/passwd")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tar.addfile(info)
    with pytest.raises(backup.BackupError, match="unexpected entry"):
        backup.unpack_archive(archive, tmp_path)


def test_unpack_refuses_members_the_manifest_does_not_vouch_for(tmp_path):
    manifest_members = dict(GOOD)
    archive = _archive(tmp_path / "a.tar.gz", GOOD)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    extra = _archive(
        tmp_path / "extra.tar.gz", {**manifest_members, "files/media/b": b"b"}, manifest
    )
    changed = _archive(
        tmp_path / "changed.tar.gz", {**GOOD, "files/media/a.txt": b"A"}, manifest
    )
    missing = _archive(
        tmp_path / "missing.tar.gz", {"database/sqlite3.db": b"db"}, manifest
    )
    for archive, problem in [
        (extra, "files/media/b: not listed in the manifest"),
        (changed, "files/media/a.txt: checksum mismatch"),
        (missing, "files/media/a.txt: missing from the archive"),
    ]:
        staging = tmp_path / archive.stem
        staging.mkdir()
        with pytest.raises(backup.BackupError, match="failed verification") as error:
            backup.unpack_archive(archive, staging)
        assert problem in str(error.value)


def test_unpack_refuses_other_formats_and_garbage(tmp_path):
    with tarfile.open(_archive(tmp_path / "good.tar.gz", GOOD)) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    foreign = _archive(
        tmp_path / "foreign.tar.gz", GOOD, {**manifest, "format_version": 2}
    )
    with pytest.raises(backup.BackupError, match="reads 'licheng-portal-backup'"):
        backup.unpack_archive(foreign, tmp_path / "s1")
    unreadable = _archive(tmp_path / "unreadable.tar.gz", GOOD, {"format": "x"})
    with pytest.raises(backup.BackupError, match=r"manifest of .* is unreadable"):
        backup.unpack_archive(unreadable, tmp_path / "s3")
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not a tar file at all")
    (tmp_path / "s2").mkdir()
    with pytest.raises(backup.BackupError, match="damaged or not a portal backup"):
        backup.unpack_archive(garbage, tmp_path / "s2")
    with pytest.raises(backup.BackupError, match="no such archive"):
        backup.unpack_archive(tmp_path / "absent.tar.gz", tmp_path)


def test_postgresql_environment_carries_the_password_not_the_command_line():
    env = backup.postgresql_environment(
        {
            "NAME": "portal",
            "USER": "portal",
            "PASSWORD": "s3cret",
            "HOST": "db",
            "PORT": 5432,
            "OPTIONS": {"sslmode": "require"},
        }
    )
    assert env["PGPASSWORD"] == "s3cret"
    assert env["PGDATABASE"] == "portal"
    assert env["PGPORT"] == "5432"
    assert env["PGSSLMODE"] == "require"


def test_archive_name_is_dated_in_beijing_time():
    import datetime

    # 01:00 Beijing time is 17:00 UTC the day before: the name has Beijing's day.
    moment = datetime.datetime(2026, 11, 26, 17, 0, 5, tzinfo=datetime.UTC)
    assert backup.archive_name(moment) == "portal-backup-20261127T010005+0800.tar.gz"


def test_backup_refuses_to_write_into_a_file_root(settings, tmp_path):
    from django.db import connection

    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(backup.BackupError, match="would hold itself"):
        backup.create_backup(connection, tmp_path / "media" / "backups")
    assert not (tmp_path / "media").exists()


@pytest.mark.parametrize("where", [0.2, 0.5, 0.8, 0.99])
def test_unpack_finds_a_flipped_byte_anywhere(tmp_path, where):
    # tarfile alone would take a garbled header for the end of the archive.
    members = {
        "database/sqlite3.db": bytes(range(256)) * 40,
        **{
            f"files/media/{n}.bin": hashlib.sha256(bytes([n])).digest() * 300
            for n in range(5)
        },
    }
    data = bytearray(_archive(tmp_path / "a.tar.gz", members).read_bytes())
    data[int(len(data) * where)] ^= 0xFF
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(bytes(data))
    (tmp_path / "s").mkdir()
    with pytest.raises(backup.BackupError, match="damaged or not a portal backup"):
        backup.unpack_archive(damaged, tmp_path / "s")


@pytest.mark.django_db(databases=[])
def test_the_file_roots_are_media_and_the_plugins_under_their_old_keys(
    settings, monkeypatch
):
    """MEDIA_ROOT is the portal's; case files and report attachments come
    from casework's and reporting's register_backup_roots hooks, under the
    keys archives have always used, so older archives still restore."""
    from pathlib import Path

    from wagtail import hooks

    from portal.hooks import BACKUP_ROOTS

    assert backup.file_roots() == {
        "media": Path(settings.MEDIA_ROOT),
        "casework_private": Path(settings.CASEWORK_PRIVATE_ROOT),
        "reporting_private": Path(settings.REPORTING_PRIVATE_ROOT),
    }
    hooks.get_hooks(BACKUP_ROOTS)
    monkeypatch.setitem(
        hooks._hooks,
        BACKUP_ROOTS,
        [(lambda: {"media": Path("/elsewhere")}, 0)],
    )
    with pytest.raises(backup.BackupError, match="share the archive key 'media'"):
        backup.file_roots()
