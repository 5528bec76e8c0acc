"""The audit log is append-only in the database itself (issue #8): raw SQL
cannot change a row, delete one younger than 180 days or truncate the table;
the model refuses too; the daily purge removes exactly the expired rows."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_q.models import Schedule

from audit import record
from audit.database import flushing_test_database
from audit.models import Action, AppendOnlyError, AuditEvent, Outcome
from audit.tasks import purge_expired

pytestmark = pytest.mark.django_db


def aged(days: int, **fields) -> AuditEvent:
    """A row written ``days`` ago (the application never backdates one; the
    test does, to have something old enough to purge)."""
    event = AuditEvent(
        action=Action.CASE_VIEW,
        outcome=Outcome.SUCCESS,
        username="old",
        timestamp=timezone.now() - datetime.timedelta(days=days),
        **fields,
    )
    event.save()
    return event


def raw(sql: str, params=()):
    """Run one statement in a savepoint, so a refusal leaves the test's
    transaction usable (PostgreSQL aborts it otherwise)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def test_raw_update_is_refused_for_every_column():
    event = record(Action.CASE_VIEW, detail={"attachment": 1})
    for statement, value in [
        ("UPDATE audit_auditevent SET action = %s WHERE id = %s", "case.export"),
        ("UPDATE audit_auditevent SET outcome = %s WHERE id = %s", "denied"),
        ("UPDATE audit_auditevent SET username = %s WHERE id = %s", "someone"),
        ("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", "x"),
        (
            'UPDATE audit_auditevent SET "timestamp" = %s WHERE id = %s',
            timezone.now() - datetime.timedelta(days=400),
        ),
    ]:
        with pytest.raises(DatabaseError, match="append-only"):
            raw(statement, [value, event.pk])
    event.refresh_from_db()
    assert event.action == Action.CASE_VIEW and event.username == ""


def test_raw_delete_of_a_young_row_is_refused_and_an_old_one_allowed():
    young = record(Action.CASE_VIEW)
    almost = aged(179)
    old = aged(181)
    for row in (young, almost):
        with pytest.raises(DatabaseError, match="180 days"):
            raw("DELETE FROM audit_auditevent WHERE id = %s", [row.pk])
    with pytest.raises(DatabaseError, match="180 days"):
        raw("DELETE FROM audit_auditevent")
    assert raw("DELETE FROM audit_auditevent WHERE id = %s", [old.pk]) == 1
    assert set(AuditEvent.objects.values_list("pk", flat=True)) >= {
        young.pk,
        almost.pk,
    }
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only"
)
def test_truncate_is_refused_outside_the_test_runners_flush():
    record(Action.CASE_VIEW)
    # The test's own transaction still holds the deferred foreign-key checks
    # of that insert; PostgreSQL truncates nothing with those pending.
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        raw("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.exists()
    # The one exemption: Django's flush of a test database (test_… name).
    with flushing_test_database(connection):
        raw("TRUNCATE audit_auditevent")
    assert not AuditEvent.objects.exists()
    with pytest.raises(DatabaseError, match="TRUNCATE refused"):
        raw("TRUNCATE audit_auditevent")


def test_the_test_flush_exemption_needs_the_flag():
    young = record(Action.CASE_VIEW)
    statement = "DELETE FROM audit_auditevent WHERE id = %s"
    if connection.vendor == "sqlite":
        with flushing_test_database(connection):
            assert raw(statement, [young.pk]) == 1
    # Without the flush in progress a young row stays, whatever the database.
    again = record(Action.CASE_VIEW)
    with pytest.raises(DatabaseError):
        raw(statement, [again.pk])


def test_the_model_refuses_to_change_or_delete():
    event = record(Action.CASE_VIEW)
    event.username = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["username"])
    assert AuditEvent.objects.get(pk=event.pk).username == ""


def test_deleting_a_user_keeps_their_rows_and_name():
    """The one change the database lets through: ON DELETE SET NULL."""
    user = get_user_model().objects.create_user("leaver", password="x" * 12)
    event = record(Action.CASE_VIEW, user=user)
    user.delete()
    event.refresh_from_db()
    assert event.user_id is None and event.username == "leaver"
    # Setting it to NULL while changing anything else is still refused.
    other = get_user_model().objects.create_user("stayer", password="x" * 12)
    kept = record(Action.CASE_VIEW, user=other)
    with pytest.raises(DatabaseError):
        raw(
            "UPDATE audit_auditevent SET user_id = NULL, username = 'x' WHERE id = %s",
            [kept.pk],
        )
    with pytest.raises(DatabaseError):
        raw(
            "UPDATE audit_auditevent SET user_id = %s WHERE id = %s",
            [user.pk, event.pk],
        )


def test_purge_removes_only_rows_past_the_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    young = record(Action.CASE_VIEW)
    kept = [aged(100), aged(200), aged(364)]
    expired = [aged(366), aged(800)]
    assert purge_expired() == 2
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert {young.pk, *(e.pk for e in kept)} <= remaining
    assert not remaining & {e.pk for e in expired}
    # Shorter retention: down to the floor of 180 days, never below.
    settings.AUDIT_RETENTION_DAYS = 180
    assert purge_expired() == 2  # the 200 and 364 days old rows
    settings.AUDIT_RETENTION_DAYS = 30
    assert purge_expired() == 0
    assert AuditEvent.objects.filter(pk__in=[young.pk, kept[0].pk]).count() == 2


def test_a_retention_below_180_days_fails_the_checks(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    assert "audit.E001" in [message.id for message in run_checks()]
    settings.AUDIT_RETENTION_DAYS = 180
    assert "audit.E001" not in [message.id for message in run_checks()]


def test_the_daily_purge_is_scheduled_by_the_migration():
    schedule = Schedule.objects.get(name="audit-purge-expired")
    assert schedule.func == "audit.tasks.purge_expired"
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1
