"""Django's ``flush``, able to empty the audit table of a *test* database.

The test runner flushes the database between transactional tests. The
database refuses to truncate or delete young audit rows (audit/database.py),
so this command sets the one exemption the triggers know, which holds only in
a database named like Django's test databases. On any other database the
audit table stays as it is and ``flush`` fails rather than erase the log.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from audit.database import flushing_test_database


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with flushing_test_database(connection):
            return super().handle(**options)
