"""load_demo, the demo content of the whole portal: a second run changes no
content table, and it refuses to run with DEBUG off unless told to."""

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def test_load_demo_is_idempotent():
    call_command("load_demo", "--allow-production", verbosity=0)
    first = table_counts()
    call_command("load_demo", "--allow-production", verbosity=0)
    second = table_counts()
    changed = {t: (first[t], second[t]) for t in first if first[t] != second[t]}
    # Log-like tables may grow; content tables may not.
    changed = {
        t: v
        for t, v in changed.items()
        # SQLite's FTS5 shadow tables reshuffle segments on every rewrite.
        if not t.endswith(("_fts_data", "_fts_idx"))
    }
    assert changed == {}


def test_load_demo_refuses_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing with DEBUG off"):
        call_command("load_demo", verbosity=0)
