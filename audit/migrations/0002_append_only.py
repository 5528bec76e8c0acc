"""Append-only in the database (issue #8): triggers on PostgreSQL and SQLite.

See audit/database.py for the rules. The SQL is kept here verbatim, so the
migration means the same thing whatever later code says; the vendor is
checked before anything runs (other databases get no triggers and rely on the
model-level guards).
"""

from django.db import migrations

MINIMUM_RETENTION_DAYS = 180
TABLE = "audit_auditevent"

# Every column but user_id, for SQLite's "nothing else changed" test. A new
# column needs a migration that re-creates the triggers with it.
SQLITE_COLUMNS = (
    "id",
    "timestamp",
    "username",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "outcome",
    "client_address",
    "request_id",
    "method",
    "path",
    "detail",
)

POSTGRES_INSTALL = f"""
CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
           AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit log is append-only: UPDATE refused'
            USING ERRCODE = 'restrict_violation';
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD."timestamp" > now() - interval '{MINIMUM_RETENTION_DAYS} days' THEN
            RAISE EXCEPTION 'audit rows are kept {MINIMUM_RETENTION_DAYS} days: DELETE refused'
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    ELSE
        IF current_database() LIKE 'test\\_%'
           AND current_setting('audit.test_flush', true) = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'audit log is append-only: TRUNCATE refused'
            USING ERRCODE = 'restrict_violation';
    END IF;
END;
$$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard();
CREATE TRIGGER audit_event_no_young_delete BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard();
"""

POSTGRES_REMOVE = f"""
DROP TRIGGER IF EXISTS audit_event_no_update ON {TABLE};
DROP TRIGGER IF EXISTS audit_event_no_young_delete ON {TABLE};
DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS audit_event_guard();
"""

_unchanged = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in SQLITE_COLUMNS)

SQLITE_INSTALL = [
    f"""
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
WHEN NOT (OLD.user_id IS NOT NULL AND NEW.user_id IS NULL AND {_unchanged})
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused');
END
""",
    f"""
CREATE TRIGGER audit_event_no_young_delete BEFORE DELETE ON {TABLE}
WHEN OLD."timestamp" > strftime('%Y-%m-%d %H:%M:%f', 'now',
                                '-{MINIMUM_RETENTION_DAYS} days')
     AND NOT audit_test_flush()
BEGIN
    SELECT RAISE(ABORT, 'audit rows are kept {MINIMUM_RETENTION_DAYS} days: DELETE refused');
END
""",
]

SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_young_delete",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_INSTALL, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REMOVE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement, params=None)



class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
