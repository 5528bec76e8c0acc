"""The casework tasks run by the django-q2 cluster (``manage.py qcluster``).

Migration 0004 schedules them nightly; each can also be queued by hand with
``django_q.tasks.async_task("casework.tasks.<name>")``. Every task is
idempotent: it may run again, or be retried after a failure or a worker
killed mid-run (Q_CLUSTER "retry" and "max_attempts"), and produces its
effect once. Dates may be passed as ISO strings, since task arguments are
pickled and shown in the admin.
"""

from __future__ import annotations

import datetime

from casework import deadlines, reports, risk_points


def _day(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def check_deadlines(today=None) -> dict:
    """Daily: refresh stored deadlines, warn of periods ending or passed
    (Art. 15, 17, 19, 20), mail the notices not mailed yet."""
    return deadlines.check_deadlines(_day(today)).as_dict()


def detect_risk_points(today=None) -> list[int]:
    """Daily: open risk points for recurring error types (Art. 21)."""
    return [point.pk for point in risk_points.detect_risk_points(_day(today))]


def generate_due_reports(today=None) -> list[int]:
    """Daily: the last completed month, quarter and year, once each (Art. 19)."""
    return [report.pk for report in reports.generate_due_reports(_day(today))]


def generate_report(kind: str, year: int, index: int, user_id=None) -> int:
    """On demand from the admin: one period's report, kept as a new version."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return reports.generate_report(kind, year, index, user=user).pk
