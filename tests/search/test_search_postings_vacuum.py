"""The postings' statistics after a rebuild outside a transaction (a file
of its own: a transactional test flushes its worker's database, so it runs
after every database test there, which pytest-django's order gives only
to a file of transactional tests)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import postings
from search.models import Posting

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="VACUUM is PostgreSQL's; SQLite keeps FTS5",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_rebuild_also_vacuums():
    """Outside a transaction (``update_index`` as an operator runs it),
    VACUUM ANALYZE: the covering index answers without reading the table."""
    with CaptureQueriesContext(connection) as captured:
        postings.refresh_statistics()
    assert [q["sql"] for q in captured] == [
        f'VACUUM ANALYZE "{Posting._meta.db_table}"'
    ]
