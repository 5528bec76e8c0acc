"""Transactional tests (the browser tests) empty the database with ``flush``
after each test; the audit triggers let exactly that through in a test
database, and nothing else."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection

from audit import record
from audit.models import Action, AuditEvent


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_table_of_a_test_database(investigator):
    record(Action.CASE_VIEW, user=investigator)
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
