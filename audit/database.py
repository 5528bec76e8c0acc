"""Database-level enforcement of the append-only audit log.

The triggers (installed by migration 0002, which keeps
its SQL verbatim) refuse, whatever the application
sends:

- UPDATE of a row, except the one change ``on_delete=SET_NULL`` makes when a
  user account is deleted: ``user_id`` set to NULL, every other column as it
  was (the username snapshot keeps who it was);
- DELETE of a row younger than MINIMUM_RETENTION_DAYS (180, Art. of issue #8);
  older rows may go, which is what the daily purge does;
- TRUNCATE (PostgreSQL), except inside a Django *test* database (named
  ``test_…``) while ``manage.py flush`` empties it between transactional
  tests (audit/management/commands/flush.py sets the flag).

On PostgreSQL this binds every session, including raw SQL. On SQLite the same
rules are triggers too; the test-flush exemption there is a function the
application registers on its own connections (audit_test_flush()), so any
other client of the file (the sqlite3 shell) cannot delete rows at all.
The table's owner can still drop the triggers. A deployment that wants the
guarantee against that as well migrates as the owner and runs the site as a
role that does not own the table, e.g.::

    REVOKE UPDATE, TRUNCATE ON audit_auditevent FROM portal_app;
    GRANT SELECT, INSERT, DELETE ON audit_auditevent TO portal_app;
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

MINIMUM_RETENTION_DAYS = 180
# --- Emptying a test database -----------------------------------------------------

_flushing = threading.local()


def is_test_database(connection) -> bool:
    """A database Django's test runner created (and will destroy)."""
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite":
        return (
            name == ":memory:" or "mode=memory" in name or name.startswith("test_")
        ) or name.rsplit("/", 1)[-1].startswith("test_")
    return name.startswith("test_")


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return

    def audit_test_flush() -> int:
        return int(
            bool(getattr(_flushing, "active", False)) and is_test_database(connection)
        )

    connection.connection.create_function(
        "audit_test_flush", 0, audit_test_flush, deterministic=False
    )


@contextmanager
def flushing_test_database(connection):
    """Let ``flush`` empty the audit table of a test database, and only that."""
    if not is_test_database(connection):
        yield
        return
    _flushing.active = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('audit.test_flush', 'on', false)")
    try:
        yield
    finally:
        _flushing.active = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('audit.test_flush', 'off', false)")
