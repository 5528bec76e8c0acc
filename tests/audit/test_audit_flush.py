"""Transactional tests (the browser tests) empty the database with ``flush``
after each test; the audit triggers let exactly that through in a test
database, and nothing else."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit import record
from audit.models import Action, AuditEvent


# Inside the test's transaction (flush runs there as well), so the rollback
# gives the rest of the suite its migrated data back: a transactional test
# here would leave content types that the browser tests' restore collides with.
@pytest.mark.django_db
def test_flush_empties_the_audit_table_of_a_test_database(investigator):
    record(Action.CASE_VIEW, user=investigator)
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1
    if connection.vendor == "postgresql":
        # The row's deferred foreign-key checks would keep TRUNCATE out.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
