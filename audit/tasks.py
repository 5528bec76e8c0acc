"""The daily purge of expired audit rows (django-q2 schedule, migration 0003)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.database import MINIMUM_RETENTION_DAYS
from audit.models import AuditEvent

logger = logging.getLogger(__name__)


def retention_days() -> int:
    return max(int(settings.AUDIT_RETENTION_DAYS), MINIMUM_RETENTION_DAYS)


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete the rows older than AUDIT_RETENTION_DAYS; return how many.

    The ORM refuses to delete audit rows, so this is the one raw DELETE; the
    database trigger still checks every row against its own 180 days."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    column = connection.ops.quote_name("timestamp")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {column} < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(cutoff)],
        )
        count = cursor.rowcount
    logger.info("audit: purged %d rows older than %s", count, cutoff)
    return count
